package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/alert"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store"
)

var _ AlertStore = (*store.Store)(nil)

func (h *harness) alerts(chat int64) []news.Alert {
	h.t.Helper()
	as, err := h.st.ChatAlerts(context.Background(), chat)
	if err != nil {
		h.t.Fatal(err)
	}
	return as
}

func TestAlert_AddEchoesTheQueryAsTyped(t *testing.T) {
	h := newHarness(t)
	m := h.reply(bob.ID, bob, `/alert أكادير (OIM OR IOM OR "المنظمة الدولية للهجرة") -football`)
	wantText(t, m, "Alert saved", `أكادير (OIM OR IOM OR "المنظمة الدولية للهجرة") -football`)
	if strings.Contains(m.Text, "المنظمه") || strings.Contains(m.Text, "oim") {
		t.Fatalf("the confirmation shows the normalized form: %q", m.Text)
	}
	as := h.alerts(bob.ID)
	if len(as) != 1 || as[0].Query != `أكادير (OIM OR IOM OR "المنظمة الدولية للهجرة") -football` {
		t.Fatalf("stored alerts = %+v", as)
	}
	// The same query written differently is recognized.
	h.clock.Advance(time.Millisecond)
	wantText(t, h.reply(bob.ID, bob, `/alert اكادير (oim | IOM OR «المنظمة الدولية للهجرة») NOT Football`), "You already have this alert", `أكادير (OIM OR IOM OR "المنظمة`)
	if n := len(h.alerts(bob.ID)); n != 1 {
		t.Fatalf("%d alerts after a duplicate", n)
	}
}

// A French query keeps its accents, elisions, case and quotation marks in
// every answer, and the same query written without them is the same alert.
func TestAlert_FrenchQueryShownAsTyped(t *testing.T) {
	h := newHarness(t)
	typed := `"demandeurs d'asile" OR Réfugiés -Football`
	wantText(t, h.reply(alice.ID, alice, "/alert "+typed), "Alerte enregistrée", typed)
	wantText(t, h.reply(alice.ID, alice, "/alerts"), "1. "+typed)
	h.clock.Advance(time.Millisecond)
	wantText(t, h.reply(alice.ID, alice, "/alert «demandeurs d’asile» | refugies NOT football"), "Vous avez déjà cette alerte", typed)
	if as := h.alerts(alice.ID); len(as) != 1 || as[0].Query != typed {
		t.Fatalf("stored alerts = %+v", as)
	}
}

func TestAlert_ErrorsPointAtTheProblemInTheChatLanguage(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		from  news.User
		query string
		want  []string
	}{
		{bob, "Agadir (OIM OR IOM", []string{"closing parenthesis is missing after «IOM»", "(character 8)"}},
		{alice, "Agadir (OIM OR IOM", []string{"Il manque une parenthèse fermante après «\u202fIOM\u202f»", "(caractère 8)"}},
		{amina, "أكادير (المنظمة OR OIM", []string{"ينقص قوس إغلاق بعد «OIM»"}},
		{bob, "mi*", []string{"«mi*»: put at least 3 letters before the *"}},
		{bob, "-football", []string{"«-football» only says what to leave out"}},
		{bob, "lang:de asylum", []string{"«de» is not a language I read"}},
		{bob, `"<b>x`, []string{`quotation mark at character 1 opens a phrase that is never closed`}},
		{amina, `أكادير «المنظمة الدولية`, []string{"علامة التنصيص عند الحرف 8 تفتح عبارة لم تُغلق", "(الحرف 8)"}},
	}
	for _, c := range cases {
		m := h.reply(c.from.ID, c.from, "/alert "+c.query)
		wantText(t, m, c.want...)
		if n := len(h.alerts(c.from.ID)); n != 0 {
			t.Fatalf("%q was stored", c.query)
		}
	}
	wantText(t, h.reply(bob.ID, bob, "/alert"), "/alert Agadir", "/testalert")
}

