package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/migrawatch/migrawatch/internal/alert"
	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/pipeline"
	"github.com/migrawatch/migrawatch/internal/store"
)

// BenchmarkSoak runs the polling half of MigraWatch at the scale of a large
// deployment for a few minutes: 10,000 feeds served on loopback (real feeds
// from testdata/soak as templates, each feed publishing new items as time
// goes by), 100,000 chats subscribed to three feeds each, 100,000 keyword
// alerts matched against every new item. The feeds live on 500 host names
// (all resolved to loopback) and their first polls are spread over one
// interval, as in a deployment that has been running for a while. It reports
// the process RSS, Redis
// memory per chat, per alert and per feed (INFO used_memory deltas; a real
// Redis at REDIS_URL is needed for those), CPU per poll (getrusage, the feed
// server included since it runs in this process), and fails when a feed's
// seen set grows past its bound.
//
//	REDIS_URL=redis://127.0.0.1:6379/0 MIGRAWATCH_SOAK_DURATION=2m \
//	  go test -run '^$' -bench BenchmarkSoak -benchtime 1x ./cmd/migrawatch
//
// MIGRAWATCH_SOAK_FEEDS, MIGRAWATCH_SOAK_CHATS and MIGRAWATCH_SOAK_ALERTS
// shrink the scale for a quick run; MIGRAWATCH_SOAK_INTERVAL sets the poll
// interval (default a quarter of the duration). Targets: under 200 MB of RSS,
// under 1 KB of Redis per chat with default settings.
func BenchmarkSoak(b *testing.B) {
	cfg := soakConfig{
		feeds:    soakEnvInt(b, "MIGRAWATCH_SOAK_FEEDS", 10_000),
		chats:    soakEnvInt(b, "MIGRAWATCH_SOAK_CHATS", 100_000),
		alerts:   soakEnvInt(b, "MIGRAWATCH_SOAK_ALERTS", 100_000),
		duration: 2 * time.Minute,
	}
	if v := os.Getenv("MIGRAWATCH_SOAK_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			b.Fatalf("MIGRAWATCH_SOAK_DURATION=%q: want a duration such as 2m", v)
		}
		cfg.duration = d
	}
	// Each feed is polled about four times; every poll finds new items, so
	// the seen sets reach their bound (just above the largest feed's window)
	// and must stay there.
	cfg.interval = max(cfg.duration/4, 5*time.Second)
	if v := os.Getenv("MIGRAWATCH_SOAK_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second {
			b.Fatalf("MIGRAWATCH_SOAK_INTERVAL=%q: want a duration of a second or more", v)
		}
		cfg.interval = d
	}
	cfg.seenMax = 80

	ctx := context.Background()
	rdb, prefix, realRedis := soakRedis(b)
	st := store.New(rdb, prefix)
	feeds := newSoakFeeds(b, cfg.feeds, cfg.interval/8)
	addr := netip.MustParseAddrPort(feeds.Listener.Addr().String())
	loopback := func(context.Context, string) ([]netip.Addr, error) { return []netip.Addr{addr.Addr()}, nil }

	mem := func() int64 { return redisUsedMemory(b, rdb, realRedis) }
	base := mem()
	soakRegisterFeeds(b, st, feeds, cfg.feeds)
	afterFeeds := mem()
	soakSeedChats(b, st, cfg)
	afterChats := mem()
	index := soakSeedAlerts(b, st, cfg)
	afterAlerts := mem()

	handler := &soakHandler{index: index}
	fetcher := feed.NewFetcher(feed.Options{AllowPrivateAddresses: true, Timeout: 30 * time.Second, Resolver: loopback})
	sched := pipeline.New(st, fetcher, handler, pipeline.Options{
		Concurrency: 32,
		PerHost:     2,
		// Start polls as soon as slots free up rather than once a second.
		Tick:            100 * time.Millisecond,
		DefaultInterval: cfg.interval,
		MinInterval:     cfg.interval,
		MaxInterval:     cfg.interval,
		BackoffCap:      cfg.interval,
		SeenMaxCount:    cfg.seenMax,
		SeenMaxAge:      720 * time.Hour,
		Logger:          slog.New(slog.DiscardHandler),
	})

	var polls0 int64
	var cpu0 time.Duration
	for b.Loop() {
		soakStagger(b, st, cfg)
		polls0, cpu0 = feeds.requests.Load(), processCPU(b)
		runCtx, cancel := context.WithTimeout(ctx, cfg.duration)
		if err := sched.Run(runCtx); err != nil {
			b.Errorf("scheduler: %v", err)
		}
		cancel()
	}
	b.StopTimer()
	polls := feeds.requests.Load() - polls0
	cpu := processCPU(b) - cpu0
	afterSoak := mem()

	seenMax, seenOver := soakSeenSets(b, st, cfg)
	if seenOver > 0 {
		b.Errorf("%d feeds have more than %d seen items (largest %d): seen sets grow past their bound", seenOver, cfg.seenMax, seenMax)
	}
	// The RSS a long-running process settles at, not the garbage of the
	// seeding above.
	runtime.GC()
	debug.FreeOSMemory()
	rss, peak := processRSS(b)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
	b.ReportMetric(float64(polls), "polls")
	b.ReportMetric(float64(feeds.repolled()), "feeds-polled-twice")
	b.ReportMetric(float64(handler.items.Load()), "new-items")
	b.ReportMetric(float64(handler.matches.Load()), "alert-matches")
	if polls > 0 {
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(polls), "cpu-ms/poll")
	}
	b.ReportMetric(float64(rss)/(1<<20), "rss-MB")
	b.ReportMetric(float64(peak)/(1<<20), "rss-peak-MB")
	b.ReportMetric(float64(seenMax), "seen-max")
	if realRedis {
		perFeed := float64(afterFeeds-base) / float64(cfg.feeds)
		perChat := float64(afterChats-afterFeeds) / float64(cfg.chats)
		b.ReportMetric(perFeed, "redis-B/feed")
		b.ReportMetric(perChat, "redis-B/chat")
		b.ReportMetric(float64(afterAlerts-afterChats)/float64(max(cfg.alerts, 1)), "redis-B/alert")
		b.ReportMetric(float64(afterSoak-afterAlerts)/float64(cfg.feeds)+perFeed, "redis-B/feed-polled")
		if perChat > 1024 {
			b.Logf("Redis per chat %.0f B is over the 1 KB target", perChat)
		}
	} else {
		b.Log("Redis memory not measured: miniredis has no INFO memory; set REDIS_URL")
	}
	if rss > 200<<20 {
		b.Logf("RSS %d MB is over the 200 MB target", rss>>20)
	}
	b.Logf("%d feeds, %d chats, %d alerts, %s at a %s interval: %d polls (%d feeds polled twice or more), %d new items, %d alert matches",
		cfg.feeds, cfg.chats, cfg.alerts, cfg.duration, cfg.interval, polls, feeds.repolled(), handler.items.Load(), handler.matches.Load())
	if feeds.repolled() == 0 {
		b.Log("no feed was polled twice: the seen-set bound was not exercised; raise MIGRAWATCH_SOAK_DURATION or lower MIGRAWATCH_SOAK_INTERVAL")
	}
}

