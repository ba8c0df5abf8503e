package archive

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/textproc"
)

// Identify returns the identity of a speaker's name: its words as names are
// compared (textproc.NameWords: normalized as alerts normalize words, without
// leading courtesy titles) and the id derived from them. "Mme Laura
// Palatini" and "Laura Palatini" are one identity; "Palatini" is another,
// which the archive joins to the first when it finds them (see Search). ok
// is false for a name without words.
func Identify(name string) (news.SpeakerName, bool) {
	ws := textproc.NameWords(name)
	if len(ws) == 0 {
		return news.SpeakerName{}, false
	}
	return news.SpeakerName{ID: speakerID(ws), Words: ws}, true
}

// IDLen is the length of a speaker id: 8 bytes of SHA-256 in unpadded
// base64url, small enough for callback data and deep links.
const IDLen = 11

func speakerID(words []string) string {
	sum := sha256.Sum256([]byte(strings.Join(words, " ")))
	return base64.RawURLEncoding.EncodeToString(sum[:8])
}

// ValidID reports whether s has the form of a speaker id.
func ValidID(s string) bool {
	if len(s) != IDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// quoteID identifies a quote by its article and its words, so the same
// quote of the same article is archived once however often it is delivered.
func quoteID(link, text string) string {
	sum := sha256.Sum256([]byte(link + "\x00" + strings.Join(textproc.Words(text), " ")))
	return base64.RawURLEncoding.EncodeToString(sum[:6])
}

// script is the writing system of a name's words: Arabic, or other
// (Latin in practice), or "" when the words mix them or hold no letter.
func script(words []string) string {
	s := ""
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		var ws string
		switch {
		case textproc.IsArabicWord(w):
			ws = "arabic"
		case unicode.IsLetter(r):
			ws = "latin"
		default:
			continue
		}
		if s != "" && s != ws {
			return ""
		}
		s = ws
	}
	return s
}

// maxNameWords bounds the words of a name form read from an article.
const maxNameWords = 6

// speakerForms returns the forms of q's speaker name: the one quoted and,
// when the article itself writes the name in another script right beside
// it in parentheses ("لورا بالاتيني (Laura Palatini)", "Laura Palatini
// (لورا بالاتيني)") or the speaker field holds both, that one too. Names are
// never transliterated: without both forms in the article, an Arabic and a
// Latin spelling stay two speakers.
func speakerForms(q news.Quote, text string) []news.SpeakerName {
	name := q.Speaker
	var other []string
	if open := strings.IndexAny(name, "(（"); open > 0 {
		if end := strings.IndexAny(name[open:], ")）"); end > 0 {
			inner := textproc.NameWords(name[open+1 : open+end])
			outer := textproc.NameWords(name[:open])
			if len(inner) > 0 && len(outer) > 0 && crossScript(outer, inner) {
				name, other = name[:open], inner
			}
		}
	}
	first, ok := Identify(name)
	if !ok {
		return nil
	}
	if other == nil {
		other = otherForm(text, first.Words)
	}
	forms := []news.SpeakerName{first}
	if other != nil {
		forms = append(forms, news.SpeakerName{ID: speakerID(other), Words: other})
	}
	return forms
}

// crossScript reports whether a and b are each written in one script and
// the scripts differ.
func crossScript(a, b []string) bool {
	sa, sb := script(a), script(b)
	return sa != "" && sb != "" && sa != sb
}

// otherForm finds, in an article's text, the name whose words are name
// written in another script right beside it in parentheses, in either
// order, and returns that form's words.
func otherForm(text string, name []string) []string {
	if len(name) == 0 || len(name) > maxNameWords {
		return nil
	}
	for i := 0; i < len(text); {
		j := strings.IndexByte(text[i:], '(')
		if j < 0 {
			return nil
		}
		open := i + j
		i = open + 1
		end := strings.IndexByte(text[open:], ')')
		if end < 0 {
			return nil
		}
		inner := text[open+1 : open+end]
		if len(inner) > 160 || strings.ContainsAny(inner, "\n(") {
			continue
		}
		in := textproc.NameWords(inner)
		if len(in) == 0 || len(in) > maxNameWords {
			continue
		}
		before := textproc.Words(tail(text[:open], 400))
		switch {
		case crossScript(name, in) && endsWith(before, name):
			// "لورا بالاتيني (Laura Palatini)" quoting the first form.
			return in
		case equalWords(in, name) && len(before) >= len(name):
			// "لورا بالاتيني (Laura Palatini)" quoting the second form.
			prev := before[len(before)-len(name):]
			if crossScript(name, prev) {
				return prev
			}
		}
	}
	return nil
}

// tail is the end of s, at most n bytes, cut at a character boundary.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[len(s)-n:]
	for len(s) > 0 && !utf8.RuneStart(s[0]) {
		s = s[1:]
	}
	return s
}

func endsWith(ws, suffix []string) bool {
	if len(ws) < len(suffix) {
		return false
	}
	return equalWords(ws[len(ws)-len(suffix):], suffix)
}

func equalWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// sameWord compares two normalized words the way alerts do: equal, or equal
// once Arabic clitics are stripped (الطبيب and طبيب).
func sameWord(a, b string) bool {
	return a == b || textproc.StripClitics(a) == textproc.StripClitics(b)
}

// startsWord reports whether word starts with prefix, compared like sameWord.
func startsWord(word, prefix string) bool {
	return strings.HasPrefix(word, prefix) ||
		strings.HasPrefix(textproc.StripClitics(word), textproc.StripClitics(prefix))
}
