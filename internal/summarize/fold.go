package summarize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/migrawatch/migrawatch/internal/textproc"
)

// fold gives the matching form of a string: textproc.Normalize (MigraWatch's
// one normalization), with typographic apostrophes made ASCII so elisions
// (l’avocat) read like l'avocat; ASCII-only strings take a lower-casing fast
// path that gives the same result. Lexicons are folded the same way.
func fold(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return apostrophes.Replace(textproc.Normalize(s))
		}
	}
	return strings.ToLower(s)
}

var apostrophes = strings.NewReplacer("’", "'", "ʼ", "'", "‘", "'")

// splitFolded splits folded text into words (apostrophes and hyphens inside
// words are kept).
func splitFolded(f string) []string {
	return strings.FieldsFunc(f, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '-')
	})
}

// wordCount counts the words of s: runs of letters or digits, an elided
// article staying with its word (l'avocat is one word).
func wordCount(s string) int {
	n, in := 0, false
	prevApos := false
	for _, r := range s {
		w := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		if w && !in && !prevApos {
			n++
		}
		prevApos = in && (r == '\'' || r == '’')
		in = w
	}
	return n
}

// isArabicLetter reports whether r is a letter of the Arabic script.
func isArabicLetter(r rune) bool { return unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r) }

// firstRune returns the first rune of s (utf8.RuneError for an empty string).
func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// isCapitalized reports whether a word starts with an upper-case letter.
func isCapitalized(w string) bool { return unicode.IsUpper(firstRune(w)) }

// lastNonSpaceRune returns the last rune of s that is not a space.
func lastNonSpaceRune(s string) rune {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}
