package summarize

import (
	"strings"
	"unicode"

	"github.com/migrawatch/migrawatch/internal/news"

	"github.com/migrawatch/migrawatch/internal/textproc"
)

// sentence is one sentence of an article with its skeleton; quoted spans
// never straddle two sentences.
type sentence struct {
	start, end int
	para       int
	toks       []tok
}

// doc is an article prepared for the gist and the quotes: its sentences,
// quoted spans and tokens, split once with textproc.
type doc struct {
	text  string
	lang  string
	spans []textproc.QuoteSpan
	sents []sentence
}

// newDoc splits text into sentences around its quoted spans, numbers the
// paragraphs and tokenizes every sentence.
func newDoc(text, lang string) *doc {
	d := &doc{text: text, lang: lang, spans: textproc.QuoteSpans(text)}
	tz := &tokenizer{text: text, spans: d.spans, cache: map[string]string{}}
	// Paragraphs are separated by blank lines, or by single line breaks in
	// texts that use no blank lines at all.
	sep := "\n\n"
	if !strings.Contains(text, sep) {
		sep = "\n"
	}
	para, last := 0, 0
	for _, s := range textproc.SentencesAround(text, d.spans) {
		para += strings.Count(text[last:s.Start], sep)
		last = s.Start
		if n := len(d.sents); n > 0 && continuesSentence(text, d.sents[n-1].end, s.Start) {
			// A paragraph cut in the middle of a sentence (a link removed
			// from a scraped page): one sentence again.
			prev := &d.sents[n-1]
			prev.end = s.End
			prev.toks = tz.tokens(prev.start, prev.end)
			continue
		}
		d.sents = append(d.sents, sentence{start: s.Start, end: s.End, para: para, toks: tz.tokens(s.Start, s.End)})
	}
	return d
}

// continuesSentence reports whether the sentence starting at next goes on
// with the one ending at end: the first does not end like a sentence and the
// second starts with a lower-case word or a comma.
func continuesSentence(text string, end, next int) bool {
	last := lastNonSpaceRune(text[:end])
	if strings.ContainsRune(".!?…؟:»”\"", last) {
		return false
	}
	r := firstRune(text[next:])
	return unicode.IsLower(r) || r == ',' || r == ';'
}

// minClauseWords is the fewest words each side of a clause split keeps.
const minClauseWords = 3

// clauses returns d with each Arabic sentence cut before a comma that opens
// a new clause with a speech verb (...، وقالت فاطمة أمزيل: «...»): Arabic
// chains clauses into sentences a paragraph long, and a quote belongs to the
// clause of its verb. Other languages, and the gist, keep d's sentences.
func (d *doc) clauses(lx *lexicon) *doc {
	if d.lang != news.Arabic {
		return d
	}
	out := *d
	out.sents = nil
	for _, s := range d.sents {
		start := 0
		for k := 1; k+1 < len(s.toks); k++ {
			t := s.toks[k]
			if t.kind != tkPunct || (t.text != "،" && t.text != ",") || s.toks[k+1].kind != tkWord {
				continue
			}
			next := s.toks[k+1].f
			if !strings.HasPrefix(next, "و") && !strings.HasPrefix(next, "ف") {
				continue
			}
			if vf, ok := lx.verbs[next[len("و"):]]; !ok || vf.kind != formFinite {
				continue
			}
			if wordsIn(s.toks[start:k]) < minClauseWords || wordsIn(s.toks[k+1:]) < minClauseWords {
				continue
			}
			out.sents = append(out.sents, sentence{start: s.toks[start].start, end: t.start, para: s.para, toks: s.toks[start:k]})
			start = k + 1
		}
		out.sents = append(out.sents, sentence{start: s.toks[start].start, end: s.end, para: s.para, toks: s.toks[start:]})
	}
	return &out
}

func wordsIn(ts []tok) int {
	n := 0
	for _, t := range ts {
		if t.kind == tkWord {
			n++
		}
	}
	return n
}
