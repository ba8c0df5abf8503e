package textproc

import (
	"unicode"
	"unicode/utf8"
)

// elisions are the French (and a few shared) elided words that Words drops
// when they stand before an apostrophe: l'asile -> asile, qu'il -> il.
var elisions = map[string]bool{
	"l": true, "d": true, "j": true, "n": true, "s": true, "c": true, "m": true, "t": true,
	"qu": true, "jusqu": true, "lorsqu": true, "puisqu": true, "quoiqu": true, "presqu": true,
}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == 'ʼ' || r == '‘'
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// Words returns the normalized word tokens of s. A word is a run of letters
// and digits; a digit group keeps its inner decimal point or comma (3.5, 3,5).
// Punctuation and apostrophes separate words; an elided word before an
// apostrophe (l' d' qu' j' n' s' c' m' t' jusqu' lorsqu' puisqu') is dropped,
// and so is the English possessive 's.
func Words(s string) []string {
	n := Normalize(s)
	words := make([]string, 0, len(n)/6+1)
	i := 0
	for i < len(n) {
		r, size := utf8.DecodeRuneInString(n[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		start := i
		for i < len(n) {
			r, size = utf8.DecodeRuneInString(n[i:])
			if isWordRune(r) {
				i += size
				continue
			}
			// Keep 3.5 and 3,5 together.
			if (r == '.' || r == ',') && i > start && isASCIIDigit(n[i-1]) && i+1 < len(n) && isASCIIDigit(n[i+1]) {
				i += size
				continue
			}
			break
		}
		w := n[start:i]
		if i < len(n) {
			if r, _ := utf8.DecodeRuneInString(n[i:]); isApostrophe(r) && elisions[w] {
				continue
			}
		}
		if w == "s" && start > 0 {
			if r, _ := utf8.DecodeLastRuneInString(n[:start]); isApostrophe(r) {
				continue
			}
		}
		words = append(words, w)
	}
	return words
}

func isASCIIDigit(c byte) bool { return '0' <= c && c <= '9' }
