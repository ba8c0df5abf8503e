package alert

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/summarize/summarizetest"
	"github.com/migrawatch/migrawatch/internal/textproc"
)

// goldArticle is the part of a labelled corpus article the tests use.
type goldArticle struct {
	ID          string `json:"id"`
	Language    string `json:"language"`
	Title       string `json:"title"`
	Text        string `json:"text"`
	Outlet      string `json:"outlet"`
	OriginalURL string `json:"original_url"`
}

// loadCorpus reads the labelled articles and the seed article of testdata.
func loadCorpus(tb testing.TB) []news.Article {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "articles", "*.json"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no corpus articles in testdata: %v", err)
	}
	var out []news.Article
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		var g goldArticle
		if err := json.Unmarshal(b, &g); err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		out = append(out, news.Article{
			Item: news.Item{FeedID: feedIDOf(g.Outlet), Key: g.ID, Link: g.OriginalURL, Title: g.Title},
			Lang: g.Language,
			Text: g.Text,
		})
	}
	seed, err := summarizetest.ReadSeed("2m-iom-agadir.txt")
	if err != nil {
		tb.Fatal(err)
	}
	title, text, _ := strings.Cut(string(seed), "\n")
	out = append(out, news.Article{
		Item: news.Item{FeedID: "2m-ar", Key: "seed", Link: "https://www.2m.ma/ar/news/seed", Title: title},
		Lang: news.Arabic,
		Text: text,
	})
	return out
}

func feedIDOf(outlet string) string {
	f := strings.Fields(strings.ToLower(outlet))
	if len(f) == 0 {
		return "unknown"
	}
	return strings.Trim(f[0], "().,")
}

// vocabulary is the corpus words (as written, before normalization) that
// queries are drawn from, with the phrases (2-3 consecutive words) found in
// the articles, and the article sources.
type vocabulary struct {
	words   []string
	phrases []string
	sources []string
}

func buildVocabulary(arts []news.Article) vocabulary {
	var v vocabulary
	seen := map[string]bool{}
	for _, a := range arts {
		ws := strings.FieldsFunc(a.Title+" "+a.Text, func(r rune) bool {
			return !(r == '\'' || r == '’' || r == '-' || isLetterOrDigit(r))
		})
		for i, w := range ws {
			if utf8.RuneCountInString(w) < 3 || len(textproc.Words(w)) != 1 {
				continue
			}
			if !seen[w] {
				seen[w] = true
				v.words = append(v.words, w)
			}
			if i%7 == 0 && i+2 < len(ws) {
				v.phrases = append(v.phrases, strings.Join(ws[i:i+2+i%2], " "))
			}
		}
		v.sources = append(v.sources, a.FeedID)
		for _, h := range hostsOf(a.Link) {
			v.sources = append(v.sources, h)
		}
	}
	slices.Sort(v.sources)
	v.sources = slices.Compact(v.sources)
	return v
}

func isLetterOrDigit(r rune) bool {
	return len(textproc.Words(string(r))) == 1
}

// queryGen writes random queries in the alert language from a vocabulary.
type queryGen struct {
	rng *rand.Rand
	v   vocabulary
}

func (g *queryGen) word() string { return g.v.words[g.rng.IntN(len(g.v.words))] }

func (g *queryGen) leaf() string {
	switch n := g.rng.IntN(20); {
	case n < 10:
		return g.word()
	case n < 13:
		rs := []rune(g.word())
		return string(rs[:min(len(rs), 3+g.rng.IntN(3))]) + "*"
	case n < 16:
		p := g.v.phrases[g.rng.IntN(len(g.v.phrases))]
		if g.rng.IntN(2) == 0 {
			return "«" + p + "»"
		}
		return `"` + p + `"`
	case n < 17:
		return "title:" + g.word()
	case n < 18:
		return "source:" + g.v.sources[g.rng.IntN(len(g.v.sources))]
	default:
		return "lang:" + news.Languages[g.rng.IntN(3)]
	}
}

// expr writes a random expression; depth bounds the nesting.
func (g *queryGen) expr(depth int) string {
	if depth == 0 {
		return g.leaf()
	}
	switch g.rng.IntN(6) {
	case 0, 1:
		return g.leaf()
	case 2: // AND
		n := 2 + g.rng.IntN(2)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = g.expr(depth - 1)
		}
		return "(" + strings.Join(parts, " ") + ")"
	case 3: // OR
		n := 2 + g.rng.IntN(2)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = g.expr(depth - 1)
		}
		return "(" + strings.Join(parts, " OR ") + ")"
	case 4: // positive AND negative
		neg := "-"
		if g.rng.IntN(2) == 0 {
			neg = "NOT "
		}
		return "(" + g.expr(depth-1) + " " + neg + g.expr(depth-1) + ")"
	default:
		return "title:(" + g.expr(depth-1) + " OR " + g.expr(depth-1) + ")"
	}
}

// query returns a random query that parses.
func (g *queryGen) query() (string, *Query) {
	for {
		s := g.expr(1 + g.rng.IntN(3))
		if q, err := Parse(s); err == nil {
			return s, q
		}
	}
}
