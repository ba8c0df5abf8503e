package bot

import (
	"context"
	"encoding/xml"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/telegram/telegramtest"
)

var (
	alice = telegramtest.Alice // fr
	bob   = telegramtest.Bob   // en
	amina = telegramtest.Amina // ar
)

func TestStart_OnboardingInThreeTaps(t *testing.T) {
	h := newHarness(t)
	m := h.reply(alice.ID, alice, "/start")
	wantText(t, m, "Bienvenue", "1/3")
	if got := buttonData(m); !slices.Equal(got, []string{"l:ar", "l:fr", "l:en"}) {
		t.Fatalf("language buttons = %v", got)
	}
	if c := h.chat(alice.ID); c.UILang != "fr" {
		t.Errorf("interface language from language_code = %q, want fr", c.UILang)
	}

	m, _ = h.tap(alice.ID, alice, m.ID, "l:en")
	wantText(t, m, "2/3", "What do you want to follow?")
	if got := buttonData(m); !slices.Equal(got, []string{"o:t", "o:s"}) {
		t.Fatalf("step 2 buttons = %v", got)
	}
	m, _ = h.tap(alice.ID, alice, m.ID, "o:t")
	wantText(t, m, "3/3")
	if got := buttonData(m); !slices.Equal(got, []string{"o:i:t", "o:d:t"}) {
		t.Fatalf("step 3 buttons = %v", got)
	}
	m, fresh := h.tap(alice.ID, alice, m.ID, "o:d:t")
	wantText(t, m, "All set", "migration news", "daily digest at 08:00")
	if len(fresh) != 0 {
		t.Errorf("the topic path sent %d extra messages", len(fresh))
	}
	c := h.chat(alice.ID)
	if c.UILang != "en" || !slices.Equal(c.Topics, []string{"migration"}) || c.Mode != news.ModeDigest || c.DigestAt != "08:00" {
		t.Errorf("stored chat after onboarding = %+v", c)
	}
	subs, err := h.st.TopicSubscribers(context.Background(), "migration")
	if err != nil || !slices.Equal(subs, []int64{alice.ID}) {
		t.Errorf("topic subscribers = %v, %v", subs, err)
	}
	if n := len(h.tg.Answers()); n != 3 {
		t.Errorf("callback answers = %d, want 3 (every tap is answered)", n)
	}
}

func TestStart_SourcesPathShowsTheCatalog(t *testing.T) {
	h := newHarness(t)
	m := h.reply(amina.ID, amina, "/start")
	wantText(t, m, "مرحبًا")
	m, _ = h.tap(amina.ID, amina, m.ID, "l:ar")
	m, _ = h.tap(amina.ID, amina, m.ID, "o:s")
	m, fresh := h.tap(amina.ID, amina, m.ID, "o:i:s")
	wantText(t, m, "كل شيء جاهز", "فور نشرها")
	if len(fresh) != 1 {
		t.Fatalf("sources path: %d new messages, want the catalog page", len(fresh))
	}
	if !buttonLabelled(fresh[0], "▫️ Hespress (MA)") {
		t.Errorf("catalog buttons = %+v", fresh[0].Buttons)
	}
	c := h.chat(amina.ID)
	if len(c.Topics) != 0 || c.Mode != news.ModeInstant {
		t.Errorf("stored chat = %+v, want no topic, instant", c)
	}
}

func TestStart_InForumTopicPostsThere(t *testing.T) {
	h := newHarness(t)
	const forum = -1001234567890
	h.tg.SetMember(forum, alice.ID, news.MemberAdministrator, true)
	h.tg.TopicMessage(forum, 77, alice, "/start")
	h.settle()
	if c := h.chat(forum); c.ThreadID != 77 || c.Kind != news.ChatSupergroup {
		t.Errorf("forum chat = %+v, want thread 77", c)
	}
	sent := h.tg.Sent(forum)
	if len(sent) != 1 || sent[0].ThreadID != 77 {
		t.Errorf("reply not in the topic: %+v", sent)
	}
}

func TestSources_TogglesAndPages(t *testing.T) {
	h := newHarness(t)
	m := h.reply(alice.ID, alice, "/sources fr")
	wantText(t, m, "Sources en français", "page 1/2")
	if !buttonLabelled(m, "▫️ Média 01 (MA)") {
		t.Errorf("catalog buttons = %+v", m.Buttons)
	}
	data := buttonData(m)
	for _, d := range data {
		if len(d) > 64 {
			t.Errorf("callback data %q over 64 bytes", d)
		}
	}
	if !slices.Contains(data, "t:fr:0:media03-fr") || !slices.Contains(data, "s:fr:1") {
		t.Fatalf("buttons = %v", data)
	}
	m, _ = h.tap(alice.ID, alice, m.ID, "t:fr:0:media03-fr")
	if got := h.chatFeeds(alice.ID); !slices.Equal(got, []string{"media03-fr"}) {
		t.Errorf("feeds after toggle = %v", got)
	}
	if !buttonLabelled(m, "✅ Média 03 (MA)") {
		t.Errorf("toggled source not marked: %+v", m.Buttons)
	}
	subs, _ := h.st.FeedSubscribers(context.Background(), "media03-fr")
	if !slices.Equal(subs, []int64{alice.ID}) {
		t.Errorf("feed subscribers = %v", subs)
	}
	h.tap(alice.ID, alice, m.ID, "t:fr:0:media03-fr")
	if got := h.chatFeeds(alice.ID); len(got) != 0 {
		t.Errorf("feeds after second toggle = %v", got)
	}
	m, _ = h.tap(alice.ID, alice, m.ID, "s:fr:1")
	wantText(t, m, "page 2/2")
	if !slices.Contains(buttonData(m), "t:fr:1:media10-fr") {
		t.Errorf("page 2 buttons = %v", buttonData(m))
	}
}

