package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
)

type answer struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter      int   `json:"retry_after"`
		MigrateToChatID int64 `json:"migrate_to_chat_id"`
	} `json:"parameters"`
	status int
	raw    string
}

// call posts a form-encoded Bot API call, as the library's MakeRequest does.
func call(t *testing.T, s *Server, method string, params map[string]string) answer {
	t.Helper()
	form := url.Values{}
	for k, v := range params {
		form.Set(k, v)
	}
	resp, err := http.PostForm(fmt.Sprintf(s.Endpoint(), s.Token, method), form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var a answer
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatalf("%s: %v in %s", method, err, body)
	}
	a.status, a.raw = resp.StatusCode, strings.TrimSpace(string(body))
	return a
}

func send(t *testing.T, s *Server, chat int64, text string) answer {
	t.Helper()
	return call(t, s, "sendMessage", map[string]string{"chat_id": fmt.Sprint(chat), "text": text, "parse_mode": "HTML"})
}

func TestServer_UnknownMethodAndBadTokenAnswerLikeTelegram(t *testing.T) {
	s := New(t)
	a := call(t, s, "sendSticker", nil)
	if a.status != 404 || a.raw != `{"ok":false,"error_code":404,"description":"Not Found"}` {
		t.Errorf("unknown method: %d %s", a.status, a.raw)
	}
	resp, err := http.Get(s.URL + "/bot1:wrong/getMe")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("bad token status %d", resp.StatusCode)
	}
	if a := call(t, s, "GETME", nil); !a.OK {
		t.Errorf("method names are case-insensitive in the Bot API: %s", a.raw)
	}
}

func TestServer_SendMessageErrors(t *testing.T) {
	s := New(t)
	s.Block(1)
	s.Kick(-2)
	s.Migrate(-3, -1003)
	s.DeleteChat(4)
	tests := []struct {
		chat      int64
		text      string
		code      int
		desc      string
		migrateTo int64
	}{
		{1, "x", 403, "Forbidden: bot was blocked by the user", 0},
		{-2, "x", 403, "Forbidden: bot was kicked from the group chat", 0},
		{-3, "x", 400, "Bad Request: group chat was upgraded to a supergroup chat", -1003},
		{4, "x", 400, "Bad Request: chat not found", 0},
		{5, "Hello world <div>x</div>", 400, `Bad Request: can't parse entities: Unsupported start tag "div" at byte offset 12`, 0},
		{5, "<b></b>", 400, "Bad Request: message text is empty", 0},
		{5, "   ", 400, "Bad Request: message text is empty", 0},
		{5, strings.Repeat("a", 4097), 400, "Bad Request: message is too long", 0},
	}
	for _, tt := range tests {
		a := send(t, s, tt.chat, tt.text)
		if a.OK || a.status != tt.code || a.ErrorCode != tt.code || a.Description != tt.desc || a.Parameters.MigrateToChatID != tt.migrateTo {
			t.Errorf("chat %d %.20q: %d %s", tt.chat, tt.text, a.status, a.raw)
		}
	}
	if n := len(s.All()); n != 0 {
		t.Errorf("%d refused messages recorded", n)
	}
	s.Restore(1)
	if a := send(t, s, 1, "back"); !a.OK {
		t.Errorf("after Restore: %s", a.raw)
	}
}

func TestServer_LengthCountsCodePointsAfterParsing(t *testing.T) {
	s := New(t)
	// 4096 emoji are 8192 UTF-16 code units: Telegram accepts them, since the
	// limit counts characters (code points) of the parsed text.
	if a := send(t, s, 5, strings.Repeat("😀", 4096)); !a.OK {
		t.Errorf("4096 emoji refused: %s", a.raw)
	}
	if a := send(t, s, 5, strings.Repeat("😀", 4097)); a.Description != "Bad Request: message is too long" {
		t.Errorf("4097 emoji: %s", a.raw)
	}
	// Markup does not count...
	if a := send(t, s, 5, "<b>"+strings.Repeat("ب", 4096)+"</b>"); !a.OK {
		t.Errorf("4096 letters in bold refused: %s", a.raw)
	}
	// ...but the raw text is capped too.
	if a := send(t, s, 5, strings.Repeat("<b>x</b>", 5000)); a.Description != "Bad Request: message is too long" {
		t.Errorf("40000 raw bytes: %s", a.raw)
	}
	msgs := s.Sent(5)
	if len(msgs) != 2 || msgs[1].Text != strings.Repeat("ب", 4096) || !strings.HasPrefix(msgs[1].Raw, "<b>") {
		t.Errorf("sent %d messages", len(msgs))
	}
}

