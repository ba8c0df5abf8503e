package summarize

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"sort"

	"github.com/migrawatch/migrawatch/internal/news"
)

// LabelledArticle is an article with its labelled quotes, as the training
// and evaluation data hold it.
type LabelledArticle struct {
	ID       string          `json:"id"`
	Language string          `json:"language"`
	Title    string          `json:"title"`
	Text     string          `json:"text"`
	Quotes   []LabelledQuote `json:"quotes"`
}

// TrainOptions steer the training of a speaker model.
type TrainOptions struct {
	Iterations int     // full passes of gradient descent
	Rate       float64 // AdaGrad learning rate
	L2         float64 // L2 penalty per weight
	Precision  float64 // the precision each language's threshold keeps on held-out predictions
	Folds      int     // cross-validation folds for the thresholds
	Repeats    int     // cross-validations, each with its own assignment of articles to folds
}

// DefaultTrainOptions are the options the shipped model was trained with.
var DefaultTrainOptions = TrainOptions{Iterations: 300, Rate: 0.3, L2: 0.01, Precision: 0.96, Folds: 5, Repeats: 3}

// example is one quoted span of the training data: its features, indexed,
// and which choices are right (0 is "no speaker").
type example struct {
	lang    string
	choices [][]int
	right   []bool
}

// TrainSpeakerModel learns a model from the labelled development articles
// (the train and dev splits together) and sets each language's threshold on
// predictions each article gets from models that did not see it (k-fold
// cross-validation, repeated with other assignments of articles to folds so
// that the threshold does not hang on one lucky split): the lowest
// probability at which those quotes keep the target precision. The result
// depends only on the articles and options: training twice gives the same
// weights and thresholds.
func TrainSpeakerModel(arts []LabelledArticle, opt TrainOptions) (*Model, error) {
	arts = sortedArticles(arts)
	m, err := fit(arts, opt)
	if err != nil {
		return nil, err
	}
	held := map[string][]scoredQuote{}
	for r := range max(opt.Repeats, 1) {
		for fold := range opt.Folds {
			tr, te := splitFold(arts, r, fold, opt.Folds)
			fm, err := fit(tr, opt)
			if err != nil {
				return nil, err
			}
			for _, a := range te {
				held[a.Language] = append(held[a.Language], fm.scored(a)...)
			}
		}
	}
	for _, lang := range []string{news.Arabic, news.French, news.English} {
		for _, g := range []string{groupOther, groupNamed} {
			m.Thresholds[thresholdKey(lang, g)] = chooseThreshold(inGroup(held[lang], g), opt.Precision)
		}
	}
	return m, nil
}

// splitFold returns the articles outside and inside fold of repetition r:
// repetition 0 deals the articles (sorted by id) in turn, later ones by a
// hash of the id and the repetition.
func splitFold(arts []LabelledArticle, r, fold, folds int) (train, test []LabelledArticle) {
	for i, a := range arts {
		f := i % folds
		if r > 0 {
			h := fnv.New32a()
			fmt.Fprintf(h, "%d/%s", r, a.ID)
			f = int(h.Sum32() % uint32(folds))
		}
		if f == fold {
			test = append(test, a)
		} else {
			train = append(train, a)
		}
	}
	return train, test
}

// fit learns the weights from arts.
func fit(arts []LabelledArticle, opt TrainOptions) (*Model, error) {
	names, index := featureIndex(arts)
	var exs []example
	for _, a := range arts {
		exs = append(exs, examples(a, index)...)
	}
	if len(exs) == 0 {
		return nil, errors.New("no training examples")
	}
	w := descend(exs, len(names), opt)
	m := &Model{Weights: map[string]float64{}, Thresholds: map[string]float64{}}
	for i, name := range names {
		if v := math.Round(w[i]*1e4) / 1e4; v != 0 {
			m.Weights[name] = v
		}
	}
	return m, nil
}