func buttonLabelled(m telegramtest.SentMessage, label string) bool {
	for _, row := range m.Buttons {
		for _, b := range row {
			if b.Text == label {
				return true
			}
		}
	}
	return false
}

func TestSubscribe_FeedURL(t *testing.T) {
	h := newHarness(t)
	u := h.url("/rss.xml")
	m := h.reply(bob.ID, bob, "/subscribe "+u)
	wantText(t, m, "You now follow", "Le Monde.fr")
	id := feed.SourceID(u)
	if got := h.chatFeeds(bob.ID); !slices.Equal(got, []string{id}) {
		t.Fatalf("feeds = %v, want [%s]", got, id)
	}
	st, ok, err := h.st.Feed(context.Background(), id)
	if err != nil || !ok || st.Source.URL != u || !strings.Contains(st.Source.Name, "Le Monde.fr") {
		t.Errorf("registered feed = %+v, %v, %v", st, ok, err)
	}
	m = h.reply(bob.ID, bob, "/subscribe "+u)
	wantText(t, m, "You already follow")
}

func TestSubscribe_PageAdvertisingAFeed(t *testing.T) {
	h := newHarness(t)
	m := h.reply(bob.ID, bob, "/subscribe "+h.url("/page.html"))
	wantText(t, m, "That page points to its news feed", h.url("/rss.xml"))
	if got := h.chatFeeds(bob.ID); !slices.Equal(got, []string{feed.SourceID(h.url("/rss.xml"))}) {
		t.Errorf("feeds = %v", got)
	}
}

func TestSubscribe_CatalogIDAndCatalogURL(t *testing.T) {
	h := newHarness(t)
	wantText(t, h.reply(bob.ID, bob, "/subscribe IOM-en"), "You now follow", "IOM – UN Migration")
	wantText(t, h.reply(bob.ID, bob, "/subscribe https://media01.example.fr/rss?utm_source=x"), "Média 01")
	if got := h.chatFeeds(bob.ID); !slices.Equal(got, []string{"iom-en", "media01-fr"}) {
		t.Errorf("feeds = %v", got)
	}
}

func TestSubscribe_Refusals(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name, arg, want string
	}{
		{"no argument", "", "/subscribe https://example.org/feed"},
		{"not a URL", "hello world", "is not a web address"},
		{"ftp", "ftp://example.org/feed", "is not a web address"},
		{"credentials", "https://user:pw@example.org/feed", "is not a web address"},
		{"page without feed", h.url("/plain.html"), "is a web page, not a news feed"},
		{"404", h.url("/missing.xml"), "error 404"},
		{"html in argument", "<b>x</b>", "&lt;b&gt;"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := h.reply(bob.ID, bob, strings.TrimSpace("/subscribe "+c.arg))
			if !strings.Contains(m.Text, c.want) && !strings.Contains(m.Raw, c.want) {
				t.Errorf("reply %q (raw %q) does not contain %q", m.Text, m.Raw, c.want)
			}
		})
	}
	if got := h.chatFeeds(bob.ID); len(got) != 0 {
		t.Errorf("refused subscriptions stored: %v", got)
	}
}

func TestSubscribe_PrivateAddressRefused(t *testing.T) {
	h := newHarness(t, withGuard())
	for _, u := range []string{h.url("/rss.xml"), "http://10.1.2.3/feed", "http://[::1]/feed", "http://169.254.169.254/latest"} {
		m := h.reply(bob.ID, bob, "/subscribe "+u)
		wantText(t, m, "private or local network address")
	}
	if got := h.chatFeeds(bob.ID); len(got) != 0 {
		t.Errorf("private feeds stored: %v", got)
	}
}

func TestSubscribe_FeedLimit(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.MaxFeeds = 1 })
	h.reply(bob.ID, bob, "/subscribe iom-en")
	wantText(t, h.reply(bob.ID, bob, "/subscribe media01-fr"), "already follows 1 feed,")
	if got := h.chatFeeds(bob.ID); !slices.Equal(got, []string{"iom-en"}) {
		t.Errorf("feeds = %v", got)
	}
}

