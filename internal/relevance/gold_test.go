package relevance

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/summarize/summarizetest"
	"github.com/migrawatch/migrawatch/internal/textproc"
)

// goldArticle is a labelled article of testdata/gold (fields used here).
type goldArticle struct {
	ID       string `json:"id"`
	Language string `json:"language"`
	Title    string `json:"title"`
	Text     string `json:"text"`
	Labels   struct {
		MigrationRelated bool   `json:"migration_related"`
		Reason           string `json:"relevance_reason"`
	} `json:"labels"`
}

func loadGold(tb testing.TB) []goldArticle {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "gold", "*.json"))
	if err != nil {
		tb.Fatal(err)
	}
	if len(paths) != 42 {
		tb.Fatalf("gold set: %d articles, want 42", len(paths))
	}
	sort.Strings(paths)
	var out []goldArticle
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		var g goldArticle
		if err := json.Unmarshal(b, &g); err != nil {
			tb.Fatalf("%s: %v", p, err)
		}
		out = append(out, g)
	}
	return out
}

// seedArticle is the 2M.ma article about the IOM project in Agadir: its first
// line is the headline, the rest the page text.
func seedArticle(tb testing.TB) news.Article {
	tb.Helper()
	b, err := summarizetest.ReadSeed("2m-iom-agadir.txt")
	if err != nil {
		tb.Fatal(err)
	}
	title, text, _ := strings.Cut(string(b), "\n")
	return news.Article{Item: news.Item{Title: title}, Text: text, Lang: "ar"}
}

func goldNews(g goldArticle) news.Article {
	return news.Article{Item: news.Item{Title: g.Title}, Text: g.Text, Lang: g.Language}
}

// TestGold measures precision and recall of the default migration lexicon
// on the labelled gold set, per language, and requires P >= 0.90 and R >= 0.85.
func TestGold(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	type counts struct{ tp, fp, fn, tn int }
	per := map[string]*counts{}
	for _, g := range loadGold(t) {
		r := s.Score(goldNews(g))
		c := per[g.Language]
		if c == nil {
			c = &counts{}
			per[g.Language] = c
		}
		want := g.Labels.MigrationRelated
		switch {
		case r.Relevant && want:
			c.tp++
		case r.Relevant && !want:
			c.fp++
			t.Logf("false positive %s (score %.2f, %v): %s", g.ID, r.Score, r.Matched, g.Labels.Reason)
		case !r.Relevant && want:
			c.fn++
			t.Logf("false negative %s (score %.2f, %v): %s", g.ID, r.Score, r.Matched, g.Labels.Reason)
		default:
			c.tn++
		}
	}
	for _, lang := range []string{"ar", "fr", "en"} {
		c := per[lang]
		if c == nil {
			t.Fatalf("no gold articles in %s", lang)
		}
		p := ratio(c.tp, c.tp+c.fp)
		rc := ratio(c.tp, c.tp+c.fn)
		t.Logf("%s: precision %.2f recall %.2f (tp %d fp %d fn %d tn %d)", lang, p, rc, c.tp, c.fp, c.fn, c.tn)
		if p < 0.90 || rc < 0.85 {
			t.Errorf("%s: precision %.2f recall %.2f, want P >= 0.90 and R >= 0.85", lang, p, rc)
		}
	}
	seed := s.Score(seedArticle(t))
	if !seed.Relevant {
		t.Errorf("seed article not relevant: %+v", seed)
	}
	t.Logf("seed: score %.2f matched %v", seed.Score, seed.Matched)
}

func ratio(n, d int) float64 {
	if d == 0 {
		return 1
	}
	return float64(n) / float64(d)
}

// termsOnly is the tokenizing work Score cannot avoid, the baseline of
// BenchmarkScoreGold.
func termsOnly(g goldArticle) int {
	return len(textproc.Terms(g.Language, g.Title)) + len(textproc.Terms(g.Language, g.Text))
}