type soakConfig struct {
	feeds, chats, alerts int
	duration, interval   time.Duration
	seenMax              int
}

func soakEnvInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}

// soakRedis returns the Redis at REDIS_URL with a fresh prefix (deleted at the
// end), or an in-process miniredis.
func soakRedis(b *testing.B) (redis.UniversalClient, string, bool) {
	b.Helper()
	prefix := "mwsoak:" + randomID() + ":"
	url := os.Getenv("REDIS_URL")
	if url == "" {
		mr := miniredis.RunT(b)
		rdb := redis.NewClient(&redis.Options{Addr: mr.Addr(), PoolSize: 64})
		b.Cleanup(func() { _ = rdb.Close() })
		return rdb, prefix, false
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		b.Fatalf("REDIS_URL: %v", err)
	}
	opt.PoolSize = 64
	rdb := redis.NewClient(opt)
	b.Cleanup(func() {
		ctx := context.Background()
		iter := rdb.Scan(ctx, 0, prefix+"*", 10_000).Iterator()
		var keys []string
		flush := func() {
			if len(keys) > 0 {
				rdb.Unlink(ctx, keys...)
				keys = keys[:0]
			}
		}
		for iter.Next(ctx) {
			if keys = append(keys, iter.Val()); len(keys) == 1000 {
				flush()
			}
		}
		flush()
		_ = rdb.Close()
	})
	return rdb, prefix, true
}

