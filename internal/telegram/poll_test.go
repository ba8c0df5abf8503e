package telegram_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/telegram"
	"github.com/migrawatch/migrawatch/internal/telegram/telegramtest"
)

// collector gathers the updates a Poll hands over.
type collector struct {
	mu   sync.Mutex
	got  []news.Update
	more chan struct{}
}

func newCollector() *collector { return &collector{more: make(chan struct{}, 100)} }

func (c *collector) handle(_ context.Context, u news.Update) {
	c.mu.Lock()
	c.got = append(c.got, u)
	c.mu.Unlock()
	c.more <- struct{}{}
}

func (c *collector) wait(t *testing.T, n int) []news.Update {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		c.mu.Lock()
		if len(c.got) >= n {
			out := append([]news.Update(nil), c.got...)
			c.mu.Unlock()
			return out
		}
		c.mu.Unlock()
		select {
		case <-c.more:
		case <-deadline:
			t.Fatalf("got %d of %d updates", len(c.got), n)
		}
	}
}

// startPoll runs Poll until the test ends and returns its error channel.
func startPoll(t *testing.T, c *telegram.Client, col *collector) (context.CancelFunc, chan error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Poll(ctx, col.handle) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return cancel, done
}

func TestPoll_DeliversEveryKindAndAdvancesOffset(t *testing.T) {
	srv := telegramtest.New(t)
	c, _ := newClient(t, srv)
	col := newCollector()
	const group, channel, forum = -100200, -1001000000300, -1001000000400
	srv.SetChat(news.ChatRef{ID: group, Kind: news.ChatGroup, Title: "Famille"})
	srv.SetChat(news.ChatRef{ID: channel, Kind: news.ChatChannel, Title: "Canal", Username: "canal"})

	srv.Command(42, telegramtest.Alice, "/start")
	srv.AnonymousAdminMessage(group, "/langs ar fr")
	srv.ChannelPost(channel, "post")
	srv.ForwardedPost(telegramtest.Alice, news.ChatRef{ID: channel, Title: "Canal", Username: "canal"}, "fwd")
	srv.TopicMessage(forum, 9, telegramtest.Bob, "/help")
	srv.Document(42, telegramtest.Alice, "feeds.opml", "text/x-opml", []byte("<opml/>"), "import")
	cb := srv.Callback(42, telegramtest.Alice, 1, "mode:digest")
	srv.MyChatMember(42, telegramtest.Alice, news.MemberMember, news.MemberKicked)
	srv.MigrateGroup(group, -1001000000200, telegramtest.Bob)

	startPoll(t, c, col)
	got := col.wait(t, 10)

	if u := got[0]; u.Kind != news.UpdateMessage || u.Text != "/start" || u.Chat.ID != 42 || u.Chat.Kind != news.ChatPrivate ||
		u.From.ID != telegramtest.Alice.ID || u.From.LanguageCode != "fr" {
		t.Errorf("command = %+v", u)
	}
	if u := got[1]; u.SenderChat == nil || u.SenderChat.ID != group || u.From.ID != telegramtest.GroupAnonymousBot.ID {
		t.Errorf("anonymous admin = %+v", u)
	}
	if u := got[2]; u.Kind != news.UpdateChannelPost || u.Chat.ID != channel || u.Text != "post" {
		t.Errorf("channel post = %+v", u)
	}
	if u := got[3]; u.ForwardFromChat == nil || u.ForwardFromChat.ID != channel || u.ForwardFromChat.Kind != news.ChatChannel {
		t.Errorf("forwarded = %+v", u)
	}
	if u := got[4]; u.ThreadID != 9 || !u.Chat.IsForum || u.Chat.Kind != news.ChatSupergroup {
		t.Errorf("topic message = %+v", u)
	}
	if u := got[5]; u.Document == nil || u.Document.Name != "feeds.opml" || u.Document.Size != 7 || u.Text != "import" {
		t.Errorf("document = %+v", u)
	}
	if u := got[6]; u.Kind != news.UpdateCallback || u.CallbackID != cb || u.CallbackData != "mode:digest" || u.Chat.ID != 42 || u.MessageID != 1 {
		t.Errorf("callback = %+v", u)
	}
	if u := got[7]; u.Kind != news.UpdateMyMember || u.OldStatus != news.MemberMember || u.NewStatus != news.MemberKicked {
		t.Errorf("my_chat_member = %+v", u)
	}
	if u := got[8]; u.MigrateToChatID != -1001000000200 || u.Chat.ID != group {
		t.Errorf("migrate_to = %+v", u)
	}
	if u := got[9]; u.MigrateFromChatID != group || u.Chat.ID != -1001000000200 {
		t.Errorf("migrate_from = %+v", u)
	}
	for i := 1; i < len(got); i++ {
		if got[i].ID != got[i-1].ID+1 {
			t.Fatalf("update ids not consecutive: %d then %d", got[i-1].ID, got[i].ID)
		}
	}
	// The next getUpdates confirms everything: nothing stays pending.
	deadline := time.Now().Add(3 * time.Second)
	for srv.Pending() != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := srv.Pending(); n != 0 {
		t.Fatalf("%d updates still pending: the offset did not advance", n)
	}
}

