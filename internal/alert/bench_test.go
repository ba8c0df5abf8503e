package alert

import (
	"fmt"
	"html"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/textproc"
)

// benchAlerts generates n alerts from the vocabulary of arts (words of 4
// letters or more, drawn uniformly), in a mix close to what users write:
// single words, AND pairs, OR groups, phrases, prefixes, negations and
// field filters.
func benchAlerts(tb testing.TB, arts []news.Article, n int) []news.Alert {
	return benchAlertsAvoiding(tb, arts, n, nil)
}

// benchAlertsAvoiding is benchAlerts without the words (and phrases with
// words) that occur in the documents avoid.
func benchAlertsAvoiding(tb testing.TB, arts []news.Article, n int, avoid []*Document) []news.Alert {
	v := buildVocabulary(arts)
	occurs := func(w string) bool {
		for _, t := range textproc.Words(w) {
			k := wordKey(t)
			for _, d := range avoid {
				if _, ok := d.body.keys[k]; ok {
					return true
				}
				if _, ok := d.title.keys[k]; ok {
					return true
				}
			}
		}
		return false
	}
	var words []string
	for _, w := range v.words {
		if utf8.RuneCountInString(w) >= 4 && !occurs(w) {
			words = append(words, w)
		}
	}
	phrases := v.phrases[:0:0]
	for _, p := range v.phrases {
		if !occurs(p) {
			phrases = append(phrases, p)
		}
	}
	v.phrases = phrases
	rng := rand.New(rand.NewPCG(7, 8))
	w := func() string { return words[rng.IntN(len(words))] }
	out := make([]news.Alert, 0, n)
	for i := 0; len(out) < n; i++ {
		var q string
		switch k := rng.IntN(100); {
		case k < 35:
			q = w()
		case k < 55:
			q = w() + " " + w()
		case k < 65:
			q = w() + " OR " + w() + " OR " + w()
		case k < 70:
			q = w() + " (" + w() + " OR " + w() + ")"
		case k < 78:
			q = `"` + v.phrases[rng.IntN(len(v.phrases))] + `"`
		case k < 85:
			rs := []rune(w())
			q = string(rs[:min(len(rs), 4+rng.IntN(3))]) + "*"
		case k < 92:
			q = w() + " -" + w()
		case k < 95:
			q = "title:" + w()
		case k < 98:
			q = w() + " source:" + v.sources[rng.IntN(len(v.sources))]
		default:
			q = w() + " lang:" + news.Languages[rng.IntN(3)]
		}
		if _, err := Parse(q); err != nil {
			continue
		}
		out = append(out, news.Alert{ID: fmt.Sprint(i), ChatID: int64(1 + i/5), Query: q})
	}
	return out
}

// feedArticles reads the items' text of the real feeds in testdata/feeds
// (tags stripped) as articles: more real vocabulary of the three languages.
func feedArticles(tb testing.TB) []news.Article {
	files, err := filepath.Glob(filepath.Join("testdata", "feeds", "*.xml"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no feeds in testdata: %v", err)
	}
	tags := regexp.MustCompile(`(?s)<!\[CDATA\[|\]\]>|<[^>]*>`)
	var out []news.Article
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		text := html.UnescapeString(tags.ReplaceAllString(html.UnescapeString(string(b)), " "))
		out = append(out, news.Article{Item: news.Item{FeedID: strings.TrimSuffix(filepath.Base(f), ".xml")}, Text: text})
	}
	return out
}

type benchSet struct {
	alerts  []news.Alert
	queries []*Query
}

var benchData struct {
	once sync.Once
	docs []*Document
	// sets: alerts from the gold articles' own vocabulary (every alert word
	// occurs in at least one of the articles matched: the worst case), from
	// the whole corpus (gold articles, seed and ten real feeds), and 10 gold
	// alerts among alerts on words the gold articles do not contain.
	sets map[string]benchSet
}

