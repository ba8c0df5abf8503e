package deliver_test

import (
	"context"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/deliver"
	"github.com/migrawatch/migrawatch/internal/news"
)

// TestDeliver_KeepsTheFiguresTheBotReads pins what used to be done by the
// binary's wiring: routing records the article for /testalert and counts a
// new relevant story for /stats; a delivered message counts for the
// operators' view and for the chat's /status.
func TestDeliver_KeepsTheFiguresTheBotReads(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.chat(news.Chat{ID: private}, seedFeed)
	router := deliver.NewRouter(e.st, e.st, e.st, nil, deliver.RouterConfig{Clock: e.clock, Figures: e.st})
	cfg := e.senderConfig()
	cfg.Figures = e.st
	start := time.Now()
	e.start(nil, nil, cfg)

	a := seedArticle(t)
	if !a.Relevance.Relevant {
		t.Fatal("the seed article is not relevant")
	}
	if err := router.Deliver(ctx, a); err != nil {
		t.Fatal(err)
	}
	// A reprint of the same story joins it: it is no new story.
	reprint := a
	reprint.Key, reprint.Link, reprint.FeedID = "https://example.org/reprint", "https://example.org/reprint", "other-feed"
	if err := router.Deliver(ctx, reprint); err != nil {
		t.Fatal(err)
	}
	e.waitSent(private, 1)

	recent, err := e.st.Recent(ctx, e.clock.Now(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(recent) != 2 {
		t.Errorf("recent items for /testalert: %d, want the article and its reprint", len(recent))
	}
	counts, err := e.st.StoryCounts(ctx, e.clock.Now(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 1 || counts[0].Counts[a.Lang] != 1 {
		t.Errorf("stories counted for /stats: %+v, want one %s story", counts, a.Lang)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		when, ok, err := e.st.LastDelivery(ctx, private)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			if when.Before(start.Add(-time.Second)) {
				t.Errorf("last delivery %s, before the test began", when)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the delivery was not recorded as the chat's last")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n, err := e.st.Deliveries(ctx, start.Add(-time.Minute)); err != nil || n != 1 {
		t.Errorf("deliveries counted: %d (%v), want 1", n, err)
	}
}