var usedMemoryRe = regexp.MustCompile(`(?m)^used_memory:(\d+)`)

// redisUsedMemory is INFO memory's used_memory, 0 on miniredis.
func redisUsedMemory(b *testing.B, rdb redis.UniversalClient, real bool) int64 {
	b.Helper()
	if !real {
		return 0
	}
	info, err := rdb.Info(context.Background(), "memory").Result()
	if err != nil {
		b.Fatalf("INFO memory: %v", err)
	}
	m := usedMemoryRe.FindStringSubmatch(info)
	if m == nil {
		b.Fatalf("INFO memory without used_memory:\n%s", info)
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}

// parallel runs fn(i) for i in [0, n) on 64 goroutines and stops the
// benchmark at the first error.
func parallel(b *testing.B, n int, fn func(i int) error) {
	b.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for range 64 {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := fn(i); err != nil {
					once.Do(func() { first = err })
					next.Store(int64(n))
					return
				}
			}
		})
	}
	wg.Wait()
	if first != nil {
		b.Fatal(first)
	}
}

func soakFeedID(i int) string { return fmt.Sprintf("soak%05d", i) }

func soakRegisterFeeds(b *testing.B, st *store.Store, feeds *soakFeeds, n int) {
	b.Helper()
	ctx := context.Background()
	parallel(b, n, func(i int) error {
		t := feeds.templates[i%len(feeds.templates)]
		return st.RegisterFeed(ctx, news.Source{ID: soakFeedID(i), Name: fmt.Sprintf("Soak %d", i), URL: feeds.url(i),
			Language: t.lang, Country: "INT", Kind: news.KindFeed, Verified: true})
	})
}

// soakSeedChats stores the chats with default settings, each subscribed to
// three feeds.
func soakSeedChats(b *testing.B, st *store.Store, cfg soakConfig) {
	b.Helper()
	ctx := context.Background()
	parallel(b, cfg.chats, func(i int) error {
		id := int64(10_000_000 + i)
		if err := st.SaveChat(ctx, news.Chat{ID: id, Kind: news.ChatPrivate, UILang: store.DefaultUILang,
			Mode: store.DefaultMode, TZ: store.DefaultTZ, Status: store.DefaultStatus}); err != nil {
			return err
		}
		for k := range 3 {
			if _, err := st.Subscribe(ctx, id, soakFeedID((i*7+k*3331)%cfg.feeds)); err != nil {
				return err
			}
		}
		return nil
	})
}

// soakStagger spreads the feeds' next polls evenly over one interval.
func soakStagger(b *testing.B, st *store.Store, cfg soakConfig) {
	b.Helper()
	ctx := context.Background()
	start := time.Now()
	parallel(b, cfg.feeds, func(i int) error {
		return st.PollFeedAt(ctx, soakFeedID(i), start.Add(cfg.interval*time.Duration(i)/time.Duration(cfg.feeds)))
	})
}

// soakWords are the words alerts are made of, in the three languages.
var soakWords = strings.Fields(`migrants réfugiés asile frontière expulsion régularisation Lampedusa Calais Frontex
	OIM HCR visa titre séjour Ceuta Melilla Maroc Tunisie Libye naufrage
	refugees asylum border deportation smuggling Channel Rwanda detention visa Frontex IOM UNHCR Mediterranean
	shipwreck Sudan Syria Afghanistan
	هجرة مهاجرين لاجئين اللجوء الحدود ترحيل أكادير الناظور سبتة مليلية تهريب قوارب غرق المغرب تونس ليبيا`)

