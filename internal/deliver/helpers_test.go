package deliver_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/migrawatch/migrawatch/internal/deliver"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
	"github.com/migrawatch/migrawatch/internal/telegram"
	"github.com/migrawatch/migrawatch/internal/telegram/telegramtest"
	"github.com/redis/go-redis/v9"
)

const seedFeed = "2m-ar"

// seedArticle is the seed article (2M.ma, 16/02/2024) as the pipeline
// understands it: headline, lead, the two quotes with their speakers.
func seedArticle(t testing.TB) news.Article {
	t.Helper()
	raw, err := os.ReadFile("testdata/2m-iom-agadir.expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var exp struct {
		Headline string `json:"headline"`
		Quotes   []struct {
			Speaker string `json:"speaker"`
			Role    string `json:"speaker_role"`
			Start   string `json:"quote_starts_with"`
			End     string `json:"quote_ends_with"`
		} `json:"quotes"`
	}
	if err := json.Unmarshal(raw, &exp); err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile("testdata/2m-iom-agadir.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := string(body)
	start := strings.Index(text, "قالت")
	lead := text[start:]
	lead = lead[:strings.Index(lead, "المجاورة.")+len("المجاورة.")]
	a := news.Article{
		Item: news.Item{
			FeedID: seedFeed, Key: "https://www.2m.ma/ar/news/iom-agadir", Link: "https://www.2m.ma/ar/news/iom-agadir",
			Title: exp.Headline, Published: time.Date(2024, 2, 16, 9, 0, 0, 0, time.UTC),
		},
		SourceName: "2M.ma",
		Lang:       "ar",
		Text:       text[start:],
		Relevance:  news.Relevance{Relevant: true, Score: 3, Matched: []string{"هجرة", "المهاجرين"}},
		Summary:    news.Summary{Gist: []string{lead}},
	}
	for _, q := range exp.Quotes {
		i, j := strings.Index(text, q.Start), strings.Index(text, q.End)
		a.Summary.Quotes = append(a.Summary.Quotes, news.Quote{Text: text[i : j+len(q.End)], Speaker: q.Speaker, Role: q.Role})
	}
	return a
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

// start runs a sender until the test ends (or stop is called) and returns
// it with its stop function.
func (e *env) start(tg deliver.Telegram, outbox deliver.Outbox, cfg deliver.SenderConfig) (*deliver.Sender, func()) {
	if tg == nil {
		tg = e.tg
	}
	if outbox == nil {
		outbox = e.st
	}
	s := deliver.NewSender(tg, outbox, e.st, e.st, e.st, cfg)
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
