package feed

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

var (
	utf8BOM    = []byte{0xEF, 0xBB, 0xBF}
	utf16BEBOM = []byte{0xFE, 0xFF}
	utf16LEBOM = []byte{0xFF, 0xFE}
	// xmlDeclRe matches an XML declaration and captures its encoding value.
	xmlDeclRe = regexp.MustCompile(`^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:\-]+)["'][^>]*\?>`)
)

// decodeXML turns a feed body into UTF-8 exactly once. Precedence:
//  1. a byte-order mark (the XML spec's own signal);
//  2. the XML declaration's encoding; its value is then rewritten to UTF-8
//     so the XML parser does not convert again. A declared UTF-16 without a
//     BOM and without a single NUL byte cannot be true (UTF-16 puts a NUL
//     beside every ASCII character, the declaration's own included), so it
//     is ignored and the steps below decide;
//  3. the per-source override, then the HTTP Content-Type charset;
//  4. UTF-8 when the bytes are valid UTF-8, else windows-1252 (the superset
//     of ISO-8859-1 that servers mean when they say nothing).
//
// A valid UTF-8 body containing non-ASCII text is kept as UTF-8 even when the
// HTTP header names a single-byte Latin charset: servers default that header
// wrongly far more often than Latin-1 text happens to be valid UTF-8. The
// source override is trusted unconditionally.
//
// It returns the UTF-8 bytes and the name of the encoding used.
func decodeXML(body []byte, httpCharset, override string) ([]byte, string, error) {
	switch {
	case bytes.HasPrefix(body, utf8BOM):
		body = body[len(utf8BOM):]
		return rewriteDecl(body), "utf-8 (BOM)", nil
	case bytes.HasPrefix(body, utf16BEBOM), bytes.HasPrefix(body, utf16LEBOM):
		out, err := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(body)
		if err != nil {
			return nil, "", fmt.Errorf("%w: utf-16: %v", ErrEncoding, err)
		}
		return rewriteDecl(out), "utf-16 (BOM)", nil
	case bytes.HasPrefix(body, []byte("<\x00?\x00")), bytes.HasPrefix(body, []byte("\x00<\x00?")):
		// UTF-16 without a BOM, recognized by "<?" as the XML spec's
		// appendix F does.
		order := unicode.LittleEndian
		if body[0] == 0 {
			order = unicode.BigEndian
		}
		out, err := unicode.UTF16(order, unicode.IgnoreBOM).NewDecoder().Bytes(body)
		if err != nil {
			return nil, "", fmt.Errorf("%w: utf-16: %v", ErrEncoding, err)
		}
		return rewriteDecl(out), "utf-16 (no BOM)", nil
	}
	if m := xmlDeclRe.FindSubmatch(body); m != nil {
		if !declaredUTF16(string(m[1])) || bytes.IndexByte(body, 0) >= 0 {
			return decodeAs(body, string(m[1]), "declared")
		}
		// A declaration that reads as ASCII cannot be UTF-16 (which would
		// put a NUL after every ASCII byte), and there is no BOM: the
		// declaration lies, so the bytes decide, as if it said nothing.
		body = rewriteDecl(body)
		out, enc, err := decodeUndeclared(body, httpCharset, override)
		return out, enc + ", declared utf-16 without a NUL", err
	}
	return decodeUndeclared(body, httpCharset, override)
}

// declaredUTF16 reports whether an encoding label names UTF-16 of either
// byte order.
func declaredUTF16(label string) bool {
	l := strings.ToLower(strings.TrimSpace(label))
	return l == "utf-16" || l == "utf16" || l == "utf-16le" || l == "utf-16be" || l == "ucs-2"
}

// decodeUndeclared decodes a body whose document names no usable encoding:
// the source override, the HTTP charset, then the bytes themselves.
func decodeUndeclared(body []byte, httpCharset, override string) ([]byte, string, error) {
	if override != "" {
		return decodeAs(body, override, "source override")
	}
	if declaredUTF16(httpCharset) && bytes.IndexByte(body, 0) < 0 {
		httpCharset = "" // the same lie in the HTTP header: the bytes decide
	}
	if httpCharset != "" {
		name, err := canonicalCharset(httpCharset)
		if err == nil && name != "utf-8" && utf8.Valid(body) && !isASCII(body) && isSingleByteLatin(name) {
			return body, "utf-8 (valid UTF-8 despite HTTP charset " + name + ")", nil
		}
		return decodeAs(body, httpCharset, "HTTP charset")
	}
	if utf8.Valid(body) {
		return body, "utf-8", nil
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(body)
	if err != nil {
		return nil, "", fmt.Errorf("%w: windows-1252: %v", ErrEncoding, err)
	}
	return out, "windows-1252 (invalid UTF-8, no charset given)", nil
}

func decodeAs(body []byte, label, why string) ([]byte, string, error) {
	name, err := canonicalCharset(label)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %s %q is not a known encoding", ErrEncoding, why, label)
	}
	if name == "utf-8" {
		if utf8.Valid(body) {
			return body, "utf-8 (" + why + ")", nil
		}
		// Declared UTF-8 with bytes that are not: the publisher's template
		// says UTF-8 while the content is Latin-1/windows-1252.
		out, err := charmap.Windows1252.NewDecoder().Bytes(body)
		if err != nil {
			return nil, "", fmt.Errorf("%w: windows-1252: %v", ErrEncoding, err)
		}
		return rewriteDecl(out), "windows-1252 (" + why + " utf-8, bytes invalid)", nil
	}
	enc, err := htmlindex.Get(name)
	if err != nil || enc == nil {
		return nil, "", fmt.Errorf("%w: %s %q is not a known encoding", ErrEncoding, why, label)
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %s: %v", ErrEncoding, name, err)
	}
	return rewriteDecl(out), name + " (" + why + ")", nil
}

