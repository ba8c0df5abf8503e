package main

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
	"github.com/migrawatch/migrawatch/internal/summarize/summarizetest"
	"github.com/migrawatch/migrawatch/internal/telegram/telegramtest"
)

// seedFeed serves an RSS feed whose items can be added while the bot runs.
type seedFeed struct {
	*httptest.Server
	mu    sync.Mutex
	items []string
}

func newSeedFeed(t *testing.T) *seedFeed {
	t.Helper()
	f := &seedFeed{}
	f.add("old-1", "مباراة الوداد والرجاء تنتهي بالتعادل في الدوري المغربي", "انتهت مباراة الوداد والرجاء بالتعادل.")
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>2M.ma</title><link>https://2m.ma/ar</link>%s</channel></rss>`,
			strings.Join(f.items, ""))
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *seedFeed) add(guid, title, body string) {
	item := fmt.Sprintf(`<item><guid isPermaLink="false">%s</guid><title>%s</title><link>https://2m.ma/ar/news/%s</link><pubDate>Fri, 16 Feb 2024 00:00:00 +0100</pubDate><content:encoded>%s</content:encoded></item>`,
		guid, html.EscapeString(title), guid, html.EscapeString(body))
	f.mu.Lock()
	f.items = append([]string{item}, f.items...)
	f.mu.Unlock()
}

// redisFor gives run a Redis: the real one at REDIS_URL, else a miniredis,
// with the test's own key prefix.
func redisFor(t *testing.T) (*store.Store, string, string) {
	t.Helper()
	rdb, prefix := storetest.Redis(t)
	url := os.Getenv("REDIS_URL")
	if url == "" {
		url = "redis://" + rdb.(*redis.Client).Options().Addr + "/0"
	}
	return store.New(rdb, prefix), url, prefix
}

func botConfig(t *testing.T, feedURL string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "e2e.yaml")
	cfg := fmt.Sprintf(`poll:
  default_interval: 1s
  min_interval: 1s
  max_interval: 2s
  backoff_cap: 2s
  jitter: 0
fetch:
  allow_private_addresses: true
telegram:
  long_poll_timeout: 1s
sources:
  replace: true
  add:
    - id: 2m-ar
      name: 2M.ma
      url: %s
      language: ar
      country: MA
`, feedURL)
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRun_NewSeedArticleReachesEverySubscribedChatWithinOnePoll(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("end to end")
	}
	tg := telegramtest.New(t)
	feed := newSeedFeed(t)
	st, redisURL, prefix := redisFor(t)
	ctx := context.Background()
	const (
		private   int64 = 1001
		group     int64 = -2002
		channel   int64 = -1003003
		unrelated int64 = 1004
		french    int64 = 1005
	)
	chats := []news.Chat{
		{ID: private, Kind: news.ChatPrivate, UILang: "ar", Topics: []string{"migration"}},
		{ID: group, Kind: news.ChatGroup, Title: "Agadir NGOs", UILang: "fr"},
		{ID: channel, Kind: news.ChatChannel, Title: "Migration Watch", UILang: "en", Topics: []string{"migration"}},
		{ID: unrelated, Kind: news.ChatPrivate, UILang: "en"},
		{ID: french, Kind: news.ChatPrivate, UILang: "fr", Topics: []string{"migration"}, Langs: []string{"fr"}},
	}
	for _, c := range chats {
		if err := st.SaveChat(ctx, c); err != nil {
			t.Fatal(err)
		}
		if len(c.Topics) > 0 {
			if err := st.SetTopics(ctx, c.ID, c.Topics); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := st.Subscribe(ctx, group, "2m-ar"); err != nil {
		t.Fatal(err)
	}
	_, logs, stop := startBot(t, map[string]string{
		"TELEGRAM_BOT_TOKEN":      tg.Token,
		"TELEGRAM_API_ENDPOINT":   tg.Endpoint(),
		"REDIS_URL":               redisURL,
		"MIGRAWATCH_REDIS_PREFIX": prefix,
		"MIGRAWATCH_HTTP_ADDR":    "127.0.0.1:0",
		"MIGRAWATCH_CONFIG":       botConfig(t, feed.URL),
	})
	defer stop()

	// The first poll marks the existing item seen and sends nothing.
	waitFor(t, 20*time.Second, "the first poll", func() bool {
		state, ok, err := st.Feed(ctx, "2m-ar")
		return err == nil && ok && !state.LastOK.IsZero()
	}, logs)
	seed, err := summarizetest.ReadSeed("2m-iom-agadir.txt")
	if err != nil {
		t.Fatal(err)
	}
	title, body, _ := strings.Cut(string(seed), "\n")
	feed.add("iom-agadir", strings.TrimSpace(title), body)

	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for _, id := range []int64{private, group, channel} {
		msgs, err := tg.WaitSent(wctx, id, 1)
		if err != nil {
			t.Fatalf("chat %d received nothing: %v\nlogs:\n%s", id, err, logs)
		}
		m := msgs[0]
		if m.ParseMode != "HTML" {
			t.Errorf("chat %d: parse mode %q", id, m.ParseMode)
		}
		if _, err := telegramtest.ParseHTML(m.Raw); err != nil {
			t.Errorf("chat %d: the message is not valid Telegram HTML: %v", id, err)
		}
		for _, want := range []string{"رئيسة بعثة المنظمة الدولية للهجرة", "لورا بالاتيني", "2M.ma"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("chat %d: message lacks %q:\n%s", id, want, m.Text)
			}
		}
		// A quote is shown only when its speaker is sure: the seed's first
		// quote is, the second may be left out, nothing else may appear.
		n := strings.Count(m.Raw, "<blockquote>")
		if n < 1 || n > 2 || n == 2 && !strings.Contains(m.Text, "فاطمة أمزيل") || strings.Contains(m.Text, "دعم إدماج المهاجرين»") {
			t.Errorf("chat %d: %d quotes shown, or the project name in quotes shown as one; want the seed's first quote, and its second only with its speaker:\n%s", id, n, m.Text)
		}
	}
	// Give the senders time to reach the others if they were wrongly routed.
	time.Sleep(1500 * time.Millisecond)
	for _, id := range []int64{unrelated, french} {
		if got := tg.Sent(id); len(got) != 0 {
			t.Errorf("chat %d wants none of this but received %d message(s): %q", id, len(got), got[0].Text)
		}
	}
	for _, id := range []int64{private, group, channel} {
		if got := tg.Sent(id); len(got) != 1 {
			t.Errorf("chat %d received %d messages, want exactly 1", id, len(got))
		}
	}
	if err := stop(); err != nil {
		t.Fatalf("run: %v", err)
	}
	if strings.Contains(logs.String(), tg.Token) {
		t.Error("the bot token reached the logs")
	}
}

