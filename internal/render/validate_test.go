package render_test

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/migrawatch/migrawatch/internal/render"
)

// validTags are the tags of the Bot API's "HTML style", with the attributes
// each may carry.
var validTags = map[string]map[string]bool{
	"b": {}, "strong": {}, "i": {}, "em": {}, "u": {}, "ins": {}, "s": {}, "strike": {}, "del": {},
	"code": {}, "pre": {}, "tg-spoiler": {},
	"a":          {"href": true},
	"blockquote": {"expandable": true},
}

// validateTelegramHTML is a strict reading of the Bot API rules for
// parse_mode HTML: only the supported tags, properly nested, no blockquote
// in a blockquote and no link in a link, every <, > and & of the text
// escaped, only &lt; &gt; &amp; &quot; and numeric entities, attribute values
// double-quoted, valid UTF-8, at most 4096 code points and 4096 UTF-16 units
// of parsed text, at most 32 KiB raw and at most 100 entities. It returns
// the parsed text.
func validateTelegramHTML(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", errors.New("invalid UTF-8")
	}
	if len(s) > render.MaxRawBytes {
		return "", fmt.Errorf("raw text %d bytes > %d", len(s), render.MaxRawBytes)
	}
	var text strings.Builder
	var stack []string
	entities := 0
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return "", fmt.Errorf("unclosed tag at %d", i)
			}
			tag := s[i+1 : i+end]
			i += end + 1
			if strings.HasPrefix(tag, "/") {
				name := tag[1:]
				if len(stack) == 0 || stack[len(stack)-1] != name {
					return "", fmt.Errorf("unexpected </%s> (open: %v)", name, stack)
				}
				stack = stack[:len(stack)-1]
				continue
			}
			name, attrs, _ := strings.Cut(tag, " ")
			allowed, ok := validTags[name]
			if !ok {
				return "", fmt.Errorf("unsupported tag <%s>", name)
			}
			for _, open := range stack {
				if open == name && (name == "a" || name == "blockquote") {
					return "", fmt.Errorf("nested <%s>", name)
				}
			}
			if err := checkAttrs(name, attrs, allowed); err != nil {
				return "", err
			}
			stack = append(stack, name)
			entities++
		case '>':
			return "", fmt.Errorf("bare > at %d", i)
		case '&':
			r, n, err := entity(s[i:])
			if err != nil {
				return "", fmt.Errorf("at %d: %w", i, err)
			}
			text.WriteRune(r)
			i += n
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			text.WriteRune(r)
			i += n
		}
	}
	if len(stack) > 0 {
		return "", fmt.Errorf("unclosed tags %v", stack)
	}
	if entities > 100 {
		return "", fmt.Errorf("%d entities > 100", entities)
	}
	parsed := text.String()
	if strings.TrimSpace(parsed) == "" {
		return "", errors.New("empty text")
	}
	if n := utf8.RuneCountInString(parsed); n > render.MaxLength {
		return "", fmt.Errorf("%d code points > %d", n, render.MaxLength)
	}
	if n := len(utf16.Encode([]rune(parsed))); n > render.MaxLength {
		return "", fmt.Errorf("%d UTF-16 units > %d", n, render.MaxLength)
	}
	return parsed, nil
}

func checkAttrs(tag, attrs string, allowed map[string]bool) error {
	attrs = strings.TrimSpace(attrs)
	for attrs != "" {
		name, rest, hasValue := strings.Cut(attrs, "=")
		if !hasValue || strings.ContainsAny(name, " \"") {
			if allowed[name] && !strings.Contains(name, " ") && rest == "" {
				return nil // a bare flag such as expandable
			}
			return fmt.Errorf("<%s>: malformed attributes %q", tag, attrs)
		}
		if !allowed[name] {
			return fmt.Errorf("<%s>: attribute %q not allowed", tag, name)
		}
		if !strings.HasPrefix(rest, `"`) {
			return fmt.Errorf("<%s>: unquoted attribute value", tag)
		}
		end := strings.IndexByte(rest[1:], '"')
		if end < 0 {
			return fmt.Errorf("<%s>: unterminated attribute value", tag)
		}
		value := rest[1 : 1+end]
		for j := 0; j < len(value); {
			switch value[j] {
			case '<', '>':
				return fmt.Errorf("<%s>: unescaped %c in attribute", tag, value[j])
			case '&':
				_, n, err := entity(value[j:])
				if err != nil {
					return fmt.Errorf("<%s>: %w", tag, err)
				}
				j += n
			default:
				j++
			}
		}
		attrs = strings.TrimSpace(rest[2+end:])
	}
	return nil
}

func entity(s string) (rune, int, error) {
	end := strings.IndexByte(s, ';')
	if end < 0 || end > 10 {
		return 0, 0, errors.New("bare &")
	}
	switch s[1:end] {
	case "lt":
		return '<', end + 1, nil
	case "gt":
		return '>', end + 1, nil
	case "amp":
		return '&', end + 1, nil
	case "quot":
		return '"', end + 1, nil
	}
	var r rune
	if _, err := fmt.Sscanf(s[1:end], "#%d", &r); err == nil {
		return r, end + 1, nil
	}
	return 0, 0, fmt.Errorf("unknown entity %q", s[:end+1])
}
