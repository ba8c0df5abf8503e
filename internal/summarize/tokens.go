package summarize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/migrawatch/migrawatch/internal/textproc"
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

// tokenizer turns sentences into skeletons: words, punctuation, and each
// quoted span as a single token. It caches folded words (words repeat a lot
// within an article).
type tokenizer struct {
	text  string
	spans []textproc.QuoteSpan
	cache map[string]string
}

func (tz *tokenizer) fold(w string) string {
	f, ok := tz.cache[w]
	if !ok {
		f = fold(w)
		tz.cache[w] = f
	}
	return f
}

// tokens tokenizes text[start:end]; quoted spans that open inside it are
// single tokens.
func (tz *tokenizer) tokens(start, end int) []tok {
	text := tz.text
	var out []tok
	si := 0
	for si < len(tz.spans) && tz.spans[si].Open < start {
		si++
	}
	for i := start; i < end; {
		if si < len(tz.spans) && tz.spans[si].Open == i {
			sp := tz.spans[si]
			out = append(out, tok{text: text[sp.Start:sp.End], f: fold(text[sp.Start:sp.End]), kind: tkQuote, q: si, start: sp.Open, end: sp.Close})
			si++
			i = sp.Close
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case isWordRune(r):
			j := wordEnd(text, i, end, tz.nextOpen(si))
			w := text[i:j]
			out = append(out, tok{text: w, f: tz.fold(w), kind: tkWord, start: i, end: j})
			i = j
		default:
			out = append(out, tok{text: text[i : i+size], f: text[i : i+size], kind: tkPunct, start: i, end: i + size})
			i += size
		}
	}
	return out
}

func (tz *tokenizer) nextOpen(si int) int {
	if si < len(tz.spans) {
		return tz.spans[si].Open
	}
	return -1
}

// wordEnd finds the end of the word starting at i: letters and digits, with
// apostrophes, hyphens and inner dots joining letters (l'avocat, a-t-il, U.K).
func wordEnd(text string, i, end, stop int) int {
	_, size := utf8.DecodeRuneInString(text[i:])
	j := i + size
	for j < end && j != stop {
		r2, s2 := utf8.DecodeRuneInString(text[j:])
		if isWordRune(r2) {
			j += s2
			continue
		}
		if r2 == '\'' || r2 == '’' || r2 == '-' || r2 == '.' {
			r3 := runeAt(text, j+s2)
			if j+s2 < end && isWordRune(r3) && !(r2 == '.' && !unicode.IsUpper(r3)) {
				j += s2
				continue
			}
		}
		break
	}
	return j
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == 'ـ'
}

// runeAt returns the rune starting at byte i (0 at the end of the text).
func runeAt(text string, i int) rune {
	if i >= len(text) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return r
}

// joinToks rebuilds the original text of a token run.
func joinToks(text string, ts []tok) string {
	if len(ts) == 0 {
		return ""
	}
	return strings.TrimSpace(text[ts[0].start:ts[len(ts)-1].end])
}
