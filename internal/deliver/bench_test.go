package deliver_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/deliver"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
	"github.com/migrawatch/migrawatch/internal/telegram"
	"github.com/migrawatch/migrawatch/internal/telegram/telegramtest"
)

// BenchmarkDeliver fans stories out to 2,000 chats (private chats, groups
// and channels subscribed to one feed) through the fake Bot API with
// Telegram's limits scaled up tenfold: 300 messages/s for the bot, 10/s per
// chat, 200/min per group. It reports the sending rate as a fraction of the
// global limit (first to last send of each fan-out), the 429 answers and
// limit violations the fake counted, and the enqueue-to-send latency.
func BenchmarkDeliver(b *testing.B) {
	const (
		chats    = 2000
		global   = 300
		perChat  = 10
		perGroup = 200
	)
	ctx := context.Background()
	rdb, prefix := storetest.Redis(b)
	st := store.New(rdb, prefix)
	if err := st.EnsureOutbox(ctx); err != nil {
		b.Fatal(err)
	}
	srv := telegramtest.New(b)
	srv.SetLimits(telegramtest.Limits{Global: global, PerChat: perChat, PerGroup: perGroup})
	tg, err := telegram.New(srv.Token, telegram.Options{Endpoint: srv.Endpoint()})
	if err != nil {
		b.Fatal(err)
	}
	const feed = "bench-feed"
	ids := make([]int64, chats)
	for i := range chats {
		c := news.Chat{ID: int64(10_000 + i), Kind: news.ChatPrivate, Mode: news.ModeInstant, Status: news.StatusActive, UILang: "en"}
		switch {
		case i%20 == 0:
			c.ID, c.Kind = -int64(10_000+i), news.ChatChannel
		case i%10 == 0:
			c.ID, c.Kind = -int64(10_000+i), news.ChatSupergroup
		}
		ids[i] = c.ID
		if err := st.SaveChat(ctx, c); err != nil {
			b.Fatal(err)
		}
		if _, err := st.Subscribe(ctx, c.ID, feed); err != nil {
			b.Fatal(err)
		}
		srv.SetChat(news.ChatRef{ID: c.ID, Kind: c.Kind, Title: "bench"})
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	router := deliver.NewRouter(st, st, st, nil, deliver.RouterConfig{})
	events := &tally{}
	sender := deliver.NewSender(tg, st, st, st, st, deliver.SenderConfig{
		Workers: 48, Global: deliver.Rate{N: global, Per: time.Second}, PerChat: deliver.Rate{N: perChat, Per: time.Second},
		PerGroup: deliver.Rate{N: perGroup, Per: time.Minute}, Poll: 50 * time.Millisecond, Logger: quiet,
		Observers: []deliver.Observer{events},
	})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = sender.Run(runCtx) }()
	defer func() { cancel(); <-done }()

	var latencies []time.Duration
	var rates []float64
	var routing time.Duration
	n := 0
	for b.Loop() {
		a := numbered(feed, n)
		n++
		routed := time.Now()
		if _, err := router.Route(ctx, a); err != nil {
			b.Fatal(err)
		}
		routing += time.Since(routed)
		want := n
		wctx, wcancel := context.WithTimeout(ctx, 2*time.Minute)
		var first, last time.Time
		for _, id := range ids {
			msgs, err := srv.WaitSent(wctx, id, want)
			if err != nil {
				b.Fatalf("chat %d: %v", id, err)
			}
			t := msgs[want-1].Time
			latencies = append(latencies, t.Sub(routed))
			if first.IsZero() || t.Before(first) {
				first = t
			}
			if t.After(last) {
				last = t
			}
		}
		wcancel()
		rates = append(rates, float64(chats-1)/last.Sub(first).Seconds())
	}
	b.StopTimer()
	slices.Sort(latencies)
	pct := func(p float64) float64 { return latencies[int(p*float64(len(latencies)-1))].Seconds() * 1000 }
	rate := 0.0
	for _, r := range rates {
		rate += r
	}
	rate /= float64(len(rates))
	b.ReportMetric(rate, "msgs/s")
	b.ReportMetric(rate/global, "of-limit")
	b.ReportMetric(float64(srv.TooManyRequests()), "429s")
	b.ReportMetric(float64(srv.Violations()), "violations")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	// The baseline: a perfect sender at exactly the global limit, starting the
	// instant the story is routed, sends message i at i/limit.
	b.ReportMetric(pct(0.50)/(0.50*chats/global*1000), "p50/ideal")
	b.ReportMetric(pct(0.99)/(0.99*chats/global*1000), "p99/ideal")
	b.ReportMetric(float64(routing.Milliseconds())/float64(len(rates)), "route-ms")
	b.ReportMetric(float64(events.Stats().LateSlots), "late-slots")
	b.ReportMetric(0, "ns/op")
}
