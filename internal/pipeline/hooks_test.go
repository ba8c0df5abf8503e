package pipeline_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/pipeline"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
)

func TestScheduler_OnPollSeesEveryResult(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><guid>a</guid><title>Migrants</title></item></channel></rss>`)
	}))
	defer srv.Close()
	rdb, prefix := storetest.Redis(t)
	st := store.New(rdb, prefix)
	var results []pipeline.Result
	sched := pipeline.New(st, feed.NewFetcher(feed.Options{AllowPrivateAddresses: true}),
		pipeline.HandlerFunc(func(context.Context, news.Source, []news.Item) error { return nil }),
		pipeline.Options{OnPoll: func(r pipeline.Result, took time.Duration) {
			if took <= 0 {
				t.Errorf("poll took %v", took)
			}
			results = append(results, r)
		}})
	ctx := context.Background()
	for _, src := range []news.Source{{ID: "ok", URL: srv.URL}, {ID: "bad", URL: "http://127.0.0.1:1/feed"}} {
		if err := st.RegisterFeed(ctx, src); err != nil {
			t.Fatal(err)
		}
		sched.PollFeed(ctx, src.ID)
	}
	if len(results) != 2 || results[0].Outcome != pipeline.OutcomeOK || results[1].Outcome != pipeline.OutcomeError {
		t.Fatalf("results = %+v", results)
	}
}

func TestScheduler_RunRefillsAFreedSlotWithoutWaitingForTheTick(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><guid>a</guid><title>x</title></item></channel></rss>`)
	}))
	defer srv.Close()
	rdb, prefix := storetest.Redis(t)
	st := store.New(rdb, prefix)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for i := range 4 {
		if err := st.RegisterFeed(ctx, news.Source{ID: fmt.Sprintf("f%d", i), URL: fmt.Sprintf("%s/%d", srv.URL, i)}); err != nil {
			t.Fatal(err)
		}
	}
	polled := make(chan string, 4)
	sched := pipeline.New(st, feed.NewFetcher(feed.Options{AllowPrivateAddresses: true}),
		pipeline.HandlerFunc(func(context.Context, news.Source, []news.Item) error { return nil }),
		pipeline.Options{Concurrency: 1, Tick: time.Hour, OnPoll: func(r pipeline.Result, _ time.Duration) { polled <- r.FeedID }})
	done := make(chan error, 1)
	go func() { done <- sched.Run(ctx) }()
	for range 4 {
		select {
		case <-polled:
		case <-time.After(10 * time.Second):
			t.Fatal("with one slot and an hour-long tick, the next due feed waited for the tick")
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
