package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/archive"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/telegram/telegramtest"
)

var (
	_ QuoteFinder = (*archive.Archive)(nil)
	_ QuoteState  = (*store.Store)(nil)
)

// withQuotes gives the bot a quote archive over the harness's store and
// clock; *arch receives it for the test to record articles with.
func withQuotes(arch **archive.Archive) harnessOption {
	return func(o *Options) {
		st := o.Store.(*store.Store)
		a, err := archive.New(archive.Options{Store: st, Now: o.Now})
		if err != nil {
			panic(err)
		}
		*arch, o.Quotes, o.QuoteState = a, a, st
	}
}

// delivered is an article as the router and sender hand it to the archive.
func delivered(source, link, lang string, published time.Time, speaker, role, text string) news.Article {
	return news.Article{
		Item:       news.Item{FeedID: strings.ToLower(source), Key: link, Link: link, Title: text[:20], Published: published},
		SourceName: source, Lang: lang, Relevance: news.Relevance{Relevant: true},
		Summary: news.Summary{Quotes: []news.Quote{{Speaker: speaker, Role: role, Text: text, Confidence: 0.9}}},
	}
}

// palatiniStory records three quotes of Laura Palatini in two outlets and
// one of another Laura; it returns the three links, newest first.
func palatiniStory(t *testing.T, h *harness, arch *archive.Archive) []string {
	t.Helper()
	now := h.clock.Now()
	as := []news.Article{
		delivered("2M.ma", "https://2m.ma/ar/news/p1", news.English, now.Add(-72*time.Hour), "Laura Palatini", "IOM chief of mission in Morocco", "Integration of migrants is a long road for every city"),
		delivered("Hespress", "https://hespress.com/p2", news.English, now.Add(-48*time.Hour), "Laura Palatini", "IOM chief of mission", "The Agadir project brings local authorities & civil society together"),
		delivered("Hespress", "https://hespress.com/l1", news.English, now.Add(-36*time.Hour), "Laura Lungarotti", "IOM regional director", "Voluntary returns must stay voluntary and respect dignity"),
		delivered("2M.ma", "https://2m.ma/ar/news/p3", news.English, now.Add(-24*time.Hour), "Laura Palatini", "", "Ceuta and Melilla need a humane approach to <every> crossing"),
	}
	for _, a := range as {
		if err := arch.Record(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	return []string{"https://2m.ma/ar/news/p3", "https://hespress.com/p2", "https://2m.ma/ar/news/p1"}
}

// linksIn lists the links of m in order.
func linksIn(m telegramtest.SentMessage) []string {
	var out []string
	for rest := m.Raw; ; {
		i := strings.Index(rest, `<a href="`)
		if i < 0 {
			return out
		}
		rest = rest[i+len(`<a href="`):]
		out = append(out, rest[:strings.IndexByte(rest, '"')])
	}
}

func TestQuotes_SurnameListsThreeQuotesNewestFirstWithLinks(t *testing.T) {
	var arch *archive.Archive
	h := newHarness(t, withQuotes(&arch))
	want := palatiniStory(t, h, arch)
	m := h.reply(bob.ID, bob, "/quotes Palatini")
	if got := linksIn(m); !slices.Equal(got, want) {
		t.Fatalf("links %v, want %v\n%s", got, want, m.Text)
	}
	wantText(t, m, "Laura Palatini · quotes: 3", "— Laura Palatini, IOM chief of mission in Morocco", "2M.ma", "Hespress",
		"“Ceuta and Melilla need a humane approach to <every> crossing”")
	if strings.Contains(m.Text, "Lungarotti") {
		t.Errorf("another Laura is mixed in:\n%s", m.Text)
	}
	if _, err := telegramtest.ParseHTML(m.Raw); err != nil {
		t.Errorf("invalid HTML: %v", err)
	}
	// In French, with the French labels.
	fr := h.reply(alice.ID, alice, "/quotes palat")
	wantText(t, fr, "citations : 3")
	if got := linksIn(fr); !slices.Equal(got, want) {
		t.Errorf("the beginning of the name finds %v", got)
	}
	// Words of the quotes.
	w := h.reply(bob.ID, bob, "/quotes voluntary dignity")
	wantText(t, w, "Quotes with “voluntary dignity”", "Laura Lungarotti")
	wantText(t, h.reply(bob.ID, bob, "/quotes Darmanin"), "I have no quote for “Darmanin”")
}

func TestQuotes_PagesTurnInTheMessage(t *testing.T) {
	var arch *archive.Archive
	h := newHarness(t, withQuotes(&arch))
	now := h.clock.Now()
	for i := range 7 {
		a := delivered("2M.ma", fmt.Sprintf("https://2m.ma/q%d", i), news.French, now.Add(-time.Duration(10-i)*time.Hour),
			"Fatima Amzil", "", fmt.Sprintf("Déclaration numéro %d sur l'accueil des migrants à Agadir", i))
		if err := arch.Record(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	m := h.reply(alice.ID, alice, "/quotes Amzil")
	if got := linksIn(m); len(got) != 5 || got[0] != "https://2m.ma/q6" || got[4] != "https://2m.ma/q2" {
		t.Fatalf("first page %v", got)
	}
	if got := buttonData(m); !slices.Equal(got, []string{"qq:1:Amzil"}) {
		t.Fatalf("buttons %v", got)
	}
	edited, fresh := h.tap(alice.ID, alice, m.ID, "qq:1:Amzil")
	if len(fresh) != 0 {
		t.Fatalf("turning a page sent %d new messages", len(fresh))
	}
	if got := linksIn(edited); !slices.Equal(got, []string{"https://2m.ma/q1", "https://2m.ma/q0"}) {
		t.Errorf("second page %v", got)
	}
	wantText(t, edited, "6. «\u202fDéclaration", "Page 2")
	if got := buttonData(edited); !slices.Equal(got, []string{"qq:0:Amzil"}) {
		t.Errorf("second page buttons %v", got)
	}
}

func TestQuotes_AloneListsTheWeeksVoicesInTheChatsLanguages(t *testing.T) {
	var arch *archive.Archive
	h := newHarness(t, withQuotes(&arch))
	palatiniStory(t, h, arch)
	ar := delivered("Hespress", "https://hespress.com/ar1", news.Arabic, h.clock.Now().Add(-time.Hour), "خالد الزروالي", "مدير الهجرة", "المغرب يعمل على حماية حدوده واحترام حقوق المهاجرين")
	if err := arch.Record(context.Background(), ar); err != nil {
		t.Fatal(err)
	}
	m := h.reply(bob.ID, bob, "/quotes")
	wantText(t, m, "Most quoted this week", "1. Laura Palatini", "quotes: 3", "2. ")
	// An Arabic-only chat sees the Arabic voices, in Arabic.
	h.reply(amina.ID, amina, "/langs ar")
	m = h.reply(amina.ID, amina, "/quotes")
	wantText(t, m, "الأكثر اقتباسًا هذا الأسبوع", "خالد الزروالي")
	if strings.Contains(m.Text, "Palatini") {
		t.Errorf("an Arabic-only chat got English quotes:\n%s", m.Text)
	}
	// A voice's button shows that speaker's quotes in the message.
	id, _ := archive.Identify("خالد الزروالي")
	if got := buttonData(m); !slices.Equal(got, []string{"qs:" + id.ID + ":0"}) {
		t.Fatalf("buttons %v", got)
	}
	edited, _ := h.tap(amina.ID, amina, m.ID, "qs:"+id.ID+":0")
	wantText(t, edited, "خالد الزروالي · التصريحات: 1", "مدير الهجرة")
}

// sendNews posts a delivered article's message with its speaker buttons to
// chat, as the sender does, and returns it.
func sendNews(t *testing.T, h *harness, arch *archive.Archive, chat news.Chat, a news.Article) telegramtest.SentMessage {
	t.Helper()
	rows := SpeakerButtons(chat, arch.ShownSpeakers(a, h.clock.Now()), h.tg.Me().Username)
	id, err := h.bot.tg.Send(context.Background(), news.Message{ChatID: chat.ID, Text: a.Title, Buttons: rows})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range h.tg.Sent(chat.ID) {
		if m.ID == id {
			return m
		}
	}
	t.Fatal("the news message is not in the fake server")
	return telegramtest.SentMessage{}
}

func TestQuotes_MoreFromThisSpeakerRepliesOnceWithTheSameList(t *testing.T) {
	var arch *archive.Archive
	h := newHarness(t, withQuotes(&arch))
	want := palatiniStory(t, h, arch)
	const group = -4004
	h.tg.SetChat(news.ChatRef{ID: group, Kind: news.ChatGroup, Title: "NGOs"})
	search := h.reply(group, bob, "/quotes Palatini")

	newest := delivered("2M.ma", "https://2m.ma/ar/news/p3", news.English, h.clock.Now().Add(-24*time.Hour), "Laura Palatini", "", "Ceuta and Melilla need a humane approach to <every> crossing")
	msg := sendNews(t, h, arch, h.chat(group), newest)
	id, _ := archive.Identify("Laura Palatini")
	if got := buttonData(msg); !slices.Equal(got, []string{"qs:" + id.ID}) || msg.Buttons[0][0].Text != "💬 More from Laura Palatini" {
		t.Fatalf("news buttons %+v", msg.Buttons)
	}
	// The answer meets Telegram's flood control: nothing is sent, and the
	// button is not spent.
	h.tg.FailNext(group, 1, 429)
	if _, fresh := h.tap(group, bob, msg.ID, "qs:"+id.ID); len(fresh) != 0 {
		t.Fatalf("a refused answer left %d messages", len(fresh))
	}
	_, fresh := h.tap(group, bob, msg.ID, "qs:"+id.ID)
	if len(fresh) != 1 {
		t.Fatalf("the button sent %d messages, want 1", len(fresh))
	}
	answer := fresh[0]
	if answer.ReplyTo != msg.ID {
		t.Errorf("the answer does not reply to the news message (reply to %d)", answer.ReplyTo)
	}
	if got := linksIn(answer); !slices.Equal(got, want) || !slices.Equal(got, linksIn(search)) {
		t.Errorf("button lists %v, /quotes Palatini %v, want %v", got, linksIn(search), want)
	}
	if strings.Contains(answer.Text, "Lungarotti") {
		t.Errorf("another Laura is mixed in:\n%s", answer.Text)
	}
	// Everyone else who taps is told it is above: no flood.
	for _, u := range []news.User{alice, bob, amina} {
		if _, fresh := h.tap(group, u, msg.ID, "qs:"+id.ID); len(fresh) != 0 {
			t.Fatalf("a second tap sent %d messages", len(fresh))
		}
	}
	answers := h.tg.Answers()
	if last := answers[len(answers)-1]; last.Text != "The quotes are in the reply above." {
		t.Errorf("second tap answered %q", last.Text)
	}
	if _, fresh := h.tap(group, bob, msg.ID, "qs:not-an-id"); len(fresh) != 0 {
		t.Error("a forged button was answered")
	}
}

func TestQuotes_ChannelButtonsOpenThePrivateChat(t *testing.T) {
	var arch *archive.Archive
	h := newHarness(t, withQuotes(&arch))
	want := palatiniStory(t, h, arch)
	channel := news.Chat{ID: channelID, Kind: news.ChatChannel, UILang: news.French}
	a := delivered("2M.ma", "https://2m.ma/ar/news/p3", news.English, h.clock.Now().Add(-24*time.Hour), "Laura Palatini", "", "Ceuta and Melilla need a humane approach to <every> crossing")
	id, _ := archive.Identify("Laura Palatini")
	rows := SpeakerButtons(channel, arch.ShownSpeakers(a, h.clock.Now()), "@"+h.tg.Me().Username)
	wantURL := "https://t.me/" + h.tg.Me().Username + "?start=qs-" + id.ID
	if len(rows) != 1 || rows[0][0].URL != wantURL || rows[0][0].Data != "" || rows[0][0].Text != "💬 Plus de Laura Palatini" {
		t.Fatalf("channel buttons %+v, want a link to %s", rows, wantURL)
	}
	if got := SpeakerButtons(channel, arch.ShownSpeakers(a, h.clock.Now()), ""); len(got) != 0 {
		t.Errorf("without the bot's username a channel got buttons %+v", got)
	}
	m := h.reply(bob.ID, bob, "/start qs-"+id.ID)
	if got := linksIn(m); !slices.Equal(got, want) {
		t.Errorf("the deep link lists %v, want %v", got, want)
	}
	wantText(t, h.reply(bob.ID, bob, "/start"), "Welcome to MigraWatch")
}

func TestVoices_WeeklyPostInALinkedChannel(t *testing.T) {
	var arch *archive.Archive
	h := newHarness(t, withQuotes(&arch))
	ctx := context.Background()
	setUpChannel(h, news.MemberAdministrator, true)
	h.reply(alice.ID, alice, "/channel @mw_chan")
	wantText(t, h.reply(alice.ID, alice, "/voices"), "publication hebdomadaire des voix est arrêtée")
	m := h.reply(alice.ID, alice, "/voices on")
	// The harness clock is Sunday 1 March 2026, 09:00 UTC.
	wantText(t, m, "Réglages de Migrations <Maroc>", "Chaque lundi à 09:00", "Prochaine : 2026-03-02 09:00")
	if len(h.tg.Sent(channelID)) != 0 {
		t.Fatal("turning the post on wrote into the channel")
	}
	palatiniStory(t, h, arch)
	if n, err := h.bot.PostWeeklyVoices(ctx); err != nil || n != 0 {
		t.Fatalf("a post before its time: %d, %v", n, err)
	}
	h.clock.Advance(24 * time.Hour)
	// Telegram's flood control delays the post; it is not lost.
	h.tg.FailNext(channelID, 1, 429)
	if n, err := h.bot.PostWeeklyVoices(ctx); err != nil || n != 0 {
		t.Fatalf("posting into a 429: %d, %v", n, err)
	}
	h.clock.Advance(2 * time.Second)
	n, err := h.bot.PostWeeklyVoices(ctx)
	if err != nil || n != 1 {
		t.Fatalf("posted %d, %v", n, err)
	}
	posts := h.tg.Sent(channelID)
	if len(posts) != 1 {
		t.Fatalf("the channel got %d posts", len(posts))
	}
	wantText(t, posts[0], "Les voix de la semaine", "1. Laura Palatini", "citations : 3", "«\u202fCeuta and Melilla")
	if b := posts[0].Buttons; len(b) == 0 || !strings.HasPrefix(b[0][0].URL, "https://t.me/") {
		t.Errorf("channel post buttons %+v, want links to the bot", b)
	}
	if n, _ := h.bot.PostWeeklyVoices(ctx); n != 0 {
		t.Errorf("posted again the same week")
	}
	at, on, err := h.st.WeeklyVoices(ctx, channelID)
	if err != nil || !on || at.Weekday() != time.Monday || at.Sub(h.clock.Now()) < 6*24*time.Hour {
		t.Errorf("next post %v (on %v), want next Monday", at, on)
	}
	wantText(t, h.reply(alice.ID, alice, "/voices off"), "arrêtée")
	if _, on, _ := h.st.WeeklyVoices(ctx, channelID); on {
		t.Error("still on after /voices off")
	}
}

func TestNextWeeklyVoices_MondayNineInTheChatsZone(t *testing.T) {
	cases := []struct {
		now  time.Time
		tz   string
		want string
	}{
		{time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), "Europe/Paris", "2026-03-02 09:00 CET"},
		{time.Date(2026, 3, 2, 7, 59, 0, 0, time.UTC), "Europe/Paris", "2026-03-02 09:00 CET"},
		{time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC), "Europe/Paris", "2026-03-09 09:00 CET"},
		{time.Date(2026, 3, 27, 12, 0, 0, 0, time.UTC), "Europe/Paris", "2026-03-30 09:00 CEST"},
		{time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC), "UTC", "2026-03-02 09:00 UTC"},
		{time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC), "Nowhere/Bad", "2026-03-02 09:00 UTC"},
	}
	for _, c := range cases {
		if got := nextWeeklyVoices(c.now, c.tz).Format("2006-01-02 15:04 MST"); got != c.want {
			t.Errorf("%v in %s: %s, want %s", c.now, c.tz, got, c.want)
		}
	}
}
