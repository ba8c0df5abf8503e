package archive

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
	"github.com/migrawatch/migrawatch/internal/textproc"
)

// goldQuotes are the hand-labelled quotes of the 42 real articles of the
// shared corpus, as delivered articles.
func goldQuotes(tb testing.TB, now time.Time) []news.Article {
	tb.Helper()
	raw, err := os.ReadFile("testdata/gold-quotes.json")
	if err != nil {
		tb.Fatal(err)
	}
	var gold struct {
		Articles []struct {
			ID, Language, Outlet, URL string
			Relevant                  bool
			Quotes                    []struct{ Speaker, Role, Text string }
		}
	}
	if err := json.Unmarshal(raw, &gold); err != nil {
		tb.Fatal(err)
	}
	var out []news.Article
	for i, g := range gold.Articles {
		// The message shows two quotes: one article per pair of labelled quotes.
		for j := 0; j < len(g.Quotes); j += 2 {
			a := news.Article{
				Item: news.Item{FeedID: g.Outlet, Key: fmt.Sprintf("%s/%d", g.ID, j), Link: fmt.Sprintf("%s#%d", g.URL, j),
					Published: now.Add(-time.Duration(i*10+j) * time.Hour)},
				SourceName: g.Outlet, Lang: g.Language, Relevance: news.Relevance{Relevant: g.Relevant},
			}
			for _, q := range g.Quotes[j:min(j+2, len(g.Quotes))] {
				a.Summary.Quotes = append(a.Summary.Quotes, news.Quote{Speaker: q.Speaker, Role: q.Role, Text: q.Text})
			}
			out = append(out, a)
		}
	}
	return out
}

// redisBytes is the memory Redis reports for the keys under prefix.
func redisBytes(tb testing.TB, rdb redis.UniversalClient, prefix string) (bytes, keys int64) {
	tb.Helper()
	ctx := context.Background()
	it := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	for it.Next(ctx) {
		n, err := rdb.MemoryUsage(ctx, it.Val(), 0).Result()
		if err != nil {
			tb.Skipf("MEMORY USAGE: %v (a real Redis is needed)", err)
		}
		bytes += n
		keys++
	}
	if err := it.Err(); err != nil {
		tb.Fatal(err)
	}
	return bytes, keys
}

