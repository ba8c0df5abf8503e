package summarize

import (
	"fmt"
	"github.com/migrawatch/migrawatch/internal/news"
	"os"
	"sort"
	"strings"
	"testing"
)

// TestDiagnoseQuotes prints, for the train and dev splits, where labelled
// quotes are lost: no span, no candidate with the speaker, or a wrong pick.
// It runs only with MIGRAWATCH_DIAG=1 (a tool for improving the features).
func TestDiagnoseQuotes(t *testing.T) {
	if os.Getenv("MIGRAWATCH_DIAG") == "" {
		t.Skip("set MIGRAWATCH_DIAG=1")
	}
	sp, err := ReadSplits("testdata")
	if err != nil {
		t.Fatal(err)
	}
	m, err := speakerModel()
	if err != nil {
		t.Fatal(err)
	}
	lang := os.Getenv("MIGRAWATCH_DIAG_LANG")
	type counts struct{ gold, span, reach, top int }
	c := map[string]*counts{}
	for _, a := range append(sp.Train, sp.Dev...) {
		if lang != "" && a.Language != lang {
			continue
		}
		if c[a.Language] == nil {
			c[a.Language] = &counts{}
		}
		cc := c[a.Language]
		art := newArticle(newDoc(a.Text, a.Language))
		ins := art.instances()
		for _, g := range uniqueQuotes(a.Quotes) {
			cc.gold++
			var in *instance
			for i := range ins {
				if _, ok := labelledFor(art.text, ins[i], []LabelledQuote{g}); ok {
					in = &ins[i]
					break
				}
			}
			if in == nil {
				fmt.Printf("%s NOSPAN [%s] %.80q\n", a.ID, g.Speaker, g.Text)
				continue
			}
			cc.span++
			var names []string
			reach := false
			for _, cd := range in.cands {
				names = append(names, cd.ent.name)
				if SpeakerMatches(cd.ent.name, g.Speaker, g.Role) {
					reach = true
				}
			}
			if !reach {
				fmt.Printf("%s NOCAND [%s] cands=%q %.60q\n", a.ID, g.Speaker, names, g.Text)
				continue
			}
			cc.reach++
			e, p := m.best(a.Language, *in)
			if e != nil && SpeakerMatches(e.name, g.Speaker, g.Role) {
				cc.top++
				continue
			}
			got := "NONE"
			if e != nil {
				got = e.name
			}
			fmt.Printf("%s WRONG(%s) [%s] got %q p=%.2f cands=%q %.50q\n", a.ID, in.context, g.Speaker, got, p, names, g.Text)
			if os.Getenv("MIGRAWATCH_DIAG_FEATS") != "" {
				s := art.sents[in.sent]
				fmt.Printf("    SENT %.250s\n", art.text[s.start:s.end])
				fmt.Printf("    null %.2f %v\n", m.score(a.Language, in.null), in.null)
				for _, cd := range in.cands {
					mark := " "
					if SpeakerMatches(cd.ent.name, g.Speaker, g.Role) {
						mark = "*"
					}
					if cd.ent == e || mark == "*" {
						fmt.Printf("   %s%q %.2f %v\n", mark, cd.ent.name, m.score(a.Language, cd.feats), cd.feats)
					}
				}
			}
		}
	}
	for l, cc := range c {
		fmt.Printf("%s gold %d span %d reachable %d top1 %d\n", l, cc.gold, cc.span, cc.reach, cc.top)
	}
	_ = strings.Join
}

// TestDiagnoseArticle prints the mentions, cues and cue subjects of one
// article (MIGRAWATCH_DIAG_ID).
func TestDiagnoseArticle(t *testing.T) {
	id := os.Getenv("MIGRAWATCH_DIAG_ID")
	if id == "" {
		t.Skip("set MIGRAWATCH_DIAG_ID")
	}
	sp, _ := ReadSplits("testdata")
	for _, a := range append(sp.Train, sp.Dev...) {
		if a.ID != id {
			continue
		}
		art := newArticle(newDoc(a.Text, a.Language))
		for si, s := range art.sents {
			fmt.Printf("S%d p%d: %.140s\n", si, s.para, art.text[s.start:s.end])
			for _, m := range art.mt.bySen[si] {
				fmt.Printf("   M %s [%s] kind=%d ent=%q role=%q g=%d\n", kindNames[m.ent.kind], joinToks(art.text, s.toks[m.t0:m.t1]), m.kind, m.ent.name, m.ent.role, m.ent.gender)
			}
			for ci, c := range art.cues[si] {
				sub := "-"
				if e := art.subjs[si][ci]; e != nil {
					sub = e.name
				}
				fmt.Printf("   C %s%s %q pro=%v g=%d -> %s\n", cueKindNames[c.kind], tierLetters[c.tier], s.toks[c.k].text, c.pronoun, c.gender, sub)
			}
		}
	}
}