func TestServer_GetUpdatesLongPolls(t *testing.T) {
	s := New(t)
	go func() {
		time.Sleep(150 * time.Millisecond)
		s.UserMessage(42, Alice, "hi")
	}()
	start := time.Now()
	a := call(t, s, "getUpdates", map[string]string{"timeout": "5"})
	waited := time.Since(start)
	var ups []Update
	if err := json.Unmarshal(a.Result, &ups); err != nil || len(ups) != 1 || ups[0].Message.Text != "hi" {
		t.Fatalf("getUpdates = %s", a.raw)
	}
	if waited < 100*time.Millisecond || waited > 3*time.Second {
		t.Errorf("answered after %s; want when the update arrived", waited)
	}
	// Same offset: the update is still there; next offset confirms it.
	a = call(t, s, "getUpdates", map[string]string{"offset": fmt.Sprint(ups[0].UpdateID)})
	if !strings.Contains(a.raw, `"hi"`) {
		t.Errorf("unconfirmed update lost: %s", a.raw)
	}
	start = time.Now()
	a = call(t, s, "getUpdates", map[string]string{"offset": fmt.Sprint(ups[0].UpdateID + 1), "timeout": "1"})
	if string(a.Result) != "[]" || time.Since(start) < 900*time.Millisecond {
		t.Errorf("empty long poll = %s after %s", a.raw, time.Since(start))
	}
	if s.Pending() != 0 {
		t.Errorf("%d pending after confirmation", s.Pending())
	}
}

func TestServer_GetUpdatesConflictsWithWebhook(t *testing.T) {
	s := New(t)
	if a := call(t, s, "setWebhook", map[string]string{"url": "https://example.org/hook", "secret_token": "abc"}); !a.OK {
		t.Fatal(a.raw)
	}
	if a := call(t, s, "getUpdates", nil); a.status != 409 {
		t.Errorf("getUpdates with a webhook: %s", a.raw)
	}
	if a := call(t, s, "setWebhook", map[string]string{"url": "https://example.org/hook", "secret_token": "bad secret!"}); a.OK {
		t.Error("secret with spaces accepted")
	}
}

func TestServer_RateLimits(t *testing.T) {
	s := New(t)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	s.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	s.SetLimits(TelegramLimits)

	if a := send(t, s, 42, "one"); !a.OK {
		t.Fatal(a.raw)
	}
	a := send(t, s, 42, "two")
	if a.status != 429 || a.Description != "Too Many Requests: retry after 1" || a.Parameters.RetryAfter != 1 {
		t.Fatalf("second message in a second: %s", a.raw)
	}
	advance(time.Second)
	if a := send(t, s, 42, "two"); !a.OK {
		t.Fatalf("after retry_after: %s", a.raw)
	}

	// 20 per minute in a group, even when spaced by a second.
	const group = -100777
	for i := range 20 {
		if a := send(t, s, group, fmt.Sprint(i)); !a.OK {
			t.Fatalf("group message %d: %s", i, a.raw)
		}
		advance(time.Second)
	}
	a = send(t, s, group, "21st")
	if a.status != 429 || a.Parameters.RetryAfter != 40 {
		t.Fatalf("21st group message: %s", a.raw)
	}
	if s.TooManyRequests() != 2 || s.Violations() != 2 {
		t.Errorf("429s %d, violations %d", s.TooManyRequests(), s.Violations())
	}

	// Global: 30 per second across chats.
	advance(time.Minute)
	for i := range 30 {
		if a := send(t, s, int64(1000+i), "x"); !a.OK {
			t.Fatalf("global %d: %s", i, a.raw)
		}
	}
	if a := send(t, s, 2000, "x"); a.status != 429 {
		t.Fatalf("31st message in a second: %s", a.raw)
	}

	// Observe mode lets violations through and counts them.
	s.SetLimits(Limits{PerChat: 1, Observe: true})
	send(t, s, 7, "a")
	if a := send(t, s, 7, "b"); !a.OK {
		t.Fatalf("observe mode refused: %s", a.raw)
	}
	if s.Violations() != 4 || s.TooManyRequests() != 3 {
		t.Errorf("429s %d, violations %d", s.TooManyRequests(), s.Violations())
	}
}

func TestServer_ScriptedFailuresAndTimeout(t *testing.T) {
	s := New(t)
	s.FailNext(9, 2, http.StatusInternalServerError)
	for range 2 {
		if a := send(t, s, 9, "x"); a.status != 500 || a.Description != "Internal Server Error" {
			t.Fatalf("scripted 500: %s", a.raw)
		}
	}
	if a := send(t, s, 9, "x"); !a.OK {
		t.Fatalf("after the burst: %s", a.raw)
	}
	s.Timeout(10)
	client := &http.Client{Timeout: 200 * time.Millisecond}
	_, err := client.PostForm(fmt.Sprintf(s.Endpoint(), s.Token, "sendMessage"), url.Values{"chat_id": {"10"}, "text": {"x"}})
	if err == nil {
		t.Fatal("a hanging chat answered")
	}
	s.Respond(10)
	if a := send(t, s, 10, "x"); !a.OK {
		t.Fatalf("after Respond: %s", a.raw)
	}
}

