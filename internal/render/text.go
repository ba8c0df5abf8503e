package render

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Telegram's limits on a text message (Bot API, sendMessage): 4096 characters
// of text after entity parsing and 32 KiB of raw text as sent.
const (
	MaxLength   = 4096
	MaxRawBytes = 32 * 1024
)

// Length is the length Telegram gives a message's parsed text, the single
// place where MigraWatch counts it. Telegram documents the limit in
// "characters after entity parsing"; its entity offsets are UTF-16 code
// units and clients disagree on which unit the length check uses, so the
// count here is UTF-16 code units: never less than the number of code points,
// hence within the limit under either reading (an emoji counts 2).
func Length(plain string) int {
	n := 0
	for _, r := range plain {
		n += utf16.RuneLen(r)
	}
	return n
}

// HTMLLength is Length of the text Telegram shows for an HTML message: tags
// removed and the entities &lt; &gt; &amp; &quot; and numeric ones decoded.
func HTMLLength(html string) int { return Length(PlainText(html)) }

// PlainText turns a message rendered by this package into the text Telegram
// would show: tags removed, entities decoded. The sender uses it to resend a
// message as plain text when Telegram rejects its markup.
func PlainText(html string) string {
	var b strings.Builder
	b.Grow(len(html))
	for i := 0; i < len(html); {
		c := html[i]
		switch c {
		case '<':
			end := strings.IndexByte(html[i:], '>')
			if end < 0 {
				b.WriteString(html[i:])
				return b.String()
			}
			i += end + 1
		case '&':
			end := strings.IndexByte(html[i:], ';')
			if end < 0 || end > 12 {
				b.WriteByte(c)
				i++
				continue
			}
			if r, ok := decodeEntity(html[i+1 : i+end]); ok {
				b.WriteRune(r)
				i += end + 1
				continue
			}
			b.WriteByte(c)
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

func decodeEntity(name string) (rune, bool) {
	switch name {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "quot":
		return '"', true
	}
	if len(name) < 2 || name[0] != '#' {
		return 0, false
	}
	var v rune
	digits := name[1:]
	base := rune(10)
	if digits[0] == 'x' || digits[0] == 'X' {
		base, digits = 16, digits[1:]
	}
	if digits == "" {
		return 0, false
	}
	for _, d := range digits {
		var x rune
		switch {
		case d >= '0' && d <= '9':
			x = d - '0'
		case base == 16 && d >= 'a' && d <= 'f':
			x = d - 'a' + 10
		case base == 16 && d >= 'A' && d <= 'F':
			x = d - 'A' + 10
		default:
			return 0, false
		}
		v = v*base + x
		if v > unicode.MaxRune {
			return 0, false
		}
	}
	return v, true
}

// escape makes feed text safe inside Telegram HTML. Telegram knows only the
// named entities &lt; &gt; &amp; &quot; (Bot API, "HTML style"), so these are
// the only ones produced.
func escape(s string) string {
	if !strings.ContainsAny(s, `<>&"`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// clean makes one line of feed text fit for a message: valid UTF-8, no
// control or directional-override characters (feed text must not be able to
// flip the layout of the rest of the message), whitespace runs collapsed.
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || r == '\u00a0':
			space = b.Len() > 0
			continue
		case unicode.IsControl(r), isBidiControl(r), r == '\ufeff':
			continue
		case r >= 0xfff0 && r <= 0xffff, unicode.Is(unicode.Co, r), unicode.Is(unicode.Cs, r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isBidiControl(r rune) bool {
	return r == '\u200e' || r == '\u200f' || r == '\u061c' ||
		(r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// Direction marks. Telegram clients apply the Unicode bidi algorithm per
// line, taking the direction from the first strong character. Isolates
// (U+2066..U+2069) are rendered inconsistently by Telegram Desktop, while the
// plain marks LRM and RLM work in every client, so right-to-left messages use
// those: RLM opens each line, and a left-to-right run (a Latin name or outlet)
// is enclosed as LRM run RLM so neutral characters around it keep the
// right-to-left order.
const (
	lrm = "\u200e"
	rlm = "\u200f"
)

// hasLTR reports whether s contains a strong left-to-right letter.
func hasLTR(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !isRTLRune(r) && r < 0x2000 {
			return true
		}
	}
	return false
}

func isRTLRune(r rune) bool {
	return unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko)
}

// IsRTL reports whether text in lang, or text itself when lang says nothing,
// is written right to left.
func IsRTL(lang, text string) bool {
	switch lang {
	case "ar", "fa", "ur", "he":
		return true
	case "":
	default:
		return false
	}
	for _, r := range text {
		if isRTLRune(r) && unicode.IsLetter(r) {
			return true
		}
		if unicode.IsLetter(r) {
			return false
		}
	}
	return false
}

// truncate shortens plain text to at most max units (as Length counts them),
// on a word boundary when there is one, ending with an ellipsis.
func truncate(s string, max int) string {
	if Length(s) <= max {
		return s
	}
	if max <= 1 {
		return ""
	}
	budget := max - 1 // the ellipsis
	cut, lastSpace, n := 0, -1, 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if n+w > budget {
			break
		}
		n += w
		cut = i + utf8.RuneLen(r)
		if r == ' ' {
			lastSpace = i
		}
	}
	out := s[:cut]
	if lastSpace > 0 && lastSpace > cut/2 {
		out = s[:lastSpace]
	}
	out = strings.TrimRightFunc(out, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u200d' || r == '\ufe0f' ||
			unicode.IsPunct(r) && r != ')' && r != '»' && r != '"'
	})
	if out == "" {
		return ""
	}
	return out + "…"
}