func TestUnsubscribe_ByArgumentAndButtons(t *testing.T) {
	h := newHarness(t)
	h.reply(bob.ID, bob, "/subscribe iom-en")
	h.reply(bob.ID, bob, "/subscribe hespress-ar")
	h.reply(bob.ID, bob, "/subscribe "+h.url("/rss.xml"))

	wantText(t, h.reply(bob.ID, bob, "/unsubscribe iom-en"), "You no longer follow", "IOM")
	wantText(t, h.reply(bob.ID, bob, "/unsubscribe iom-en"), "You do not follow «iom-en»")

	m := h.reply(bob.ID, bob, "/unsubscribe")
	wantText(t, m, "Tap a feed")
	if !buttonLabelled(m, "✖️ Hespress") {
		t.Errorf("buttons = %+v", m.Buttons)
	}
	userFeed := "u:" + feed.SourceID(h.url("/rss.xml"))
	if !slices.Contains(buttonData(m), userFeed) {
		t.Fatalf("buttons = %v", buttonData(m))
	}
	m, _ = h.tap(bob.ID, bob, m.ID, userFeed)
	wantText(t, m, "You no longer follow", "Le Monde.fr")
	if got := h.chatFeeds(bob.ID); !slices.Equal(got, []string{"hespress-ar"}) {
		t.Errorf("feeds = %v", got)
	}
	m, _ = h.tap(bob.ID, bob, m.ID, "u:hespress-ar")
	wantText(t, m, "You do not follow any feed")
}

func TestTopics_Toggle(t *testing.T) {
	h := newHarness(t)
	m := h.reply(bob.ID, bob, "/topics")
	if got := buttonData(m); !slices.Equal(got, []string{"p:migration"}) {
		t.Fatalf("topic buttons = %v", got)
	}
	m, _ = h.tap(bob.ID, bob, m.ID, "p:migration")
	if !buttonLabelled(m, "✅ Migration") {
		t.Errorf("topic not marked: %+v", m.Buttons)
	}
	if c := h.chat(bob.ID); !slices.Equal(c.Topics, []string{"migration"}) {
		t.Errorf("topics = %v", c.Topics)
	}
	h.tap(bob.ID, bob, m.ID, "p:migration")
	if subs, _ := h.st.TopicSubscribers(context.Background(), "migration"); len(subs) != 0 {
		t.Errorf("topic subscribers after toggling off = %v", subs)
	}
}

func TestSettings_Commands(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		cmd   string
		want  string
		check func(news.Chat) bool
	}{
		{"/langs", "Article languages: all", func(c news.Chat) bool { return len(c.Langs) == 0 }},
		{"/langs ar fr", "Article languages: Arabic, French", func(c news.Chat) bool { return slices.Equal(c.Langs, []string{"ar", "fr"}) }},
		{"/langs de", "«de» is not a language", func(c news.Chat) bool { return slices.Equal(c.Langs, []string{"ar", "fr"}) }},
		{"/langs all", "Article languages: all", func(c news.Chat) bool { return len(c.Langs) == 0 }},
		{"/mode digest 7:30", "daily digest at 07:30", func(c news.Chat) bool { return c.Mode == news.ModeDigest && c.DigestAt == "07:30" }},
		{"/mode digest 25:00", "I did not understand", func(c news.Chat) bool { return c.DigestAt == "07:30" }},
		{"/mode weekly", "I did not understand", func(c news.Chat) bool { return c.Mode == news.ModeDigest }},
		{"/mode instant", "as it happens", func(c news.Chat) bool { return c.Mode == news.ModeInstant && c.DigestAt == "" }},
		{"/quiet 22:00-07:00", "Quiet hours: 22:00-07:00", func(c news.Chat) bool { return c.Quiet == "22:00-07:00" }},
		{"/quiet 22-07", "I did not understand", func(c news.Chat) bool { return c.Quiet == "22:00-07:00" }},
		{"/quiet off", "No quiet hours", func(c news.Chat) bool { return c.Quiet == "" }},
		{"/tz Europe/Paris", "Time zone: Europe/Paris (it is 10:00 there now)", func(c news.Chat) bool { return c.TZ == "Europe/Paris" }},
		{"/tz Mars/Olympus_Mons", "«Mars/Olympus_Mons» is not a time zone", func(c news.Chat) bool { return c.TZ == "Europe/Paris" }},
		{"/tz Local", "is not a time zone", func(c news.Chat) bool { return c.TZ == "Europe/Paris" }},
		{"/tz ../../etc/passwd", "is not a time zone", func(c news.Chat) bool { return c.TZ == "Europe/Paris" }},
		{"/pause", "Paused", func(c news.Chat) bool { return c.Paused }},
		{"/pause", "Already paused", func(c news.Chat) bool { return c.Paused }},
		{"/resume", "Resumed", func(c news.Chat) bool { return !c.Paused }},
		{"/resume", "Not paused", func(c news.Chat) bool { return !c.Paused }},
	}
	for _, c := range cases {
		m := h.reply(bob.ID, bob, c.cmd)
		wantText(t, m, c.want)
		if got := h.chat(bob.ID); !c.check(got) {
			t.Errorf("%s: stored chat %+v", c.cmd, got)
		}
	}
}

