package bot

import (
	"context"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
)

func TestAlert_SpeakerFieldSavedAndTriedOnRecentNews(t *testing.T) {
	h := newHarness(t)
	wantText(t, h.reply(bob.ID, bob, "/alert speaker:Palatini"), "Alert saved: speaker:Palatini")
	wantText(t, h.reply(alice.ID, alice, `/alert orateur:"ministre de l'Intérieur"`), `Alerte enregistrée : orateur:"ministre de l'Intérieur"`)
	wantText(t, h.reply(amina.ID, amina, `/alert المتحدث:"وزير الداخلية"`), `حُفظ التنبيه: المتحدث:"وزير الداخلية"`)
	for _, c := range []struct {
		chat  int64
		query string
	}{{bob.ID, "speaker:Palatini"}, {alice.ID, `orateur:"ministre de l'Intérieur"`}, {amina.ID, `المتحدث:"وزير الداخلية"`}} {
		if as := h.alerts(c.chat); len(as) != 1 || as[0].Query != c.query {
			t.Errorf("chat %d alerts %+v", c.chat, as)
		}
	}
	wantText(t, h.reply(bob.ID, bob, "/alert"), `speaker:"interior minister"`)
	wantText(t, h.reply(bob.ID, bob, "/alert speakr:Palatini"), "use title:, source:, lang: or speaker:")
	wantText(t, h.reply(bob.ID, bob, `/alert speaker:"one two three four five six seven eight nine"`), "speaker: takes at most 8 words")

	ctx := context.Background()
	now := h.clock.Now()
	for _, a := range []news.Article{
		{Item: news.Item{FeedID: "mwn", Key: "a", Link: "https://mwn.example/a", Title: "IOM opens a centre in Agadir"}, Lang: news.English,
			Text:    "The centre opened on Monday.",
			Summary: news.Summary{Quotes: []news.Quote{{Speaker: "Laura Palatini", Role: "IOM chief of mission", Text: "Integration is a long road"}}}},
		{Item: news.Item{FeedID: "mwn", Key: "b", Link: "https://mwn.example/b", Title: "Voluntary returns"}, Lang: news.English,
			Text:    "Laura Lungarotti, who succeeded Laura Palatini, met officials.",
			Summary: news.Summary{Quotes: []news.Quote{{Speaker: "Laura Lungarotti", Role: "the director who succeeded Laura Palatini", Text: "Returns must stay voluntary"}}}},
	} {
		if err := h.st.RecordRecent(ctx, a, now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	wantText(t, h.reply(bob.ID, bob, "/testalert speaker:Palatini"), "would have matched 1 of the 2", "IOM opens a centre in Agadir")
	// A keyword finds the article that names her, not the one that quotes her.
	wantText(t, h.reply(bob.ID, bob, "/testalert Palatini"), "would have matched 1 of the 2", "Voluntary returns")
}

func TestHelp_TellsOfQuotesAndSpeakerAlertsInThreeLanguages(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct {
		user news.User
		want []string
	}{
		{bob, []string{"Who said what", "/quotes <name or words>", "speaker:Palatini", "/voices on"}},
		{alice, []string{"Qui a dit quoi", "/quotes <nom ou mots>", "speaker:\"ministre de l’Intérieur\"", "/voices on"}},
		{amina, []string{"من قال ماذا", "/quotes <اسم أو كلمات>", "speaker:\"وزير الداخلية\"", "/voices on"}},
	} {
		wantText(t, h.reply(c.user.ID, c.user, "/help"), c.want...)
	}
}
