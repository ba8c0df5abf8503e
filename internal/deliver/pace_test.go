package deliver_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/deliver"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/telegram/telegramtest"
)

// paceRun sends one story to n private chats through the fake Bot API, which
// allows limit messages per second for the bot, from a sender configured
// with ceiling messages per second. It returns the sending rate (first to
// last send) as a fraction of limit, and the 429 answers.
func paceRun(t testing.TB, e *env, n, limit int, ceiling int) (float64, int) {
	e.srv.SetLimits(telegramtest.Limits{Global: limit, PerChat: 1})
	for i := range n {
		e.chat(news.Chat{ID: int64(20_000 + i)}, "pace-feed")
	}
	e.start(nil, nil, deliver.SenderConfig{
		Workers: 8, Global: deliver.Rate{N: ceiling, Per: time.Second}, PerChat: deliver.Rate{N: 1, Per: time.Second},
		Poll: 50 * time.Millisecond, ClaimIdle: time.Minute, Clock: e.clock,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	e.route(numbered("pace-feed", 1))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var first, last time.Time
	for i := range n {
		msgs, err := e.srv.WaitSent(ctx, int64(20_000+i), 1)
		if err != nil {
			t.Fatalf("chat %d: %v", 20_000+i, err)
		}
		at := msgs[0].Time
		if first.IsZero() || at.Before(first) {
			first = at
		}
		if at.After(last) {
			last = at
		}
	}
	rate := float64(n-1) / last.Sub(first).Seconds()
	return rate / float64(limit), e.srv.TooManyRequests()
}

// Telegram's global limit is not a published constant and a 429 does not
// say which limit was overrun. Configured at the default 30/s against a
// server that allows 20/s, the sender learns the pace from the 429s it gets
// (multiplicative decrease, slow increase, shared through Redis): at least
// 0.85 of the real limit with at most 20 429s for 200 messages.
func TestSender_UnannouncedLimitFoundWithFew429s(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 200 messages at 20/s")
	}
	e := newEnv(t)
	frac, n429 := paceRun(t, e, 200, 20, 30)
	t.Logf("unannounced 20/s limit, ceiling 30/s: %.3f of the limit, %d 429s for 200 messages", frac, n429)
	if frac < 0.85 || n429 > 20 {
		t.Errorf("%.3f of the real limit with %d 429s; want >= 0.85 with <= 20", frac, n429)
	}
	pace, err := e.st.Pace(context.Background(), news.RateLimit{Interval: time.Second / 30})
	if err != nil || pace >= 30 || pace < 15 {
		t.Errorf("learnt pace %.2f/s (%v), want below the ceiling and near the real 20/s", pace, err)
	}
}

// With the limit announced in the configuration the pace never needs to
// learn: at least 0.95 of it and no 429 at all.
func TestSender_AnnouncedLimitKeptWithout429(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 200 messages at 20/s")
	}
	e := newEnv(t)
	frac, n429 := paceRun(t, e, 200, 20, 20)
	t.Logf("announced 20/s limit: %.3f of the limit, %d 429s for 200 messages", frac, n429)
	if frac < 0.95 || n429 != 0 {
		t.Errorf("%.3f of the limit with %d 429s; want >= 0.95 with none", frac, n429)
	}
}

// BenchmarkPace reports the fraction of an unannounced limit reached, and
// the 429s, for limits further below the configured 30/s (5/s: 40 s a run).
//
//	go test -run '^$' -bench BenchmarkPace -benchtime 1x ./internal/deliver/
func BenchmarkPace(b *testing.B) {
	for _, limit := range []int{20, 10, 5} {
		b.Run(fmt.Sprintf("limit=%d/s", limit), func(b *testing.B) {
			var frac float64
			var n429 int
			for b.Loop() {
				frac, n429 = paceRun(b, newEnv(b), 200, limit, 30)
			}
			b.ReportMetric(frac, "of-limit")
			b.ReportMetric(float64(n429), "429s/200msgs")
			b.ReportMetric(0, "ns/op")
		})
	}
}
