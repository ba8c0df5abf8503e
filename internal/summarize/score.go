package summarize

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/migrawatch/migrawatch/internal/news"
)

// This file scores quotes exactly as the labelled data's README says, so
// that training, the tests and cmd/speakermodel measure the same thing.

// LabelledQuote is a direct quote as a person labelled it.
type LabelledQuote struct {
	Text    string `json:"text"`
	Speaker string `json:"speaker"`
	Role    string `json:"role"`
}

// QuoteScore counts predicted and labelled quotes.
type QuoteScore struct {
	Predicted    int // quotes shown
	Right        int // shown with a labelled text and a right speaker
	WrongSpeaker int // shown with a labelled text and a wrong speaker
	Labelled     int // labelled quotes (each text once)
	Found        int // labelled quotes shown with a right speaker
}

// Add adds the counts of o to s.
func (s *QuoteScore) Add(o QuoteScore) {
	s.Predicted += o.Predicted
	s.Right += o.Right
	s.WrongSpeaker += o.WrongSpeaker
	s.Labelled += o.Labelled
	s.Found += o.Found
}

// Precision is right / predicted (1 when nothing was predicted).
func (s QuoteScore) Precision() float64 { return ratio(s.Right, s.Predicted, 1) }

// Recall is found / labelled (1 when nothing was labelled).
func (s QuoteScore) Recall() float64 { return ratio(s.Found, s.Labelled, 1) }

// WrongRate is wrong speaker / predicted.
func (s QuoteScore) WrongRate() float64 { return ratio(s.WrongSpeaker, s.Predicted, 0) }

func ratio(a, b int, empty float64) float64 {
	if b == 0 {
		return empty
	}
	return float64(a) / float64(b)
}

// minTextF1 is the token-overlap F1 at which a predicted quote's text
// matches a labelled one.
const minTextF1 = 0.8

// ScoreQuotes scores the quotes predicted for one article against its
// labelled quotes.
func ScoreQuotes(pred []news.Quote, gold []LabelledQuote) QuoteScore {
	gold = uniqueQuotes(gold)
	s := QuoteScore{Predicted: len(pred), Labelled: len(gold)}
	gt := make([][]string, len(gold))
	for i, g := range gold {
		gt[i] = EvalTokens(g.Text)
	}
	found := make([]bool, len(gold))
	for _, q := range pred {
		qt := EvalTokens(q.Text)
		textHit, right := false, false
		for i, g := range gold {
			if TokenF1(qt, gt[i]) < minTextF1 {
				continue
			}
			textHit = true
			if SpeakerMatches(q.Speaker, g.Speaker, g.Role) {
				right, found[i] = true, true
			}
		}
		if right {
			s.Right++
		} else if textHit {
			s.WrongSpeaker++
		}
	}
	for _, f := range found {
		if f {
			s.Found++
		}
	}
	return s
}

func uniqueQuotes(gold []LabelledQuote) []LabelledQuote {
	seen := map[string]bool{}
	var out []LabelledQuote
	for _, g := range gold {
		k := strings.Join(EvalTokens(g.Text), " ")
		if !seen[k] {
			seen[k] = true
			out = append(out, g)
		}
	}
	return out
}

// EvalFold is the scoring's folding: NFKC, combining marks removed, أ إ آ
// -> ا, ى -> ي, ة -> ه, tatweel dropped, lower case, punctuation as spaces.
func EvalFold(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || r == 'ـ':
			continue
		case r == 'أ' || r == 'إ' || r == 'آ':
			r = 'ا'
		case r == 'ى':
			r = 'ي'
		case r == 'ة':
			r = 'ه'
		case unicode.IsPunct(r) || unicode.IsSymbol(r):
			r = ' '
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// EvalTokens is the scoring's tokens of s.
func EvalTokens(s string) []string { return strings.Fields(EvalFold(s)) }

// TokenF1 is the token-overlap F1 of two token lists (multiset overlap).
func TokenF1(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	count := map[string]int{}
	for _, t := range b {
		count[t]++
	}
	common := 0
	for _, t := range a {
		if count[t] > 0 {
			count[t]--
			common++
		}
	}
	if common == 0 {
		return 0
	}
	p := float64(common) / float64(len(a))
	r := float64(common) / float64(len(b))
	return 2 * p * r / (p + r)
}

// SpeakerMatches reports whether a predicted speaker matches a labelled
// one: after folding (and the Arabic article dropped from each word), one
// contains the other, or their last words are equal or one letter apart, or
// the prediction names the labelled role.
func SpeakerMatches(pred, gold, role string) bool {
	p, g := speakerWords(pred), speakerWords(gold)
	if len(p) == 0 || len(g) == 0 {
		return false
	}
	ps, gs := " "+strings.Join(p, " ")+" ", " "+strings.Join(g, " ")+" "
	if strings.Contains(ps, gs) || strings.Contains(gs, ps) {
		return true
	}
	if oneEditApart(p[len(p)-1], g[len(g)-1]) {
		return true
	}
	if r := speakerWords(role); len(r) > 0 {
		rs := " " + strings.Join(r, " ") + " "
		return strings.Contains(rs, ps) || strings.Contains(ps, rs)
	}
	return false
}

func speakerWords(s string) []string {
	ws := EvalTokens(s)
	for i, w := range ws {
		if t, ok := strings.CutPrefix(w, "ال"); ok && len([]rune(t)) >= 2 {
			ws[i] = t
		}
	}
	return ws
}

// oneEditApart reports whether a and b are equal or one letter apart.
func oneEditApart(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) < len(rb) {
		ra, rb = rb, ra
	}
	if len(ra)-len(rb) > 1 {
		return false
	}
	i := 0
	for i < len(rb) && ra[i] == rb[i] {
		i++
	}
	if len(ra) == len(rb) {
		return i == len(ra) || string(ra[i+1:]) == string(rb[i+1:])
	}
	return string(ra[i+1:]) == string(rb[i:])
}
