package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 2, 16, 8, 0, 0, 0, time.UTC)} }
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// feedServer serves RSS documents per path with an ETag, honouring
// If-None-Match, and can be told to fail.
type feedServer struct {
	*httptest.Server
	mu       sync.Mutex
	items    map[string][]string // path -> item titles
	status   map[string]int      // path -> forced status
	header   map[string]http.Header
	requests []*http.Request
	delay    time.Duration
	inFlight map[string]int
	maxHost  atomic.Int32
	maxFeed  atomic.Int32
	host     atomic.Int32
}

func newFeedServer(t *testing.T) *feedServer {
	fs := &feedServer{items: map[string][]string{}, status: map[string]int{}, header: map[string]http.Header{}, inFlight: map[string]int{}}
	fs.Server = httptest.NewServer(http.HandlerFunc(fs.serve))
	t.Cleanup(fs.Close)
	return fs
}

func rss(titles []string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test feed</title>`)
	for i, title := range titles {
		fmt.Fprintf(&b, `<item><title>%s</title><link>https://news.example.org/a/%s?utm_source=rss</link><pubDate>%s</pubDate></item>`,
			title, title, time.Date(2026, 2, 1, 0, i, 0, 0, time.UTC).Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

func (fs *feedServer) serve(w http.ResponseWriter, r *http.Request) {
	fs.mu.Lock()
	fs.requests = append(fs.requests, r)
	fs.inFlight[r.URL.Path]++
	if n := int32(fs.inFlight[r.URL.Path]); n > fs.maxFeed.Load() {
		fs.maxFeed.Store(n)
	}
	status, titles, hdr, delay := fs.status[r.URL.Path], fs.items[r.URL.Path], fs.header[r.URL.Path], fs.delay
	fs.mu.Unlock()
	if n := fs.host.Add(1); n > fs.maxHost.Load() {
		fs.maxHost.Store(n)
	}
	defer func() {
		fs.host.Add(-1)
		fs.mu.Lock()
		fs.inFlight[r.URL.Path]--
		fs.mu.Unlock()
	}()
	if delay > 0 {
		time.Sleep(delay)
	}
	for k, v := range hdr {
		w.Header()[k] = v
	}
	if status != 0 {
		w.WriteHeader(status)
		return
	}
	body := rss(titles)
	sum := sha256.Sum256([]byte(body))
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	_, _ = w.Write([]byte(body))
}

func (fs *feedServer) set(path string, titles ...string) {
	fs.mu.Lock()
	fs.items[path] = titles
	fs.mu.Unlock()
}

func (fs *feedServer) fail(path string, status int, hdr http.Header) {
	fs.mu.Lock()
	fs.status[path] = status
	fs.header[path] = hdr
	fs.mu.Unlock()
}

func (fs *feedServer) lastRequest() *http.Request {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.requests[len(fs.requests)-1]
}

// recorder is a Handler that keeps what it received.
type recorder struct {
	mu    sync.Mutex
	items map[string][]news.Item
	err   error
}

func (r *recorder) HandleItems(_ context.Context, src news.Source, items []news.Item) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	if r.items == nil {
		r.items = map[string][]news.Item{}
	}
	r.items[src.ID] = append(r.items[src.ID], items...)
	return nil
}

func (r *recorder) titles(id string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var t []string
	for _, it := range r.items[id] {
		t = append(t, it.Title)
	}
	return strings.Join(t, ",")
}

type env struct {
	store *store.Store
	srv   *feedServer
	clock *clock
	rec   *recorder
}

func newEnv(t *testing.T) *env {
	rdb, prefix := storetest.Redis(t)
	return &env{store: store.New(rdb, prefix), srv: newFeedServer(t), clock: newClock(), rec: &recorder{}}
}

func (e *env) scheduler(opts Options) *Scheduler {
	if opts.Now == nil {
		opts.Now = e.clock.Now
	}
	if opts.Jitter == 0 {
		opts.Jitter = -1
	}
	f := feed.NewFetcher(feed.Options{AllowPrivateAddresses: true, Now: opts.Now})
	return New(e.store, f, e.rec, opts)
}

