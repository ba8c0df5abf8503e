package deliver_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/archive"
	"github.com/migrawatch/migrawatch/internal/bot"
	"github.com/migrawatch/migrawatch/internal/news"
)

func TestSender_DeliveredArticlesCarrySpeakerButtonsAndReachTheArchive(t *testing.T) {
	e := newEnv(t)
	e.chat(news.Chat{ID: private, UILang: "ar"}, seedFeed)
	e.chat(news.Chat{ID: group, Kind: news.ChatSupergroup, Title: "Migration desk", UILang: "fr"}, seedFeed)
	e.chat(news.Chat{ID: channel, Kind: news.ChatChannel, Title: "MigraNews", UILang: "en"}, seedFeed)
	e.chat(news.Chat{ID: 110}, seedFeed) // blocks the bot before the message goes
	arch, err := archive.New(archive.Options{Store: e.st, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var delivered []string
	cfg := e.senderConfig()
	cfg.Buttons = func(a news.Article, c news.Chat) [][]news.Button {
		return bot.SpeakerButtons(c, arch.ShownSpeakers(a, e.clock.Now()), "migrawatch_bot")
	}
	cfg.Delivered = func(ctx context.Context, a news.Article) error {
		mu.Lock()
		delivered = append(delivered, a.Key)
		mu.Unlock()
		return arch.Record(ctx, a)
	}
	a := seedArticle(t)
	a.Published = e.clock.Now().Add(-time.Hour)
	e.srv.Block(110)
	e.start(nil, nil, cfg)
	e.route(a)

	laura, _ := archive.Identify("لورا بالاتيني")
	fatima, _ := archive.Identify("فاطمة أمزيل")
	for _, chat := range []int64{private, group} {
		m := e.waitSent(chat, 1)[0]
		var data []string
		for _, row := range m.Buttons {
			data = append(data, row[0].Data)
		}
		if !slices.Equal(data, []string{"qs:" + laura.ID, "qs:" + fatima.ID}) {
			t.Errorf("chat %d buttons %+v, want one per speaker", chat, m.Buttons)
		}
	}
	if m := e.waitSent(private, 1)[0]; m.Buttons[0][0].Text != "💬 المزيد من لورا بالاتيني" {
		t.Errorf("button label %q, want the chat's language", m.Buttons[0][0].Text)
	}
	ch := e.waitSent(channel, 1)[0]
	if len(ch.Buttons) != 2 || ch.Buttons[0][0].URL != "https://t.me/migrawatch_bot?start=qs-"+laura.ID {
		t.Errorf("channel buttons %+v, want links to the bot's private chat", ch.Buttons)
	}
	e.expectExactly(110, 0, 300*time.Millisecond)

	mu.Lock()
	got := len(delivered)
	mu.Unlock()
	if got != 3 {
		t.Errorf("told of %d deliveries, want 3 (the blocked chat got nothing)", got)
	}
	p, err := arch.Search(context.Background(), "بالاتيني", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Quotes) != 1 || p.Quotes[0].Link != a.Link || p.Quotes[0].Source != "2M.ma" || !strings.HasPrefix(p.Quotes[0].Text, "من خلال اعتماد نهج") {
		t.Fatalf("archive after delivery: %+v", p.Quotes)
	}
	vs, _ := arch.Voices(context.Background(), nil, nil, 5)
	if len(vs) != 2 || vs[0].Quotes != 1 || vs[1].Quotes != 1 {
		t.Errorf("a story delivered to three chats counted %+v, want each quote once", vs)
	}
}