func TestPoll_SkipsAnUndecodableUpdate(t *testing.T) {
	srv := telegramtest.New(t)
	c, logs := newClient(t, srv)
	col := newCollector()
	srv.UserMessage(42, telegramtest.Alice, "before")
	bad := srv.SendRawUpdate(`{"message":{"message_id":"not a number","chat":"not an object"}}`)
	srv.SendRawUpdate(`{"edited_message":{"message_id":5,"date":1,"chat":{"id":42,"type":"private"},"text":"ignored"}}`)
	srv.UserMessage(42, telegramtest.Alice, "after")
	startPoll(t, c, col)
	got := col.wait(t, 2)
	if got[0].Text != "before" || got[1].Text != "after" {
		t.Fatalf("updates = %+v", got)
	}
	deadline := time.Now().Add(3 * time.Second)
	for srv.Pending() != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if srv.Pending() != 0 {
		t.Fatal("the bad update was not confirmed")
	}
	if !strings.Contains(logs.String(), "update skipped") || !strings.Contains(logs.String(), "update_id="+strconv.Itoa(bad)) {
		t.Errorf("skip not logged: %s", logs)
	}
	time.Sleep(50 * time.Millisecond)
	col.mu.Lock()
	defer col.mu.Unlock()
	if len(col.got) != 2 {
		t.Errorf("handled %d updates, want 2 (edited messages are ignored)", len(col.got))
	}
}

func TestPoll_StopsOnContext(t *testing.T) {
	srv := telegramtest.New(t)
	c, _ := newClient(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Poll(ctx, func(context.Context, news.Update) {}) }()
	// Let it enter a long poll, then cancel it mid-request.
	deadline := time.Now().Add(3 * time.Second)
	for srv.Calls("getUpdates") == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	stopped := time.Now()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Poll returned %v", err)
		}
		if d := time.Since(stopped); d > 500*time.Millisecond {
			t.Errorf("Poll took %s to stop", d)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Poll did not stop")
	}
}

// In virtual time (testing/synctest, the fake in process) the waits are
// exact: no scheduler noise to allow for.
func TestPoll_BacksOffOnErrorsAndHonoursRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := telegramtest.NewInProcess(t)
		c, logs := newClient(t, srv)
		col := newCollector()
		srv.FailMethod("getUpdates", 3, http.StatusBadGateway)
		srv.FailMethod("getUpdates", 1, http.StatusTooManyRequests)
		srv.UserMessage(42, telegramtest.Alice, "hello")
		startPoll(t, c, col)
		got := col.wait(t, 1)
		if got[0].Text != "hello" {
			t.Fatalf("update = %+v", got[0])
		}
		var calls []telegramtest.Request
		for _, r := range srv.Requests() {
			if r.Method == "getUpdates" {
				calls = append(calls, r)
			}
		}
		if len(calls) < 5 {
			t.Fatalf("%d getUpdates calls, want 3 failures, one 429 and a success", len(calls))
		}
		// Backoff grows: 20ms, 40ms, 80ms (+ up to 25% jitter) after the
		// three 502s, never above MaxBackoff (100ms) with its jitter.
		for i, want := range []time.Duration{20, 40, 80} {
			want *= time.Millisecond
			gap := calls[i+1].Time.Sub(calls[i].Time)
			if gap < want || gap > want+want/4 {
				t.Errorf("backoff gap %d: %s, want between %s and %s", i+1, gap, want, want+want/4)
			}
		}
		// retry_after 1 is a full second, longer than MaxBackoff: exactly it.
		if gap := calls[4].Time.Sub(calls[3].Time); gap != time.Second {
			t.Errorf("retried %s after a 429 with retry_after 1, want 1s", gap)
		}
		if strings.Contains(logs.String(), srv.Token) {
			t.Fatal("token in the log")
		}
		if !strings.Contains(logs.String(), "getUpdates failed") {
			t.Error("failures not logged")
		}
	})
}