func TestAlerts_ListAndRemoveWithButtons(t *testing.T) {
	h := newHarness(t)
	wantText(t, h.reply(bob.ID, bob, "/alerts"), "You have no alerts")
	for _, q := range []string{"migrants Agadir", "title:asile"} { // shown as typed
		h.clock.Advance(time.Second)
		wantText(t, h.reply(bob.ID, bob, "/alert "+q), "Alert saved")
	}
	m := h.reply(bob.ID, bob, "/alerts")
	wantText(t, m, "Your alerts (2/20)", "1. migrants Agadir", "2. title:asile")
	as := h.alerts(bob.ID)
	if got, want := buttonData(m), []string{"ar:" + as[0].ID, "ar:" + as[1].ID}; !slices.Equal(got, want) {
		t.Fatalf("buttons %v, want %v", got, want)
	}
	edited, _ := h.tap(bob.ID, bob, m.ID, "ar:"+as[0].ID)
	wantText(t, edited, "Alert removed", "1. title:asile")
	if got := h.alerts(bob.ID); len(got) != 1 || got[0].Query != "title:asile" {
		t.Fatalf("after removal: %+v", got)
	}
}

func TestAlert_LimitPerChat(t *testing.T) {
	h := newHarness(t)
	for i := range alert.MaxAlertsPerChat {
		h.clock.Advance(time.Millisecond)
		if _, err := h.st.AddAlert(context.Background(), news.Alert{ID: alert.NewID(h.clock.Now()), ChatID: bob.ID, Query: fmt.Sprintf("mot%d", i)}, alert.MaxAlertsPerChat); err != nil {
			t.Fatal(err)
		}
	}
	h.clock.Advance(time.Millisecond)
	wantText(t, h.reply(bob.ID, bob, "/alert migrants"), "already has 20 alerts")
}

func TestAlert_GroupsNeedAnAdmin(t *testing.T) {
	h := newHarness(t)
	const group = -4002
	h.tg.SetChat(news.ChatRef{ID: group, Kind: news.ChatGroup, Title: "Réseau"})
	h.tg.SetMember(group, alice.ID, news.MemberAdministrator, true)
	h.tg.SetMember(group, bob.ID, news.MemberMember, true)
	wantText(t, h.reply(group, alice, "/alert migrants"), "Alerte enregistrée")
	h.reply(group, bob, "/alert asile")
	if as := h.alerts(group); len(as) != 1 || as[0].Query != "migrants" {
		t.Fatalf("group alerts = %+v", as)
	}
	// Anyone may look and try.
	wantText(t, h.reply(group, bob, "/alerts"), "migrants")
}

func TestTestAlert_CountsAndListsRecentMatches(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	now := time.Now()
	h.clock.Advance(now.Sub(h.clock.Now()))
	arts := []news.Article{
		{Item: news.Item{FeedID: "2m-ar", Link: "https://2m.ma/1", Title: "إدماج المهاجرين في أكادير"}, SourceName: "2M", Lang: "ar", Text: "المنظمة الدولية للهجرة"},
		{Item: news.Item{FeedID: "le360-fr", Link: "https://le360.ma/2", Title: "Agadir: les migrants"}, SourceName: "Le360", Lang: "fr", Text: "Demandeurs d'asile"},
		{Item: news.Item{FeedID: "x", Link: "https://x.ma/3", Title: "Football à Agadir"}, Lang: "fr", Text: "Le match <b>"},
	}
	for _, a := range arts {
		if err := h.st.RecordRecent(ctx, a, now); err != nil {
			t.Fatal(err)
		}
	}
	m := h.reply(bob.ID, bob, "/testalert Agadir OR أكادير -football")
	wantText(t, m, "would have matched 2 of the 3 articles", "Agadir: les migrants — Le360", "إدماج المهاجرين في أكادير — 2M")
	if strings.Contains(m.Text, "Football") {
		t.Errorf("excluded article listed: %q", m.Text)
	}
	if !strings.Contains(m.Raw, `<a href="https://le360.ma/2">`) {
		t.Errorf("titles are not links: %q", m.Raw)
	}
	wantText(t, h.reply(bob.ID, bob, "/testalert title:match"), "would have matched 0 of the 3")
	wantText(t, h.reply(bob.ID, bob, "/testalert (x"), "closing parenthesis is missing")
	if n := len(h.alerts(bob.ID)); n != 0 {
		t.Fatalf("/testalert stored %d alerts", n)
	}
}