func (e *env) register(t *testing.T, id, path string) {
	t.Helper()
	if err := e.store.RegisterFeed(context.Background(), news.Source{ID: id, URL: e.srv.URL + path}); err != nil {
		t.Fatal(err)
	}
}

func (e *env) state(t *testing.T, id string) news.FeedState {
	t.Helper()
	st, ok, err := e.store.Feed(context.Background(), id)
	if err != nil || !ok {
		t.Fatalf("feed %s: %v %v", id, ok, err)
	}
	return st
}

func TestScheduler_FirstPollMarksSeenThenOnlyNewItemsAreHandedOver(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.srv.set("/f", "a", "b", "c")
	e.register(t, "f", "/f")
	s := e.scheduler(Options{})

	stats, err := s.PollDue(ctx)
	if err != nil || stats.OK != 1 || stats.NewItems != 0 {
		t.Fatalf("first poll: %+v %v", stats, err)
	}
	if got := e.rec.titles("f"); got != "" {
		t.Fatalf("first poll handed over %q", got)
	}
	if h := e.srv.lastRequest().Header; h.Get("If-None-Match") != "" || h.Get("If-Modified-Since") != "" {
		t.Error("conditional headers without stored validators")
	}
	st := e.state(t, "f")
	if st.ETag == "" || st.LastOK.IsZero() || st.Interval != 15*time.Minute {
		t.Fatalf("state after first poll %+v", st)
	}

	// Not due yet: nothing happens.
	if stats, _ := s.PollDue(ctx); stats.Polled != 0 {
		t.Fatalf("polled before due: %+v", stats)
	}

	e.srv.set("/f", "a", "b", "c", "d", "e")
	e.clock.Advance(15 * time.Minute)
	stats, _ = s.PollDue(ctx)
	if stats.OK != 1 || stats.NewItems != 2 {
		t.Fatalf("second poll %+v", stats)
	}
	if got := e.rec.titles("f"); got != "d,e" {
		t.Fatalf("handed over %q, want d,e (oldest first)", got)
	}
	if got := e.rec.items["f"][0].Key; got != "https://news.example.org/a/d" {
		t.Errorf("key %q", got)
	}
	// Busy feed: the interval shrinks.
	if st := e.state(t, "f"); st.Interval != 10*time.Minute {
		t.Errorf("interval after new items = %s, want 10m", st.Interval)
	}

	// Unchanged: the validator is sent, 304 is a cheap success, interval grows.
	e.clock.Advance(10 * time.Minute)
	stats, _ = s.PollDue(ctx)
	if stats.NotModified != 1 || stats.NewItems != 0 || stats.BytesRead != 0 {
		t.Fatalf("third poll %+v", stats)
	}
	if e.srv.lastRequest().Header.Get("If-None-Match") != e.state(t, "f").ETag {
		t.Error("stored ETag not sent")
	}
	if st := e.state(t, "f"); st.Interval != 12*time.Minute+30*time.Second || st.Errors != 0 {
		t.Errorf("interval after 304 = %s", st.Interval)
	}
	if got := e.rec.titles("f"); got != "d,e" {
		t.Errorf("items repeated: %q", got)
	}
}

func TestScheduler_BackfillHandsOverNewestOnFirstPoll(t *testing.T) {
	e := newEnv(t)
	e.srv.set("/f", "a", "b", "c", "d")
	e.register(t, "f", "/f")
	s := e.scheduler(Options{Backfill: 2})
	if _, err := s.PollDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := e.rec.titles("f"); got != "c,d" {
		t.Errorf("backfill = %q, want c,d", got)
	}
}

