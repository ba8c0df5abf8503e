package bot

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
)

// listingSite serves a real news listing page without a feed (2M.ma's
// national news, in Arabic) and a page that lists nothing. Its emptied flag
// makes the listing lose its articles, as when a site changes its layout.
type listingSite struct {
	*httptest.Server
	emptied atomic.Bool
	hits    atomic.Int64
}

func newListingSite(t *testing.T) *listingSite {
	t.Helper()
	body, err := os.ReadFile("../page/testdata/2m-ar-listing.html") // the page reader's fixture
	if err != nil {
		t.Fatal(err)
	}
	s := &listingSite{}
	var page []byte
	mux := http.NewServeMux()
	mux.HandleFunc("/ar/news/national", func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if s.emptied.Load() {
			_, _ = io.WriteString(w, `<!doctype html><html lang="ar"><head><title>2M.ma</title></head><body><p>صيانة</p></body></html>`)
			return
		}
		_, _ = w.Write(page)
	})
	s.Server = httptest.NewServer(mux)
	// The page's absolute links point at its own site, now this server.
	page = bytes.ReplaceAll(body, []byte("https://2m.ma/"), []byte(s.URL+"/"))
	t.Cleanup(s.Close)
	return s
}

func TestSubscribe_PageWithoutFeedIsOfferedAndWatched(t *testing.T) {
	h := newHarness(t)
	site := newListingSite(t)
	pageURL := site.URL + "/ar/news/national"

	offer := h.reply(amina.ID, amina, "/subscribe "+pageURL)
	wantText(t, offer, "لا يوفّر", "6 مقالات", "رئيسة بعثة المنظمة الدولية للهجرة بالمغرب")
	id := feed.SourceID(pageURL)
	if got := buttonData(offer); !slices.Equal(got, []string{cbWatch + ":" + id}) {
		t.Fatalf("offer buttons = %v, want the watch button", got)
	}
	if got := h.chatFeeds(amina.ID); len(got) != 0 {
		t.Fatalf("subscribed before confirming: %v", got)
	}
	if _, ok, err := h.st.Feed(context.Background(), id); err != nil || ok {
		t.Fatalf("page registered before confirming: ok=%v err=%v", ok, err)
	}

	done, _ := h.tap(amina.ID, amina, offer.ID, cbWatch+":"+id)
	wantText(t, done, "2M.ma", "صفحة ويب", "6 مقالات",
		"• رئيسة بعثة المنظمة الدولية للهجرة بالمغرب",
		"• انطلاق عملية مرحبا 2024 بميناء طنجة المتوسط",
		"• الحكومة تصادق على مشروع قانون يتعلق بالوقاية المدنية")
	if strings.Contains(done.Text, "تساقطات ثلجية") {
		t.Errorf("the confirmation lists more than the newest 3 titles: %q", done.Text)
	}
	if len(buttonData(done)) != 0 {
		t.Errorf("the watch button is still there: %v", buttonData(done))
	}
	if got := h.chatFeeds(amina.ID); !slices.Equal(got, []string{id}) {
		t.Fatalf("chat feeds = %v, want [%s]", got, id)
	}
	st, ok, err := h.st.Feed(context.Background(), id)
	if err != nil || !ok {
		t.Fatalf("page source not registered: ok=%v err=%v", ok, err)
	}
	if st.Source.Kind != news.KindPage || st.Source.URL != pageURL || st.Source.Name != "2M.ma" || st.Source.Language != "ar" {
		t.Errorf("registered source = %+v", st.Source)
	}

	// /status names it with its kind.
	wantText(t, h.reply(amina.ID, amina, "/status"), "2M.ma (🌐 صفحة ويب): لم يُقرأ بعد")

	// Tapping again does not subscribe twice.
	again, _ := h.tap(amina.ID, amina, offer.ID, cbWatch+":"+id)
	wantText(t, again, "أنت تتابع")
	if got := h.chatFeeds(amina.ID); len(got) != 1 {
		t.Errorf("chat feeds after a second tap = %v", got)
	}
}