func TestStatus_ShowsSettingsAndFeedHealth(t *testing.T) {
	h := newHarness(t, func(o *Options) {
		o.LastDelivery = func(ctx context.Context, chatID int64) (time.Time, bool, error) {
			return time.Date(2026, 3, 1, 8, 15, 0, 0, time.UTC), true, nil
		}
	})
	ctx := context.Background()
	h.reply(bob.ID, bob, "/subscribe iom-en")
	h.reply(bob.ID, bob, "/subscribe "+h.url("/rss.xml"))
	h.reply(bob.ID, bob, "/subscribe hespress-ar")
	if err := h.st.RegisterFeed(ctx, testCatalog()[1]); err != nil {
		t.Fatal(err)
	}
	if err := h.st.RecordPoll(ctx, "iom-en", news.PollRecord{At: h.clock.Now(), NextPoll: h.clock.Now().Add(time.Hour), OK: false, Errors: 3, Err: "HTTP 503 <Service Unavailable>"}); err != nil {
		t.Fatal(err)
	}
	uid := feed.SourceID(h.url("/rss.xml"))
	if err := h.st.RecordPoll(ctx, uid, news.PollRecord{At: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), NextPoll: h.clock.Now().Add(time.Hour), OK: true}); err != nil {
		t.Fatal(err)
	}
	h.reply(bob.ID, bob, "/tz Europe/Paris")
	m := h.reply(bob.ID, bob, "/status")
	wantText(t, m, "Active", "Feeds (3)",
		"IOM – UN Migration: 3 failures in a row (HTTP 503 <Service Unavailable>)",
		"Le Monde.fr", "read 2026-03-01 09:00", // 08:00 UTC in Paris
		"Hespress: not read yet",
		"Last message sent: 2026-03-01 09:15")
	if strings.Contains(m.Raw, "<Service") {
		t.Errorf("feed error not escaped: %q", m.Raw)
	}
}

func TestExport_SendsValidOPML(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	wantText(t, h.reply(bob.ID, bob, "/export"), "no feeds to export")
	h.reply(bob.ID, bob, "/subscribe iom-en")
	odd := news.Source{ID: "uodd000000000", Name: `Migrants & "Réfugiés" <Maroc>`, URL: "https://example.org/feed?a=1&b=2", Kind: news.KindFeed}
	if err := h.st.RegisterFeed(ctx, odd); err != nil {
		t.Fatal(err)
	}
	if _, err := h.st.Subscribe(ctx, bob.ID, odd.ID); err != nil {
		t.Fatal(err)
	}
	m := h.reply(bob.ID, bob, "/export")
	if m.Document == nil {
		t.Fatalf("no document sent: %+v", m)
	}
	if !strings.HasSuffix(m.Document.Name, ".opml") || !strings.Contains(m.Document.Caption, "2 feeds") {
		t.Errorf("document %q caption %q", m.Document.Name, m.Document.Caption)
	}
	data := m.Document.Data
	if !strings.Contains(string(data), `title="Migrants &amp; &#34;Réfugiés&#34; &lt;Maroc&gt;"`) {
		t.Errorf("title not escaped in OPML:\n%s", data)
	}
	var doc opmlDoc
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("exported OPML does not parse: %v\n%s", err, data)
	}
	if doc.Version != "2.0" || len(doc.Body.Outlines) != 2 || doc.Body.Outlines[1].XMLURL != odd.URL || doc.Body.Outlines[1].Title != odd.Name {
		t.Errorf("exported OPML = %+v", doc)
	}
	urls, err := parseOPML(data)
	if err != nil || !slices.Equal(urls, []string{"https://www.iom.int/rss/news", odd.URL}) {
		t.Errorf("round trip = %v, %v", urls, err)
	}
}

func TestImport_OPMLAddsCheckedFeedsAndSumsUp(t *testing.T) {
	h := newHarness(t)
	h.reply(bob.ID, bob, "/subscribe hespress-ar")
	opml := `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>mine</title></head><body>
  <outline text="News">
    <outline type="rss" text="Le Monde" xmlUrl="` + h.url("/rss.xml") + `"/>
    <outline type="rss" text="Page" xmlUrl="` + h.url("/page.html") + `"/>
    <outline type="rss" text="Hespress" xmlUrl="https://www.hespress.com/feed"/>
    <outline type="rss" text="IOM" xmlUrl="https://www.iom.int/rss/news"/>
  </outline>
  <outline type="rss" text="Nothing" xmlUrl="` + h.url("/plain.html") + `"/>
  <outline type="rss" text="Bad" xmlUrl="ftp://example.org/x"/>
</body></opml>`
	before := len(h.tg.Sent(bob.ID))
	h.tg.Document(bob.ID, bob, "feeds.opml", "text/x-opml", []byte(opml), "")
	h.settle()
	sent := h.tg.Sent(bob.ID)[before:]
	if len(sent) != 2 {
		t.Fatalf("import sent %d messages, want progress + summary: %+v", len(sent), sent)
	}
	wantText(t, sent[0], "Checking 6 feeds")
	// rss.xml and page.html are the same feed: one added, then already followed.
	wantText(t, sent[1], "Import done: 2 added, 2 already followed, 2 failed",
		"✅ Le Monde.fr", "✅ IOM", "plain.html: not a news feed", "ftp://example.org/x: not a web address")
	want := []string{"hespress-ar", "iom-en", feed.SourceID(h.url("/rss.xml"))}
	slices.Sort(want)
	if got := h.chatFeeds(bob.ID); !slices.Equal(got, want) {
		t.Errorf("feeds = %v, want %v", got, want)
	}
}

