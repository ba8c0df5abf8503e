package textproc

import (
	"unicode"
	"unicode/utf8"
)

// Stop words that are frequent in one of French and English and rare in the
// other (normalized: accents folded). Words shared by both (a, on, as) are
// left out.
var frenchStopwords = setOf("le", "la", "les", "des", "du", "de", "un", "une", "et", "est", "dans",
	"pour", "que", "qui", "pas", "sur", "au", "aux", "avec", "ce", "cette", "ces", "il", "elle", "ils",
	"elles", "sont", "ont", "par", "plus", "ne", "se", "sa", "son", "ses", "leur", "leurs", "nous",
	"vous", "mais", "ou", "ete", "etre", "selon", "apres", "tres", "aussi", "comme", "entre", "sans",
	"sous", "depuis", "lors", "dont", "ainsi", "avait", "fait")

var englishStopwords = setOf("the", "of", "and", "to", "in", "is", "that", "for", "with", "was",
	"were", "are", "by", "this", "it", "from", "at", "be", "have", "has", "had", "an", "which", "not",
	"but", "they", "their", "he", "she", "his", "her", "will", "would", "said", "been", "who", "after",
	"about", "than", "into", "its", "also", "more", "there", "over")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// minLatinLetters is the fewest Latin letters from which stop words decide
// between French and English without the hint.
const minLatinLetters = 20

// stopwordSample is how many bytes of the text the stop word count reads:
// a few hundred words decide as well as a whole article.
const stopwordSample = 4096

// prefix returns at most n bytes of s, cut at a rune boundary.
func prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// minStopwordShare: French or English prose has at least one stop word in
// minStopwordShare words (typically one in three).
const minStopwordShare = 10

// DetectLanguage returns "ar", "fr" or "en" for text, or "" when it cannot
// tell and hint is none of those. Arabic script decides Arabic (text written
// mostly in Persian or Urdu letters is not Arabic); between French and English,
// stop words decide. hint (typically the feed's declared language) is the
// answer when the text is too short or the stop words are balanced.
func DetectLanguage(text, hint string) string {
	if hint != "ar" && hint != "fr" && hint != "en" {
		hint = ""
	}
	var arabic, persian, latin int
	for _, r := range text {
		switch {
		case isArabicLetter(r):
			arabic++
			if isPersianUrduLetter(r) {
				persian++
			}
		case r < 0x250 && unicode.IsLetter(r):
			latin++
		}
	}
	if arabic > latin {
		if persian*25 > arabic {
			return ""
		}
		return "ar"
	}
	if latin == 0 {
		return hint
	}
	var fr, en int
	words := Words(prefix(text, stopwordSample))
	for _, w := range words {
		if frenchStopwords[w] {
			fr++
		}
		if englishStopwords[w] {
			en++
		}
	}
	// Too little text, or too few stop words for French or English prose
	// (another Latin-script language): only the hint can tell.
	if latin < minLatinLetters || fr+en < 2 || (fr+en)*minStopwordShare < len(words) {
		return hint
	}
	switch {
	case fr*3 >= en*4 && fr > en:
		return "fr"
	case en*3 >= fr*4 && en > fr:
		return "en"
	case hint == "fr" || hint == "en":
		return hint
	case fr > en:
		return "fr"
	case en > fr:
		return "en"
	}
	return hint
}

func isArabicLetter(r rune) bool {
	return (r >= 0x0620 && r <= 0x064A) || (r >= 0x066E && r <= 0x06D3) || r == 0x06D5 ||
		(r >= 0x06FA && r <= 0x06FF) || (r >= 0x0750 && r <= 0x077F) ||
		(r >= 0xFB50 && r <= 0xFDFF) || (r >= 0xFE70 && r <= 0xFEFC)
}

// isPersianUrduLetter reports letters frequent in Persian and Urdu and absent
// from Arabic news (Maghreb Arabic uses گ ڭ ڤ for foreign names, so those are
// not counted).
func isPersianUrduLetter(r rune) bool {
	switch r {
	case 'ی', 'ے', 'ۓ', 'ں', 'ٹ', 'ڈ', 'ڑ', 'ھ', 'ہ', 'پ', 'چ', 'ژ':
		return true
	}
	return false
}
