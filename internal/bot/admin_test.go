package bot

import (
	"bytes"
	"context"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store"
)

// The Redis store gives the operator figures, page offers and last deliveries.
var (
	_ OpsStats       = (*store.Store)(nil)
	_ StoryStats     = (*store.Store)(nil)
	_ PageOffers     = (*store.Store)(nil)
	_ lastDeliveries = (*store.Store)(nil)
)

// opsGroup is the operators' group in these tests.
const opsGroup = -5001

func withAdminChats(ids ...int64) harnessOption {
	return func(o *Options) { o.AdminChats = ids }
}

// seedOps registers a healthy feed, two failing ones and a never-read page,
// queues three jobs (one being sent) and counts deliveries around the hour.
func seedOps(t *testing.T, h *harness) {
	t.Helper()
	ctx := context.Background()
	now := h.clock.Now()
	for _, src := range []news.Source{
		{ID: "ok-feed", Name: "Healthy", URL: "https://ok.example/rss"},
		{ID: "bad-feed", Name: "Broken <Feed>", URL: "https://bad.example/rss"},
		{ID: "worse-feed", Name: "Worse", URL: "https://worse.example/rss"},
		{ID: "2m-ar", Name: "2M.ma", URL: "https://2m.ma/ar/", Kind: news.KindPage},
	} {
		if err := h.st.RegisterFeed(ctx, src); err != nil {
			t.Fatal(err)
		}
	}
	polls := map[string]news.PollRecord{
		"ok-feed":    {At: now, NextPoll: now.Add(time.Hour), OK: true},
		"bad-feed":   {At: now, NextPoll: now.Add(time.Hour), Errors: 3, Err: "HTTP 503 <Service Unavailable>"},
		"worse-feed": {At: now, NextPoll: now.Add(time.Hour), Errors: 9, Err: "dial tcp: connection refused"},
	}
	for id, p := range polls {
		if err := h.st.RecordPoll(ctx, id, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.st.EnsureOutbox(ctx); err != nil {
		t.Fatal(err)
	}
	if err := h.st.Enqueue(ctx, news.OutboxJob{ChatID: 1, StoryID: "s"}, news.OutboxJob{ChatID: 2, StoryID: "s"}, news.OutboxJob{ChatID: 3, StoryID: "s"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.st.ReadJobs(ctx, "sender-1", 1, 0); err != nil {
		t.Fatal(err)
	}
	// 4 deliveries within the hour, 2 before it.
	for _, ago := range []time.Duration{time.Minute, 10 * time.Minute, 30 * time.Minute, 59 * time.Minute, 61 * time.Minute, 5 * time.Hour} {
		if err := h.st.CountDelivery(ctx, now.Add(-ago)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestStatus_OperatorViewInAdminChat(t *testing.T) {
	h := newHarness(t, withAdminChats(opsGroup))
	h.tg.SetChat(news.ChatRef{ID: opsGroup, Kind: news.ChatGroup, Title: "MigraWatch ops"})
	seedOps(t, h)

	got := h.send(opsGroup, bob, "/status")
	if len(got) != 2 {
		t.Fatalf("/status in the operators' chat sent %d messages, want the chat's status and the operator view: %+v", len(got), got)
	}
	wantText(t, got[0], "MigraWatch ops", "Active")
	ops := got[1]
	wantText(t, ops, "Operator view",
		"Sources: 4 registered, 2 failing",
		"Broken <Feed> (bad-feed): 3 failures in a row, never read: HTTP 503",
		"HTTP 503 <Service Unavailable>",
		"Worse (worse-feed): 9 failures in a row, never read: the site cannot be reached",
		"Delivery queue: 2 waiting, 1 being sent, 0 delayed, 0 undeliverable",
		"Delivered in the last hour: 4")
	if !strings.Contains(ops.Text, "never read") {
		t.Errorf("a feed that never succeeded should say so: %q", ops.Text)
	}
	if strings.Contains(ops.Text, "Healthy") {
		t.Errorf("a healthy feed is listed as failing: %q", ops.Text)
	}
	if w, b := strings.Index(ops.Text, "Worse"), strings.Index(ops.Text, "Broken"); w > b {
		t.Errorf("the worst feed (9 failures) should come first: %q", ops.Text)
	}
	if strings.Contains(ops.Raw, "<Service") || strings.Contains(ops.Raw, "<Feed>") {
		t.Errorf("feed texts not escaped: %q", ops.Raw)
	}
}

func TestStatus_OperatorViewIsBoundedAndLocalized(t *testing.T) {
	h := newHarness(t, withAdminChats(alice.ID))
	ctx := context.Background()
	now := h.clock.Now()
	for i := range 25 {
		id := "f" + string(rune('a'+i))
		if err := h.st.RegisterFeed(ctx, news.Source{ID: id, Name: "Flux " + id, URL: "https://x.example/" + id}); err != nil {
			t.Fatal(err)
		}
		if err := h.st.RecordPoll(ctx, id, news.PollRecord{At: now, NextPoll: now.Add(time.Hour), Errors: i + 1, Err: strings.Repeat("erreur ", 100)}); err != nil {
			t.Fatal(err)
		}
	}
	got := h.send(alice.ID, alice, "/status")
	if len(got) != 2 {
		t.Fatalf("got %d messages, want 2", len(got))
	}
	ops := got[1]
	wantText(t, ops, "Vue d’exploitation", "25 enregistrées, 25 en échec", "Flux fy", "… et 15 autres en échec", "Envoyés dans la dernière heure : 0")
	if n := strings.Count(ops.Text, "⚠️"); n != opsWorstFeeds {
		t.Errorf("%d failing feeds listed, want %d", n, opsWorstFeeds)
	}
	if strings.Contains(ops.Text, "Flux fa ") {
		t.Errorf("the least failing feed should be cut: %q", ops.Text)
	}
	if n := len([]rune(ops.Text)); n > 3000 {
		t.Errorf("operator view is %d characters", n)
	}
}

func TestStatus_NoOperatorViewOutsideAdminChats(t *testing.T) {
	h := newHarness(t, withAdminChats(opsGroup))
	seedOps(t, h)
	m := h.reply(bob.ID, bob, "/status")
	if strings.Contains(m.Text, "Operator view") || strings.Contains(m.Text, "Delivery queue") || strings.Contains(m.Text, "bad-feed") {
		t.Errorf("a user's chat got operator figures: %q", m.Text)
	}
	// Without any operators' chat configured, nobody gets them either.
	h2 := newHarness(t)
	seedOps(t, h2)
	if got := h2.send(opsGroup, bob, "/status"); len(got) != 1 {
		t.Errorf("/status sent %d messages with no admin chats configured", len(got))
	}
}

func TestStatus_ShowsLastDeliveryFromTheStore(t *testing.T) {
	h := newHarness(t)
	if err := h.st.SetLastDelivery(context.Background(), bob.ID, time.Date(2026, 3, 1, 7, 30, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	wantText(t, h.reply(bob.ID, bob, "/status"), "Last message sent: 2026-03-01 07:30")
	wantText(t, h.reply(alice.ID, alice, "/status"), "Rien d’envoyé")
}

func TestStats_SendsPNGChartToOperators(t *testing.T) {
	h := newHarness(t, withAdminChats(opsGroup))
	ctx := context.Background()
	now := h.clock.Now()
	for i, lang := range []string{"ar", "ar", "fr", "en", "ar"} {
		if err := h.st.CountStory(ctx, now.AddDate(0, 0, -i), lang); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.st.CountStory(ctx, now.AddDate(0, 0, -40), "fr"); err != nil { // outside the 28 days
		t.Fatal(err)
	}
	got := h.send(opsGroup, amina, "/stats")
	if len(got) != 1 || got[0].Document == nil {
		t.Fatalf("/stats sent %+v, want one document", got)
	}
	doc := got[0].Document
	if doc.Name != "stats.png" {
		t.Errorf("document name = %q", doc.Name)
	}
	img, err := png.Decode(bytes.NewReader(doc.Data))
	if err != nil {
		t.Fatalf("chart is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 200 || b.Dy() < 100 {
		t.Errorf("chart is %v", b)
	}
	// The group speaks Arabic (amina wrote there first): the caption does too.
	for _, want := range []string{"عدد الأخبار يوميًا", "آخر 28 يومًا", "5", "🟩 العربية 3", "🟪 الفرنسية 1", "🟧 الإنجليزية 1"} {
		if !strings.Contains(doc.Caption, want) {
			t.Errorf("caption %q does not contain %q", doc.Caption, want)
		}
	}
	if strings.Contains(doc.Caption, "&") || strings.Contains(doc.Caption, "<") {
		t.Errorf("caption is sent without parse mode and must hold no markup: %q", doc.Caption)
	}
}

func TestStats_CaptionIsTheChartsTitleAndLegendInThreeLanguages(t *testing.T) {
	for _, tt := range []struct {
		user news.User
		want []string
	}{
		{alice, []string{"📊 Articles par jour (UTC) sur les 28 derniers jours. Total : 2", "🟩 arabe 1 · 🟪 français 1"}},
		{bob, []string{"📊 Stories per day (UTC) over the last 28 days. Total: 2", "🟩 Arabic 1 · 🟪 French 1"}},
		{amina, []string{"📊 عدد الأخبار يوميًا (بتوقيت UTC) خلال آخر 28 يومًا. المجموع: 2", "🟩 العربية 1 · 🟪 الفرنسية 1"}},
	} {
		h := newHarness(t, withAdminChats(tt.user.ID))
		for _, lang := range []string{"ar", "fr"} {
			if err := h.st.CountStory(context.Background(), h.clock.Now(), lang); err != nil {
				t.Fatal(err)
			}
		}
		got := h.send(tt.user.ID, tt.user, "/stats")
		if len(got) != 1 || got[0].Document == nil {
			t.Fatalf("%s: /stats sent %+v", tt.user.LanguageCode, got)
		}
		for _, w := range tt.want {
			if !strings.Contains(got[0].Document.Caption, w) {
				t.Errorf("%s: caption %q lacks %q", tt.user.LanguageCode, got[0].Document.Caption, w)
			}
		}
	}
}

func TestStats_RefusedOutsideAdminChats(t *testing.T) {
	h := newHarness(t, withAdminChats(opsGroup))
	for _, c := range []struct {
		user news.User
		want string
	}{{bob, "only for the operators"}, {alice, "réservé aux exploitants"}, {amina, "مخصص لمشغّلي"}} {
		got := h.send(c.user.ID, c.user, "/stats")
		if len(got) != 1 || got[0].Document != nil {
			t.Fatalf("%s: /stats sent %+v, want one refusal", c.user.FirstName, got)
		}
		wantText(t, got[0], c.want)
	}
	for _, lang := range news.Languages {
		if slices.ContainsFunc(h.bot.MenuCommands(lang), func(c news.BotCommand) bool { return c.Command == "stats" }) {
			t.Errorf("%s: /stats is in everybody's command menu", lang)
		}
	}
}