func sortedArticles(as []LabelledArticle) []LabelledArticle {
	out := append([]LabelledArticle(nil), as...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// featureIndex numbers every feature of the training data, and its
// language-specific copy, in sorted order.
func featureIndex(train []LabelledArticle) ([]string, map[string]int) {
	seen := map[string]bool{}
	for _, a := range train {
		art := newArticle(newDoc(a.Text, a.Language))
		if art == nil {
			continue
		}
		for _, in := range art.instances() {
			for _, f := range in.null {
				seen[f], seen[a.Language+"|"+f] = true, true
			}
			for _, c := range in.cands {
				for _, f := range append(c.feats, "c:prev", "c:prev&"+in.context, "c:prev1&"+in.context) {
					seen[f], seen[a.Language+"|"+f] = true, true
				}
			}
		}
	}
	names := make([]string, 0, len(seen))
	for f := range seen {
		names = append(names, f)
	}
	sort.Strings(names)
	index := make(map[string]int, len(names))
	for i, f := range names {
		index[f] = i
	}
	return names, index
}

// examples turns an article's quoted spans into training examples: a span
// that matches no labelled quote wants "no speaker"; a labelled one wants
// any candidate whose name matches the labelled speaker, and is left out
// when no candidate does (the mention table missed the speaker).
func examples(a LabelledArticle, index map[string]int) []example {
	art := newArticle(newDoc(a.Text, a.Language))
	if art == nil {
		return nil
	}
	var out []example
	var prev *entity
	prevSent := -1
	for _, in := range art.instances() {
		in = withPrevious(in, prev, prevSent)
		g, ok := labelledFor(art.text, in, a.Quotes)
		if ok {
			for _, c := range in.cands {
				if SpeakerMatches(c.ent.name, g.Speaker, g.Role) {
					prev, prevSent = c.ent, in.sent
					break
				}
			}
		}
		ex := example{lang: a.Language, choices: [][]int{indexed(in.null, a.Language, index)}, right: []bool{!ok}}
		anyRight := !ok
		for _, c := range in.cands {
			r := ok && SpeakerMatches(c.ent.name, g.Speaker, g.Role)
			anyRight = anyRight || r
			ex.choices = append(ex.choices, indexed(c.feats, a.Language, index))
			ex.right = append(ex.right, r)
		}
		if anyRight {
			out = append(out, ex)
		}
	}
	return out
}

// labelledFor finds the labelled quote one of the instance's parts shows.
func labelledFor(text string, in instance, gold []LabelledQuote) (LabelledQuote, bool) {
	for _, p := range in.parts {
		pt := EvalTokens(text[p.start:p.end])
		for _, g := range gold {
			if TokenF1(pt, EvalTokens(g.Text)) >= minTextF1 {
				return g, true
			}
		}
	}
	return LabelledQuote{}, false
}

func indexed(feats []string, lang string, index map[string]int) []int {
	out := make([]int, 0, 2*len(feats))
	for _, f := range feats {
		if i, ok := index[f]; ok {
			out = append(out, i)
		}
		if i, ok := index[lang+"|"+f]; ok {
			out = append(out, i)
		}
	}
	return out
}

// descend minimizes the mean negative log-likelihood of the right choices
// plus an L2 penalty by full-batch AdaGrad, in a fixed order so that the
// result is reproducible.
func descend(exs []example, n int, opt TrainOptions) []float64 {
	w := make([]float64, n)
	g2 := make([]float64, n)
	grad := make([]float64, n)
	inv := 1 / float64(len(exs))
	for range opt.Iterations {
		clear(grad)
		for _, ex := range exs {
			accumulate(ex, w, grad)
		}
		for i := range w {
			g := float64(grad[i]*inv) + float64(opt.L2*w[i])
			g2[i] += float64(g * g)
			if g2[i] > 0 {
				w[i] -= float64(opt.Rate*g) / math.Sqrt(g2[i])
			}
		}
	}
	return w
}

// accumulate adds one example's gradient to grad: for each choice, its
// probability minus its share of the right choices' probability.
func accumulate(ex example, w, grad []float64) {
	s := make([]float64, len(ex.choices))
	for j, fs := range ex.choices {
		for _, i := range fs {
			s[j] += w[i]
		}
	}
	p := softmax(s)
	z := 0.0
	for j, r := range ex.right {
		if r {
			z += p[j]
		}
	}
	for j, fs := range ex.choices {
		g := p[j]
		if ex.right[j] {
			g -= p[j] / z
		}
		for _, i := range fs {
			grad[i] += g
		}
	}
}

// scoredQuote is a quote the model would show, with its probability and
// whether its text and speaker are right.
type scoredQuote struct {
	p     float64
	right bool
	group string
}

// scored returns the quotes the model would show for a at any threshold,
// each with its probability and whether it is right.
func (m *Model) scored(a LabelledArticle) []scoredQuote {
	var out []scoredQuote
	qs, _ := m.shown(newDoc(a.Text, a.Language), 0)
	for _, q := range qs {
		s := ScoreQuotes([]news.Quote{q.Quote}, a.Quotes)
		out = append(out, scoredQuote{p: q.Confidence, right: s.Right == 1, group: q.group})
	}
	return out
}

// inGroup returns the quotes of qs in threshold group g.
func inGroup(qs []scoredQuote, g string) []scoredQuote {
	var out []scoredQuote
	for _, q := range qs {
		if q.group == g {
			out = append(out, q)
		}
	}
	return out
}

// chooseThreshold returns the lowest probability at which the quotes keep
// the target precision (1 when none does).
func chooseThreshold(qs []scoredQuote, target float64) float64 {
	sort.SliceStable(qs, func(i, j int) bool { return qs[i].p > qs[j].p })
	threshold, right := 1.0, 0
	for i, q := range qs {
		if q.right {
			right++
		}
		if float64(right) >= target*float64(i+1) && (i+1 == len(qs) || qs[i+1].p < q.p) {
			threshold = q.p
		}
	}
	return threshold
}