func TestRun_AnswersStartAndSubscribeWhenTheServerLacksMethods(t *testing.T) {
	t.Parallel()
	tg := telegramtest.New(t)
	tg.Disable("setMyCommands")
	tg.Disable("getChatMember")
	feed := newSeedFeed(t)
	_, redisURL, prefix := redisFor(t)
	_, logs, stop := startBot(t, map[string]string{
		"TELEGRAM_BOT_TOKEN":      tg.Token,
		"TELEGRAM_API_ENDPOINT":   tg.Endpoint(),
		"REDIS_URL":               redisURL,
		"MIGRAWATCH_REDIS_PREFIX": prefix,
		"MIGRAWATCH_HTTP_ADDR":    "127.0.0.1:0",
		"MIGRAWATCH_CONFIG":       botConfig(t, feed.URL),
	})
	defer stop()
	const chat = 4242
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tg.Command(chat, telegramtest.Amina, "/start")
	if _, err := tg.WaitSent(ctx, chat, 1); err != nil {
		t.Fatalf("no answer to /start: %v\nlogs:\n%s", err, logs)
	}
	n := len(tg.Sent(chat))
	tg.Command(chat, telegramtest.Amina, "/subscribe "+feed.URL+"/feed.xml")
	msgs, err := tg.WaitSent(ctx, chat, n+1)
	if err != nil {
		t.Fatalf("no answer to /subscribe: %v\nlogs:\n%s", err, logs)
	}
	if last := msgs[len(msgs)-1].Text; !strings.Contains(last, "2M.ma") {
		t.Errorf("the /subscribe answer does not name the feed: %q", last)
	}
	if !strings.Contains(logs.String(), "command menu was not set") {
		t.Errorf("the missing setMyCommands was not logged:\n%s", logs)
	}
	if err := stop(); err != nil {
		t.Fatalf("run stopped with an error although only optional methods are missing: %v", err)
	}
}

