package textproc

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// nameLeaders are the words a speaker's name may open with that are not part
// of it: courtesy titles and articles, normalized as Words gives them ("Mme",
// "السيدة" -> "السيده", "the"). Only leading ones are dropped: "Le Pen" and
// "the Home Office" keep their inner words.
var nameLeaders = map[string]bool{
	// English
	"the": true, "a": true, "an": true, "mr": true, "mrs": true, "ms": true, "miss": true,
	"dr": true, "prof": true, "sir": true, "dame": true,
	// French ("M." is Words' "m"; l' is dropped by Words already)
	"m": true, "mme": true, "mlle": true, "mm": true, "mmes": true, "me": true, "pr": true,
	"le": true, "la": true, "les": true, "un": true, "une": true,
	// Arabic, after Normalize (ة -> ه, أ -> ا)
	"السيد": true, "السيده": true, "الدكتور": true, "الدكتوره": true,
	"الاستاذ": true, "الاستاذه": true, "د": true,
}

// NameWords returns the normalized words of a person's or body's name as a
// speaker is named: Words of name without the courtesy titles and articles
// it opens with ("Mme Laura Palatini" and "Laura Palatini" give the same
// words, "السيدة لورا بالاتيني" and "لورا بالاتيني" too). A name made only of
// such words keeps them.
func NameWords(name string) []string {
	ws := Words(name)
	i := 0
	for i < len(ws) && nameLeaders[ws[i]] {
		i++
	}
	if i == len(ws) {
		return ws
	}
	return ws[i:]
}

// IsArabicWord reports whether a normalized word is written in Arabic script.
func IsArabicWord(w string) bool { return startsArabic(w) }

// relativeWords open a relative clause, where a speaker's title ends and
// what the article says about them begins: "the IOM regional director who
// worked alongside Laura Palatini".
var relativeWords = map[string]bool{
	"who": true, "whom": true, "whose": true, "which": true, "that": true,
	"qui": true, "que": true, "dont": true, "lequel": true, "laquelle": true, "lesquels": true, "lesquelles": true,
	"الذي": true, "التي": true, "الذين": true, "اللذان": true, "اللتان": true, "اللواتي": true, "اللاتي": true,
}

// TitleWords returns the normalized words of a speaker's title as an
// article gives it, the title itself only: up to the first comma, dash,
// parenthesis or relative clause, without a leading article ("the IOM
// chief of mission in Morocco, who ..." gives iom chief of mission in
// morocco).
func TitleWords(role string) []string {
	if i := strings.IndexAny(role, ",;:()—–،؛"); i >= 0 {
		role = role[:i]
	}
	if i := strings.Index(role, " - "); i >= 0 {
		role = role[:i]
	}
	ws := NameWords(role)
	for i, w := range ws {
		if relativeWords[w] {
			return ws[:i]
		}
	}
	return ws
}

// script is the writing system of a name's words: "arabic", "latin" (any
// other letters), or "" when the words mix them or hold no letter.
func script(words []string) string {
	s := ""
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		var ws string
		switch {
		case startsArabic(w):
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

// crossScript reports whether a and b are each written in one script and
// the scripts differ.
func crossScript(a, b []string) bool {
	sa, sb := script(a), script(b)
	return sa != "" && sb != "" && sa != sb
}

// maxNameWords bounds the words of a name form read from a text.
const maxNameWords = 6

// SplitScripts splits a name written in two scripts, the second in
// parentheses ("لورا بالاتيني (Laura Palatini)"), into the first as written
// and the words of the second; other is nil for any other name.
func SplitScripts(name string) (first string, other []string) {
	open := strings.IndexAny(name, "(（")
	if open <= 0 {
		return name, nil
	}
	end := strings.IndexAny(name[open:], ")）")
	if end <= 0 {
		return name, nil
	}
	inner, outer := NameWords(name[open+1:open+end]), NameWords(name[:open])
	if len(inner) == 0 || len(outer) == 0 || len(inner) > maxNameWords || !crossScript(outer, inner) {
		return name, nil
	}
	return name[:open], inner
}

// NameInOtherScript finds, in text, the name whose words (NameWords) are
// name written in another script right beside it in parentheses, in either
// order ("لورا بالاتيني (Laura Palatini)", "Laura Palatini (لورا بالاتيني)"),
// and returns that form's words; nil when the text gives none. This is the
// only way two scripts of a name meet: names are never transliterated.
func NameInOtherScript(text string, name []string) []string {
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
		in := NameWords(inner)
		if len(in) == 0 || len(in) > maxNameWords {
			continue
		}
		cross, same := crossScript(name, in), slices.Equal(in, name)
		if !cross && !same {
			continue // an acronym, an age, a place: not the name's other form
		}
		before := Words(lastBytes(text[:open], 400))
		switch {
		case cross && endsWithWords(before, name):
			// The quoted form, then the other in parentheses.
			return in
		case same && len(before) >= len(name):
			// The other form, then the quoted one in parentheses.
			if prev := before[len(before)-len(name):]; crossScript(name, prev) {
				return prev
			}
		}
	}
	return nil
}

// lastBytes is the end of s, at most n bytes, cut at a character boundary.
func lastBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[len(s)-n:]
	for len(s) > 0 && !utf8.RuneStart(s[0]) {
		s = s[1:]
	}
	return s
}

func endsWithWords(ws, suffix []string) bool {
	return len(ws) >= len(suffix) && slices.Equal(ws[len(ws)-len(suffix):], suffix)
}