// soakQuery returns one of a few query shapes users write.
func soakQuery(rng *mrand.Rand) string {
	w := func() string { return soakWords[rng.IntN(len(soakWords))] }
	switch rng.IntN(5) {
	case 0:
		return w()
	case 1:
		return w() + " " + w()
	case 2:
		return w() + " OR " + w()
	case 3:
		return fmt.Sprintf("%s -%s", w(), w())
	default:
		prefix := []rune(w())
		return fmt.Sprintf("(%s OR %s) %s*", w(), w(), string(prefix[:min(4, len(prefix))]))
	}
}

// soakSeedAlerts stores one alert for each of the first cfg.alerts chats and
// returns the index a replica would build from them.
func soakSeedAlerts(b *testing.B, st *store.Store, cfg soakConfig) *alert.Index {
	b.Helper()
	ctx := context.Background()
	alerts := make([]news.Alert, cfg.alerts)
	rng := mrand.New(mrand.NewPCG(1, 2))
	now := time.Now()
	for i := range alerts {
		q := soakQuery(rng)
		alerts[i] = news.Alert{ID: alert.NewID(now.Add(time.Duration(i) * time.Millisecond)), ChatID: int64(10_000_000 + i%cfg.chats), Query: q}
	}
	parallel(b, len(alerts), func(i int) error {
		_, err := st.AddAlert(ctx, alerts[i], 50)
		return err
	})
	index := alert.NewIndex()
	if err := index.Load(alerts); err != nil {
		b.Fatalf("alert index: %v", err)
	}
	return index
}

// soakHandler matches every new item against the alert index, as the
// understanding stage does before routing.
type soakHandler struct {
	index          *alert.Index
	items, matches atomic.Int64
}

func (h *soakHandler) HandleItems(_ context.Context, src news.Source, items []news.Item) error {
	for _, it := range items {
		a := news.Article{Item: it, Text: it.Description, Lang: src.Language, SourceName: src.Name}
		h.matches.Add(int64(len(h.index.MatchArticle(a))))
		h.items.Add(1)
	}
	return nil
}

// soakSeenSets returns the largest seen set and how many exceed the bound.
func soakSeenSets(b *testing.B, st *store.Store, cfg soakConfig) (largest, over int) {
	b.Helper()
	ctx := context.Background()
	var mu sync.Mutex
	parallel(b, cfg.feeds, func(i int) error {
		n, err := st.SeenCount(ctx, soakFeedID(i))
		if err != nil {
			return err
		}
		mu.Lock()
		largest = max(largest, n)
		if n > cfg.seenMax {
			over++
		}
		mu.Unlock()
		return nil
	})
	return largest, over
}

// soakTemplate is a real feed split around its items, so that each served
// feed can show a sliding window of them with its own links and guids.
type soakTemplate struct {
	name       string
	lang       string
	head, tail []byte
	items      [][]byte
}

var (
	soakItemRe = regexp.MustCompile(`(?s)<item[ >].*?</item>`)
	// soakIDRe finds what makes an item's key: its guid and link.
	soakIDRe = regexp.MustCompile(`(<guid[^>]*>|<link>)([^<]+)(</guid>|</link>)`)
)

func loadSoakTemplates(b *testing.B) []soakTemplate {
	b.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "soak", "*.xml"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no feed templates in testdata/soak: %v", err)
	}
	var out []soakTemplate
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		locs := soakItemRe.FindAllIndex(body, -1)
		if len(locs) == 0 {
			b.Fatalf("%s has no items", f)
		}
		t := soakTemplate{name: filepath.Base(f), head: body[:locs[0][0]], tail: body[locs[len(locs)-1][1]:], lang: "en"}
		for _, l := range locs {
			t.items = append(t.items, body[l[0]:l[1]])
		}
		switch {
		case strings.Contains(t.name, "-ar"):
			t.lang = "ar"
		case strings.Contains(t.name, "-fr"):
			t.lang = "fr"
		}
		out = append(out, t)
	}
	return out
}

