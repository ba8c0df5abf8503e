// Package textproc is MigraWatch's one place for text handling in Arabic,
// French and English: normalization, word tokens, light stemming, sentence
// splitting and language identification. Relevance, alerts, summaries and
// story matching all call it, so they agree on what a word is.
//
// Normalization choices (applied by Normalize, hence by Words and Terms):
//   - Unicode NFKC first (Arabic presentation forms and ligatures become
//     plain letters, full-width Latin becomes ASCII, "…" becomes "...").
//   - Bidirectional controls (LRM, RLM, ALM, embeddings, isolates) and
//     zero-width characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen)
//     are removed.
//   - Arabic harakat, shadda, sukun, superscript alef, Quranic marks and
//     tatweel are removed.
//   - Alef forms أ إ آ ٱ become ا; hamza on waw ؤ becomes و and hamza on
//     ya ئ becomes ي (so لاجئ and the common spelling without hamza seat
//     لاجي agree); alef maqsura ى becomes ي; ta marbuta ة becomes ه; the
//     Persian letters ی and ک become ي and ك. A lone hamza ء is kept.
//   - Arabic-Indic (٠-٩) and Persian (۰-۹) digits become ASCII digits.
//   - Latin letters are lower-cased and their accents folded (é→e, ç→c,
//     œ→oe, æ→ae, ß→ss).
//   - Punctuation and spacing are kept (Words drops punctuation).
package textproc

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// latinFold maps accented lower-case Latin letters to their ASCII spelling.
var latinFold = buildLatinFold()

func buildLatinFold() map[rune]string {
	m := map[rune]string{
		'œ': "oe", 'æ': "ae", 'ß': "ss", 'ø': "o", 'đ': "d", 'ł': "l",
		'ð': "d", 'þ': "th", 'ı': "i", 'ŀ': "l",
	}
	for r := rune(0xC0); r <= 0x24F; r++ {
		if _, ok := m[r]; ok {
			continue
		}
		d := norm.NFD.String(string(r))
		base, size := utf8.DecodeRuneInString(d)
		if size < len(d) && base < utf8.RuneSelf {
			m[r] = string(unicode.ToLower(base))
		}
	}
	return m
}

// isDropped reports whether r is removed by Normalize: bidi and zero-width
// controls, Arabic marks and tatweel, and combining diacritics.
func isDropped(r rune) bool {
	switch {
	case r == 0x200B, r == 0x200C, r == 0x200D, r == 0x200E, r == 0x200F,
		r == 0x2060, r == 0xFEFF, r == 0x00AD, r == 0x061C, r == 0x180E:
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	case r >= 0x064B && r <= 0x065F, r == 0x0670, r == 0x0640:
		return true
	case r >= 0x0610 && r <= 0x061A, r >= 0x06D6 && r <= 0x06DC, r >= 0x06DF && r <= 0x06E4,
		r == 0x06E7, r == 0x06E8, r >= 0x06EA && r <= 0x06ED, r >= 0x08D3 && r <= 0x08FF:
		return true
	case r >= 0x0300 && r <= 0x036F, r >= 0x1AB0 && r <= 0x1AFF, r >= 0x1DC0 && r <= 0x1DFF,
		r >= 0x20D0 && r <= 0x20FF, r >= 0xFE20 && r <= 0xFE2F:
		return true
	}
	return false
}

// foldRune maps one rune after NFKC; it returns the replacement rune, or -1
// when the rune needs the multi-letter Latin table.
func foldRune(r rune) rune {
	switch r {
	case 'أ', 'إ', 'آ', 'ٱ', 'ٲ', 'ٳ':
		return 'ا'
	case 'ؤ':
		return 'و'
	case 'ئ', 'ى', 'ی', 'ې', 'ۍ':
		return 'ي'
	case 'ة':
		return 'ه'
	case 'ک':
		return 'ك'
	}
	switch {
	case r >= '٠' && r <= '٩':
		return '0' + (r - '٠')
	case r >= '۰' && r <= '۹':
		return '0' + (r - '۰')
	}
	return r
}

// Normalize returns s in MigraWatch's canonical form (see the package
// comment): NFKC, controls and Arabic marks removed, Arabic letter variants
// unified, digits in ASCII, Latin accents folded, lower-cased. Punctuation
// is kept. Normalize is idempotent.
func Normalize(s string) string {
	if isPlainASCII(s) {
		return strings.ToLower(s)
	}
	out, exotic := normalizeOnce(s)
	// Lower-casing or removing a control can, in scripts other than Latin
	// and Arabic, leave a string that NFKC would change again; repeat until
	// stable so Normalize stays idempotent. Latin, Arabic and punctuation
	// alone are stable and skip the check.
	for i := 0; i < 3 && exotic && !norm.NFKC.IsNormalString(out); i++ {
		out, exotic = normalizeOnce(out)
	}
	return out
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// normalizeOnce applies one pass of Normalize; exotic reports whether the
// result holds letters or marks outside Latin, Arabic and punctuation.
func normalizeOnce(s string) (out string, exotic bool) {
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if isDropped(r) {
			continue
		}
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
			continue
		}
		r = unicode.ToLower(foldRune(r))
		if r >= 0xC0 && r <= 0x24F || r == 'œ' || r == 'æ' || r == 'ß' {
			if f, ok := latinFold[r]; ok {
				b.WriteString(f)
				continue
			}
		}
		if r >= 0x250 && (r < 0x0600 || r > 0x06FF) && (r < 0x2000 || r > 0x206F) {
			exotic = true
		}
		b.WriteRune(r)
	}
	return b.String(), exotic
}
