package textproc

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentence is one sentence of a text; Text is exactly text[Start:End] of the
// text given to Sentences (byte offsets), without surrounding spaces.
type Sentence struct {
	Text       string
	Start, End int
}

// longArabicSentence is the word count above which an Arabic sentence is
// split at a clause boundary: Arabic news often chains clauses with commas
// into one "sentence" of a whole paragraph.
const longArabicSentence = 60

// minClauseWords is the fewest words either side of a clause split keeps.
const minClauseWords = 8

// abbreviations end with a period that does not end a sentence (normalized,
// without the period).
var abbreviations = map[string]bool{
	// English titles and common short forms.
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "st": true, "mt": true, "sr": true,
	"jr": true, "gen": true, "col": true, "lt": true, "sgt": true, "capt": true, "cpt": true, "gov": true,
	"sen": true, "rep": true, "rev": true, "hon": true, "pres": true, "vs": true, "etc": true, "al": true,
	"inc": true, "ltd": true, "co": true, "corp": true, "no": true, "nos": true, "fig": true, "vol": true,
	"pp": true, "ed": true, "approx": true, "dept": true, "univ": true, "jan": true,
	"feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true,
	"sept": true, "oct": true, "nov": true, "dec": true, "messrs": true, "mme": true,
	// French.
	"m": true, "mm": true, "mmes": true, "mlle": true, "mlles": true, "pr": true, "ste": true,
	"av": true, "bd": true, "cf": true, "env": true, "ex": true, "chap": true, "janv": true,
	"fevr": true, "avr": true, "juil": true, "p": true, "adj": true,
}

// sentenceEnd reports whether r ends a sentence: . ! ? … and the Arabic
// question mark and full stop.
func sentenceEnd(r rune) bool {
	switch r {
	case '.', '!', '?', '…', '؟', '۔', '‼', '⁇', '⁈', '⁉':
		return true
	}
	return false
}

// closer reports whether r may close a quotation or parenthesis after the
// final punctuation of a sentence.
func closer(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', '»', '›', ')', ']', '」', '』':
		return true
	}
	return false
}

func isHSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\u00A0' || r == '\u202F' || r == '\u2009' || r == '\u2007'
}

// Sentences splits text into sentences with byte offsets into text. Line
// breaks always end a sentence; . ! ? … ؟ ۔ end one when followed by a space
// and not by a lower-case letter; a period after a known abbreviation (Mr.,
// Mme, Dr., U.S.) or an initial does not; closing quotes and brackets after the
// final punctuation (."  .»  . ») belong to the sentence. For Arabic (lang
// "ar"), a sentence longer than 60 words is split after a comma that opens a
// new clause (، و… / كما / فيما / حيث / بينما ...).
func Sentences(text, lang string) []Sentence { return sentences(text, lang, nil) }

// SentencesAround splits text like Sentences but never inside a quoted span
// (from its opening to its closing mark): a quote of several sentences stays
// in the sentence that carries it, and a quote whose words end with a full
// stop ends its sentence after the closing mark when a new sentence follows.
// Long Arabic sentences are not split at clauses, so that a speech verb and
// the quote it introduces stay together.
func SentencesAround(text string, spans []QuoteSpan) []Sentence { return sentences(text, "", spans) }

