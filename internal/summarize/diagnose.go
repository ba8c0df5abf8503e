package summarize

import (
	"fmt"
	"io"
	"sort"

	"github.com/migrawatch/migrawatch/internal/news"
)

// Diagnose is a tool for improving the quote model: it trains on all but
// one fold of arts and scores that fold, for each of opt.Folds folds and
// opt.Repeats assignments of articles to folds (as the thresholds are set),
// then writes per language the precision-recall curve of the held-out
// quotes (then the curve of each threshold group, "ar/named" and "ar/",
// whose recall is also out of all the language's labelled quotes), and, on
// the first assignment, how often the first-ranked speaker is right by kind
// of cue and the confidently wrong quotes (confidence >= minShown).
func Diagnose(w io.Writer, arts []LabelledArticle, opt TrainOptions, minShown float64) error {
	arts = sortedArticles(arts)
	held := map[string][]scoredQuote{}
	labelled := map[string]int{}
	contexts := map[string]*[2]int{}
	for r := range max(opt.Repeats, 1) {
		for fold := range opt.Folds {
			tr, te := splitFold(arts, r, fold, opt.Folds)
			m, err := fit(tr, opt)
			if err != nil {
				return err
			}
			for _, a := range te {
				held[a.Language] = append(held[a.Language], m.scored(a)...)
				labelled[a.Language] += len(uniqueQuotes(a.Quotes))
				if r == 0 {
					m.diagnoseArticle(w, a, contexts, minShown)
				}
			}
		}
	}
	for _, lang := range []string{news.Arabic, news.French, news.English} {
		writeCurve(w, lang, held[lang], labelled[lang])
		for _, g := range []string{groupNamed, groupOther} {
			writeCurve(w, lang+"/"+g, inGroup(held[lang], g), labelled[lang])
		}
	}
	keys := make([]string, 0, len(contexts))
	for k := range contexts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		c := contexts[k]
		fmt.Fprintf(w, "context %-14s labelled %4d first-ranked right %4d (%.2f)\n", k, c[0], c[1], ratio(c[1], c[0], 0))
	}
	return nil
}

// diagnoseArticle counts, per cue context, how often the first-ranked
// speaker of a labelled quote is right, and writes the confident mistakes.
func (m *Model) diagnoseArticle(w io.Writer, a LabelledArticle, contexts map[string]*[2]int, minShown float64) {
	art := newArticle(newDoc(a.Text, a.Language))
	for _, in := range art.instances() {
		g, ok := labelledFor(art.text, in, a.Quotes)
		e, p := m.best(a.Language, in)
		if !ok {
			if e != nil && p >= minShown {
				fmt.Fprintf(w, "%s not a labelled quote, p=%.2f [%s] %.80q\n", a.ID, p, e.name, art.text[in.parts[0].start:in.parts[0].end])
			}
			continue
		}
		k := a.Language + " " + in.context
		if contexts[k] == nil {
			contexts[k] = &[2]int{}
		}
		contexts[k][0]++
		if e != nil && SpeakerMatches(e.name, g.Speaker, g.Role) {
			contexts[k][1]++
		} else if e != nil && p >= minShown {
			s := art.sents[in.sent]
			fmt.Fprintf(w, "%s %s p=%.2f got %q labelled %q | %.120s\n", a.ID, in.context, p, e.name, g.Speaker, art.text[s.start:s.end])
		}
	}
}

// writeCurve writes precision and recall at every fifth held-out quote,
// most confident first.
func writeCurve(w io.Writer, lang string, qs []scoredQuote, labelled int) {
	sort.SliceStable(qs, func(i, j int) bool { return qs[i].p > qs[j].p })
	right := 0
	for i, q := range qs {
		if q.right {
			right++
		}
		if (i+1)%5 == 0 || i+1 == len(qs) {
			fmt.Fprintf(w, "curve %s p>=%.3f precision %.3f recall %.3f\n", lang, q.p, ratio(right, i+1, 1), ratio(right, labelled, 1))
		}
	}
}
