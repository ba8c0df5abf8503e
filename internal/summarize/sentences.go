package summarize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// sentence is a stretch of the text; quoted spans never straddle two sentences.
type sentence struct {
	start, end int
	para       int
}

// abbreviations that end with a full stop without ending the sentence (folded).
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "me": true, "mme": true, "mlle": true,
	"jr": true, "sr": true, "prof": true, "gen": true, "sen": true, "rep": true, "gov": true, "lt": true,
	"col": true, "capt": true, "no": true, "vs": true, "etc": true, "av": true, "apr": true, "mm": true,
	"p": true, "ex": true, "cf": true, "art": true, "inc": true, "ltd": true, "co": true, "corp": true,
}

// splitSentences cuts text into sentences: at paragraph breaks and at . ! ? ؟ …
// followed by a space, outside quoted spans (a quote ending a sentence ends it
// after its closing mark). Abbreviations and initials do not end sentences.
func splitSentences(text string, spans []span) []sentence {
	var out []sentence
	para := 0
	start := 0
	si := 0
	emit := func(end int) {
		s, e := start, end
		for s < e && isSpaceByte(text[s]) {
			s++
		}
		for e > s && isSpaceByte(text[e-1]) {
			e--
		}
		if e > s {
			out = append(out, sentence{start: s, end: e, para: para})
		}
		start = end
	}
	for i := 0; i < len(text); {
		if si < len(spans) && i == spans[si].open {
			sp := spans[si]
			si++
			i = sp.close
			// A quote whose words end a sentence ends it too, when what follows
			// starts a new one.
			last := lastNonSpaceRune(text[sp.start:sp.end])
			if last == '.' || last == '!' || last == '?' || last == '؟' || last == '…' {
				j := i
				for j < len(text) && text[j] == ' ' {
					j++
				}
				if j >= len(text) {
					continue
				}
				nr := runeAt(text, j)
				if j > i && (unicode.IsUpper(nr) || isArabicLetter(nr) || markFamily(nr) != famNone) {
					emit(i)
				}
			}
			continue
		}
		for si < len(spans) && spans[si].open < i {
			si++
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n':
			emit(i)
			para++
			i += size
			start = i
			continue
		case r == '.' || r == '!' || r == '?' || r == '؟' || r == '…':
			j := i + size
			// Runs of terminators ("?!", "...").
			for j < len(text) && (text[j] == '.' || text[j] == '!' || text[j] == '?') {
				j++
			}
			if j < len(text) && !isSpaceByte(text[j]) {
				i = j
				continue
			}
			if r == '.' && isAbbreviation(text[:i]) {
				i = j
				continue
			}
			if r == '.' && j < len(text) && j == i+1 {
				// Lower-case continuation after a full stop is not a new sentence (e.g. "p. 4").
				k := j
				for k < len(text) && text[k] == ' ' {
					k++
				}
				if k < len(text) && unicode.IsLower(runeAt(text, k)) {
					i = j
					continue
				}
			}
			emit(j)
			i = j
			continue
		}
		i += size
	}
	emit(len(text))
	return out
}

func isSpaceByte(b byte) bool { return b == ' ' || b == '\n' || b == '\t' || b == '\r' }

func lastNonSpaceRune(s string) rune {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// isAbbreviation reports whether the word ending at the end of before is an
// abbreviation or an initial (single capital letter, U.K.-style dotted words).
func isAbbreviation(before string) bool {
	j := len(before)
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(before[:j])
		if !(unicode.IsLetter(r) || r == '.') {
			break
		}
		j -= size
	}
	w := before[j:]
	if w == "" {
		return false
	}
	if strings.Contains(w, ".") {
		return true
	}
	if utf8.RuneCountInString(w) == 1 && unicode.IsUpper(firstRune(w)) {
		return true
	}
	return abbreviations[strings.ToLower(w)]
}