func sentences(text, lang string, spans []QuoteSpan) []Sentence {
	var out []Sentence
	emit := func(start, end int) {
		start, end = trimMarks(text, start, end)
		if start >= end || !hasWordRune(text[start:end]) {
			return
		}
		s := Sentence{Text: text[start:end], Start: start, End: end}
		if lang == "ar" {
			out = append(out, splitLongArabic(text, s)...)
			return
		}
		out = append(out, s)
	}
	segStart := 0
	i := 0
	for i < len(text) {
		for len(spans) > 0 && spans[0].Open < i {
			spans = spans[1:]
		}
		if len(spans) > 0 && spans[0].Open == i {
			sp := spans[0]
			i = sp.Close
			if quoteEndsSentence(text, sp) {
				emit(segStart, i)
				segStart = i
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == '\n' || r == '\r' || r == '\u2029' || r == '\u2028' {
			emit(segStart, i)
			i += size
			segStart = i
			continue
		}
		if !sentenceEnd(r) {
			i += size
			continue
		}
		var ends bool
		i, ends = sentenceBreak(text, segStart, i)
		if ends {
			emit(segStart, i)
			segStart = i
		}
	}
	emit(segStart, len(text))
	return out
}

// trimMarks drops the spaces and dropped marks around text[start:end].
func trimMarks(text string, start, end int) (int, int) {
	for start < end {
		r, size := utf8.DecodeRuneInString(text[start:end])
		if !unicode.IsSpace(r) && !isDropped(r) {
			break
		}
		start += size
	}
	for end > start {
		r, size := utf8.DecodeLastRuneInString(text[start:end])
		if !unicode.IsSpace(r) && !isDropped(r) {
			break
		}
		end -= size
	}
	return start, end
}

// sentenceBreak reads the run of sentence-final marks at i (in the sentence
// opened at segStart) and its closing quotes and brackets; it returns where
// the run ends and whether a sentence ends there (not inside "3.5", after
// an abbreviation or before a lower-case continuation).
func sentenceBreak(text string, segStart, i int) (int, bool) {
	r, size := utf8.DecodeRuneInString(text[i:])
	termStart := i
	j := i + size
	periods := 0
	if r == '.' {
		periods = 1
	}
	for j < len(text) {
		r2, s2 := utf8.DecodeRuneInString(text[j:])
		if !sentenceEnd(r2) {
			break
		}
		if r2 == '.' {
			periods++
		}
		j += s2
	}
	j = skipClosers(text, j)
	if j < len(text) {
		next, _ := utf8.DecodeRuneInString(text[j:])
		if !unicode.IsSpace(next) && !(r == '.' && gluedSentence(text, termStart, next)) {
			return j, false
		}
	}
	if r == '.' && periods == 1 && j-termStart >= 1 && isAbbreviation(text[segStart:termStart]) {
		return j, false
	}
	return j, !startsLower(text[j:])
}

// quoteEndsSentence reports whether a quote whose words end with a
// sentence-final mark ends its sentence: a space, then no lower-case
// continuation.
func quoteEndsSentence(text string, sp QuoteSpan) bool {
	words := strings.TrimRightFunc(text[sp.Start:sp.End], unicode.IsSpace)
	last, _ := utf8.DecodeLastRuneInString(words)
	if !sentenceEnd(last) || sp.Close >= len(text) {
		return false
	}
	next, _ := utf8.DecodeRuneInString(text[sp.Close:])
	return unicode.IsSpace(next) && next != '\n' && !startsLower(text[sp.Close:])
}

// gluedSentence reports whether a full stop at i with no space after it
// still ends a sentence: texts scraped from pages often lose the space
// ("démontés.La tour Eiffel", "الثلاثاء.وقال"). It does when a word of three
// lower-case letters or more ends before it and a capital letter starts
// after it, or when Arabic letters stand on both sides.
func gluedSentence(text string, i int, next rune) bool {
	k := i
	n := 0
	for k > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:k])
		if !unicode.IsLetter(r) {
			break
		}
		if unicode.IsUpper(r) {
			return false
		}
		k -= size
		n++
	}
	prev, _ := utf8.DecodeLastRuneInString(text[:i])
	if next == '«' || next == '“' {
		return n >= 3 || unicode.Is(unicode.Arabic, prev) // "ajouté.« Si ..."
	}
	if unicode.Is(unicode.Arabic, next) && unicode.Is(unicode.Arabic, prev) {
		return n >= 2
	}
	return n >= 3 && unicode.IsUpper(next) && unicode.Is(unicode.Latin, prev)
}

// skipClosers moves past closing quotes and brackets after the final
// punctuation, including French closing guillemets after a (no-break) space.
func skipClosers(text string, j int) int {
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if closer(r) {
			j += size
			continue
		}
		if isHSpace(r) {
			k := j + size
			for k < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[k:])
				if !isHSpace(r2) {
					break
				}
				k += s2
			}
			if k < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[k:])
				if r2 == '»' || r2 == '”' || r2 == '›' {
					j = k + s2
					continue
				}
			}
		}
		break
	}
	return j
}

// startsLower reports whether the first visible character after the spaces
// at the start of s is a lower-case letter or a comma-like mark that
// continues a sentence.
func startsLower(s string) bool {
	for _, r := range s {
		if unicode.IsSpace(r) || isDropped(r) {
			if r == '\n' || r == '\r' {
				return false
			}
			continue
		}
		return unicode.IsLower(r) || r == ',' || r == ';' || r == ':' || r == '،'
	}
	return false
}