func waitFor(t *testing.T, within time.Duration, what string, cond func() bool, logs *syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; logs:\n%s", what, logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// /quiet off, sent through the fake Bot API, releases the article held for
// the chat's quiet hours at once instead of at their old end.
func TestRun_QuietOffReleasesTheHeldArticle(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("end to end")
	}
	tg := telegramtest.New(t)
	feed := newSeedFeed(t)
	st, redisURL, prefix := redisFor(t)
	ctx := context.Background()
	const chat int64 = 1101
	now := time.Now().UTC()
	quiet := now.Add(-time.Hour).Format("15:04") + "-" + now.Add(3*time.Hour).Format("15:04")
	if err := st.SaveChat(ctx, news.Chat{ID: chat, Kind: news.ChatPrivate, UILang: "en", TZ: "UTC", Quiet: quiet}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Subscribe(ctx, chat, "2m-ar"); err != nil {
		t.Fatal(err)
	}
	_, logs, stop := startBot(t, map[string]string{
		"TELEGRAM_BOT_TOKEN":      tg.Token,
		"TELEGRAM_API_ENDPOINT":   tg.Endpoint(),
		"REDIS_URL":               redisURL,
		"MIGRAWATCH_REDIS_PREFIX": prefix,
		"MIGRAWATCH_HTTP_ADDR":    "127.0.0.1:0",
		"MIGRAWATCH_CONFIG":       botConfig(t, feed.URL),
	})
	defer stop()
	waitFor(t, 20*time.Second, "the first poll", func() bool {
		state, ok, err := st.Feed(ctx, "2m-ar")
		return err == nil && ok && !state.LastOK.IsZero()
	}, logs)
	seed, err := summarizetest.ReadSeed("2m-iom-agadir.txt")
	if err != nil {
		t.Fatal(err)
	}
	title, body, _ := strings.Cut(string(seed), "\n")
	feed.add("iom-agadir", strings.TrimSpace(title), body)
	waitFor(t, 20*time.Second, "the article held for quiet hours", func() bool {
		q, err := st.Queue(ctx)
		return err == nil && q.Delayed == 1
	}, logs)
	if n := len(tg.Sent(chat)); n != 0 {
		t.Fatalf("%d messages during quiet hours", n)
	}
	asked := time.Now()
	tg.Command(chat, telegramtest.Bob, "/quiet off")
	wctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	msgs, err := tg.WaitSent(wctx, chat, 2)
	if err != nil {
		t.Fatalf("after /quiet off: %v\nlogs:\n%s", err, logs)
	}
	var article *telegramtest.SentMessage
	for i := range msgs {
		if strings.Contains(msgs[i].Text, "لورا بالاتيني") {
			article = &msgs[i]
		}
	}
	if article == nil {
		t.Fatalf("the held article did not come after /quiet off: %+v", msgs)
	}
	t.Logf("held article delivered %s after /quiet off", article.Time.Sub(asked).Round(time.Millisecond))
	if err := stop(); err != nil {
		t.Fatalf("run: %v", err)
	}
}

// SIGTERM while a command (/subscribe, an OPML import) checks a feed that
// never answers: the handler gets the shutdown context, so run returns nil
// within a few seconds, well inside the 20 s grace, instead of timing out
// with an error.
func TestRun_StopDuringASlowFeedCheckExitsCleanlyWithinTheGrace(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("end to end")
	}
	// The slow check comes from /subscribe, or from an OPML file sent to be
	// imported (its second feed is the slow one).
	for _, c := range []struct {
		name string
		ask  func(tg *telegramtest.Server, chat int64, slowFeed string)
	}{
		{"subscribe", func(tg *telegramtest.Server, chat int64, slowFeed string) {
			tg.Command(chat, telegramtest.Bob, "/subscribe "+slowFeed)
		}},
		{"OPML import", func(tg *telegramtest.Server, chat int64, slowFeed string) {
			opml := `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>feeds</title></head><body>
<outline type="rss" text="Hespress" xmlUrl="hespress-ar"/>
<outline type="rss" text="Slow" xmlUrl="` + slowFeed + `"/>
</body></opml>`
			tg.Document(chat, telegramtest.Bob, "feeds.opml", "text/x-opml", []byte(opml), "")
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			stopDuringASlowFeedCheck(t, c.ask)
		})
	}
}