// TestArchive_FootprintPerQuote measures what the real quotes of the corpus
// take in Redis, every key of the archive counted (MEMORY USAGE, all
// samples), by kind of key. These 265 quotes are the worst case of the word
// index: almost every word is new, so each brings a key of its own; at a
// million quotes, where words are shared, BenchmarkSearch measures the
// steady cost (656 bytes per quote).
func TestArchive_FootprintPerQuote(t *testing.T) {
	if os.Getenv("REDIS_URL") == "" {
		t.Skip("MEMORY USAGE needs a real Redis (REDIS_URL)")
	}
	rdb, prefix := storetest.Redis(t)
	st := store.New(rdb, prefix)
	now := time.Now()
	x, err := New(Options{Store: st, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	quotes, textBytes := 0, 0
	for _, a := range goldQuotes(t, now) {
		for _, e := range x.Entries(a, now) {
			quotes++
			textBytes += len(e.Quote.Text)
		}
		if err := x.Record(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	if quotes < 200 {
		t.Fatalf("only %d quotes archived from the corpus", quotes)
	}
	ctx := context.Background()
	kinds := map[string][2]int64{} // kind of key -> keys, bytes
	var total int64
	it := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	for it.Next(ctx) {
		k := strings.TrimPrefix(it.Val(), prefix)
		kind := k
		if i := strings.IndexByte(k, '{'); i >= 0 {
			if j := strings.IndexByte(k[i:], '}'); j >= 0 {
				kind = k[:i] + "{…}" + k[i+j+1:]
			}
		}
		if strings.HasPrefix(kind, "quote:{…}:") && strings.Count(kind, ":") > 2 {
			kind = "quote:{voices}:<day>:…"
		}
		n, err := rdb.MemoryUsage(ctx, it.Val(), 0).Result()
		if err != nil {
			t.Skipf("MEMORY USAGE: %v", err)
		}
		v := kinds[kind]
		kinds[kind] = [2]int64{v[0] + 1, v[1] + n}
		total += n
	}
	for k, v := range kinds {
		t.Logf("%-28s %5d keys %8d bytes %6.0f per quote", k, v[0], v[1], float64(v[1])/float64(quotes))
	}
	t.Logf("%d real quotes (%d bytes of quote text): %d bytes, %.0f per quote", quotes, textBytes, total, float64(total)/float64(quotes))
	// A quote is kept with its speaker, role, link, outlet and date (and
	// here, with one or two quotes per speaker, its speaker's key), not with
	// its article, which would add kilobytes.
	if rec := kinds["quote:{…}"][1]; rec > int64(textBytes)+800*int64(quotes) {
		t.Errorf("the quotes take %d bytes for %d bytes of text", rec, textBytes)
	}
	if per := float64(total) / float64(quotes); per > 4096 {
		t.Errorf("%.0f bytes per quote in the worst case, more than 4 KiB", per)
	}
}

// The search benchmark runs on a Redis server of its own (redis-server on a
// free loopback port), loaded with MIGRAWATCH_BENCH_QUOTES synthetic quotes
// (default 20,000; the figure in the note is for 1,000,000) and, as the
// baseline measured in the same run, with 10,000 in another prefix:
//
//	MIGRAWATCH_BENCH_QUOTES=1000000 go test ./internal/archive -run '^$' -bench Search -benchtime 1000x
//
// Loading a million quotes takes minutes; with MIGRAWATCH_BENCH_REDIS set to
// the address of a server the test may fill (one started for it, never a
// shared one), the data set stays there and later runs reuse it.
//
// Quotes follow a news archive's shape: speakers quoted by a Zipf law (a few
// often, most once or twice), words drawn by a Zipf law over a vocabulary
// whose frequent words are the real words of the corpus quotes, dates over
// the last 89 days.

// benchServer starts a redis-server for the benchmark and stops it when b
// ends, or connects to MIGRAWATCH_BENCH_REDIS. It persists nothing: the
// test servers of storetest write every command to disk, which would time
// the disk, not the archive.
func benchServer(b *testing.B) *redis.Client {
	b.Helper()
	if addr := os.Getenv("MIGRAWATCH_BENCH_REDIS"); addr != "" {
		rdb := redis.NewClient(&redis.Options{Addr: addr, PoolSize: 64})
		b.Cleanup(func() { _ = rdb.Close() })
		if err := rdb.Ping(context.Background()).Err(); err != nil {
			b.Fatalf("MIGRAWATCH_BENCH_REDIS=%s: %v", addr, err)
		}
		return rdb
	}
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		b.Skip("redis-server is not installed")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", b.TempDir(), "--protected-mode", "yes")
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	rdb := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port), PoolSize: 64})
	b.Cleanup(func() { _ = rdb.Close() })
	for range 100 {
		if rdb.Ping(context.Background()).Err() == nil {
			return rdb
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.Fatal("redis-server did not start")
	return nil
}

// synth generates quotes.
type synth struct {
	vocab    []string
	wordZipf *zipf
	speakers []news.SpeakerName
	spkZipf  *zipf
	surnames []string // of the speakers, for queries
}

// zipf draws ranks 0..n-1 with probability proportional to 1/(rank+1)^s.
type zipf struct{ cdf []float64 }

func newZipf(n int, s float64) *zipf {
	z := &zipf{cdf: make([]float64, n)}
	sum := 0.0
	for i := range n {
		sum += 1 / math.Pow(float64(i+1), s)
		z.cdf[i] = sum
	}
	for i := range z.cdf {
		z.cdf[i] /= sum
	}
	return z
}

func (z *zipf) draw(r *rand.Rand) int {
	i, _ := slices.BinarySearch(z.cdf, r.Float64())
	return min(i, len(z.cdf)-1)
}

func newSynth(tb testing.TB, vocabSize, nSpeakers int) *synth {
	s := &synth{}
	seen := map[string]bool{}
	var firsts []string
	for _, a := range goldQuotes(tb, time.Now()) {
		for _, q := range a.Summary.Quotes {
			for _, w := range indexKeys(q.Text, a.Lang) {
				if !seen[w] {
					seen[w] = true
					s.vocab = append(s.vocab, w)
				}
			}
			if n := textproc.NameWords(q.Speaker); len(n) > 1 && !slices.Contains(firsts, n[0]) {
				firsts = append(firsts, n[0])
			}
		}
	}
	for i := 0; len(s.vocab) < vocabSize; i++ {
		s.vocab = append(s.vocab, "w"+strconv.FormatInt(int64(i), 36))
	}
	s.wordZipf = newZipf(len(s.vocab), 1.07)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range nSpeakers {
		sur := "s" + strconv.FormatInt(int64(i/2), 36) // two people share each surname
		w := []string{firsts[r.IntN(len(firsts))], sur}
		s.speakers = append(s.speakers, news.SpeakerName{ID: speakerID(w), Words: w})
		s.surnames = append(s.surnames, sur)
	}
	s.spkZipf = newZipf(nSpeakers, 0.9)
	return s
}

func (s *synth) quote(r *rand.Rand, i int, now time.Time) (news.ArchivedQuote, news.QuoteIndexing) {
	sp := s.speakers[s.spkZipf.draw(r)]
	n := 20 + r.IntN(21)
	words := make([]string, n)
	for k := range words {
		words[k] = s.vocab[s.wordZipf.draw(r)]
	}
	text := strings.Join(words, " ")
	q := news.ArchivedQuote{
		ID: strconv.FormatInt(int64(i), 36), SpeakerID: sp.ID, Speaker: strings.Join(sp.Words, " "), Role: "spokesperson",
		Text: text, Link: "https://example.org/news/" + strconv.Itoa(i), Source: "Example News",
		Lang: news.Languages[i%3], Topics: []string{"migration"}, At: now.Add(-time.Duration(r.Int64N(int64(89 * 24 * time.Hour)))),
	}
	return q, news.QuoteIndexing{Names: []news.SpeakerName{sp}, Words: indexKeys(text+" spokesperson "+q.Speaker, q.Lang)}
}

// load saves n quotes under prefix with 32 writers and returns the bytes
// Redis grew by. A data set loaded before (same prefix and size) is kept.
func (s *synth) load(b *testing.B, rdb *redis.Client, prefix string, n int, now time.Time) int64 {
	ctx := context.Background()
	marker := prefix + "bench:loaded:" + strconv.Itoa(n)
	if v, err := rdb.Get(ctx, marker).Int64(); err == nil {
		return v
	}
	before := usedMemory(b, rdb)
	defer func() {
		if !b.Failed() {
			rdb.Set(ctx, marker, usedMemory(b, rdb)-before, 0)
		}
	}()
	st := store.New(rdb, prefix)
	lim := news.ArchiveLimits{Retention: DefaultRetention, PerSpeaker: DefaultPerSpeaker, PerWord: DefaultPerWord}
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for w := range 32 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 99))
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				q, ix := s.quote(r, int(i), now)
				if _, _, err := st.SaveQuote(ctx, q, ix, lim, now); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
	return usedMemory(b, rdb) - before
}

func usedMemory(tb testing.TB, rdb *redis.Client) int64 {
	info, err := rdb.Info(context.Background(), "memory").Result()
	if err != nil {
		tb.Fatal(err)
	}
	sc := bufio.NewScanner(strings.NewReader(info))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "used_memory:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n
		}
	}
	tb.Fatal("no used_memory in INFO")
	return 0
}