func TestPoll_GivesUpOnBadToken(t *testing.T) {
	srv := telegramtest.New(t)
	c, err := telegram.New("1:bad", telegram.Options{Endpoint: srv.Endpoint(), PollTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Poll(ctxT(t), func(context.Context, news.Update) {})
	var api *telegram.APIError
	if !errors.As(err, &api) || api.Code != http.StatusUnauthorized {
		t.Fatalf("Poll = %v", err)
	}
}

func TestPoll_TokenNeverLogged(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	endpoint := dead.URL + "/bot%s/%s"
	dead.Close()
	logs := &syncBuffer{}
	const token = "4242:VERY-secret_token"
	c, err := telegram.New(token, telegram.Options{Endpoint: endpoint, PollTimeout: time.Second,
		MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_ = c.Poll(ctx, func(context.Context, news.Update) {})
	out := logs.String()
	if !strings.Contains(out, "getUpdates failed") {
		t.Fatalf("no failure logged: %s", out)
	}
	if strings.Contains(out, "VERY-secret") {
		t.Fatalf("token in the log: %s", out)
	}
}

func TestWebhookHandler_Secret(t *testing.T) {
	srv := telegramtest.New(t)
	c, _ := newClient(t, srv)
	var mu sync.Mutex
	var got []news.Update
	h := c.WebhookHandler("right-secret", func(_ context.Context, u news.Update) {
		mu.Lock()
		got = append(got, u)
		mu.Unlock()
	})
	body := `{"update_id":7,"message":{"message_id":1,"date":1,"chat":{"id":42,"type":"private","first_name":"Alice"},"from":{"id":42,"is_bot":false,"first_name":"Alice"},"text":"/start"}}`
	tests := []struct {
		name   string
		method string
		secret *string
		body   string
		status int
		handed int
	}{
		{"missing", http.MethodPost, nil, body, http.StatusUnauthorized, 0},
		{"wrong", http.MethodPost, ptr("wrong-secret"), body, http.StatusUnauthorized, 0},
		{"prefix", http.MethodPost, ptr("right"), body, http.StatusUnauthorized, 0},
		{"right", http.MethodPost, ptr("right-secret"), body, http.StatusOK, 1},
		{"get", http.MethodGet, ptr("right-secret"), "", http.StatusMethodNotAllowed, 1},
		{"undecodable", http.MethodPost, ptr("right-secret"), `{"update_id":8,"message":{"chat":1}}`, http.StatusOK, 1},
		{"too large", http.MethodPost, ptr("right-secret"), `{"update_id":9,"message":{"text":"` + strings.Repeat("x", 2<<20) + `"}}`, http.StatusRequestEntityTooLarge, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "/telegram", strings.NewReader(tt.body))
			if tt.secret != nil {
				req.Header.Set(telegram.SecretHeader, *tt.secret)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Errorf("status = %d, want %d", rec.Code, tt.status)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(got) != tt.handed {
				t.Errorf("handled %d updates, want %d", len(got), tt.handed)
			}
		})
	}
	if len(got) == 1 && (got[0].Text != "/start" || got[0].Chat.ID != 42 || got[0].ID != 7) {
		t.Errorf("update = %+v", got[0])
	}
}

func TestWebhookHandler_EmptySecretRefusesAll(t *testing.T) {
	srv := telegramtest.New(t)
	c, _ := newClient(t, srv)
	h := c.WebhookHandler("", func(context.Context, news.Update) { t.Error("update handed over") })
	req := httptest.NewRequest(http.MethodPost, "/telegram", strings.NewReader(`{"update_id":1}`))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("status = %d", rec.Code)
	}
}

func ptr(s string) *string { return &s }

func TestPoll_ConfirmsHandledUpdatesWhenStopped(t *testing.T) {
	srv := telegramtest.New(t)
	c, _ := newClient(t, srv)
	for _, text := range []string{"one", "two", "three"} {
		srv.UserMessage(42, telegramtest.Alice, text)
	}
	ctx, cancel := context.WithCancel(ctxT(t))
	var handled []string
	err := c.Poll(ctx, func(_ context.Context, u news.Update) {
		handled = append(handled, u.Text)
		if u.Text == "two" {
			cancel() // shutting down while the batch is being handled
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Poll = %v", err)
	}
	if strings.Join(handled, ",") != "one,two" {
		t.Fatalf("handled %v", handled)
	}
	// "one" and "two" were confirmed on the way out; "three" waits for the next run.
	if n := srv.Pending(); n != 1 {
		t.Fatalf("%d updates pending, want 1", n)
	}
}

func TestWebhook_EndToEndWithTheFakePushingUpdates(t *testing.T) {
	srv := telegramtest.New(t)
	c, _ := newClient(t, srv)
	col := newCollector()
	hook := httptest.NewServer(c.WebhookHandler("right_secret", col.handle))
	defer hook.Close()
	ctx := ctxT(t)

	// A webhook registered with the wrong secret: every push is refused.
	if err := c.SetWebhook(ctx, hook.URL, "wrong_secret"); err != nil {
		t.Fatal(err)
	}
	srv.Command(42, telegramtest.Alice, "/start")
	deadline := time.Now().Add(3 * time.Second)
	for len(srv.WebhookDeliveries()) < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	for _, d := range srv.WebhookDeliveries() {
		if d.Status != http.StatusUnauthorized {
			t.Fatalf("delivery with the wrong secret: %+v", d)
		}
	}
	if srv.Pending() != 1 {
		t.Fatal("a refused update left the queue")
	}

	// The right secret: the queued update arrives, once.
	if err := c.SetWebhook(ctx, hook.URL, "right_secret"); err != nil {
		t.Fatal(err)
	}
	got := col.wait(t, 1)
	if got[0].Text != "/start" || got[0].Chat.ID != 42 {
		t.Fatalf("update = %+v", got[0])
	}
	deadline = time.Now().Add(3 * time.Second)
	for srv.Pending() != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if srv.Pending() != 0 {
		t.Fatal("delivered update still queued")
	}
	if err := c.DeleteWebhook(ctx, false); err != nil {
		t.Fatal(err)
	}
}