func TestScheduler_HandlerErrorLeavesItemsUnseenAndValidatorsUnsaved(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.srv.set("/f", "a")
	e.register(t, "f", "/f")
	s := e.scheduler(Options{})
	_, _ = s.PollDue(ctx)
	etag := e.state(t, "f").ETag

	e.srv.set("/f", "a", "b")
	e.rec.err = errors.New("downstream down")
	e.clock.Advance(15 * time.Minute)
	stats, _ := s.PollDue(ctx)
	if stats.Failed != 1 {
		t.Fatalf("%+v", stats)
	}
	st := e.state(t, "f")
	if st.ETag != etag || st.Errors != 1 || !strings.Contains(st.LastError, "downstream down") {
		t.Fatalf("state %+v", st)
	}
	e.rec.err = nil
	e.clock.Advance(time.Hour)
	_, _ = s.PollDue(ctx)
	if got := e.rec.titles("f"); got != "b" {
		t.Errorf("after recovery handed over %q, want b", got)
	}
	if st := e.state(t, "f"); st.Errors != 0 || st.ETag == etag {
		t.Errorf("state after recovery %+v", st)
	}
}

func TestScheduler_ValidatorsSavedOnlyAfterGoodParse(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.register(t, "f", "/broken")
	// 200 with validators but a body that is not a feed.
	mux := http.NewServeMux()
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"bad"`)
		w.Header().Set("Last-Modified", "Mon, 16 Feb 2026 07:00:00 GMT")
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html><body>maintenance</body></html>"))
	})
	e.srv.Config.Handler = mux
	s := e.scheduler(Options{})
	stats, _ := s.PollDue(ctx)
	if stats.Failed != 1 {
		t.Fatalf("%+v", stats)
	}
	st := e.state(t, "f")
	if st.ETag != "" || st.LastModified != "" {
		t.Errorf("validators of an unparsable answer saved: %+v", st)
	}
	if !strings.Contains(st.LastError, "got an HTML page, not a feed") {
		t.Errorf("last_error %q", st.LastError)
	}
}

func TestScheduler_BackoffGrowsCapsAndNeverDropsAFeed(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.srv.set("/f", "a")
	e.register(t, "f", "/f")
	s := e.scheduler(Options{DefaultInterval: 10 * time.Minute, MinInterval: time.Minute, BackoffCap: 2 * time.Hour})
	_, _ = s.PollDue(ctx) // healthy first
	e.srv.fail("/f", http.StatusBadGateway, nil)
	var waits []time.Duration
	for range 8 {
		st := e.state(t, "f")
		e.clock.Advance(st.NextPoll.Sub(e.clock.Now()))
		before := e.clock.Now()
		stats, _ := s.PollDue(ctx)
		if stats.Failed != 1 {
			t.Fatalf("poll not made when due: %+v", stats)
		}
		waits = append(waits, e.state(t, "f").NextPoll.Sub(before))
	}
	want := []time.Duration{20 * time.Minute, 40 * time.Minute, 80 * time.Minute, 2 * time.Hour, 2 * time.Hour, 2 * time.Hour, 2 * time.Hour, 2 * time.Hour}
	if fmt.Sprint(waits) != fmt.Sprint(want) {
		t.Errorf("backoff waits %v, want %v", waits, want)
	}
	st := e.state(t, "f")
	if st.Errors != 8 || !strings.Contains(st.LastError, "502") || st.Interval != 10*time.Minute {
		t.Errorf("state %+v", st)
	}
	// Retry-After longer than the cap is honoured, but never beyond a day.
	e.srv.fail("/f", http.StatusTooManyRequests, http.Header{"Retry-After": {"36000"}})
	e.clock.Advance(2 * time.Hour)
	_, _ = s.PollDue(ctx)
	if d := e.state(t, "f").NextPoll.Sub(e.clock.Now()); d != 10*time.Hour {
		t.Errorf("Retry-After 10h gave a wait of %s", d)
	}
	e.srv.fail("/f", http.StatusTooManyRequests, http.Header{"Retry-After": {"360000"}})
	e.clock.Advance(10 * time.Hour)
	_, _ = s.PollDue(ctx)
	if d := e.state(t, "f").NextPoll.Sub(e.clock.Now()); d != 24*time.Hour {
		t.Errorf("Retry-After 100h gave a wait of %s, want the daily retry", d)
	}
	// Recovery resets the error count and keeps the interval.
	e.srv.fail("/f", 0, nil)
	e.clock.Advance(24 * time.Hour)
	stats, _ := s.PollDue(ctx)
	if stats.Polled != 1 || stats.Failed != 0 || e.state(t, "f").Errors != 0 {
		t.Errorf("no recovery: %+v", stats)
	}
}

func TestScheduler_IntervalAdaptsWithinBounds(t *testing.T) {
	s := New(nil, nil, nil, Options{DefaultInterval: 15 * time.Minute, MinInterval: 5 * time.Minute, MaxInterval: time.Hour})
	for _, tc := range []struct {
		cur   time.Duration
		new   int
		first bool
		hint  time.Duration
		want  time.Duration
	}{
		{0, 0, true, 0, 15 * time.Minute},
		{15 * time.Minute, 3, false, 0, 10 * time.Minute},
		{6 * time.Minute, 3, false, 0, 5 * time.Minute},
		{15 * time.Minute, 0, false, 0, 18*time.Minute + 45*time.Second},
		{55 * time.Minute, 0, false, 0, time.Hour},
		{10 * time.Minute, 2, false, 30 * time.Minute, 30 * time.Minute},
		{10 * time.Minute, 0, false, 5 * time.Hour, time.Hour},
	} {
		if got := s.NextInterval(tc.cur, tc.new, tc.first, tc.hint); got != tc.want {
			t.Errorf("NextInterval(%s, %d, %v, %s) = %s, want %s", tc.cur, tc.new, tc.first, tc.hint, got, tc.want)
		}
	}
}

func TestScheduler_HonoursPublisherTTL(t *testing.T) {
	e := newEnv(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/ttl", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`<rss version="2.0"><channel><title>t</title><ttl>45</ttl><item><title>x</title><link>https://e.org/x</link></item></channel></rss>`))
	})
	e.srv.Config.Handler = mux
	e.register(t, "f", "/ttl")
	s := e.scheduler(Options{})
	_, _ = s.PollDue(context.Background())
	if st := e.state(t, "f"); st.Interval != 45*time.Minute || !st.NextPoll.Equal(e.clock.Now().Add(45*time.Minute)) {
		t.Errorf("ttl not honoured: %+v", st)
	}
}