func TestSubscribe_PageThatStopsListingArticlesIsNotWatched(t *testing.T) {
	h := newHarness(t)
	site := newListingSite(t)
	pageURL := site.URL + "/ar/news/national"
	offer := h.reply(bob.ID, bob, "/subscribe "+pageURL)
	wantText(t, offer, "has no news feed, but it lists 6 articles")
	site.emptied.Store(true)
	m, _ := h.tap(bob.ID, bob, offer.ID, cbWatch+":"+feed.SourceID(pageURL))
	wantText(t, m, "no longer find any articles")
	if got := h.chatFeeds(bob.ID); len(got) != 0 {
		t.Errorf("subscribed to an empty page: %v", got)
	}
	// Now the page lists nothing: no offer, the plain "not a feed" answer.
	wantText(t, h.reply(bob.ID, bob, "/subscribe "+pageURL), "is a web page, not a news feed")
}

func TestSubscribe_PageAdvertisingAFeedStillGetsTheFeed(t *testing.T) {
	h := newHarness(t)
	m := h.reply(bob.ID, bob, "/subscribe "+h.url("/page.html"))
	wantText(t, m, "That page points to its news feed")
	if len(buttonData(m)) != 0 {
		t.Errorf("a page with a feed was offered as a page: %v", buttonData(m))
	}
	if got := h.chatFeeds(bob.ID); !slices.Equal(got, []string{feed.SourceID(h.url("/rss.xml"))}) {
		t.Errorf("feeds = %v", got)
	}
}

func TestSubscribe_PageOfferRefusals(t *testing.T) {
	h := newHarness(t)
	site := newListingSite(t)
	pageURL := site.URL + "/ar/news/national"
	id := feed.SourceID(pageURL)

	// A button the bot never offered to this chat is expired.
	hits := site.hits.Load()
	m := h.reply(alice.ID, alice, "/help")
	h.tg.Callback(alice.ID, alice, m.ID, cbWatch+":"+id)
	h.settle()
	answers := h.tg.Answers()
	if len(answers) == 0 || !strings.Contains(answers[len(answers)-1].Text, "n’est plus valable") {
		t.Errorf("answers = %+v, want the expired-button toast", answers)
	}
	if site.hits.Load() != hits {
		t.Error("an unknown offer fetched the page")
	}

	// In a group only administrators may confirm.
	const group = -4002
	h.tg.SetChat(news.ChatRef{ID: group, Kind: news.ChatGroup, Title: "Veille"})
	h.tg.SetMember(group, alice.ID, news.MemberAdministrator, true)
	h.tg.SetMember(group, bob.ID, news.MemberMember, true)
	offer := h.reply(group, alice, "/subscribe "+pageURL)
	if len(buttonData(offer)) != 1 {
		t.Fatalf("no offer in the group: %q", offer.Text)
	}
	h.tap(group, bob, offer.ID, cbWatch+":"+id)
	if got := h.chatFeeds(group); len(got) != 0 {
		t.Errorf("a non-administrator subscribed the group: %v", got)
	}
	h.tap(group, alice, offer.ID, cbWatch+":"+id)
	if got := h.chatFeeds(group); !slices.Equal(got, []string{id}) {
		t.Errorf("group feeds = %v", got)
	}
}

func TestSubscribe_PageBehindTheGuardIsRefused(t *testing.T) {
	h := newHarness(t, withGuard())
	site := newListingSite(t)
	m := h.reply(bob.ID, bob, "/subscribe "+site.URL+"/ar/news/national")
	wantText(t, m, "private or local network address")
	if site.hits.Load() != 0 {
		t.Errorf("the guard let %d requests through", site.hits.Load())
	}
}

func TestSources_NotesPageSources(t *testing.T) {
	h := newHarness(t, func(o *Options) {
		o.Catalog = append(testCatalog(), news.Source{ID: "2m-ar", Name: "2M.ma", URL: "https://2m.ma/ar/", Language: "ar", Country: "MA", Kind: news.KindPage})
	})
	m := h.reply(bob.ID, bob, "/sources ar")
	wantText(t, m, "Sources in Arabic")
	var labels []string
	for _, row := range m.Buttons {
		for _, b := range row {
			labels = append(labels, b.Text)
		}
	}
	if !slices.Contains(labels, "▫️ 2M.ma (MA) (🌐 web page) ❔") {
		t.Errorf("buttons %q: the page source should say it is a web page", labels)
	}
	if !slices.Contains(labels, "▫️ Hespress (MA)") {
		t.Errorf("buttons %q: a feed should carry no kind note", labels)
	}
}