func TestServer_CloseReleasesHangingRequests(t *testing.T) {
	s := New(t)
	s.Timeout(10)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = http.PostForm(fmt.Sprintf(s.Endpoint(), s.Token, "sendMessage"), url.Values{"chat_id": {"10"}, "text": {"x"}})
	}()
	for s.Calls("sendMessage") == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(3 * time.Second):
		t.Fatal("Close blocked on a hanging request")
	}
	<-done
}

func TestServer_EditAndButtons(t *testing.T) {
	s := New(t)
	kb := `{"inline_keyboard":[[{"text":"A","callback_data":"a"}]]}`
	a := call(t, s, "sendMessage", map[string]string{"chat_id": "42", "text": "menu", "reply_markup": kb})
	var m Message
	if err := json.Unmarshal(a.Result, &m); err != nil || m.MessageID != 1 || m.ReplyMarkup == nil {
		t.Fatalf("sendMessage = %s", a.raw)
	}
	same := call(t, s, "editMessageText", map[string]string{"chat_id": "42", "message_id": "1", "text": "menu", "reply_markup": kb})
	if !strings.HasPrefix(same.Description, "Bad Request: message is not modified") {
		t.Errorf("identical edit: %s", same.raw)
	}
	long := `{"inline_keyboard":[[{"text":"A","callback_data":"` + strings.Repeat("x", 65) + `"}]]}`
	if a := call(t, s, "sendMessage", map[string]string{"chat_id": "42", "text": "menu", "reply_markup": long}); a.Description != "Bad Request: BUTTON_DATA_INVALID" {
		t.Errorf("65-byte callback_data: %s", a.raw)
	}
}

func TestServer_JSONBodyAndUsername(t *testing.T) {
	s := New(t)
	s.SetChat(news.ChatRef{ID: -1001234, Kind: news.ChatChannel, Title: "Canal", Username: "Canal_Migration"})
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf(s.Endpoint(), s.Token, "sendMessage"),
		strings.NewReader(`{"chat_id":"@canal_migration","text":"json","message_thread_id":0}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || len(s.Sent(-1001234)) != 1 {
		t.Fatalf("JSON body to @username: status %d, sent %v", resp.StatusCode, s.All())
	}
	if a := call(t, s, "getChat", map[string]string{"chat_id": "@unknown"}); a.Description != "Bad Request: chat not found" {
		t.Errorf("unknown username: %s", a.raw)
	}
}

func TestServer_WaitSentAndConcurrency(t *testing.T) {
	s := New(t)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			send(t, s, int64(100+i%4), "<i>x</i>")
			s.UserMessage(int64(100+i%4), Bob, "y")
		}()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	msgs, err := s.WaitSent(ctx, 101, 5)
	if err != nil || len(msgs) != 5 {
		t.Fatalf("WaitSent = %d, %v", len(msgs), err)
	}
	wg.Wait()
	if len(s.All()) != 20 || s.Pending() != 20 {
		t.Errorf("all %d, pending %d", len(s.All()), s.Pending())
	}
	short, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	if _, err := s.WaitSent(short, 101, 6); err == nil {
		t.Error("WaitSent returned without the messages")
	}
}

func TestServer_MyChatMemberDecidesWhetherTheBotMayPost(t *testing.T) {
	s := New(t)
	s.MyChatMember(42, Alice, news.MemberMember, news.MemberKicked)
	if a := send(t, s, 42, "x"); a.Description != "Forbidden: bot was blocked by the user" {
		t.Errorf("after kicked: %s", a.raw)
	}
	s.MyChatMember(42, Alice, news.MemberKicked, news.MemberMember)
	if a := send(t, s, 42, "x"); !a.OK {
		t.Errorf("after member again: %s", a.raw)
	}
	const channel = -1005550000000
	s.SetChat(news.ChatRef{ID: channel, Kind: news.ChatChannel, Title: "Canal"})
	s.SetMember(channel, BotID, news.MemberAdministrator, false)
	if a := send(t, s, channel, "x"); a.Description != "Bad Request: need administrator rights in the channel chat" {
		t.Errorf("admin without can_post_messages: %s", a.raw)
	}
	s.MyChatMember(channel, Bob, news.MemberAdministrator, news.MemberAdministrator)
	if a := send(t, s, channel, "x"); !a.OK {
		t.Errorf("admin allowed to post: %s", a.raw)
	}
	s.MyChatMember(channel, Bob, news.MemberAdministrator, news.MemberLeft)
	if a := send(t, s, channel, "x"); a.Description != "Forbidden: bot is not a member of the channel chat" {
		t.Errorf("after left: %s", a.raw)
	}
}