func TestScheduler_TwoReplicasNeverPollTheSameFeedAtOnce(t *testing.T) {
	e := newEnv(t)
	const feeds = 30
	for i := range feeds {
		path := fmt.Sprintf("/f%d", i)
		e.srv.set(path, "a", "b")
		e.register(t, fmt.Sprintf("f%d", i), path)
	}
	e.srv.delay = 20 * time.Millisecond
	a := e.scheduler(Options{Replica: "a", PerHost: 8})
	b := e.scheduler(Options{Replica: "b", PerHost: 8})
	var wg sync.WaitGroup
	var sa, sb Stats
	wg.Add(2)
	go func() { defer wg.Done(); sa, _ = a.PollDue(context.Background()) }()
	go func() { defer wg.Done(); sb, _ = b.PollDue(context.Background()) }()
	wg.Wait()
	if got := e.srv.maxFeed.Load(); got != 1 {
		t.Errorf("a feed was fetched %d times at once", got)
	}
	e.srv.mu.Lock()
	requests := len(e.srv.requests)
	e.srv.mu.Unlock()
	if sa.Polled+sb.Polled != feeds || requests != feeds {
		t.Errorf("polled a=%d b=%d requests=%d, want %d in all", sa.Polled, sb.Polled, requests, feeds)
	}
	if sa.Polled == 0 || sb.Polled == 0 {
		t.Logf("one replica did all the work (a=%d b=%d)", sa.Polled, sb.Polled)
	}
	// The leases are released after the polls.
	for i := range feeds {
		if ok, _ := e.store.AcquireFeedLease(context.Background(), fmt.Sprintf("f%d", i), "probe", time.Second); !ok {
			t.Fatalf("lease of f%d still held", i)
		}
	}
}

func TestScheduler_PerHostAndOverallConcurrencyLimits(t *testing.T) {
	e := newEnv(t)
	for i := range 12 {
		path := fmt.Sprintf("/f%d", i)
		e.srv.set(path, "a")
		e.register(t, fmt.Sprintf("f%d", i), path)
	}
	e.srv.delay = 15 * time.Millisecond
	s := e.scheduler(Options{Concurrency: 8, PerHost: 2})
	stats, err := s.PollDue(context.Background())
	if err != nil || stats.OK != 12 {
		t.Fatalf("%+v %v", stats, err)
	}
	if got := e.srv.maxHost.Load(); got != 2 {
		t.Errorf("max concurrent requests to one host = %d, want 2", got)
	}
}