func stopDuringASlowFeedCheck(t *testing.T, ask func(tg *telegramtest.Server, chat int64, slowFeed string)) {
	tg := telegramtest.New(t)
	feed := newSeedFeed(t)
	started := make(chan struct{}, 1)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case started <- struct{}{}:
		default:
		}
		select {
		case <-r.Context().Done():
		case <-time.After(time.Minute):
		}
	}))
	defer slow.Close()
	_, redisURL, prefix := redisFor(t)
	_, logs, stop := startBot(t, map[string]string{
		"TELEGRAM_BOT_TOKEN":      tg.Token,
		"TELEGRAM_API_ENDPOINT":   tg.Endpoint(),
		"REDIS_URL":               redisURL,
		"MIGRAWATCH_REDIS_PREFIX": prefix,
		"MIGRAWATCH_HTTP_ADDR":    "127.0.0.1:0",
		"MIGRAWATCH_CONFIG":       botConfig(t, feed.URL),
	})
	defer stop()
	const chat = 1202
	ask(tg, chat, slow.URL+"/feed.xml")
	select {
	case <-started:
	case <-time.After(20 * time.Second):
		t.Fatalf("the feed check never started\nlogs:\n%s", logs)
	}
	begin := time.Now()
	err := stop()
	took := time.Since(begin)
	t.Logf("SIGTERM during a slow feed check: run returned %v after %s", err, took.Round(time.Millisecond))
	if err != nil {
		t.Errorf("run returned %v, want a clean stop (exit 0)", err)
	}
	if took > 10*time.Second {
		t.Errorf("stopping took %s, want well within the 20s grace", took)
	}
}

// A real redis-server (the test's own) killed while a poll holds the feed's
// lease and restarted: the replica takes its own lease again instead of
// waiting for it to expire, and a new article is delivered within a poll
// interval or two of Redis coming back.
func TestRun_RedisRestartedDuringAPollDeliversWithinAPollInterval(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("end to end with its own redis-server")
	}
	tg := telegramtest.New(t)
	feed := newSeedFeed(t)
	polling := make(chan struct{}, 1)
	var slow sync.Mutex
	slowPolls := false
	slowFeed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		slow.Lock()
		s := slowPolls
		slow.Unlock()
		if s {
			select {
			case polling <- struct{}{}:
			default:
			}
			time.Sleep(1500 * time.Millisecond)
		}
		feed.Config.Handler.ServeHTTP(w, r)
	}))
	defer slowFeed.Close()
	srv := storetest.NewServer(t)
	st := store.New(srv.Client(t), "mw:")
	ctx := context.Background()
	const chat int64 = 1301
	if err := st.SaveChat(ctx, news.Chat{ID: chat, Kind: news.ChatPrivate, UILang: "en"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Subscribe(ctx, chat, "2m-ar"); err != nil {
		t.Fatal(err)
	}
	_, logs, stop := startBot(t, map[string]string{
		"TELEGRAM_BOT_TOKEN":    tg.Token,
		"TELEGRAM_API_ENDPOINT": tg.Endpoint(),
		"REDIS_URL":             "redis://" + srv.Addr + "/0",
		"MIGRAWATCH_HTTP_ADDR":  "127.0.0.1:0",
		"MIGRAWATCH_CONFIG":     botConfig(t, slowFeed.URL),
	})
	defer stop()
	waitFor(t, 20*time.Second, "the first poll", func() bool {
		state, ok, err := st.Feed(ctx, "2m-ar")
		return err == nil && ok && !state.LastOK.IsZero()
	}, logs)
	slow.Lock()
	slowPolls = true
	slow.Unlock()
	select {
	case <-polling:
	case <-time.After(20 * time.Second):
		t.Fatal("no poll started")
	}
	// The poll in flight can neither record itself nor release its lease:
	// the outage outlasts the release's own retries (5 s).
	srv.Stop()
	time.Sleep(7 * time.Second)
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	back := time.Now()
	slow.Lock()
	slowPolls = false
	slow.Unlock()
	seed, err := summarizetest.ReadSeed("2m-iom-agadir.txt")
	if err != nil {
		t.Fatal(err)
	}
	title, body, _ := strings.Cut(string(seed), "\n")
	feed.add("iom-agadir", strings.TrimSpace(title), body)
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	msgs, err := tg.WaitSent(wctx, chat, 1)
	if err != nil {
		t.Fatalf("nothing delivered after Redis came back: %v\nlogs:\n%s", err, logs)
	}
	took := msgs[0].Time.Sub(back)
	t.Logf("Redis restarted during a poll: first delivery %s after Redis came back (poll interval 1-2s, lease 90s)", took.Round(time.Millisecond))
	if took > 10*time.Second {
		t.Errorf("first delivery %s after Redis came back, want within a poll interval or two", took)
	}
	if err := stop(); err != nil {
		t.Fatalf("run: %v", err)
	}
}