// canonicalCharset maps a charset label to its WHATWG name ("latin1" ->
// "windows-1252", "UTF8" -> "utf-8").
func canonicalCharset(label string) (string, error) {
	label = strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
	switch label {
	case "utf8":
		label = "utf-8"
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1":
		// WHATWG maps these to windows-1252; keep that mapping (the C1 range
		// of real-world "Latin-1" text is windows-1252 punctuation).
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return "", err
	}
	name, err := htmlindex.Name(enc)
	if err != nil {
		return "", err
	}
	return name, nil
}

func isSingleByteLatin(name string) bool {
	switch name {
	case "windows-1252", "iso-8859-2", "iso-8859-15", "windows-1250", "windows-1254", "windows-1257", "macintosh":
		return true
	}
	return false
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// rewriteDecl sets the XML declaration's encoding to UTF-8 on bytes that are
// now UTF-8, so the XML parser does not decode them a second time.
func rewriteDecl(b []byte) []byte {
	loc := xmlDeclRe.FindSubmatchIndex(b)
	if loc == nil {
		return b
	}
	if strings.EqualFold(string(b[loc[2]:loc[3]]), "utf-8") {
		return b
	}
	out := make([]byte, 0, len(b)+8)
	out = append(out, b[:loc[2]]...)
	out = append(out, "UTF-8"...)
	out = append(out, b[loc[3]:]...)
	return out
}

// Mojibake: UTF-8 text that was decoded as windows-1252 (or Latin-1) and
// encoded to UTF-8 again, so "é" reads "Ã©" and "’" reads "â€™".
var mojibakeRe = regexp.MustCompile(`[ÂÃ][\x{80}-\x{BF}\x{152}\x{153}\x{160}\x{161}\x{178}\x{17D}\x{17E}\x{192}\x{2C6}\x{2DC}\x{2013}\x{2014}\x{2018}-\x{201E}\x{2020}-\x{2022}\x{2026}\x{2030}\x{2039}\x{203A}\x{20AC}\x{2122}]|â€[™œ\x{9D}˜”“¦¢¡]|â€`)

// cp1252Reverse maps each rune windows-1252 produces back to its byte; the
// five bytes windows-1252 leaves undefined come back as the C1 control with
// the same value (what Latin-1 decoders produce).
var cp1252Reverse = func() map[rune]byte {
	m := make(map[rune]byte, 256)
	dec := charmap.Windows1252.NewDecoder()
	for i := 0; i < 256; i++ {
		r, err := dec.Bytes([]byte{byte(i)})
		if err == nil {
			if rr, _ := utf8.DecodeRune(r); rr != utf8.RuneError {
				m[rr] = byte(i)
			}
		}
	}
	for r := rune(0x80); r < 0xA0; r++ {
		if _, ok := m[r]; !ok {
			m[r] = byte(r)
		}
	}
	return m
}()

// repairMojibake reverses one round of UTF-8-read-as-windows-1252 when it is
// safe: the text shows the tell-tale sequences, every rune maps back to a
// single windows-1252 byte, and those bytes are valid UTF-8 with fewer
// non-ASCII runes than before. Anything else is returned unchanged, so
// correct text (even with an "Ã" of its own) is never damaged.
func repairMojibake(s string) (string, bool) {
	if !strings.ContainsAny(s, "ÂÃâ") || !mojibakeRe.MatchString(s) {
		return s, false
	}
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r < 0x80 {
			out = append(out, byte(r))
			continue
		}
		b, ok := cp1252Reverse[r]
		if !ok {
			return s, false
		}
		out = append(out, b)
	}
	if !utf8.Valid(out) {
		return s, false
	}
	fixed := string(out)
	if utf8.RuneCountInString(fixed) >= utf8.RuneCountInString(s) || mojibakeRe.MatchString(fixed) && strings.Count(fixed, "Ã") >= strings.Count(s, "Ã") {
		return s, false
	}
	return fixed, true
}

// repairMojibakeBytes applies repairMojibake to a whole UTF-8 document.
func repairMojibakeBytes(b []byte) ([]byte, bool) {
	if !bytes.Contains(b, []byte("Ã")) && !bytes.Contains(b, []byte("â€")) {
		return b, false
	}
	s, ok := repairMojibake(string(b))
	if !ok {
		return b, false
	}
	return []byte(s), true
}
