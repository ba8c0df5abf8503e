package bot

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
	"github.com/migrawatch/migrawatch/internal/telegram/telegramtest"
)

func TestParseCommand(t *testing.T) {
	b := &Bot{opts: Options{BotUsername: "mw_bot"}}
	cases := []struct {
		text, name, args string
		ok               bool
	}{
		{"/start", "start", "", true},
		{"  /Subscribe   https://x.org/feed  ", "subscribe", "https://x.org/feed", true},
		{"/langs@mw_bot ar fr", "langs", "ar fr", true},
		{"/langs@MW_Bot ar", "langs", "ar", true},
		{"/langs@other_bot ar", "", "", false},
		{"/mode\ndigest 08:00", "mode", "digest 08:00", true},
		{"/", "", "", false},
		{"/@mw_bot", "", "", false},
		{"hello /start", "", "", false},
		{"/" + strings.Repeat("a", 33), "", "", false},
	}
	for _, c := range cases {
		name, args, ok := b.parseCommand(c.text)
		if name != c.name || args != c.args || ok != c.ok {
			t.Errorf("parseCommand(%q) = %q, %q, %v; want %q, %q, %v", c.text, name, args, ok, c.name, c.args, c.ok)
		}
	}
}

func TestParseClockAndQuiet(t *testing.T) {
	clocks := map[string]string{"08:00": "08:00", "8:05": "08:05", "23h30": "23:30", "7h": "07:00", "24:00": "", "12:60": "", "noon": "", "": ""}
	for in, want := range clocks {
		got, ok := parseClock(in)
		if got != want || ok != (want != "") {
			t.Errorf("parseClock(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	quiets := map[string]string{"22:00-07:00": "22:00-07:00", "22:00 - 7:00": "22:00-07:00", "22h-7h": "22:00-07:00", "22:00": "", "07:00-07:00": "", "a-b": ""}
	for in, want := range quiets {
		got, ok := parseQuiet(in)
		if got != want || ok != (want != "") {
			t.Errorf("parseQuiet(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestLoadZone_KnowsIANANamesOnly(t *testing.T) {
	for _, ok := range []string{"Africa/Casablanca", "Europe/Madrid", "UTC", "Africa/Tripoli"} {
		if _, got := loadZone(ok); !got {
			t.Errorf("loadZone(%q) refused", ok)
		}
	}
	for _, bad := range []string{"", "Local", "local", "Mars/Base", "../../etc/passwd", strings.Repeat("A", 100)} {
		if _, got := loadZone(bad); got {
			t.Errorf("loadZone(%q) accepted", bad)
		}
	}
}

func TestLimiter_BurstWarningMuteAndRefill(t *testing.T) {
	c := &clock{now: time.Unix(0, 0)}
	l := newLimiter(3, time.Minute, time.Minute, c.Now)
	for i := range 3 {
		if ok, warn := l.allow(1); !ok || warn {
			t.Fatalf("command %d refused", i)
		}
	}
	if ok, warn := l.allow(1); ok || !warn {
		t.Fatalf("first excess: ok=%v warn=%v, want a warning", ok, warn)
	}
	if ok, warn := l.allow(1); ok || warn {
		t.Fatalf("second excess: ok=%v warn=%v, want silence", ok, warn)
	}
	if ok, _ := l.allow(2); !ok {
		t.Fatal("another user was limited")
	}
	c.Advance(30 * time.Second)
	if ok, warn := l.allow(1); ok || warn {
		t.Fatal("muted user let through before the mute ended")
	}
	c.Advance(31 * time.Second)
	if ok, _ := l.allow(1); !ok {
		t.Fatal("user still muted after the mute")
	}
	c.Advance(time.Hour)
	l.allow(3)
	if len(l.users) != 1 {
		t.Errorf("idle users not forgotten: %d left", len(l.users))
	}
}

func TestOPML_ParseNestedAndRefuseMalformed(t *testing.T) {
	doc := `<?xml version="1.0"?><opml version="1.0"><head/><body>
<outline text="a"><outline text="b"><outline xmlUrl="https://a.example/feed"/></outline></outline>
<outline xmlUrl=" https://b.example/rss "/><outline xmlUrl="https://a.example/feed"/></body></opml>`
	urls, err := parseOPML([]byte(doc))
	if err != nil || !slices.Equal(urls, []string{"https://a.example/feed", "https://b.example/rss"}) {
		t.Errorf("parseOPML = %v, %v", urls, err)
	}
	for _, bad := range []string{"", "not xml", "<opml><body><outline></body></opml>", `<?xml version="1.0" encoding="windows-1252"?><opml/>`, "<rss/>"} {
		if _, err := parseOPML([]byte(bad)); err == nil {
			t.Errorf("parseOPML(%q) accepted", bad)
		}
	}
}

func FuzzParseOPML(f *testing.F) {
	f.Add([]byte(`<opml version="2.0"><body><outline xmlUrl="https://a.example/feed"/></body></opml>`))
	f.Add([]byte(`<opml><body><outline><outline><outline xmlUrl="x"/></outline></outline></body></opml>`))
	f.Add([]byte(`<!DOCTYPE opml [<!ENTITY a "aaaa">]><opml>&a;</opml>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		urls, err := parseOPML(data)
		if err == nil {
			for _, u := range urls {
				if strings.TrimSpace(u) != u || u == "" {
					t.Errorf("untrimmed or empty URL %q", u)
				}
			}
		}
	})
}

// fakeTelegram records what the bot sends, for tests that call HandleUpdate
// directly (fuzzing needs no HTTP).
type fakeTelegram struct {
	mu   sync.Mutex
	sent []news.Message
}

func (f *fakeTelegram) Send(ctx context.Context, m news.Message) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, m)
	return len(f.sent), nil
}

func (f *fakeTelegram) SendDocument(ctx context.Context, d news.Document) (int, error) {
	return 1, nil
}

func (f *fakeTelegram) AnswerCallback(ctx context.Context, id, text string) error { return nil }

func (f *fakeTelegram) GetChat(ctx context.Context, chat string) (news.ChatRef, error) {
	return news.ChatRef{ID: -100123, Kind: news.ChatChannel, Title: chat}, nil
}

func (f *fakeTelegram) GetChatMember(ctx context.Context, chatID, userID int64) (news.ChatMember, error) {
	return news.ChatMember{UserID: userID, Status: news.MemberAdministrator, CanPostMsgs: true}, nil
}

func (f *fakeTelegram) DownloadFile(ctx context.Context, fileID string, limit int64) ([]byte, error) {
	return []byte(fileID), nil
}

// FuzzHandleUpdate feeds arbitrary commands, callback data and documents to
// the bot: it must never panic, and every HTML text it sends must be valid.
func FuzzHandleUpdate(f *testing.F) {
	for _, s := range []string{"/start", "/subscribe ftp://x", "/langs ar,fr", "/mode digest 25:99", "/quiet 1-2", "/tz Europe/Paris",
		"/channel @x", "/channels done", "/status", "/unsubscribe u123", "/export", "/help@x", "/sources de"} {
		f.Add(s, "t:fr:0:media01-fr", int64(42))
	}
	f.Add("", "c:e:-100123", int64(-5))
	f.Add("/pause", "o:d:s", int64(-1001))
	rdb, prefix := storetest.Redis(f)
	st := store.New(rdb, prefix)
	tg := &fakeTelegram{}
	o := storeOptions(st, feed.NewFetcher(feed.Options{Transport: refuseTransport{}}))
	o.Telegram, o.Catalog, o.BotUsername = tg, testCatalog(), "mw_bot"
	b, err := New(o)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text, data string, chat int64) {
		ctx := context.Background()
		kind := news.ChatPrivate
		if chat < 0 {
			kind = news.ChatSupergroup
		}
		ref := news.ChatRef{ID: chat, Kind: kind}
		from := news.User{ID: 7, LanguageCode: "ar"}
		b.HandleUpdate(ctx, news.Update{Kind: news.UpdateMessage, Chat: ref, From: from, Text: text})
		b.HandleUpdate(ctx, news.Update{Kind: news.UpdateCallback, Chat: ref, From: from, CallbackID: "1", CallbackData: data, MessageID: 1})
		b.HandleUpdate(ctx, news.Update{Kind: news.UpdateMessage, Chat: ref, From: from, Document: &news.FileRef{FileID: text, Name: "x.opml"}})
		if n := b.panics.Load(); n != 0 {
			t.Fatalf("%d panics", n)
		}
		tg.mu.Lock()
		sent := tg.sent
		tg.sent = nil
		tg.mu.Unlock()
		for _, m := range sent {
			if m.HTML {
				if _, err := parseTelegramHTML(m.Text); err != nil {
					t.Errorf("invalid HTML %v in %q", err, m.Text)
				}
			}
		}
	})
}

// refuseTransport fails every request, so fuzzing never touches the network.
type refuseTransport struct{}

func (refuseTransport) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("no network in tests")
}

var parseTelegramHTML = telegramtest.ParseHTML
