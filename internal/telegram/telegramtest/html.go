package telegramtest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MarkupError is why Telegram refuses a message's HTML. Error() is the text
// after "Bad Request: " in Telegram's answer, e.g.
// `can't parse entities: Unsupported start tag "div" at byte offset 12`.
type MarkupError struct {
	Reason string
}

func (e *MarkupError) Error() string { return "can't parse entities: " + e.Reason }

func markupErr(format string, args ...any) error {
	return &MarkupError{Reason: fmt.Sprintf(format, args...)}
}

// allowedTags are the tags of the Bot API's "HTML style" formatting option.
var allowedTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "span": true, "tg-spoiler": true,
	"a": true, "code": true, "pre": true, "blockquote": true, "tg-emoji": true,
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

type openTag struct {
	name  string
	class string
	href  string
	emoji string
}

// ParseHTML parses s the way Telegram parses parse_mode=HTML and returns the
// plain text left after entity parsing, or a *MarkupError whose text and byte
// offsets are the ones Telegram (TDLib's parse_html) answers with: only the
// documented tags, properly nested, attributes as documented (a href, span
// class="tg-spoiler", code class="language-x", tg-emoji emoji-id, blockquote
// expandable).
//
// It is stricter than Telegram in one documented way: the Bot API says every
// "&" that is not part of an entity must be written &amp;, and that only &lt;
// &gt; &amp; &quot; and numeric entities are supported, but Telegram keeps a
// stray "&" (or "&nbsp;") as literal text. The fake refuses it with
// `Unsupported HTML entity at byte offset N`, because a stray "&" is always a
// rendering bug: the user would see "&nbsp;" verbatim.
func ParseHTML(s string) (string, error) {
	var out strings.Builder
	var stack []openTag
	i := 0
	for i < len(s) {
		c := s[i]
		if c == '&' {
			r, n := decodeEntity(s[i:])
			if n == 0 {
				return "", markupErr("Unsupported HTML entity at byte offset %d", i)
			}
			out.WriteString(r)
			i += n
			continue
		}
		if c != '<' {
			out.WriteByte(c)
			i++
			continue
		}
		begin := i
		i++
		if i < len(s) && s[i] == '/' {
			if len(stack) == 0 {
				return "", markupErr("Unexpected end tag at byte offset %d", begin)
			}
			i++
			nameStart := i
			for i < len(s) && !isSpace(s[i]) && s[i] != '>' {
				i++
			}
			name := strings.ToLower(s[nameStart:i])
			for i < len(s) && isSpace(s[i]) {
				i++
			}
			if i >= len(s) || s[i] != '>' {
				return "", markupErr("Unclosed end tag at byte offset %d", begin)
			}
			top := stack[len(stack)-1]
			if name != "" && name != top.name {
				return "", markupErr("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", begin, top.name, name)
			}
			i++
			stack = stack[:len(stack)-1]
			continue
		}
		nameStart := i
		for i < len(s) && !isSpace(s[i]) && s[i] != '>' {
			i++
		}
		if i >= len(s) {
			return "", markupErr("Unclosed start tag at byte offset %d", begin)
		}
		tag := openTag{name: strings.ToLower(s[nameStart:i])}
		if !allowedTags[tag.name] {
			return "", markupErr("Unsupported start tag \"%s\" at byte offset %d", tag.name, begin)
		}
		for s[i] != '>' {
			for i < len(s) && isSpace(s[i]) {
				i++
			}
			if i >= len(s) {
				return "", markupErr("Unclosed start tag \"%s\" at byte offset %d", tag.name, begin)
			}
			if s[i] == '>' {
				break
			}
			attrStart := i
			for i < len(s) && !isSpace(s[i]) && !strings.ContainsRune("=>/\"'", rune(s[i])) {
				i++
			}
			attr := strings.ToLower(s[attrStart:i])
			if attr == "" {
				return "", markupErr("Empty attribute name in the tag \"%s\" at byte offset %d", tag.name, begin)
			}
			for i < len(s) && isSpace(s[i]) {
				i++
			}
			if i >= len(s) {
				return "", markupErr("Unclosed start tag \"%s\" at byte offset %d", tag.name, begin)
			}
			if s[i] != '=' {
				continue // an attribute without value, such as blockquote's expandable
			}
			i++
			for i < len(s) && isSpace(s[i]) {
				i++
			}
			if i >= len(s) {
				return "", markupErr("Unclosed start tag \"%s\" at byte offset %d", tag.name, begin)
			}
			var value string
			if q := s[i]; q != '"' && q != '\'' {
				tokStart := i
				for i < len(s) && (isAlnum(s[i]) || s[i] == '.' || s[i] == '-') {
					i++
				}
				if i >= len(s) {
					return "", markupErr("Unclosed start tag \"%s\" at byte offset %d", tag.name, begin)
				}
				if !isSpace(s[i]) && s[i] != '>' {
					return "", markupErr("Unexpected end of name token at byte offset %d", tokStart)
				}
				value = strings.ToLower(s[tokStart:i])
			} else {
				i++
				var v strings.Builder
				for i < len(s) && s[i] != q {
					if s[i] == '&' {
						r, n := decodeEntity(s[i:])
						if n == 0 {
							return "", markupErr("Unsupported HTML entity at byte offset %d", i)
						}
						v.WriteString(r)
						i += n
						continue
					}
					v.WriteByte(s[i])
					i++
				}
				if i >= len(s) {
					return "", markupErr("Unclosed start tag at byte offset %d", begin)
				}
				i++
				value = v.String()
			}
			switch {
			case tag.name == "a" && attr == "href":
				tag.href = value
			case (tag.name == "span" || tag.name == "code") && attr == "class":
				tag.class = value
			case tag.name == "tg-emoji" && attr == "emoji-id":
				tag.emoji = value
			}
			if i >= len(s) {
				return "", markupErr("Unclosed start tag at byte offset %d", begin)
			}
		}
		if tag.name == "span" && tag.class != "tg-spoiler" {
			return "", markupErr("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", begin)
		}
		if tag.name == "tg-emoji" {
			if _, err := strconv.ParseInt(tag.emoji, 10, 64); err != nil {
				return "", markupErr("Invalid custom emoji identifier specified")
			}
		}
		i++
		stack = append(stack, tag)
	}
	if len(stack) > 0 {
		return "", markupErr("Can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1].name)
	}
	return out.String(), nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// decodeEntity decodes the entity at the start of s and returns it with its
// length in bytes, or n == 0 when s does not start with a supported entity:
// &lt; &gt; &amp; &quot; or a numeric one (&#60; &#x3C;) naming a valid
// Unicode scalar value.
func decodeEntity(s string) (string, int) {
	end := strings.IndexByte(s, ';')
	if end < 2 || end > 10 {
		return "", 0
	}
	name := s[1:end]
	switch name {
	case "lt":
		return "<", end + 1
	case "gt":
		return ">", end + 1
	case "amp":
		return "&", end + 1
	case "quot":
		return "\"", end + 1
	}
	if name[0] != '#' || len(name) < 2 {
		return "", 0
	}
	var v uint64
	var err error
	if name[1] == 'x' || name[1] == 'X' {
		v, err = strconv.ParseUint(name[2:], 16, 32)
	} else {
		v, err = strconv.ParseUint(name[1:], 10, 32)
	}
	if err != nil || v == 0 || v > utf8.MaxRune || (v >= 0xD800 && v <= 0xDFFF) {
		return "", 0
	}
	return string(rune(v)), end + 1
}
