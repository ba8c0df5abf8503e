package feed

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// plainText turns a feed field (plain text or HTML) into tidy plain text:
// tags dropped (block elements become line breaks), script and style
// removed, character references decoded exactly once, whitespace collapsed.
func plainText(s string) string {
	if s == "" {
		return ""
	}
	if !strings.ContainsAny(s, "<&") {
		return tidySpace(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return tidySpace(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case atom.Br, atom.P, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.H1, atom.H2, atom.H3,
				atom.H4, atom.H5, atom.H6, atom.Blockquote, atom.Tr, atom.Table, atom.Section,
				atom.Article, atom.Figure, atom.Figcaption, atom.Pre, atom.Hr, atom.Dd, atom.Dt:
				b.WriteByte('\n')
			case atom.Td, atom.Th, atom.Img:
				b.WriteByte(' ')
			}
		}
	}
}

// tidySpace collapses runs of horizontal whitespace to one space, keeps at
// most one blank line between paragraphs, and trims the ends. Zero-width
// and other format characters are kept: the text normalizer decides about them.
func tidySpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space, newlines := false, 0
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			newlines++
			space = false
		case unicode.IsSpace(r) || r == '\u00a0':
			space = true
		default:
			if b.Len() > 0 {
				if newlines > 0 {
					b.WriteString(strings.Repeat("\n", min(newlines, 2)))
				} else if space {
					b.WriteByte(' ')
				}
			}
			newlines, space = 0, false
			b.WriteRune(r)
		}
	}
	return b.String()
}

// WordPress appends "The post <title> appeared first on <site>." (and in
// French "L’article <title> est apparu en premier sur <site>.") to every
// excerpt, often after "[…]". Plain string search: these tails are in every
// item of such feeds, and a regular expression with bounded repeats costs
// milliseconds per item.
var wpTails = []struct{ lead, marker string }{
	{"The post ", " appeared first on "},
	{"L’article ", " est apparu en premier sur "},
	{"L'article ", " est apparu en premier sur "},
}

func stripBoilerplate(s string) string {
	for _, t := range wpTails {
		m := strings.LastIndex(s, t.marker)
		if m < 0 || len(s)-m > 300 || strings.ContainsRune(s[m:], '\n') {
			continue
		}
		if l := strings.LastIndex(s[:m], t.lead); l >= 0 && m-l < 600 {
			s = strings.TrimSpace(s[:l])
			break
		}
	}
	for _, e := range []string{"[…]", "[...]", "[&hellip;]"} {
		if strings.HasSuffix(s, e) {
			s = strings.TrimSpace(strings.TrimSuffix(s, e)) + " …"
			break
		}
	}
	return strings.TrimSpace(s)
}

// cleanText is plainText then boilerplate removal and mojibake repair.
func cleanText(s string) string {
	s = plainText(s)
	s = stripBoilerplate(s)
	if fixed, ok := repairMojibake(s); ok {
		s = fixed
	}
	return s
}