func TestScheduler_RunPollsAndStopsCleanly(t *testing.T) {
	e := newEnv(t)
	e.srv.set("/f", "a")
	e.register(t, "f", "/f")
	s := e.scheduler(Options{Now: time.Now, Tick: 10 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for e.state(t, "f").LastOK.IsZero() {
		if time.Now().After(deadline) {
			t.Fatal("Run did not poll the due feed")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
	if ok, _ := e.store.AcquireFeedLease(context.Background(), "f", "probe", time.Second); !ok {
		t.Error("lease held after Run stopped")
	}
}

func TestScheduler_UnchangedBodyWithoutValidatorsIsNotParsedAgain(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	var body atomic.Value
	body.Store(rss([]string{"a", "b"}))
	mux := http.NewServeMux()
	mux.HandleFunc("/plain", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(body.Load().(string))) // no ETag, no Last-Modified
	})
	e.srv.Config.Handler = mux
	e.register(t, "f", "/plain")
	s := e.scheduler(Options{})
	_, _ = s.PollDue(ctx)
	e.clock.Advance(time.Hour)
	stats, _ := s.PollDue(ctx)
	if stats.NotModified != 1 || stats.BytesRead == 0 {
		t.Fatalf("identical body: %+v", stats)
	}
	body.Store(rss([]string{"a", "b", "c"}))
	e.clock.Advance(time.Hour)
	stats, _ = s.PollDue(ctx)
	if stats.OK != 1 || e.rec.titles("f") != "c" {
		t.Fatalf("changed body: %+v, handed over %q", stats, e.rec.titles("f"))
	}
	// With conditional GET disabled every body is parsed.
	e.clock.Advance(time.Hour)
	stats, _ = e.scheduler(Options{DisableConditionalGET: true}).PollDue(ctx)
	if stats.OK != 1 {
		t.Fatalf("DisableConditionalGET: %+v", stats)
	}
}

func TestScheduler_JitterStaysWithinItsFraction(t *testing.T) {
	for _, tc := range []struct {
		r    float64
		want time.Duration
	}{{0, 54 * time.Minute}, {0.5, time.Hour}, {1, 66 * time.Minute}} {
		s := New(nil, nil, nil, Options{Jitter: 0.1, Rand: func() float64 { return tc.r }})
		if got := s.jitter(time.Hour); got != tc.want {
			t.Errorf("jitter(1h) with rand %.1f = %s, want %s", tc.r, got, tc.want)
		}
	}
}

func TestScheduler_TwoRunningReplicasShareTheWork(t *testing.T) {
	e := newEnv(t)
	const feeds = 20
	for i := range feeds {
		path := fmt.Sprintf("/r%d", i)
		e.srv.set(path, "a")
		e.register(t, fmt.Sprintf("r%d", i), path)
	}
	e.srv.delay = 10 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, id := range []string{"a", "b"} {
		s := e.scheduler(Options{Replica: id, Now: time.Now, Tick: 5 * time.Millisecond, PerHost: 4})
		wg.Add(1)
		go func() { defer wg.Done(); _ = s.Run(ctx) }()
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		all, err := e.store.Feeds(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		done := 0
		for _, st := range all {
			if !st.LastOK.IsZero() {
				done++
			}
		}
		if done == feeds {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d feeds polled", done, feeds)
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // a few more ticks: nothing is due again
	cancel()
	wg.Wait()
	e.srv.mu.Lock()
	n := len(e.srv.requests)
	e.srv.mu.Unlock()
	if n != feeds || e.srv.maxFeed.Load() != 1 {
		t.Errorf("%d requests for %d feeds (max %d at once per feed)", n, feeds, e.srv.maxFeed.Load())
	}
	if e.srv.maxHost.Load() > 8 {
		t.Errorf("%d requests at once to one host, limit 2x4", e.srv.maxHost.Load())
	}
}