// soakFeeds serves feed i as template i mod len(templates). Items move like a
// real feed's: every step a feed publishes one more item (item numbers grow
// with time, offset per feed), and the feed lists as many of the newest as
// its template has. It answers 304 to a matching If-None-Match.
type soakFeeds struct {
	*httptest.Server
	templates []soakTemplate
	start     time.Time
	step      time.Duration
	requests  atomic.Int64
	perFeed   []atomic.Int32
}

func newSoakFeeds(b *testing.B, n int, step time.Duration) *soakFeeds {
	b.Helper()
	f := &soakFeeds{templates: loadSoakTemplates(b), start: time.Now(), step: step, perFeed: make([]atomic.Int32, n)}
	f.Server = httptest.NewServer(f)
	b.Cleanup(f.Close)
	return f
}

// url names feed i on one of 500 host names, so that per-host limits apply
// as they would to 500 sites.
func (f *soakFeeds) url(i int) string {
	_, port, _ := net.SplitHostPort(f.Listener.Addr().String())
	return fmt.Sprintf("http://news%03d.soak.test:%s/f/%d.xml", i%500, port, i)
}

// repolled counts the feeds requested at least twice.
func (f *soakFeeds) repolled() int {
	n := 0
	for i := range f.perFeed {
		if f.perFeed[i].Load() >= 2 {
			n++
		}
	}
	return n
}

func (f *soakFeeds) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var i int
	if _, err := fmt.Sscanf(r.URL.Path, "/f/%d.xml", &i); err != nil || i < 0 || i >= len(f.perFeed) {
		http.NotFound(w, r)
		return
	}
	f.requests.Add(1)
	f.perFeed[i].Add(1)
	t := f.templates[i%len(f.templates)]
	h := fnv.New32a()
	fmt.Fprint(h, i)
	offset := time.Duration(h.Sum32()%1000) * f.step / 1000
	newest := int((time.Since(f.start) + offset) / f.step)
	etag := fmt.Sprintf(`"%d-%d"`, i, newest)
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	bw := bufio.NewWriterSize(w, 64<<10)
	_, _ = bw.Write(t.head)
	for j := range t.items {
		n := newest - j
		item := t.items[((n%len(t.items))+len(t.items))%len(t.items)]
		// The number goes into the path, which canonical URLs (and so item
		// keys) keep, unlike fragments and tracking parameters.
		marker := fmt.Sprintf("/f%d-n%d", i, n)
		_, _ = bw.Write(soakIDRe.ReplaceAllFunc(item, func(m []byte) []byte {
			sm := soakIDRe.FindSubmatch(m)
			id := bytes.TrimSpace(sm[2])
			cut := len(id)
			if k := bytes.IndexAny(id, "?#"); k >= 0 {
				cut = k
			}
			return bytes.Join([][]byte{sm[1], id[:cut], []byte(marker), id[cut:], sm[3]}, nil)
		}))
	}
	_, _ = bw.Write(t.tail)
	_ = bw.Flush()
}

// processCPU is the user and system CPU time this process used so far.
func processCPU(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// processRSS reads VmRSS and VmHWM (the peak) from /proc/self/status.
func processRSS(b *testing.B) (rss, peak int64) {
	b.Helper()
	body, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Logf("RSS not measured: %v", err)
		return 0, 0
	}
	for _, line := range strings.Split(string(body), "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		fields := strings.Fields(value)
		if len(fields) == 0 {
			continue
		}
		kb, _ := strconv.ParseInt(fields[0], 10, 64)
		switch name {
		case "VmRSS":
			rss = kb << 10
		case "VmHWM":
			peak = kb << 10
		}
	}
	return rss, peak
}
