package alert

import (
	"slices"
	"strings"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/textproc"
)

// The speaker: field matches the articles where a person, or someone with a
// title, is quoted: speaker:Palatini, speaker:"وزير الداخلية". Its value is
// compared word for word, after the normalization of other words (and
// without courtesy titles: textproc.NameWords), Arabic words by their stem
// (clitics and inflections removed, so وزيرة meets وزير) and Latin words as
// written (a name is not a plural), with a run of consecutive
// words of the name of a quote's speaker, or of the title the article gives
// them up to any relative clause (textproc.TitleWords: "the IOM director
// who succeeded Laura Palatini" does not make her the speaker). Quotes whose
// speaker the summarizer is not confident about do not count
// (news.MinSpeakerConfidence), as in the quote archive.

// fieldSpeaker names the speaker: field.
const fieldSpeaker = "speaker"

// CodeBadSpeaker: speaker: followed by more words than a name or title has
// (MaxSpeakerWords).
const CodeBadSpeaker = "bad_speaker"

// MaxSpeakerWords is the most words of a speaker: value.
const MaxSpeakerWords = 8

// speakerMark starts the index key of a speaker value (after exactMark).
const speakerMark = "\x06"

func speakerAnchor(v string) string { return speakerMark + v }

// speakerWordKey is the compared form of one word of a name or title: the
// stem of an Arabic word, a Latin word as written.
func speakerWordKey(w string) string { return textproc.Stem("", w) }

// speakerKey is the compared form of the words of a name or title.
func speakerKey(words []string) string {
	keys := make([]string, len(words))
	for i, w := range words {
		keys[i] = speakerWordKey(w)
	}
	return strings.Join(keys, " ")
}

// speakerValue parses what follows speaker:.
func (p *parser) speakerValue(field, v token) (*node, *ParseError) {
	ws := textproc.NameWords(v.text)
	if len(ws) == 0 {
		return nil, &ParseError{Pos: field.pos, Code: CodeMissingOperand, Near: field.text + ":"}
	}
	if len(ws) > MaxSpeakerWords {
		return nil, &ParseError{Pos: v.pos, Code: CodeBadSpeaker, Near: tokenText(v)}
	}
	return p.term(&node{op: opSpeaker, words: ws, keys: []string{speakerKey(ws)}, pos: field.pos}, v)
}

// writeSpeaker writes a speaker: term in the canonical form of a query.
func writeSpeaker(b *strings.Builder, n *node) {
	b.WriteString(fieldSpeaker + ":")
	if len(n.words) == 1 {
		b.WriteString(n.words[0])
		return
	}
	b.WriteString(`"` + strings.Join(n.words, " ") + `"`)
}

// documentSpeakers returns what speaker: values an article matches: every
// run of up to MaxSpeakerWords consecutive words of the name and of the
// title of each speaker it quotes with confidence (and of the name as the
// article also writes it in another script), as speakerKey gives them,
// sorted and unique.
func documentSpeakers(a news.Article) []string {
	var out []string
	runs := func(words []string) {
		keys := make([]string, len(words))
		for i, w := range words {
			keys[i] = speakerWordKey(w)
		}
		for i := range keys {
			run := keys[i]
			out = append(out, run)
			for j := i + 1; j < len(keys) && j-i < MaxSpeakerWords; j++ {
				run += " " + keys[j]
				out = append(out, run)
			}
		}
	}
	for _, q := range a.Summary.Quotes {
		if !q.Attributed(news.MinSpeakerConfidence) {
			continue
		}
		name, other := textproc.SplitScripts(q.Speaker)
		ws := textproc.NameWords(name)
		if other == nil {
			other = textproc.NameInOtherScript(a.Text, ws)
		}
		runs(ws)
		runs(other)
		runs(textproc.TitleWords(q.Role))
	}
	slices.Sort(out)
	return slices.Compact(out)
}