func TestImport_Refusals(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.MaxImportBytes = 2048 })
	cases := []struct {
		name, file, mime, body, want string
	}{
		{"malformed", "a.opml", "text/xml", `<opml version="2.0"><body><outline xmlUrl="x">`, "could not read that file as OPML"},
		{"not opml", "a.xml", "text/xml", `<rss version="2.0"><channel></channel></rss>`, "could not read that file as OPML"},
		{"empty", "a.opml", "text/xml", `<opml version="2.0"><head/><body/></opml>`, "lists no feeds"},
		{"too big", "big.opml", "text/xml", `<opml>` + strings.Repeat("x", 4096) + `</opml>`, "too big: at most 2 KB"},
		{"not an opml file", "photo.jpg", "image/jpeg", "\xff\xd8", "send an OPML file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := len(h.tg.Sent(bob.ID))
			h.tg.Document(bob.ID, bob, c.file, c.mime, []byte(c.body), "")
			h.settle()
			sent := h.tg.Sent(bob.ID)[before:]
			if len(sent) != 1 {
				t.Fatalf("got %d messages", len(sent))
			}
			wantText(t, sent[0], c.want)
		})
	}
	if got := h.chatFeeds(bob.ID); len(got) != 0 {
		t.Errorf("feeds = %v", got)
	}
}

func TestGroup_OnlyAdminsChangeSettings(t *testing.T) {
	h := newHarness(t)
	const group = -4001
	h.tg.SetChat(news.ChatRef{ID: group, Kind: news.ChatGroup, Title: "Réseau migrations"})
	h.tg.SetMember(group, alice.ID, news.MemberAdministrator, true)
	h.tg.SetMember(group, bob.ID, news.MemberMember, true)

	wantText(t, h.reply(group, bob, "/langs fr"), "only the administrators")
	if c := h.chat(group); len(c.Langs) != 0 {
		t.Errorf("non-admin changed langs: %v", c.Langs)
	}
	wantText(t, h.reply(group, bob, "/help"), "MigraWatch")

	// The group speaks the language of whoever first wrote there, not the caller's.
	wantText(t, h.reply(group, alice, "/langs fr"), "Article languages: French")
	// An anonymous administrator writes as the group itself.
	before := len(h.tg.Sent(group))
	h.tg.AnonymousAdminMessage(group, "/quiet 23:00-06:00")
	h.settle()
	if sent := h.tg.Sent(group)[before:]; len(sent) != 1 {
		t.Fatalf("anonymous admin: %d replies", len(sent))
	}
	if c := h.chat(group); c.Quiet != "23:00-06:00" || !slices.Equal(c.Langs, []string{"fr"}) {
		t.Errorf("group chat = %+v", c)
	}

	// Buttons are checked too.
	m := h.reply(group, alice, "/topics")
	h.tap(group, bob, m.ID, "p:migration")
	if c := h.chat(group); len(c.Topics) != 0 {
		t.Errorf("non-admin toggled a topic: %v", c.Topics)
	}
	answers := h.tg.Answers()
	if len(answers) == 0 || !strings.Contains(answers[len(answers)-1].Text, "administrat") {
		t.Errorf("callback answers = %+v", answers)
	}
}

func TestGroup_CommandsForOtherBotsAreIgnored(t *testing.T) {
	h := newHarness(t)
	const group = -4002
	h.tg.SetMember(group, alice.ID, news.MemberCreator, true)
	if got := h.send(group, alice, "/help@some_other_bot"); len(got) != 0 {
		t.Errorf("answered another bot's command: %+v", got)
	}
	if got := h.send(group, alice, "/frobnicate"); len(got) != 0 {
		t.Errorf("answered an unknown command in a group: %+v", got)
	}
	wantText(t, h.reply(group, alice, "/help@"+h.tg.Me().Username), "MigraWatch")
	wantText(t, h.reply(group, alice, "/HELP@"+strings.ToUpper(h.tg.Me().Username)), "MigraWatch")
	wantText(t, h.reply(alice.ID, alice, "/frobnicate"), "Je ne connais pas cette commande")
}

func TestGroup_AdminCheckUnavailableRefusesPolitely(t *testing.T) {
	h := newHarness(t)
	const group = -4003
	h.tg.Disable("getChatMember")
	m := h.reply(group, bob, "/langs ar")
	wantText(t, m, "could not check whether you are an administrator")
	if m.ReplyTo == 0 {
		t.Error("a reply in a group does not answer the command message")
	}
	if c := h.chat(group); len(c.Langs) != 0 {
		t.Errorf("langs changed without an admin check: %v", c.Langs)
	}
}

const channelID = -1009990001

