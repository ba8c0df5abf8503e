package telegram_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/telegram"
	"github.com/migrawatch/migrawatch/internal/telegram/telegramtest"
)

// syncBuffer collects log output written from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newClient(t *testing.T, srv *telegramtest.Server) (*telegram.Client, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	c, err := telegram.New(srv.Token, telegram.Options{
		Endpoint:       srv.Endpoint(),
		HTTPClient:     srv.Client(),
		RequestTimeout: 2 * time.Second,
		PollTimeout:    time.Second,
		MinBackoff:     20 * time.Millisecond,
		MaxBackoff:     100 * time.Millisecond,
		Logger:         slog.New(slog.NewTextHandler(logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, logs
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestNew_RejectsEndpointWithoutTwoVerbs(t *testing.T) {
	for _, ep := range []string{"https://example.org/bot", "https://example.org/%s"} {
		if _, err := telegram.New("1:x", telegram.Options{Endpoint: ep}); err == nil {
			t.Errorf("endpoint %q accepted", ep)
		}
	}
	if _, err := telegram.New("", telegram.Options{}); err == nil {
		t.Error("empty token accepted")
	}
}

func TestGetMe_ReturnsTheBot(t *testing.T) {
	srv := telegramtest.New(t)
	c, _ := newClient(t, srv)
	me, err := c.GetMe(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != telegramtest.BotID || !me.IsBot || me.Username == "" {
		t.Fatalf("GetMe = %+v", me)
	}
}

func TestSend_HTMLThreadPreviewButtonsReply(t *testing.T) {
	srv := telegramtest.New(t)
	c, _ := newClient(t, srv)
	ctx := ctxT(t)
	const chat = -1001234567890
	id, err := c.Send(ctx, news.Message{
		ChatID: chat, ThreadID: 7, HTML: true,
		Text:       `<b>Titre</b> &amp; <a href="https://example.org/a?x=1&amp;y=2">lien</a>`,
		PreviewURL: "https://example.org/a",
		Buttons:    [][]news.Button{{{Text: "Oui", Data: "yes"}, {Text: "Site", URL: "https://example.org"}}},
		ReplyTo:    3,
	})
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Sent(chat)
	if len(got) != 1 || got[0].ID != id {
		t.Fatalf("sent %+v, id %d", got, id)
	}
	m := got[0]
	if m.Text != "Titre & lien" || m.ParseMode != "HTML" || m.ThreadID != 7 || m.ReplyTo != 3 {
		t.Errorf("message = %+v", m)
	}
	if m.PreviewURL != "https://example.org/a" || m.NoPreview {
		t.Errorf("preview = %q / %v", m.PreviewURL, m.NoPreview)
	}
	if len(m.Buttons) != 1 || m.Buttons[0][0] != (news.Button{Text: "Oui", Data: "yes"}) || m.Buttons[0][1].URL != "https://example.org" {
		t.Errorf("buttons = %+v", m.Buttons)
	}
}

func TestSend_NoPreviewAndEdit(t *testing.T) {
	srv := telegramtest.New(t)
	c, _ := newClient(t, srv)
	ctx := ctxT(t)
	id, err := c.Send(ctx, news.Message{ChatID: 42, Text: "one", NoPreview: true})
	if err != nil {
		t.Fatal(err)
	}
	if !srv.Sent(42)[0].NoPreview {
		t.Error("link preview not disabled")
	}
	got, err := c.Send(ctx, news.Message{ChatID: 42, Text: "two", EditID: id})
	if err != nil || got != id {
		t.Fatalf("edit = %d, %v", got, err)
	}
	m := srv.Sent(42)
	if len(m) != 1 || m[0].Text != "two" || m[0].Edits != 1 {
		t.Fatalf("after edit: %+v", m)
	}
	if got, err := c.Send(ctx, news.Message{ChatID: 42, Text: "two", EditID: id}); err != nil || got != id {
		t.Fatalf("identical edit = %d, %v; want success", got, err)
	}
	if m := srv.Sent(42); m[0].Edits != 1 {
		t.Errorf("identical edit counted: %+v", m[0])
	}
	if _, err := c.Send(ctx, news.Message{ChatID: 42, Text: "x", EditID: 999}); err == nil {
		t.Fatal("edit of an unknown message succeeded")
	}
}

func TestSend_ErrorClasses(t *testing.T) {
	srv := telegramtest.New(t)
	c, _ := newClient(t, srv)
	ctx := ctxT(t)
	srv.Block(1)
	srv.Kick(-2)
	srv.Deactivate(3)
	srv.DeleteChat(4)
	srv.RemoveBot(-1001000000005)
	srv.Migrate(-6, -1006)
	srv.FailNext(7, 1, http.StatusBadGateway)
	srv.FailNext(8, 1, http.StatusTooManyRequests)

	isGone := func(err error) bool { return errors.Is(err, news.ErrChatGone) }
	tests := []struct {
		name  string
		msg   news.Message
		check func(error) bool
		desc  string
	}{
		{"blocked", news.Message{ChatID: 1, Text: "x"}, isGone, "Forbidden: bot was blocked by the user"},
		{"kicked", news.Message{ChatID: -2, Text: "x"}, isGone, "Forbidden: bot was kicked from the group chat"},
		{"deactivated", news.Message{ChatID: 3, Text: "x"}, isGone, "Forbidden: user is deactivated"},
		{"chat not found", news.Message{ChatID: 4, Text: "x"}, isGone, "Bad Request: chat not found"},
		{"not a member", news.Message{ChatID: -1001000000005, Text: "x"}, isGone, "Forbidden: bot is not a member of the supergroup chat"},
		{"migrated", news.Message{ChatID: -6, Text: "x"}, func(err error) bool {
			var m *news.ChatMigratedError
			return errors.As(err, &m) && m.To == -1006
		}, "Bad Request: group chat was upgraded to a supergroup chat"},
		{"5xx", news.Message{ChatID: 7, Text: "x"}, func(err error) bool { return errors.Is(err, news.ErrTransient) }, "Bad Gateway"},
		{"429", news.Message{ChatID: 8, Text: "x"}, func(err error) bool {
			var ra *news.RetryAfterError
			return errors.As(err, &ra) && ra.After == time.Second
		}, "Too Many Requests: retry after 1"},
		{"bad markup", news.Message{ChatID: 9, Text: "<div>x</div>", HTML: true}, func(err error) bool { return errors.Is(err, news.ErrBadMarkup) },
			`Bad Request: can't parse entities: Unsupported start tag "div" at byte offset 0`},
		{"too long", news.Message{ChatID: 9, Text: strings.Repeat("م", telegramtest.MaxTextLength+1)}, func(err error) bool { return errors.Is(err, news.ErrTooLong) },
			"Bad Request: message is too long"},
		{"empty", news.Message{ChatID: 9, Text: "<b> </b>", HTML: true}, func(err error) bool {
			var api *telegram.APIError
			return errors.As(err, &api) && api.Code == 400 && errors.Unwrap(api) == nil
		}, "Bad Request: message text is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Send(ctx, tt.msg)
			if err == nil || !tt.check(err) {
				t.Fatalf("err = %v (%T)", err, err)
			}
			var api *telegram.APIError
			if !errors.As(err, &api) || api.Method != "sendMessage" || api.Description != tt.desc {
				t.Fatalf("APIError = %+v, want description %q", api, tt.desc)
			}
			if !strings.Contains(err.Error(), "sendMessage") {
				t.Errorf("error %q does not name the method", err)
			}
		})
	}
}

func TestSend_TimeoutIsTransientAndRedacted(t *testing.T) {
	srv := telegramtest.New(t)
	c, err := telegram.New(srv.Token, telegram.Options{Endpoint: srv.Endpoint(), RequestTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	srv.Timeout(5)
	start := time.Now()
	_, err = c.Send(ctxT(t), news.Message{ChatID: 5, Text: "x"})
	if !errors.Is(err, news.ErrTransient) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("timeout took %s", time.Since(start))
	}
	if strings.Contains(err.Error(), srv.Token) || !strings.Contains(err.Error(), "<token>") {
		t.Fatalf("token not redacted: %q", err)
	}
}

func TestErrors_NetworkFailureRedactsToken(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	endpoint := dead.URL + "/bot%s/%s"
	dead.Close()
	const token = "123456:SECRET-token_value"
	c, err := telegram.New(token, telegram.Options{Endpoint: endpoint, RequestTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetMe(ctxT(t))
	if err == nil {
		t.Fatal("no error from a closed server")
	}
	if !errors.Is(err, news.ErrTransient) {
		t.Errorf("network failure not transient: %v", err)
	}
	if strings.Contains(err.Error(), "SECRET") {
		t.Fatalf("token in error: %q", err)
	}
	// The unwrapped *url.Error must not leak it either.
	for e := err; e != nil; e = errors.Unwrap(e) {
		if strings.Contains(e.Error(), "SECRET") {
			t.Fatalf("token in wrapped error %T: %q", e, e)
		}
	}
}

func TestErrors_UnauthorizedKeepsDescription(t *testing.T) {
	srv := telegramtest.New(t)
	c, err := telegram.New("999:wrong", telegram.Options{Endpoint: srv.Endpoint()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetMe(ctxT(t))
	var api *telegram.APIError
	if !errors.As(err, &api) || api.Code != 401 || api.Description != "Unauthorized" || api.Method != "getMe" {
		t.Fatalf("err = %v", err)
	}
	if errors.Is(err, news.ErrTransient) || errors.Is(err, news.ErrChatGone) {
		t.Errorf("401 classified: %v", err)
	}
}

func TestUnknownMethod_NotFound(t *testing.T) {
	srv := telegramtest.New(t)
	c, _ := newClient(t, srv)
	srv.Disable("setMyCommands")
	err := c.SetMyCommands(ctxT(t), "fr", []news.BotCommand{{Command: "start", Description: "Commencer"}})
	var api *telegram.APIError
	if !errors.As(err, &api) || api.Code != 404 || api.Description != "Not Found" {
		t.Fatalf("err = %v", err)
	}
}

func TestSetMyCommands_PerLanguage(t *testing.T) {
	srv := telegramtest.New(t)
	c, _ := newClient(t, srv)
	ctx := ctxT(t)
	menus := map[string][]news.BotCommand{
		"ar": {{Command: "start", Description: "ابدأ"}},
		"fr": {{Command: "start", Description: "Commencer"}, {Command: "help", Description: "Aide"}},
		"en": {{Command: "start", Description: "Start"}},
	}
	for lang, cmds := range menus {
		if err := c.SetMyCommands(ctx, lang, cmds); err != nil {
			t.Fatal(err)
		}
	}
	for lang, cmds := range menus {
		got := srv.Commands(lang)
		if len(got) != len(cmds) || got[0] != cmds[0] {
			t.Errorf("%s commands = %+v", lang, got)
		}
	}
	err := c.SetMyCommands(ctx, "en", []news.BotCommand{{Command: "Bad-Name", Description: "x"}})
	if err == nil || !strings.Contains(err.Error(), "BOT_COMMAND_INVALID") {
		t.Errorf("invalid command err = %v", err)
	}
}

func TestSendDocument_UploadsMultipart(t *testing.T) {
	srv := telegramtest.New(t)
	c, _ := newClient(t, srv)
	data := []byte(`<?xml version="1.0"?><opml version="2.0"></opml>`)
	id, err := c.SendDocument(ctxT(t), news.Document{ChatID: 42, ThreadID: 0, Name: "migrawatch.opml", Data: data, Caption: "Vos flux"})
	if err != nil {
		t.Fatal(err)
	}
	m := srv.Sent(42)
	if len(m) != 1 || m[0].ID != id || m[0].Document == nil {
		t.Fatalf("sent = %+v", m)
	}
	if d := m[0].Document; d.Name != "migrawatch.opml" || !bytes.Equal(d.Data, data) || d.Caption != "Vos flux" {
		t.Errorf("document = %+v", d)
	}
	_, err = c.SendDocument(ctxT(t), news.Document{ChatID: 42, Name: "a.txt", Data: []byte("x"), Caption: strings.Repeat("x", 1025)})
	if !errors.Is(err, news.ErrTooLong) {
		t.Errorf("long caption err = %v", err)
	}
}

func TestDownloadFile_RespectsTheCap(t *testing.T) {
	srv := telegramtest.New(t)
	c, _ := newClient(t, srv)
	ctx := ctxT(t)
	data := bytes.Repeat([]byte("<outline/>"), 100)
	id := srv.Document(42, telegramtest.Alice, "feeds.opml", "text/x-opml", data, "")
	got, err := c.DownloadFile(ctx, id, 10_000)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("DownloadFile = %d bytes, %v", len(got), err)
	}
	if _, err := c.DownloadFile(ctx, id, 100); !errors.Is(err, news.ErrFileTooLarge) {
		t.Fatalf("over the cap: %v", err)
	}
	if _, err := c.DownloadFile(ctx, "nope", 100); err == nil {
		t.Fatal("unknown file downloaded")
	}
}

func TestChatQueries(t *testing.T) {
	srv := telegramtest.New(t)
	c, _ := newClient(t, srv)
	ctx := ctxT(t)
	const channel = -1009876543210
	srv.SetChat(news.ChatRef{ID: channel, Kind: news.ChatChannel, Title: "Migration News", Username: "migranews"})
	srv.SetMember(channel, telegramtest.Alice.ID, news.MemberAdministrator, true)
	srv.SetMember(channel, telegramtest.BotID, news.MemberAdministrator, false)
	srv.SetMember(channel, telegramtest.Bob.ID, news.MemberCreator, true)

	for _, name := range []string{"@migranews", "migranews", "-1009876543210"} {
		ref, err := c.GetChat(ctx, name)
		if err != nil || ref.ID != channel || ref.Kind != news.ChatChannel || ref.Title != "Migration News" {
			t.Errorf("GetChat(%q) = %+v, %v", name, ref, err)
		}
	}
	if _, err := c.GetChat(ctx, "@nobody"); !errors.Is(err, news.ErrChatGone) {
		t.Errorf("unknown username: %v", err)
	}
	m, err := c.GetChatMember(ctx, channel, telegramtest.Alice.ID)
	if err != nil || !m.IsAdmin() || !m.CanPostMsgs {
		t.Errorf("alice = %+v, %v", m, err)
	}
	bot, err := c.GetChatMember(ctx, channel, telegramtest.BotID)
	if err != nil || !bot.IsAdmin() || bot.CanPostMsgs {
		t.Errorf("bot = %+v, %v", bot, err)
	}
	stranger, err := c.GetChatMember(ctx, channel, 5555)
	if err != nil || stranger.Status != news.MemberLeft {
		t.Errorf("stranger = %+v, %v", stranger, err)
	}
	admins, err := c.GetChatAdministrators(ctx, channel)
	if err != nil || len(admins) != 3 {
		t.Errorf("admins = %+v, %v", admins, err)
	}
	if _, err := c.GetChatAdministrators(ctx, 42); err == nil {
		t.Error("administrators of a private chat")
	}
}

func TestAnswerCallback_Once(t *testing.T) {
	srv := telegramtest.New(t)
	c, _ := newClient(t, srv)
	ctx := ctxT(t)
	id := srv.Callback(42, telegramtest.Alice, 1, "lang:fr")
	if err := c.AnswerCallback(ctx, id, "OK"); err != nil {
		t.Fatal(err)
	}
	if a := srv.Answers(); len(a) != 1 || a[0] != (telegramtest.CallbackAnswer{ID: id, Text: "OK"}) {
		t.Errorf("answers = %+v", a)
	}
	if err := c.AnswerCallback(ctx, id, "again"); err == nil {
		t.Error("second answer accepted")
	}
}

func TestWebhook_SetAndDelete(t *testing.T) {
	srv := telegramtest.New(t)
	c, _ := newClient(t, srv)
	ctx := ctxT(t)
	if err := c.SetWebhook(ctx, "https://bot.example.org/telegram", "s3cr3t_Token-1"); err != nil {
		t.Fatal(err)
	}
	if w := srv.Webhook(); w.URL != "https://bot.example.org/telegram" || w.Secret != "s3cr3t_Token-1" {
		t.Fatalf("webhook = %+v", w)
	}
	if err := c.DeleteWebhook(ctx, false); err != nil {
		t.Fatal(err)
	}
	if w := srv.Webhook(); w.URL != "" {
		t.Fatalf("webhook after delete = %+v", w)
	}
}
