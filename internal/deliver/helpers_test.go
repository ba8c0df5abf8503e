package deliver_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/migrawatch/migrawatch/internal/deliver"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
	"github.com/migrawatch/migrawatch/internal/summarize/summarizetest"
	"github.com/migrawatch/migrawatch/internal/telegram"
	"github.com/migrawatch/migrawatch/internal/telegram/telegramtest"
)

const seedFeed = "2m-ar"

// seedArticle is the seed article (2M.ma, 16/02/2024) as the pipeline
// understands it: headline, lead, the two quotes with their speakers.
func seedArticle(t testing.TB) news.Article {
	t.Helper()
	return summarizetest.SeedArticle(t, news.Item{
		FeedID: seedFeed, Key: "https://www.2m.ma/ar/news/iom-agadir", Link: "https://www.2m.ma/ar/news/iom-agadir",
		Published: time.Date(2024, 2, 16, 9, 0, 0, 0, time.UTC),
	})
}

// numbered is a distinct article n of a feed, unrelated to any other story.
func numbered(feed string, n int) news.Article {
	words := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima"}
	var title []string
	x := n*7919 + len(feed)*104729
	for range 8 {
		title = append(title, words[x%len(words)]+strings.Repeat("x", x%5))
		x = x/3 + 17*len(title)
	}
	key := feed + "/" + strings.Repeat("i", n%3) + string(rune('a'+n%26)) + time.Duration(n).String()
	return news.Article{
		Item:       news.Item{FeedID: feed, Key: key, Link: "https://example.org/" + key, Title: strings.Join(title, " ") + " " + time.Duration(n).String(), Published: time.Unix(1_700_000_000, 0)},
		SourceName: "Example " + feed,
		Lang:       "en",
		Summary:    news.Summary{Gist: []string{"Story number " + time.Duration(n).String() + " about migration."}},
		Relevance:  news.Relevance{Relevant: true, Matched: []string{"migration"}},
	}
}

// testClock is the real clock shifted by an offset tests can advance, so
// that quiet hours and digest times come without waiting.
type testClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

func (c *testClock) Sleep(ctx context.Context, d time.Duration) error {
	return deliver.SystemClock{}.Sleep(ctx, d)
}

// env is a store, a fake Bot API with a client, and the delivery parts.
type env struct {
	t      testing.TB
	rdb    redis.UniversalClient
	st     *store.Store
	srv    *telegramtest.Server
	tg     *telegram.Client
	clock  *testClock
	router *deliver.Router
	alerts alertsFunc
}

type alertsFunc func(news.Article) []news.AlertMatch

func (f alertsFunc) Match(a news.Article) []news.AlertMatch {
	if f == nil {
		return nil
	}
	return f(a)
}

func newEnv(t testing.TB) *env {
	rdb, prefix := storetest.Redis(t)
	return newEnvWith(t, rdb, prefix)
}

