package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
)

// BenchmarkPollCycle polls 1,000 feeds served by a local server, a real
// Arabic feed each. In "half_304" the even feeds have an ETag and answer
// 304 once polled; the odd ones send no validators and a full body that
// differs on every request (a fresh lastBuildDate), so they are parsed
// every time. "no_conditional_get" is the same server with validators never
// sent (the baseline); "all_304" isolates the not-modified path. One
// benchmark op is one cycle over every feed. Server, Redis (miniredis
// unless REDIS_URL is set) and client run in this process, so CPU and
// allocations include all three.
func BenchmarkPollCycle(b *testing.B) {
	body, err := os.ReadFile("testdata/hespress-ar-rescraped.xml")
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name          string
		withETag      func(i int) bool
		noConditional bool
	}{
		{"half_304", func(i int) bool { return i%2 == 0 }, false},
		{"no_conditional_get", func(i int) bool { return i%2 == 0 }, true},
		{"all_304", func(int) bool { return true }, false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			benchPollCycle(b, body, bc.withETag, bc.noConditional)
		})
	}
}

func benchPollCycle(b *testing.B, body []byte, withETag func(int) bool, noConditional bool) {
	const feeds = 1000
	const etag = `"hespress-v1"`
	cut := bytes.Index(body, []byte("<channel>")) + len("<channel>")
	head, tail := body[:cut], body[cut:]
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var i int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/f"), "%d", &i)
		if withETag(i) {
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", etag)
		}
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		if withETag(i) {
			_, _ = w.Write(body)
			return
		}
		// Like many feeds without validators, regenerate lastBuildDate on
		// every request: the body is never byte-identical, so each poll
		// pays for a full parse.
		n := served.Add(1)
		_, _ = w.Write(head)
		fmt.Fprintf(w, "<lastBuildDate>%s</lastBuildDate>", time.Unix(1771200000+n, 0).UTC().Format(time.RFC1123Z))
		_, _ = w.Write(tail)
	}))
	defer srv.Close()
	rdb, prefix := storetest.Redis(b)
	st := store.New(rdb, prefix)
	ctx := context.Background()
	for i := range feeds {
		if err := st.RegisterFeed(ctx, news.Source{ID: fmt.Sprintf("f%d", i), URL: fmt.Sprintf("%s/f%d", srv.URL, i)}); err != nil {
			b.Fatal(err)
		}
	}
	clk := newClock()
	conc := 4 * runtime.GOMAXPROCS(0)
	f := feed.NewFetcher(feed.Options{AllowPrivateAddresses: true, Now: clk.Now})
	s := New(st, f, HandlerFunc(func(context.Context, news.Source, []news.Item) error { return nil }), Options{
		Concurrency: conc, PerHost: conc, Jitter: -1, Now: clk.Now, DisableConditionalGET: noConditional,
	})
	// First poll of every feed: marks items seen, stores validators.
	if stats, err := s.PollDue(ctx); err != nil || stats.OK != feeds {
		b.Fatalf("warm-up: %+v %v", stats, err)
	}
	var total Stats
	var ms0, ms1 runtime.MemStats
	cpu0 := cpuTime()
	runtime.ReadMemStats(&ms0)
	start := time.Now()
	cycles := 0
	for b.Loop() {
		clk.Advance(7 * time.Hour) // past MaxInterval: every feed is due
		stats, err := s.PollDue(ctx)
		if err != nil || stats.Polled != feeds || stats.Failed != 0 {
			b.Fatalf("cycle: %+v %v", stats, err)
		}
		total.Polled += stats.Polled
		total.NotModified += stats.NotModified
		total.BytesRead += stats.BytesRead
		cycles++
	}
	elapsed := time.Since(start)
	runtime.ReadMemStats(&ms1)
	cpu := cpuTime() - cpu0
	polls := float64(total.Polled)
	b.ReportMetric(polls/elapsed.Seconds(), "polls/s")
	b.ReportMetric(float64(cpu.Microseconds())/polls, "cpu-µs/poll")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/polls, "allocs/poll")
	b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/polls, "B-alloc/poll")
	b.ReportMetric(float64(total.BytesRead)/float64(cycles), "body-B/cycle")
	b.ReportMetric(float64(total.NotModified)/polls, "304-share")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
