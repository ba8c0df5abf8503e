package summarize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token kinds of a sentence skeleton.
const (
	tkWord = iota
	tkPunct
	tkQuote
)

// tok is a word, a punctuation mark, or a whole quoted span of a sentence.
type tok struct {
	text       string
	f          string // folded text
	kind       int
	q          int // index of the span for tkQuote
	start, end int
}

// tokenize turns one sentence into a skeleton: words, punctuation, and each
// quoted span as a single token.
func tokenize(text string, s sentence, spans []span) []tok {
	return tokenizeCached(text, s, spans, nil)
}

// tokenizeCached is tokenize with a cache of folded words (words repeat a lot
// within an article).
func tokenizeCached(text string, s sentence, spans []span, cache map[string]string) []tok {
	foldW := func(w string) string {
		if cache == nil {
			return fold(w)
		}
		f, ok := cache[w]
		if !ok {
			f = fold(w)
			cache[w] = f
		}
		return f
	}
	var out []tok
	si := 0
	for si < len(spans) && spans[si].open < s.start {
		si++
	}
	for i := s.start; i < s.end; {
		if si < len(spans) && spans[si].open == i {
			sp := spans[si]
			out = append(out, tok{text: text[sp.start:sp.end], f: fold(text[sp.start:sp.end]), kind: tkQuote, q: si, start: sp.open, end: sp.close})
			si++
			i = sp.close
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case isWordRune(r):
			j := i + size
			for j < s.end {
				if si < len(spans) && spans[si].open == j {
					break
				}
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if isWordRune(r2) {
					j += s2
					continue
				}
				// Apostrophes, hyphens and inner dots join letters (l'avocat, a-t-il, U.K).
				if r2 == '\'' || r2 == '’' || r2 == '-' || r2 == '.' {
					r3 := runeAt(text, j+s2)
					if j+s2 < s.end && isWordRune(r3) && !(r2 == '.' && !unicode.IsUpper(r3)) {
						j += s2
						continue
					}
				}
				break
			}
			w := text[i:j]
			out = append(out, tok{text: w, f: foldW(w), kind: tkWord, start: i, end: j})
			i = j
		default:
			w := text[i : i+size]
			out = append(out, tok{text: w, f: w, kind: tkPunct, start: i, end: i + size})
			i += size
		}
	}
	return out
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == 'ـ'
}

// joinToks rebuilds the original text of a token run, quoted spans without marks.
func joinToks(text string, ts []tok) string {
	if len(ts) == 0 {
		return ""
	}
	var b strings.Builder
	for i, t := range ts {
		if i > 0 && ts[i-1].end < t.start {
			b.WriteByte(' ')
		}
		b.WriteString(t.text)
	}
	return strings.TrimSpace(b.String())
}

// splitComma splits a token run at commas (Latin and Arabic).
func splitComma(ts []tok) [][]tok {
	var out [][]tok
	cur := []tok{}
	for _, t := range ts {
		if t.kind == tkPunct && (t.text == "," || t.text == "،") {
			out = append(out, cur)
			cur = []tok{}
			continue
		}
		cur = append(cur, t)
	}
	return append(out, cur)
}