func setUpChannel(h *harness, callerStatus string, botCanPost bool) {
	h.tg.SetChat(news.ChatRef{ID: channelID, Kind: news.ChatChannel, Title: "Migrations <Maroc>", Username: "mw_chan"})
	h.tg.SetMember(channelID, alice.ID, callerStatus, true)
	h.tg.SetMember(channelID, telegramtest.BotID, news.MemberAdministrator, botCanPost)
}

func TestChannel_LinkAndEditFromPrivateChat(t *testing.T) {
	h := newHarness(t)
	setUpChannel(h, news.MemberAdministrator, true)
	h.reply(alice.ID, alice, "/langs fr")

	m := h.reply(alice.ID, alice, "/channel @mw_chan")
	wantText(t, m, "Migrations <Maroc> est lié", "/channels done")
	ch := h.chat(channelID)
	if ch.Kind != news.ChatChannel || ch.Owner != alice.ID || ch.UILang != "fr" || !slices.Equal(ch.Topics, []string{"migration"}) {
		t.Errorf("channel = %+v", ch)
	}

	// Settings commands now apply to the channel, and say so.
	m = h.reply(alice.ID, alice, "/langs ar")
	wantText(t, m, "Réglages de Migrations <Maroc>", "arabe")
	if c := h.chat(channelID); !slices.Equal(c.Langs, []string{"ar"}) {
		t.Errorf("channel langs = %v", c.Langs)
	}
	if c := h.chat(alice.ID); !slices.Equal(c.Langs, []string{"fr"}) {
		t.Errorf("private chat langs changed: %v", c.Langs)
	}
	h.reply(alice.ID, alice, "/subscribe iom-en")
	if got := h.chatFeeds(channelID); !slices.Equal(got, []string{"iom-en"}) {
		t.Errorf("channel feeds = %v", got)
	}
	if len(h.tg.Sent(channelID)) != 0 {
		t.Errorf("the bot wrote into the channel while editing it")
	}

	m = h.reply(alice.ID, alice, "/channels")
	wantText(t, m, "Vos canaux", "Réglages en cours : Migrations <Maroc>")
	if !slices.Contains(buttonData(m), "c:d") {
		t.Errorf("no done button: %v", buttonData(m))
	}
	wantText(t, h.reply(alice.ID, alice, "/channels done"), "Retour aux réglages")
	h.reply(alice.ID, alice, "/langs en")
	if c := h.chat(alice.ID); !slices.Equal(c.Langs, []string{"en"}) {
		t.Errorf("after done, private chat langs = %v", c.Langs)
	}
	if c := h.chat(channelID); !slices.Equal(c.Langs, []string{"ar"}) {
		t.Errorf("after done, channel langs changed: %v", c.Langs)
	}
}

func TestChannel_Refusals(t *testing.T) {
	cases := []struct {
		name       string
		status     string
		botCanPost bool
		arg        string
		want       string
	}{
		{"caller not admin", news.MemberMember, true, "@mw_chan", "Vous n’êtes pas administrateur de Migrations <Maroc>"},
		{"bot cannot post", news.MemberAdministrator, false, "@mw_chan", "Je ne peux pas publier dans Migrations <Maroc>"},
		{"unknown channel", news.MemberAdministrator, true, "@nope_chan", "Je ne trouve pas le canal «\u202f@nope_chan\u202f»"},
		{"no argument", news.MemberAdministrator, true, "", "/channel @nomducanal"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			setUpChannel(h, c.status, c.botCanPost)
			wantText(t, h.reply(alice.ID, alice, strings.TrimSpace("/channel "+c.arg)), c.want)
			if _, ok, _ := h.st.Chat(context.Background(), channelID); ok {
				t.Error("channel stored despite the refusal")
			}
		})
	}
	t.Run("a group is not a channel", func(t *testing.T) {
		h := newHarness(t)
		h.tg.SetChat(news.ChatRef{ID: -1005550001, Kind: news.ChatSupergroup, Title: "G", Username: "a_group"})
		wantText(t, h.reply(alice.ID, alice, "/channel a_group"), "«\u202f@a_group\u202f» n’est pas un canal")
	})
	t.Run("only from a private chat", func(t *testing.T) {
		h := newHarness(t)
		h.tg.SetMember(-4004, alice.ID, news.MemberAdministrator, true)
		wantText(t, h.reply(-4004, alice, "/channel @mw_chan"), "depuis une discussion privée")
	})
}

func TestChannel_ForwardedPostLinksAPrivateChannel(t *testing.T) {
	h := newHarness(t)
	const private = -1009990002
	ref := news.ChatRef{ID: private, Kind: news.ChatChannel, Title: "Canal privé"}
	h.tg.SetChat(ref)
	h.tg.SetMember(private, alice.ID, news.MemberCreator, true)
	h.tg.SetMember(private, telegramtest.BotID, news.MemberAdministrator, true)
	before := len(h.tg.Sent(alice.ID))
	h.tg.ForwardedPost(alice, ref, "un message")
	h.settle()
	sent := h.tg.Sent(alice.ID)[before:]
	if len(sent) != 1 {
		t.Fatalf("%d replies", len(sent))
	}
	wantText(t, sent[0], "Canal privé est lié")
	if c := h.chat(private); c.Owner != alice.ID {
		t.Errorf("channel = %+v", c)
	}
}