func newEnvWith(t testing.TB, rdb redis.UniversalClient, prefix string) *env {
	t.Helper()
	e := &env{t: t, rdb: rdb, st: store.New(rdb, prefix), srv: telegramtest.New(t), clock: &testClock{}}
	var err error
	e.tg, err = telegram.New(e.srv.Token, telegram.Options{Endpoint: e.srv.Endpoint(), RequestTimeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.EnsureOutbox(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.router = deliver.NewRouter(e.st, e.st, e.st, alertsFunc(func(a news.Article) []news.AlertMatch {
		if e.alerts == nil {
			return nil
		}
		return e.alerts(a)
	}), deliver.RouterConfig{Clock: e.clock})
	return e
}

// chat registers a chat with the store and the fake, subscribed to feeds.
func (e *env) chat(c news.Chat, feeds ...string) {
	e.t.Helper()
	ctx := context.Background()
	if c.Kind == "" {
		c.Kind = news.ChatPrivate
	}
	if c.Mode == "" {
		c.Mode = news.ModeInstant
	}
	if c.Status == "" {
		c.Status = news.StatusActive
	}
	if c.UILang == "" {
		c.UILang = "ar"
	}
	if err := e.st.SaveChat(ctx, c); err != nil {
		e.t.Fatal(err)
	}
	for _, f := range feeds {
		if _, err := e.st.Subscribe(ctx, c.ID, f); err != nil {
			e.t.Fatal(err)
		}
	}
	e.srv.SetChat(news.ChatRef{ID: c.ID, Kind: c.Kind, Title: c.Title})
}

func (e *env) senderConfig() deliver.SenderConfig {
	return deliver.SenderConfig{
		Workers: 4, Global: deliver.Rate{N: 200, Per: time.Second}, PerChat: deliver.Rate{N: 50, Per: time.Second},
		PerGroup: deliver.Rate{N: 600, Per: time.Minute}, Poll: 50 * time.Millisecond, MinBackoff: 20 * time.Millisecond,
		MaxBackoff: 200 * time.Millisecond, ClaimIdle: 400 * time.Millisecond, Clock: e.clock,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

// senderStats is what a sender told its observer.
type senderStats struct {
	Sent, Retried, Dead, Gone, Migrated, BadMarkup, FloodWaits, Duplicates int64
	Journaled, HandedBack, Resumed, LateSlots                              int64
}

// tally counts a sender's events, as the metrics do in the binary.
type tally struct {
	mu sync.Mutex
	st senderStats
}

func (t *tally) SenderEvent(event string, n int, _ time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	counter := map[string]*int64{
		deliver.EventSent: &t.st.Sent, deliver.EventRetried: &t.st.Retried, deliver.EventDead: &t.st.Dead,
		deliver.EventGone: &t.st.Gone, deliver.EventMigrated: &t.st.Migrated, deliver.EventBadMarkup: &t.st.BadMarkup,
		deliver.EventFloodWait: &t.st.FloodWaits, deliver.EventDuplicate: &t.st.Duplicates,
		deliver.EventJournaled: &t.st.Journaled, deliver.EventHandedBack: &t.st.HandedBack,
		deliver.EventResumed: &t.st.Resumed, deliver.EventLateSlot: &t.st.LateSlots,
	}[event]
	if counter != nil {
		*counter += int64(n)
	}
}

// Stats returns the counts so far.
func (t *tally) Stats() senderStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.st
}

// testSender is a running sender with the tally of its events.
type testSender struct {
	*deliver.Sender
	*tally
}

// start runs a sender until the test ends (or stop is called) and returns
// it with its stop function.
func (e *env) start(tg deliver.Telegram, outbox deliver.Outbox, cfg deliver.SenderConfig) (*testSender, func()) {
	if tg == nil {
		tg = e.tg
	}
	if outbox == nil {
		outbox = e.st
	}
	t := &tally{}
	cfg.Observers = append(cfg.Observers, t)
	s := &testSender{Sender: deliver.NewSender(tg, outbox, e.st, e.st, e.st, cfg), tally: t}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.Run(ctx)
	}()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			<-done
		})
	}
	e.t.Cleanup(stop)
	return s, stop
}

func (e *env) route(a news.Article) deliver.Routed {
	e.t.Helper()
	r, err := e.router.Route(context.Background(), a)
	if err != nil {
		e.t.Fatalf("route %s: %v", a.Key, err)
	}
	return r
}

func (e *env) waitSent(chat int64, n int) []telegramtest.SentMessage {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msgs, err := e.srv.WaitSent(ctx, chat, n)
	if err != nil {
		e.t.Fatalf("chat %d: %d of %d messages: %v", chat, len(e.srv.Sent(chat)), n, err)
	}
	return msgs
}

// quiet waits a little and checks that chat received exactly n messages.
func (e *env) expectExactly(chat int64, n int, settle time.Duration) {
	e.t.Helper()
	time.Sleep(settle)
	if got := len(e.srv.Sent(chat)); got != n {
		e.t.Errorf("chat %d got %d messages, want %d", chat, got, n)
	}
}

func storetestMiniredis(t *testing.T) (*miniredis.Miniredis, redis.UniversalClient) {
	return storetest.Miniredis(t)
}