// isAbbreviation reports whether the text before a period ends with a known
// abbreviation, a single-letter initial, or a dotted acronym (U.S, a.m).
func isAbbreviation(before string) bool {
	k := len(before)
	for k > 0 {
		r, size := utf8.DecodeLastRuneInString(before[:k])
		if !unicode.IsLetter(r) && r != '.' {
			break
		}
		k -= size
	}
	tok := before[k:]
	if tok == "" {
		return false
	}
	if strings.Contains(tok, ".") {
		// Dotted acronyms: every part one or two letters (U.S, a.m, J.-C).
		for _, part := range strings.Split(tok, ".") {
			if utf8.RuneCountInString(part) > 2 {
				return false
			}
		}
		return true
	}
	if utf8.RuneCountInString(tok) == 1 {
		r, _ := utf8.DecodeRuneInString(tok)
		return unicode.IsUpper(r)
	}
	return abbreviations[Normalize(tok)]
}

func hasWordRune(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// clauseOpeners are normalized words that open a new clause after an Arabic
// comma. Any word starting with the conjunction و qualifies as well.
var clauseOpeners = map[string]bool{
	"كما": true, "فيما": true, "حيث": true, "بينما": true, "اذ": true, "ثم": true, "لكن": true,
	"غير": true, "مشيرا": true, "مضيفا": true, "موكدا": true, "موضحا": true, "معتبرا": true,
	"لافتا": true, "علما": true, "منوها": true, "مبرزا": true, "فقد": true, "بل": true,
	"مشيره": true, "مضيفه": true, "موكده": true, "موضحه": true, "معتبره": true,
}

// clauseCut is a place where a long Arabic sentence may be split: the byte
// offset just after the comma, the number of words before it, and whether a
// clause opener follows.
type clauseCut struct {
	at, words int
	opener    bool
}

// splitLongArabic splits s into clauses while it has more than
// longArabicSentence words, always at the clause boundary nearest the middle
// of the part being split. A part half as long again with no clause opener
// is split at its most central comma.
func splitLongArabic(text string, s Sentence) []Sentence {
	cuts, words := clauseCuts(s.Text)
	if words <= longArabicSentence || len(cuts) == 0 {
		return []Sentence{s}
	}
	var out []Sentence
	var split func(from, to int, fromWords, toWords int, cuts []clauseCut)
	split = func(from, to, fromWords, toWords int, cuts []clauseCut) {
		n := toWords - fromWords
		best := -1
		pick := func(openersOnly bool) {
			for k, c := range cuts {
				left, right := c.words-fromWords, toWords-c.words
				if left < minClauseWords || right < minClauseWords || openersOnly && !c.opener {
					continue
				}
				if best < 0 || abs(left-n/2) < abs(cuts[best].words-fromWords-n/2) {
					best = k
				}
			}
		}
		if n > longArabicSentence {
			pick(true)
		}
		if best < 0 && n > longArabicSentence*3/2 {
			pick(false)
		}
		if best < 0 {
			out = append(out, trimSentence(text, s.Start+from, s.Start+to))
			return
		}
		c := cuts[best]
		split(from, c.at, fromWords, c.words, cuts[:best])
		split(c.at, to, c.words, toWords, cuts[best+1:])
	}
	split(0, len(s.Text), 0, words, cuts)
	return out
}

// clauseCuts finds the places an Arabic sentence may be split: every comma
// or semicolon followed by a space, marked opener when a clause opener
// follows (any word starting with the conjunction و, or كما، فيما، حيث ...;
// after ؛ any word).
func clauseCuts(sentence string) ([]clauseCut, int) {
	var cuts []clauseCut
	words := 0
	inWord := false
	for k, r := range sentence {
		if unicode.IsSpace(r) {
			inWord = false
			continue
		}
		if !inWord {
			inWord = true
			words++
		}
		if r != '،' && r != '؛' && r != ',' {
			continue
		}
		rest := sentence[k+utf8.RuneLen(r):]
		trimmed := strings.TrimLeftFunc(rest, unicode.IsSpace)
		if len(trimmed) == len(rest) {
			continue
		}
		first := trimmed
		if sp := strings.IndexFunc(trimmed, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }); sp >= 0 {
			first = trimmed[:sp]
		}
		nf := Normalize(first)
		opener := r == '؛' || clauseOpeners[nf] || (strings.HasPrefix(nf, "و") && utf8.RuneCountInString(nf) >= 3)
		cuts = append(cuts, clauseCut{at: k + utf8.RuneLen(r), words: words, opener: opener})
	}
	return cuts, words
}

func trimSentence(text string, start, end int) Sentence {
	for start < end {
		r, size := utf8.DecodeRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		start += size
	}
	for end > start {
		r, size := utf8.DecodeLastRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= size
	}
	return Sentence{Text: text[start:end], Start: start, End: end}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