// TestDiagnoseCurve prints precision and recall at several thresholds on
// the dev split, and the kinds of errors at the lowest.
func TestDiagnoseCurve(t *testing.T) {
	if os.Getenv("MIGRAWATCH_DIAG") == "" {
		t.Skip("set MIGRAWATCH_DIAG=1")
	}
	sp, _ := ReadSplits("testdata")
	m, _ := speakerModel()
	split := sp.Dev
	if os.Getenv("MIGRAWATCH_DIAG_SPLIT") == "train" {
		split = sp.Train
	}
	for _, lang := range []string{"ar", "fr", "en"} {
		for _, th := range []float64{0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95} {
			var s QuoteScore
			notq := 0
			for _, a := range split {
				if a.Language != lang {
					continue
				}
				qs := m.attribute(newDoc(a.Text, lang), th)
				sc := ScoreQuotes(qs, a.Quotes)
				s.Add(sc)
				notq += sc.Predicted - sc.Right - sc.WrongSpeaker
				if th == 0 && os.Getenv("MIGRAWATCH_DIAG_NOTQ") != "" {
					for _, q := range qs {
						if r := ScoreQuotes([]news.Quote{q}, a.Quotes); r.Right == 0 && r.WrongSpeaker == 0 {
							fmt.Printf("  NOTQ %s p=%.2f [%s] %.90q\n", a.ID, q.Confidence, q.Speaker, q.Text)
						} else if r.WrongSpeaker == 1 && q.Confidence >= 0.75 {
							fmt.Printf("  HIWRONG %s p=%.2f [%s] %.90q\n", a.ID, q.Confidence, q.Speaker, q.Text)
						}
					}
				}
			}
			fmt.Printf("%s th=%.2f predicted %d right %d wrong %d notquote %d | P %.3f R %.3f\n", lang, th, s.Predicted, s.Right, s.WrongSpeaker, notq, s.Precision(), s.Recall())
		}
	}
}

// TestDiagnoseRules measures simple deterministic choices on train+dev: the
// subject of the cue nearest the quote, the aside's speaker, the last cued
// speaker, the last person whose gender fits a pronoun.
func TestDiagnoseRules(t *testing.T) {
	if os.Getenv("MIGRAWATCH_DIAG") == "" {
		t.Skip("set MIGRAWATCH_DIAG=1")
	}
	sp, _ := ReadSplits("testdata")
	type rc struct{ fire, right, gold int }
	res := map[string]*rc{}
	bump := func(lang, rule string, fire, right bool) {
		k := lang + " " + rule
		if res[k] == nil {
			res[k] = &rc{}
		}
		if fire {
			res[k].fire++
		}
		if right {
			res[k].right++
		}
	}
	for _, a := range append(sp.Train, sp.Dev...) {
		art := newArticle(newDoc(a.Text, a.Language))
		for _, in := range art.instances() {
			g, isGold := labelledFor(art.text, in, a.Quotes)
			k := -1
			for x, tk := range art.sents[in.sent].toks {
				if tk.kind == tkQuote && tk.q == in.span {
					k = x
				}
			}
			near := art.nearestCue(in.sent, k)
			var pick *entity
			rule := "none"
			if near >= 0 && art.subjs[in.sent][near] != nil {
				pick, rule = art.subjs[in.sent][near], "cuesubj"
			} else if near >= 0 {
				c := art.cues[in.sent][near]
				pick, rule = art.lastPersonBefore(in.sent, art.sents[in.sent].toks[k].start, c.gender), "barecue"
			} else {
				pick, _ = art.lastCued(in.sent, k)
				rule = "nocue-last"
			}
			right := isGold && pick != nil && SpeakerMatches(pick.name, g.Speaker, g.Role)
			if rule == "barecue" {
				lc, _ := art.lastCued(in.sent, k)
				bump(a.Language, "bare-lastcued", lc != nil, isGold && lc != nil && SpeakerMatches(lc.name, g.Speaker, g.Role))
				c := art.cues[in.sent][near]
				ra := art.lastPersonBefore(in.sent, art.sents[in.sent].toks[k].start, c.gender)
				if lc != nil && ra == lc {
					bump(a.Language, "bare-both-agree", true, right)
				}
			}
			if rule == os.Getenv("MIGRAWATCH_DIAG_RULE") && isGold && !right && pick != nil {
				s := art.sents[in.sent]
				fmt.Printf("%s got %q gold %q | %.200s\n", a.ID, pick.name, g.Speaker, art.text[s.start:s.end])
			}
			bump(a.Language, rule, pick != nil, right)
			if isGold {
				res[a.Language+" "+rule].gold++
			}
		}
	}
	for k, v := range res {
		fmt.Printf("%-16s fires %4d right %4d (%.2f) gold-in-category %4d\n", k, v.fire, v.right, float64(v.right)/float64(max(1, v.fire)), v.gold)
	}
}