func BenchmarkSearch(b *testing.B) {
	n := 20000
	if v := os.Getenv("MIGRAWATCH_BENCH_QUOTES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			b.Fatalf("MIGRAWATCH_BENCH_QUOTES=%q", v)
		}
	}
	const baseline = 10000
	rdb := benchServer(b)
	now := time.Now()
	s := newSynth(b, 300000, max(n/25, 2000))
	start := time.Now()
	s.load(b, rdb, "small:", baseline, now)
	grew := s.load(b, rdb, "big:", n, now)
	b.Logf("loaded %d + %d quotes in %v; the %d take %d bytes of Redis, %.0f per quote",
		baseline, n, time.Since(start).Round(time.Second), n, grew, float64(grew)/float64(n))

	ctx := context.Background()
	archives := map[string]*Archive{}
	for _, p := range []string{"small:", "big:"} {
		x, err := New(Options{Store: store.New(rdb, p), Now: func() time.Time { return now }})
		if err != nil {
			b.Fatal(err)
		}
		archives[p] = x
	}
	// Queries as people type them: a surname (of a speaker drawn by how
	// often speakers are quoted), a full name, the beginning of a surname,
	// two words of quotes, a speaker's button.
	r := rand.New(rand.NewPCG(5, 6))
	type query struct{ kind, text string }
	var queries []query
	for range 500 {
		sp := s.speakers[s.spkZipf.draw(r)]
		queries = append(queries,
			query{"surname", sp.Words[1]},
			query{"full-name", strings.Join(sp.Words, " ")},
			query{"prefix", sp.Words[1][:min(len(sp.Words[1]), 3)]},
			query{"words", s.vocab[s.wordZipf.draw(r)%2000] + " " + s.vocab[s.wordZipf.draw(r)%20000]},
			query{"button", sp.ID},
		)
	}
	for _, size := range []struct {
		name   string
		prefix string
	}{{"10k", "small:"}, {fmt.Sprint(n/1000) + "k", "big:"}} {
		x := archives[size.prefix]
		for _, kind := range []string{"surname", "full-name", "prefix", "words", "button"} {
			var qs []string
			for _, q := range queries {
				if q.kind == kind {
					qs = append(qs, q.text)
				}
			}
			b.Run(size.name+"/"+kind, func(b *testing.B) {
				i, found := 0, 0
				for b.Loop() {
					q := qs[i%len(qs)]
					i++
					var p Page
					var err error
					if kind == "button" {
						p, err = x.SpeakerQuotes(ctx, q, 0, 5)
					} else {
						p, err = x.Search(ctx, q, 0, 5)
					}
					if err != nil {
						b.Fatal(err)
					}
					if len(p.Quotes) > 0 {
						found++
					}
				}
				b.ReportMetric(float64(found)/float64(i), "found/op")
			})
		}
	}
	// The floor: one round trip to the same server.
	b.Run("ping", func(b *testing.B) {
		for b.Loop() {
			if err := rdb.Ping(ctx).Err(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
