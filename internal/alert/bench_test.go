package alert

import (
	"cmp"
	"fmt"
	"html"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
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
			for _, d := range avoid {
				k := textproc.Stem(slotLangs[d.slot], t)
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

// benchAlertsShared generates n alerts the way users write them: mostly 1-3
// words (a single word most often), two-word phrases, a few OR groups,
// negations, prefixes and field filters, drawn from a pool of distinct
// queries whose popularity follows a Zipf law (many chats follow
// "migrants"), their words drawn with a Zipf law over the corpus words
// ranked by document frequency (the commonest words, which are function
// words no one alerts on, left out). A chat holds at most 5 alerts.
func benchAlertsShared(tb testing.TB, arts []news.Article, n, distinct int) []news.Alert {
	v := buildVocabulary(arts)
	df := map[string]int{}
	for _, a := range arts {
		seen := map[string]bool{}
		for _, w := range textproc.Words(a.Title + " " + a.Text) {
			if k := textproc.Reading(w); !seen[k] {
				seen[k] = true
				df[k]++
			}
		}
	}
	keyOf := func(w string) string {
		ws := textproc.Words(w)
		if len(ws) != 1 {
			return ""
		}
		return textproc.Reading(ws[0])
	}
	byKey := map[string]string{} // one written form per compared word
	for _, w := range v.words {
		if k := keyOf(w); k != "" && utf8.RuneCountInString(w) >= 4 {
			if old, ok := byKey[k]; !ok || w < old {
				byKey[k] = w
			}
		}
	}
	words := make([]string, 0, len(byKey))
	for _, w := range byKey {
		words = append(words, w)
	}
	slices.SortFunc(words, func(a, b string) int {
		if c := df[keyOf(b)] - df[keyOf(a)]; c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	const functionWords = 150
	words = words[min(functionWords, len(words)/2):]
	rng := rand.New(rand.NewPCG(11, 12))
	wordRank := rand.NewZipf(rng, 1.1, 20, uint64(len(words)-1))
	// rank is the popularity of the query being written: the rank of its
	// first word, times a penalty for longer queries, so that the most
	// followed queries are single common words.
	var rank float64
	w := func() string {
		r := wordRank.Uint64()
		if rank == 0 {
			rank = float64(r + 1)
		}
		return words[r]
	}
	type pooled struct {
		q    string
		rank float64
	}
	pool := make([]pooled, 0, distinct)
	seen := map[string]bool{}
	for len(pool) < distinct {
		var q string
		rank = 0
		penalty := 20.0
		switch k := rng.IntN(100); {
		case k < 45:
			q, penalty = w(), 1
		case k < 65:
			q = w() + " " + w()
		case k < 70:
			q = w() + " " + w() + " " + w()
		case k < 80:
			q = `"` + v.phrases[rng.IntN(len(v.phrases))] + `"`
		case k < 86:
			q = w() + " OR " + w()
		case k < 88:
			q = w() + " (" + w() + " OR " + w() + ")"
		case k < 92:
			q = w() + " -" + w()
		case k < 95:
			rs := []rune(w())
			q = string(rs[:min(len(rs), 5+rng.IntN(3))]) + "*"
		case k < 97:
			q = "title:" + w()
		case k < 99:
			q = w() + " lang:" + news.Languages[rng.IntN(3)]
		default:
			q = w() + " source:" + v.sources[rng.IntN(len(v.sources))]
		}
		if _, err := Parse(q); err != nil || seen[q] {
			continue
		}
		seen[q] = true
		if rank == 0 {
			rank = float64(len(words)) // a phrase: rare
		}
		pool = append(pool, pooled{q, rank * penalty})
	}
	slices.SortStableFunc(pool, func(a, b pooled) int { return cmp.Compare(a.rank, b.rank) })
	popularity := rand.NewZipf(rng, 1.1, 2, uint64(len(pool)-1))
	out := make([]news.Alert, 0, n)
	for i := range n {
		out = append(out, news.Alert{ID: fmt.Sprint(i), ChatID: int64(1 + i/5), Query: pool[popularity.Uint64()].q})
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
	// the whole corpus (gold articles, seed and ten real feeds), 10 gold
	// alerts among alerts on words the gold articles do not contain, and
	// alerts shared across chats the way users write them.
	sets map[string]benchSet
}

func loadBench(b testing.TB) {
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
		// "shared": what users write (see benchAlertsShared), 20,000
		// distinct queries over the whole corpus.
		benchData.sets["shared"] = parsedSet(benchAlertsShared(b, append(slices.Clone(arts), feeds...), 100_000, 20_000))
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
	for _, vocab := range []string{"unrelated", "corpus", "gold", "shared"} {
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
	// Collect what loading left behind before timing: otherwise the
	// collector runs during the first loop timed (the index's), not the
	// naive one's, and the ratio measures the load.
	runtime.GC()
	distinct := map[string]bool{}
	for _, a := range alerts {
		distinct[a.Query] = true
	}
	b.Run(fmt.Sprintf("vocab=%s/alerts=%d/index", vocab, n), func(b *testing.B) {
		matches := 0
		for b.Loop() {
			for _, d := range docs {
				matches += len(x.Match(d))
			}
		}
		report(b, len(docs), matches)
		b.ReportMetric(float64(load.Milliseconds()), "ms-load")
		b.ReportMetric(float64(len(distinct)), "distinct-queries")
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

// TestBenchAlertsShared_Mix pins the shared generator: queries repeat
// across chats with a long tail, and every kind of query is there.
func TestBenchAlertsShared_Mix(t *testing.T) {
	alerts := benchAlertsShared(t, loadCorpus(t), 20_000, 4000)
	perQuery := map[string]int{}
	chats := map[int64]int{}
	var or, phrase, prefix, neg, field, single int
	for _, a := range alerts {
		perQuery[a.Query]++
		chats[a.ChatID]++
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
		case !strings.Contains(a.Query, " "):
			single++
		}
	}
	top, once := 0, 0
	for _, n := range perQuery {
		top = max(top, n)
		if n == 1 {
			once++
		}
	}
	if len(alerts) != 20_000 || len(perQuery) > len(alerts)/2 || top < 100 || once < len(perQuery)/4 {
		t.Fatalf("sharing: %d alerts, %d distinct queries, the most popular in %d chats, %d in one chat only",
			len(alerts), len(perQuery), top, once)
	}
	if or == 0 || phrase == 0 || prefix == 0 || neg == 0 || field == 0 || single < len(alerts)/4 {
		t.Fatalf("mix: %d OR, %d phrases, %d prefixes, %d negations, %d fields, %d single words", or, phrase, prefix, neg, field, single)
	}
	for chat, n := range chats {
		if n > MaxAlertsPerChat {
			t.Fatalf("chat %d has %d alerts", chat, n)
		}
	}
}

// BenchmarkMatchVsLoop measures the index and the naive loop on the same
// alerts and articles in alternation, each b.Loop iteration running the
// index over every article `indexReps` times and the loop over every
// article once, so that both see the same machine: on a shared machine a
// load that comes and goes weighs on both alike. It reports the time per
// article of each (wall clock and, less sensitive to other processes, the
// process's CPU time) and their ratios.
func BenchmarkMatchVsLoop(b *testing.B) {
	loadBench(b)
	docs := benchData.docs
	const indexReps = 10
	for _, vocab := range []string{"corpus", "gold", "shared"} {
		set := benchData.sets[vocab]
		x := NewIndex()
		if err := x.Load(set.alerts); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		b.Run(fmt.Sprintf("vocab=%s/alerts=%d", vocab, len(set.alerts)), func(b *testing.B) {
			var wallIndex, wallLoop, cpuIndex, cpuLoop time.Duration
			matches := 0
			for b.Loop() {
				w0, c0 := time.Now(), processCPU()
				for range indexReps {
					for _, d := range docs {
						matches += len(x.Match(d))
					}
				}
				w1, c1 := time.Now(), processCPU()
				for _, d := range docs {
					naiveMatch(set.alerts, set.queries, d)
				}
				w2, c2 := time.Now(), processCPU()
				wallIndex, cpuIndex = wallIndex+w1.Sub(w0), cpuIndex+c1-c0
				wallLoop, cpuLoop = wallLoop+w2.Sub(w1), cpuLoop+c2-c1
			}
			perIndex := float64(wallIndex.Nanoseconds()) / float64(b.N*indexReps*len(docs))
			perLoop := float64(wallLoop.Nanoseconds()) / float64(b.N*len(docs))
			cpuPerIndex := float64(cpuIndex.Nanoseconds()) / float64(b.N*indexReps*len(docs))
			cpuPerLoop := float64(cpuLoop.Nanoseconds()) / float64(b.N*len(docs))
			b.ReportMetric(perIndex, "index-ns/article")
			b.ReportMetric(perLoop, "loop-ns/article")
			b.ReportMetric(perLoop/perIndex, "x-loop-wall")
			b.ReportMetric(cpuPerIndex, "index-cpu-ns/article")
			b.ReportMetric(cpuPerLoop/cpuPerIndex, "x-loop-cpu")
			b.ReportMetric(float64(matches)/float64(b.N*indexReps*len(docs)), "matches/article")
		})
	}
}
