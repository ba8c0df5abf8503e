package summarize

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/migrawatch/migrawatch/internal/textproc"
)

// Phrases that mark page furniture rather than article text (folded).
var boilerplate = []string{
	"read also", "read more", "lire aussi", "lire notre", "lire la suite", "اقرا ايضا", "اقرا المزيد", "share", "partager",
	"مشاركه", "news-picture", "photo", "credit", "©", "getty", "copyright", "correction:", "contributed to this report",
	"newsletter", "subscribe", "abonnez", "inscrivez-vous", "cliquant ici", "click here", "all rights reserved",
	"tous droits reserves", "جميع الحقوق", "اشترك", "تابعونا",
}

// MaxGistSentences is the most sentences a gist holds.
const MaxGistSentences = 3

// gistCand is a sentence that may stand in a gist.
type gistCand struct {
	text  string
	terms vec
	score float64
}

// maxGistCandidates is how many leading prose sentences compete for the gist.
const maxGistCandidates = 25

// gist picks up to three sentences by a lead-biased centrality score
// (LexRank-style degree centrality over folded words), in article order.
func gist(title string, d *doc) []string {
	vocab := map[string]int{}
	var cands []gistCand
	si := 0
	for _, s := range d.sents {
		for si < len(d.spans) && d.spans[si].Close <= s.start {
			si++
		}
		f, ok := gistable(d.text, s, d.spans[si:])
		if !ok {
			continue
		}
		cands = append(cands, gistCand{text: d.text[s.start:s.end], terms: termVector(f, vocab)})
		if len(cands) >= maxGistCandidates {
			break
		}
	}
	if len(cands) == 0 {
		return nil
	}
	scoreGist(cands, termVector(fold(title), vocab))
	return pickGist(cands)
}

// scoreGist scores each candidate: its place in the article, its centrality
// among the candidates and its likeness to the title.
func scoreGist(cands []gistCand, titleVec vec) {
	n := len(cands)
	cent := make([]float64, n)
	for a := range n {
		for b := a + 1; b < n; b++ {
			if sim := cosine(cands[a].terms, cands[b].terms); sim > 0.08 {
				cent[a] += sim
				cent[b] += sim
			}
		}
	}
	maxC := 0.0
	for _, c := range cent {
		maxC = math.Max(maxC, c)
	}
	for a := range cands {
		c := 0.0
		if maxC > 0 {
			c = cent[a] / maxC
		}
		lead := 1 / math.Sqrt(1+2*float64(a))
		cands[a].score = lead*0.7 + c*0.2 + cosine(cands[a].terms, titleVec)*0.3
		if strings.HasSuffix(strings.TrimSpace(cands[a].text), "?") {
			cands[a].score *= 0.8
		}
		if wordCount(cands[a].text) < 10 {
			// Short punchy openers ("Ni bulldozer ni démonstration de force.") say little.
			cands[a].score *= 0.75
		}
	}
}

// pickGist takes the best-scored sentences up to about 45-70 words, in
// article order.
func pickGist(cands []gistCand) []string {
	order := make([]int, len(cands))
	for a := range order {
		order[a] = a
	}
	sort.SliceStable(order, func(x, y int) bool { return cands[order[x]].score > cands[order[y]].score })
	var pick []int
	words := 0
	for _, a := range order {
		if len(pick) >= MaxGistSentences {
			break
		}
		w := wordCount(cands[a].text)
		if len(pick) > 0 && (words+w > 70 || cands[a].score < 0.45*cands[order[0]].score) {
			continue
		}
		pick = append(pick, a)
		words += w
		if words >= 45 {
			break
		}
	}
	sort.Ints(pick)
	out := make([]string, len(pick))
	for x, a := range pick {
		out[x] = cands[a].text
	}
	return out
}

// gistable reports whether a sentence may stand in a gist: real prose, not a
// heading, a dateline, page furniture, a byline or a bare quote. It returns
// the sentence folded.
func gistable(text string, s sentence, spans []textproc.QuoteSpan) (string, bool) {
	t := text[s.start:s.end]
	wc := wordCount(t)
	if wc < 6 {
		return "", false
	}
	f := fold(t)
	for _, b := range boilerplate {
		if strings.Contains(f, b) {
			return "", false
		}
	}
	if strings.HasPrefix(strings.TrimSpace(t), "•") || strings.HasPrefix(strings.TrimSpace(t), "-") {
		return "", false
	}
	last := lastNonSpaceRune(t)
	terminal := strings.ContainsRune(".!?؟…»\"”", last) || last == '″'
	if !terminal && wc < 20 {
		// Headings, captions, bylines and datelines carry no full stop.
		return "", false
	}
	letters := 0
	for _, r := range t {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters*2 < len([]rune(t)) {
		return "", false
	}
	// A sentence that is only a quote reads badly without its speaker.
	quoted := 0
	for _, sp := range spans {
		if sp.Open >= s.end {
			break
		}
		if sp.Open >= s.start && sp.Close <= s.end {
			quoted += sp.Close - sp.Open
		}
	}
	return f, quoted*10 < (s.end-s.start)*4
}

// Short function words left out of the similarity vectors.
var stopwords = wordSet("the and for that with this from have has was were are been its their his her not but " +
	"les des une pour par dans sur qui que est sont avec aux plus ont pas cette ces son ses leur elle ils " +
	"في من الي علي عن ان التي الذي هذا هذه مع كان كانت او ما لا وقد قد بين")

// vec is a sparse term vector: term ids in increasing order, their counts,
// and the vector's norm.
type vec struct {
	ids  []int
	w    []float64
	norm float64
}

// termVector builds the vector of an already folded text.
func termVector(folded string, vocab map[string]int) vec {
	counts := map[int]float64{}
	for _, w := range splitFolded(folded) {
		w = strings.TrimPrefix(w, "و")
		w = strings.TrimPrefix(w, "ال")
		if utf8.RuneCountInString(w) < 3 || stopwords[w] {
			continue
		}
		if r := []rune(w); len(r) > 6 {
			w = string(r[:6])
		}
		id, ok := vocab[w]
		if !ok {
			id = len(vocab)
			vocab[w] = id
		}
		counts[id]++
	}
	v := vec{ids: make([]int, 0, len(counts))}
	for id := range counts {
		v.ids = append(v.ids, id)
	}
	sort.Ints(v.ids)
	v.w = make([]float64, len(v.ids))
	for i, id := range v.ids {
		v.w[i] = counts[id]
		v.norm += v.w[i] * v.w[i]
	}
	v.norm = math.Sqrt(v.norm)
	return v
}

func cosine(a, b vec) float64 {
	if a.norm == 0 || b.norm == 0 {
		return 0
	}
	var dot float64
	for i, j := 0, 0; i < len(a.ids) && j < len(b.ids); {
		switch {
		case a.ids[i] == b.ids[j]:
			dot += a.w[i] * b.w[j]
			i++
			j++
		case a.ids[i] < b.ids[j]:
			i++
		default:
			j++
		}
	}
	return dot / (a.norm * b.norm)
}

// wordSet builds a set of folded words from a space-separated list.
func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[fold(w)] = true
	}
	return m
}