func TestChannels_EditAndUnlinkButtons(t *testing.T) {
	h := newHarness(t)
	setUpChannel(h, news.MemberAdministrator, true)
	h.reply(alice.ID, alice, "/channel @mw_chan")
	h.reply(alice.ID, alice, "/subscribe iom-en")
	wantText(t, h.reply(alice.ID, alice, "/channels done"), "Retour")

	m := h.reply(alice.ID, alice, "/channels")
	edit, unlink := "c:e:-1009990001", "c:u:-1009990001"
	if got := buttonData(m); !slices.Equal(got, []string{edit, unlink}) {
		t.Fatalf("buttons = %v", got)
	}
	m, _ = h.tap(alice.ID, alice, m.ID, edit)
	wantText(t, m, "Réglages en cours : Migrations <Maroc>")
	if target, _ := h.st.EditTarget(context.Background(), alice.ID); target != channelID {
		t.Errorf("edit target = %d", target)
	}
	// Bob cannot act on Alice's channel, even with forged callback data.
	h.reply(bob.ID, bob, "/help")
	h.tap(bob.ID, bob, 1, unlink)
	if _, ok, _ := h.st.Chat(context.Background(), channelID); !ok {
		t.Fatal("another user unlinked the channel")
	}
	m, _ = h.tap(alice.ID, alice, m.ID, unlink)
	wantText(t, m, "Migrations <Maroc> est délié", "Vous n’avez lié aucun canal")
	if _, ok, _ := h.st.Chat(context.Background(), channelID); ok {
		t.Error("unlinked channel still stored")
	}
	if subs, _ := h.st.FeedSubscribers(context.Background(), "iom-en"); len(subs) != 0 {
		t.Errorf("unlinked channel still subscribed: %v", subs)
	}
	if target, _ := h.st.EditTarget(context.Background(), alice.ID); target != 0 {
		t.Errorf("edit target after unlink = %d", target)
	}
}

func TestLifecycle_BlockedPausesAndBackResumes(t *testing.T) {
	h := newHarness(t)
	h.reply(bob.ID, bob, "/subscribe iom-en")
	h.reply(bob.ID, bob, "/langs en")
	h.tg.MyChatMember(bob.ID, bob, news.MemberMember, news.MemberKicked)
	h.settle()
	c := h.chat(bob.ID)
	if c.Status != news.StatusGone || c.Deliverable() || !slices.Equal(c.Langs, []string{"en"}) {
		t.Errorf("after block: %+v", c)
	}
	if got := h.chatFeeds(bob.ID); !slices.Equal(got, []string{"iom-en"}) {
		t.Errorf("feeds lost on block: %v", got)
	}
	h.tg.MyChatMember(bob.ID, bob, news.MemberKicked, news.MemberMember)
	h.settle()
	if c := h.chat(bob.ID); c.Status != news.StatusActive || !c.Deliverable() {
		t.Errorf("after unblock: %+v", c)
	}
}

func TestLifecycle_AddedToGroupGreets(t *testing.T) {
	h := newHarness(t)
	const group = -4005
	h.tg.SetChat(news.ChatRef{ID: group, Kind: news.ChatGroup, Title: "Groupe"})
	h.tg.MyChatMember(group, alice, news.MemberLeft, news.MemberMember)
	h.settle()
	sent := h.tg.Sent(group)
	if len(sent) != 1 {
		t.Fatalf("%d messages", len(sent))
	}
	wantText(t, sent[0], "Bonjour", "/start")
	if c := h.chat(group); c.Kind != news.ChatGroup || c.UILang != "fr" {
		t.Errorf("group = %+v", c)
	}
	h.tg.MyChatMember(group, alice, news.MemberMember, news.MemberLeft)
	h.settle()
	if c := h.chat(group); c.Status != news.StatusGone {
		t.Errorf("after leaving: %+v", c)
	}
}

func TestLifecycle_GroupUpgradeMovesEveryKey(t *testing.T) {
	h := newHarness(t)
	const group, super = -4006, -1004006
	h.tg.SetChat(news.ChatRef{ID: group, Kind: news.ChatGroup, Title: "Groupe"})
	h.tg.SetMember(group, alice.ID, news.MemberCreator, true)
	h.reply(group, alice, "/subscribe iom-en")
	h.reply(group, alice, "/quiet 22:00-07:00")
	h.reply(group, alice, "/topics")
	h.tg.MigrateGroup(group, super, alice)
	h.settle()
	if _, ok, _ := h.st.Chat(context.Background(), group); ok {
		t.Error("old group still stored")
	}
	c := h.chat(super)
	if c.Quiet != "22:00-07:00" || c.Kind != news.ChatSupergroup {
		t.Errorf("supergroup = %+v", c)
	}
	if got := h.chatFeeds(super); !slices.Equal(got, []string{"iom-en"}) {
		t.Errorf("supergroup feeds = %v", got)
	}
	if subs, _ := h.st.FeedSubscribers(context.Background(), "iom-en"); !slices.Equal(subs, []int64{super}) {
		t.Errorf("feed subscribers = %v", subs)
	}
}

