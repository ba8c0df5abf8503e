package bot

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
	"github.com/migrawatch/migrawatch/internal/telegram"
	"github.com/migrawatch/migrawatch/internal/telegram/telegramtest"
)

// The store and the feed fetcher are what cmd/migrawatch passes in.
var (
	_ Store       = (*store.Store)(nil)
	_ Feeds       = (*store.Store)(nil)
	_ FeedChecker = (*feed.Fetcher)(nil)
	_ Telegram    = (*telegram.Client)(nil)
)

// testCatalog has enough French sources for two pages of /sources.
func testCatalog() []news.Source {
	cat := []news.Source{
		{ID: "hespress-ar", Name: "Hespress", URL: "https://www.hespress.com/feed", Language: "ar", Country: "MA", Verified: true},
		{ID: "iom-en", Name: "IOM – UN Migration", URL: "https://www.iom.int/rss/news", Language: "en", Country: "INT", MigrationSpecific: true, Verified: true},
	}
	for i := 1; i <= 10; i++ {
		cat = append(cat, news.Source{
			ID: fmt.Sprintf("media%02d-fr", i), Name: fmt.Sprintf("Média %02d", i),
			URL: fmt.Sprintf("https://media%02d.example.fr/rss", i), Language: "fr", Country: "MA", Verified: true,
		})
	}
	return cat
}

// clock is an injectable clock for the rate limiter.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// harness runs a Bot against the fake Bot API (through the real client and
// its update loop), a Redis store and a local feed server.
type harness struct {
	t     *testing.T
	tg    *telegramtest.Server
	st    *store.Store
	bot   *Bot
	clock *clock
	feeds *httptest.Server
}

type harnessOption func(*Options)

func withGuard() harnessOption {
	return func(o *Options) { o.Checker = feed.NewFetcher(feed.Options{}) }
}

func newHarness(t *testing.T, opts ...harnessOption) *harness {
	t.Helper()
	h := &harness{t: t, tg: telegramtest.New(t), clock: &clock{now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}}
	h.feeds = httptest.NewServer(feedHandler(t))
	t.Cleanup(h.feeds.Close)
	client, err := telegram.New(h.tg.Token, telegram.Options{
		Endpoint: h.tg.Endpoint(), FileEndpoint: h.tg.FileEndpoint(),
		PollTimeout: time.Second, MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	rdb, prefix := storetest.Redis(t)
	h.st = store.New(rdb, prefix)
	o := Options{
		Telegram: client, Store: h.st, Feeds: h.st,
		// The test feeds are on loopback, which the guard refuses; withGuard turns it on.
		Checker:     feed.NewFetcher(feed.Options{AllowPrivateAddresses: true}),
		Catalog:     testCatalog(),
		BotID:       telegramtest.BotID,
		BotUsername: h.tg.Me().Username,
		Now:         h.clock.Now,
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, f := range opts {
		f(&o)
	}
	h.bot, err = New(o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = client.Poll(ctx, h.bot.HandleUpdate)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		if n := h.bot.panics.Load(); n != 0 {
			t.Errorf("%d updates panicked", n)
		}
	})
	return h
}

// feedHandler serves a real feed, a page advertising it, a page without a
// feed, and errors.
func feedHandler(t *testing.T) http.Handler {
	rss, err := os.ReadFile("testdata/lemonde-migrants-nodecl-fr.xml")
	if err != nil {
		t.Fatal(err)
	}
	ar, err := os.ReadFile("testdata/hespress-ar-rescraped.xml")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/rss.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write(rss)
	})
	mux.HandleFunc("/ar.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		_, _ = w.Write(ar)
	})
	mux.HandleFunc("/page.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, `<!doctype html><html><head><title>Un site</title>
<link rel="alternate" type="application/rss+xml" title="Fil" href="/rss.xml"></head><body><p>Bonjour</p></body></html>`)
	})
	mux.HandleFunc("/plain.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, `<!doctype html><html><head><title>Rien</title></head><body>Pas de flux ici.</body></html>`)
	})
	return mux
}

func (h *harness) url(path string) string { return h.feeds.URL + path }

// settle waits until the bot has handled every injected update: the update
// loop confirms an update only after the handler returned.
func (h *harness) settle() {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for h.tg.Pending() > 0 {
		if time.Now().After(deadline) {
			h.t.Fatalf("updates still pending after 10s: %d", h.tg.Pending())
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// send injects a command from user in chat and returns the new messages the
// bot sent to chat in answer.
func (h *harness) send(chat int64, from news.User, text string) []telegramtest.SentMessage {
	h.t.Helper()
	before := len(h.tg.Sent(chat))
	h.tg.Command(chat, from, text)
	h.settle()
	return h.tg.Sent(chat)[before:]
}

// reply is send expecting exactly one message, which it returns.
func (h *harness) reply(chat int64, from news.User, text string) telegramtest.SentMessage {
	h.t.Helper()
	got := h.send(chat, from, text)
	if len(got) != 1 {
		h.t.Fatalf("%q: got %d messages, want 1: %+v", text, len(got), got)
	}
	return got[0]
}

// tap presses the button with data under message msgID and returns that
// message after the tap plus any new messages.
func (h *harness) tap(chat int64, from news.User, msgID int, data string) (edited telegramtest.SentMessage, fresh []telegramtest.SentMessage) {
	h.t.Helper()
	before := len(h.tg.Sent(chat))
	h.tg.Callback(chat, from, msgID, data)
	h.settle()
	all := h.tg.Sent(chat)
	for _, m := range all {
		if m.ID == msgID {
			edited = m
		}
	}
	return edited, all[before:]
}

func (h *harness) chat(id int64) news.Chat {
	h.t.Helper()
	c, ok, err := h.st.Chat(context.Background(), id)
	if err != nil || !ok {
		h.t.Fatalf("chat %d: ok=%v err=%v", id, ok, err)
	}
	return c
}

func (h *harness) chatFeeds(id int64) []string {
	h.t.Helper()
	f, err := h.st.ChatFeeds(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return f
}

// wantText fails unless m's text (after entity parsing) contains every part.
func wantText(t *testing.T, m telegramtest.SentMessage, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(m.Text, p) {
			t.Errorf("message %q\ndoes not contain %q", m.Text, p)
		}
	}
}

// buttonData lists every callback data of m's keyboard.
func buttonData(m telegramtest.SentMessage) []string {
	var out []string
	for _, row := range m.Buttons {
		for _, b := range row {
			out = append(out, b.Data)
		}
	}
	return out
}
