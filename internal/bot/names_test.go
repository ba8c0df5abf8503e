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