func TestRateLimit_WarnsOnceThenSilence(t *testing.T) {
	h := newHarness(t)
	for i := range 20 {
		if got := h.send(bob.ID, bob, "/help"); len(got) != 1 {
			t.Fatalf("command %d: %d replies", i+1, len(got))
		}
	}
	wantText(t, h.reply(bob.ID, bob, "/help"), "too fast")
	for range 5 {
		if got := h.send(bob.ID, bob, "/help"); len(got) != 0 {
			t.Fatalf("muted user got %d replies", len(got))
		}
	}
	// Another user is not affected.
	if got := h.send(alice.ID, alice, "/help"); len(got) != 1 {
		t.Errorf("other user: %d replies", len(got))
	}
	h.clock.Advance(61 * time.Second)
	wantText(t, h.reply(bob.ID, bob, "/help"), "MigraWatch")
}

func TestBadInput_IsAnsweredOrIgnoredWithoutPanic(t *testing.T) {
	h := newHarness(t)
	long := "/subscribe https://example.org/" + strings.Repeat("a", 3000)
	wantText(t, h.reply(bob.ID, bob, long), "too long")
	for _, text := range []string{"/", "/@", "/ ", "/start@", "/" + strings.Repeat("x", 40), "/tz \x00\xff", "/mode digest", "/quiet -", "/langs ,,,", "/channel @", "/channel https://t.me/", "just text"} {
		h.send(bob.ID, bob, text)
	}
	m := h.reply(bob.ID, bob, "/help")
	for _, data := range []string{"", ":", "zz", "t:", "t:fr", "t:fr:x:y", "t:de:0:iom-en", "t:fr:-1:iom-en", "t:fr:0:nope", "s:fr:99999999999999999999", "o:x", "o:i:x", "l:de", "p:football", "u:", "c:e:abc", "c:u:1", "c:x", strings.Repeat("t", 300)} {
		h.tap(bob.ID, bob, m.ID, data)
	}
	h.tg.SendRawUpdate(`{"message":{"message_id":1,"chat":{"id":5,"type":"private"},"text":"/start"}}`)
	h.tg.ChannelPost(-1009990009, "/start")
	h.tg.ChannelPost(-1009990009, "/start")
	h.tg.ChannelPost(-1009990009, "/"+strings.Repeat("x", 40))
	h.settle()
	if n := h.bot.panics.Load(); n != 0 {
		t.Fatalf("%d panics", n)
	}
	if c := h.chat(bob.ID); len(c.Topics) != 0 || len(h.chatFeeds(bob.ID)) != 0 {
		t.Errorf("bad input changed settings: %+v", c)
	}
	if n := len(h.tg.Sent(-1009990009)); n != 1 {
		t.Errorf("commands posted in a channel got %d answers, want the one hint", n)
	}
}

func TestSubscribe_ArabicFeedAnsweredInArabic(t *testing.T) {
	h := newHarness(t)
	u := h.url("/ar.xml")
	m := h.reply(amina.ID, amina, "/subscribe "+u)
	wantText(t, m, "أصبحت تتابع", "Hespress - Article Feed")
	st, ok, err := h.st.Feed(context.Background(), feed.SourceID(u))
	if err != nil || !ok || st.Source.Name != "Hespress - Article Feed" {
		t.Errorf("registered feed = %+v, %v, %v", st.Source, ok, err)
	}
}

func TestReply_FollowsMigrationAndGoneErrors(t *testing.T) {
	h := newHarness(t)
	const group, super = -4007, -1004007
	h.tg.SetMember(group, alice.ID, news.MemberCreator, true)
	h.reply(group, alice, "/subscribe iom-en")
	h.tg.Migrate(group, super) // the upgrade is known only from the send error
	h.tg.Command(group, alice, "/help")
	h.settle()
	sent := h.tg.Sent(super)
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "MigraWatch") {
		t.Fatalf("reply not resent to the supergroup: %+v", sent)
	}
	if got := h.chatFeeds(super); !slices.Equal(got, []string{"iom-en"}) {
		t.Errorf("supergroup feeds = %v", got)
	}

	h.reply(bob.ID, bob, "/help")
	h.tg.Block(bob.ID)
	h.tg.Command(bob.ID, bob, "/status")
	h.settle()
	if c := h.chat(bob.ID); c.Status != news.StatusGone {
		t.Errorf("blocked chat status = %q, want gone", c.Status)
	}
}

func TestLifecycle_MessageFromGoneChatReactivatesIt(t *testing.T) {
	h := newHarness(t)
	h.reply(bob.ID, bob, "/help")
	if err := h.st.SetChatStatus(context.Background(), bob.ID, news.StatusGone); err != nil {
		t.Fatal(err)
	}
	h.reply(bob.ID, bob, "/help")
	if c := h.chat(bob.ID); c.Status != news.StatusActive {
		t.Errorf("status = %q, want active", c.Status)
	}
}