// TestDiagnoseCrossValidation trains on four fifths of train+dev and
// scores the fifth, five times: a steadier figure than dev alone for
// choosing features. Thresholds 0 and 0.9.
func TestDiagnoseCrossValidation(t *testing.T) {
	if os.Getenv("MIGRAWATCH_DIAG") == "" {
		t.Skip("set MIGRAWATCH_DIAG=1")
	}
	sp, _ := ReadSplits("testdata")
	all := sortedArticles(append(append([]LabelledArticle(nil), sp.Train...), sp.Dev...))
	opt := DefaultTrainOptions
	if v := os.Getenv("MW_ITER"); v != "" {
		fmt.Sscan(v, &opt.Iterations)
	}
	if v := os.Getenv("MW_L2"); v != "" {
		fmt.Sscan(v, &opt.L2)
	} else {
		opt.L2 = 0.01
	}
	res := map[string]*[3]QuoteScore{}
	ctxCount := map[string]*[3]int{}
	oof := map[string][]scoredQuote{}
	wrongAt := map[string][]float64{}
	labelled := map[string]int{}
	for fold := range 5 {
		var tr, te []LabelledArticle
		half := os.Getenv("MIGRAWATCH_DIAG_HALF") != ""
		for i, a := range all {
			if i%5 == fold {
				te = append(te, a)
			} else if !half || i%2 == 0 {
				tr = append(tr, a)
			}
		}
		m, err := fit(tr, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range te {
			art := newArticle(newDoc(a.Text, a.Language))
			var prev *entity
			prevSent := -1
			for _, in := range art.instances() {
				in = withPrevious(in, prev, prevSent)
				e, _ := m.best(a.Language, in)
				if e != nil {
					prev, prevSent = e, in.sent
				}
				g, ok := labelledFor(art.text, in, a.Quotes)
				if !ok {
					continue
				}
				if e != nil && os.Getenv("MIGRAWATCH_DIAG_HI") != "" {
					if _, p := m.best(a.Language, in); p >= 0.75 && !SpeakerMatches(e.name, g.Speaker, g.Role) {
						s := art.sents[in.sent]
						fmt.Printf("HI %s %s p=%.2f got %q gold %q | %.160s\n", a.ID, in.context, p, e.name, g.Speaker, art.text[s.start:s.end])
					}
				}
				k := a.Language + " " + in.context
				if ctxCount[k] == nil {
					ctxCount[k] = &[3]int{}
				}
				ctxCount[k][0]++
				if e != nil && SpeakerMatches(e.name, g.Speaker, g.Role) {
					ctxCount[k][1]++
				}
				for _, c := range in.cands {
					if SpeakerMatches(c.ent.name, g.Speaker, g.Role) {
						ctxCount[k][2]++
						break
					}
				}
			}
			if res[a.Language] == nil {
				res[a.Language] = &[3]QuoteScore{}
			}
			for x, th := range []float64{0, 0.8, 0.9} {
				res[a.Language][x].Add(ScoreQuotes(m.attribute(newDoc(a.Text, a.Language), th), a.Quotes))
			}
			for _, q := range m.attribute(newDoc(a.Text, a.Language), 0) {
				sc := ScoreQuotes([]news.Quote{q}, a.Quotes)
				if os.Getenv("MIGRAWATCH_DIAG_HI") != "" && sc.Right == 0 && sc.WrongSpeaker == 0 && q.Confidence >= 0.9 {
					fmt.Printf("HINOTQ %s %s p=%.2f [%s] %.120q\n", a.Language, a.ID, q.Confidence, q.Speaker, q.Text)
				}
				oof[a.Language] = append(oof[a.Language], scoredQuote{p: q.Confidence, right: sc.Right == 1})
				if sc.WrongSpeaker == 1 {
					wrongAt[a.Language] = append(wrongAt[a.Language], q.Confidence)
				}
			}
			labelled[a.Language] += len(uniqueQuotes(a.Quotes))
		}
	}
	for _, l := range []string{"ar", "fr", "en"} {
		qs := oof[l]
		sort.SliceStable(qs, func(i, j int) bool { return qs[i].p > qs[j].p })
		right := 0
		for i, q := range qs {
			if q.right {
				right++
			}
			if (i+1)%5 == 0 {
				w := 0
				for _, p := range wrongAt[l] {
					if p >= q.p {
						w++
					}
				}
				fmt.Printf("CURVE %s p>=%.3f P %.3f R %.3f W %.3f\n", l, q.p, float64(right)/float64(i+1), float64(right)/float64(labelled[l]), float64(w)/float64(i+1))
			}
		}
	}
	for k, v := range ctxCount {
		fmt.Printf("CTX %-12s gold %4d right %4d (%.2f) reachable %4d\n", k, v[0], v[1], float64(v[1])/float64(v[0]), v[2])
	}
	for _, l := range []string{"ar", "fr", "en"} {
		r := res[l]
		fmt.Printf("CV %s th0 P %.3f R %.3f | th.8 P %.3f R %.3f | th.9 P %.3f R %.3f\n", l,
			r[0].Precision(), r[0].Recall(), r[1].Precision(), r[1].Recall(), r[2].Precision(), r[2].Recall())
	}
}

// TestDiagnosePronouns counts, for quotes whose cue is a pronoun or a bare
// verb, how often the labelled speaker is the last cued speaker, the last
// person named, the last one whose gender fits, or the previous quote's.
func TestDiagnosePronouns(t *testing.T) {
	if os.Getenv("MIGRAWATCH_DIAG") == "" {
		t.Skip("set MIGRAWATCH_DIAG=1")
	}
	sp, _ := ReadSplits("testdata")
	type cnt struct{ n, last, recent, agree, prev, none int }
	res := map[string]*cnt{}
	for _, a := range append(sp.Train, sp.Dev...) {
		art := newArticle(newDoc(a.Text, a.Language))
		var prevGold *entity
		for _, in := range art.instances() {
			g, ok := labelledFor(art.text, in, a.Quotes)
			var gold *entity
			if ok {
				for _, c := range in.cands {
					if SpeakerMatches(c.ent.name, g.Speaker, g.Role) {
						gold = c.ent
					}
				}
			}
			if !ok || (in.context != "pronoun" && in.context != "bare" && in.context != "continue") {
				if gold != nil {
					prevGold = gold
				}
				continue
			}
			k := a.Language + " " + in.context
			if res[k] == nil {
				res[k] = &cnt{}
			}
			c := res[k]
			c.n++
			kk := -1
			for x, tk := range art.sents[in.sent].toks {
				if tk.kind == tkQuote && tk.q == in.span {
					kk = x
				}
			}
			pos := art.sents[in.sent].toks[kk].start
			last, _ := art.lastCued(in.sent, kk)
			near := art.nearestCue(in.sent, kk)
			recent := art.lastPersonBefore(in.sent, pos, genderUnknown)
			agree := art.lastPersonBefore(in.sent, pos, art.cues[in.sent][near].gender)
			switch {
			case gold == nil:
				c.none++
			}
			if gold != nil && gold == last {
				c.last++
			}
			if gold != nil && gold == recent {
				c.recent++
			}
			if gold != nil && gold == agree {
				c.agree++
			}
			if gold != nil && gold == prevGold {
				c.prev++
			}
			if gold != nil {
				prevGold = gold
			}
		}
	}
	for k, c := range res {
		fmt.Printf("PRO %-14s n %3d unreachable %3d last %3d recent %3d agree %3d prevgold %3d\n", k, c.n, c.none, c.last, c.recent, c.agree, c.prev)
	}
}