func loadBench(b *testing.B) {
	benchData.once.Do(func() {
		arts := loadCorpus(b)
		for _, a := range arts {
			benchData.docs = append(benchData.docs, NewDocument(a))
		}
		benchData.sets = map[string]benchSet{}
		feeds := feedArticles(b)
		for name, vocab := range map[string][]news.Article{
			"gold":   arts,
			"corpus": append(slices.Clone(arts), feeds...),
		} {
			benchData.sets[name] = parsedSet(benchAlerts(b, vocab, 100_000))
		}
		// "unrelated": the first 10 gold alerts, then alerts made only of
		// feed words that no gold article contains: the same matches for
		// 10 and for 100,000 alerts, to show what the other alerts cost.
		unrelated := slices.Clone(benchData.sets["gold"].alerts[:10])
		for _, a := range benchAlertsAvoiding(b, feeds, 100_000-10, benchData.docs) {
			a.ID = "u" + a.ID
			unrelated = append(unrelated, a)
		}
		benchData.sets["unrelated"] = parsedSet(unrelated)
	})
}

func parsedSet(alerts []news.Alert) benchSet {
	s := benchSet{alerts: alerts}
	for _, a := range alerts {
		q, _ := Parse(a.Query)
		s.queries = append(s.queries, q)
	}
	return s
}

// BenchmarkMatch matches every gold article against n alerts, through the
// index and through the naive loop that evaluates every alert, in the same
// run. Metrics: ns/article, articles/s, matches/s and matches/article.
func BenchmarkMatch(b *testing.B) {
	loadBench(b)
	docs := benchData.docs
	for _, vocab := range []string{"unrelated", "corpus", "gold"} {
		for _, n := range []int{10, 1_000, 100_000} {
			benchMatch(b, docs, vocab, n)
		}
	}
}

func benchMatch(b *testing.B, docs []*Document, vocab string, n int) {
	alerts, queries := benchData.sets[vocab].alerts[:n], benchData.sets[vocab].queries[:n]
	x := NewIndex()
	start := time.Now()
	if err := x.Load(alerts); err != nil {
		b.Fatal(err)
	}
	load := time.Since(start)
	b.Run(fmt.Sprintf("vocab=%s/alerts=%d/index", vocab, n), func(b *testing.B) {
		matches := 0
		for b.Loop() {
			for _, d := range docs {
				matches += len(x.Match(d))
			}
		}
		report(b, len(docs), matches)
		b.ReportMetric(float64(load.Milliseconds()), "ms-load")
	})
	b.Run(fmt.Sprintf("vocab=%s/alerts=%d/naive", vocab, n), func(b *testing.B) {
		matches := 0
		for b.Loop() {
			for _, d := range docs {
				matches += len(naiveMatch(alerts, queries, d))
			}
		}
		report(b, len(docs), matches)
	})
}

func report(b *testing.B, docs, matches int) {
	perArticle := float64(b.Elapsed().Nanoseconds()) / float64(b.N*docs)
	b.ReportMetric(perArticle, "ns/article")
	b.ReportMetric(1e9/perArticle, "articles/s")
	b.ReportMetric(float64(matches)/b.Elapsed().Seconds(), "matches/s")
	b.ReportMetric(float64(matches)/float64(b.N*docs), "matches/article")
}

// BenchmarkNewDocument prepares every corpus article for matching (done
// once per article, whatever the number of alerts).
func BenchmarkNewDocument(b *testing.B) {
	arts := loadCorpus(b)
	for b.Loop() {
		for _, a := range arts {
			NewDocument(a)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(arts)), "ns/article")
}

// TestBenchAlerts_Mix pins the generator the benchmark relies on.
func TestBenchAlerts_Mix(t *testing.T) {
	alerts := benchAlerts(t, loadCorpus(t), 2000)
	var or, phrase, prefix, neg, field int
	for _, a := range alerts {
		switch {
		case strings.Contains(a.Query, " OR "):
			or++
		case strings.HasPrefix(a.Query, `"`):
			phrase++
		case strings.HasSuffix(a.Query, "*"):
			prefix++
		case strings.Contains(a.Query, " -"):
			neg++
		case strings.Contains(a.Query, ":"):
			field++
		}
	}
	if len(alerts) != 2000 || or == 0 || phrase == 0 || prefix == 0 || neg == 0 || field == 0 {
		t.Fatalf("mix: %d alerts, %d OR, %d phrases, %d prefixes, %d negations, %d fields", len(alerts), or, phrase, prefix, neg, field)
	}
}
