package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
)

// A feed added by URL whose feed has no title is listed by its host, never
// by its id.
func TestFeedLists_NameAFeedWithoutTitleByItsHost(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	src := news.Source{ID: feed.SourceID("https://www.example.org/rss"), URL: "https://www.example.org/rss", Kind: news.KindFeed}
	if err := h.st.RegisterFeed(ctx, src); err != nil {
		t.Fatal(err)
	}
	if _, err := h.st.Subscribe(ctx, bob.ID, src.ID); err != nil {
		t.Fatal(err)
	}
	h.reply(bob.ID, bob, "/help") // the chat exists
	list := h.reply(bob.ID, bob, "/unsubscribe")
	if !buttonLabelled(list, "✖️ example.org") {
		t.Errorf("unsubscribe buttons = %+v", list.Buttons)
	}
	status := h.reply(bob.ID, bob, "/status")
	wantText(t, status, "⏳ example.org: not read yet")
	for _, m := range []string{list.Text, status.Text} {
		if strings.Contains(m, src.ID) {
			t.Errorf("the feed's id is shown: %q", m)
		}
	}
	done := h.reply(bob.ID, bob, "/unsubscribe "+src.URL)
	wantText(t, done, "You no longer follow example.org.")
}

func TestSources_MarksUnverifiedAddressesInThreeLanguages(t *testing.T) {
	h := newHarness(t, func(o *Options) {
		o.Catalog = append(testCatalog(), news.Source{ID: "le360-ar", Name: "Le360", URL: "https://ar.le360.ma/rss", Language: "ar", Country: "MA"})
	})
	for _, tt := range []struct {
		user   news.User
		legend string
	}{
		{alice, "❔ = adresse pas encore confirmée"},
		{bob, "❔ = address not confirmed yet"},
		{amina, "❔ = عنوان لم يُتأكد منه بعد"},
	} {
		m := h.reply(tt.user.ID, tt.user, "/sources ar")
		wantText(t, m, tt.legend)
		if !buttonLabelled(m, "▫️ Le360 (MA) ❔") || !buttonLabelled(m, "▫️ Hespress (MA)") {
			t.Errorf("%s: buttons %+v: only the unverified source is marked", tt.user.LanguageCode, m.Buttons)
		}
		if m := h.reply(tt.user.ID, tt.user, "/sources en"); strings.Contains(m.Text, "❔") {
			t.Errorf("%s: a page of verified sources explains the mark: %q", tt.user.LanguageCode, m.Text)
		}
	}
}
