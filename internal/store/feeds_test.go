package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
)

func newStore(t *testing.T) (*store.Store, string) {
	rdb, prefix := storetest.Redis(t)
	return store.New(rdb, prefix), prefix
}

func TestFeeds_RegisterKeepsPollingStateAndLists(t *testing.T) {
	s, prefix := newStore(t)
	ctx := context.Background()
	src := news.Source{ID: "hespress", Name: "Hespress", URL: "https://www.hespress.com/feed", Language: "ar", Country: "MA", Charset: "windows-1256", Verified: true}
	if err := s.RegisterFeed(ctx, src); err != nil {
		t.Fatal(err)
	}
	// The design's key names.
	for _, k := range []string{prefix + "feed:{hespress}", prefix + "feeds:due"} {
		if n, err := s.Client().Exists(ctx, k).Result(); n != 1 {
			t.Fatalf("key %s missing (%v)", k, err)
		}
	}
	st, ok, err := s.Feed(ctx, "hespress")
	if err != nil || !ok {
		t.Fatalf("Feed: %v %v", ok, err)
	}
	if st.Source.URL != src.URL || st.Source.Name != "Hespress" || st.Source.Charset != "windows-1256" || !st.Source.Verified || st.Source.Kind != news.KindFeed {
		t.Errorf("source %+v", st.Source)
	}
	due, _ := s.DueFeeds(ctx, time.Now(), 10)
	if len(due) != 1 || due[0] != "hespress" {
		t.Fatalf("new feed not due: %v", due)
	}

	now := time.Date(2026, 2, 16, 10, 0, 0, 0, time.UTC)
	err = s.RecordPoll(ctx, "hespress", news.PollRecord{At: now, NextPoll: now.Add(15 * time.Minute), Interval: 15 * time.Minute, OK: true, SetValidators: true, ETag: `"x"`, LastModified: "Mon, 16 Feb 2026 09:00:00 GMT"})
	if err != nil {
		t.Fatal(err)
	}
	// Registering again (a catalog reload) keeps validators and schedule.
	src.Name = "Hespress AR"
	if err := s.RegisterFeed(ctx, src); err != nil {
		t.Fatal(err)
	}
	st, _, _ = s.Feed(ctx, "hespress")
	if st.ETag != `"x"` || !st.NextPoll.Equal(now.Add(15*time.Minute)) || st.Interval != 15*time.Minute || !st.LastOK.Equal(now) || st.Source.Name != "Hespress AR" {
		t.Errorf("state after re-register %+v", st)
	}
	if due, _ := s.DueFeeds(ctx, now, 10); len(due) != 0 {
		t.Errorf("feed due before its next poll: %v", due)
	}
	if due, _ := s.DueFeeds(ctx, now.Add(15*time.Minute), 10); len(due) != 1 {
		t.Errorf("feed not due at its next poll: %v", due)
	}

	// A failure keeps the validators and records the error for /status.
	err = s.RecordPoll(ctx, "hespress", news.PollRecord{At: now.Add(time.Hour), NextPoll: now.Add(2 * time.Hour), Interval: 15 * time.Minute, Errors: 1, Err: "HTTP status 503"})
	if err != nil {
		t.Fatal(err)
	}
	st, _, _ = s.Feed(ctx, "hespress")
	if !st.Failing() || st.Errors != 1 || st.LastError != "HTTP status 503" || st.ETag != `"x"` || !st.LastErrorAt.Equal(now.Add(time.Hour)) {
		t.Errorf("state after failure %+v", st)
	}

	if err := s.RegisterFeed(ctx, news.Source{ID: "u123", URL: "https://example.org/rss"}); err != nil {
		t.Fatal(err)
	}
	all, err := s.Feeds(ctx)
	if err != nil || len(all) != 2 || all[0].Source.ID != "u123" {
		t.Fatalf("Feeds = %v, %v", all, err)
	}
	// A user feed without a name takes the feed's own title once.
	_ = s.RecordPoll(ctx, "u123", news.PollRecord{At: now, NextPoll: now, OK: true, Title: "Example news"})
	_ = s.RecordPoll(ctx, "u123", news.PollRecord{At: now, NextPoll: now, OK: true, Title: "Other"})
	if st, _, _ := s.Feed(ctx, "u123"); st.Source.Name != "Example news" {
		t.Errorf("title = %q", st.Source.Name)
	}

	if err := s.RemoveFeed(ctx, "hespress"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Feed(ctx, "hespress"); ok {
		t.Error("removed feed still there")
	}
	// A poll finishing after removal does not bring the feed back.
	_ = s.RecordPoll(ctx, "hespress", news.PollRecord{At: now, NextPoll: now, OK: true})
	if _, ok, _ := s.Feed(ctx, "hespress"); ok {
		t.Error("RecordPoll resurrected a removed feed")
	}
	if due, _ := s.DueFeeds(ctx, now.Add(24*time.Hour), 10); len(due) != 1 || due[0] != "u123" {
		t.Errorf("due after removal: %v", due)
	}
}

func TestFeeds_LeaseIsExclusiveAndOnlyItsOwnerReleasesIt(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	ok, err := s.AcquireFeedLease(ctx, "f", "replica-a", time.Minute)
	if err != nil || !ok {
		t.Fatalf("first acquire: %v %v", ok, err)
	}
	if ok, _ := s.AcquireFeedLease(ctx, "f", "replica-b", time.Minute); ok {
		t.Fatal("second replica got a held lease")
	}
	if released, _ := s.ReleaseFeedLease(ctx, "f", "replica-b"); released {
		t.Fatal("a replica released another's lease")
	}
	if ok, _ := s.AcquireFeedLease(ctx, "f", "replica-b", time.Minute); ok {
		t.Fatal("lease lost after a foreign release attempt")
	}
	if released, err := s.ReleaseFeedLease(ctx, "f", "replica-a"); !released || err != nil {
		t.Fatalf("owner release: %v %v", released, err)
	}
	if ok, _ := s.AcquireFeedLease(ctx, "f", "replica-b", 50*time.Millisecond); !ok {
		t.Fatal("free lease not acquired")
	}
}

func TestFeeds_SeenSetIsBoundedByCountAndAge(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	t0 := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	keys := func(from, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("k%03d", from+i)
		}
		return out
	}
	n, err := s.MarkSeen(ctx, "f", keys(0, 30), t0, 48*time.Hour, 50)
	if err != nil || n != 30 {
		t.Fatalf("MarkSeen = %d, %v", n, err)
	}
	unseen, err := s.UnseenItems(ctx, "f", []string{"k000", "k029", "new-1", "k030"})
	if err != nil || fmt.Sprint(unseen) != "[new-1 k030]" {
		t.Fatalf("UnseenItems = %v, %v", unseen, err)
	}
	// Count bound: 40 more keys an hour later keep only the 50 most recently seen.
	n, _ = s.MarkSeen(ctx, "f", keys(30, 40), t0.Add(time.Hour), 48*time.Hour, 50)
	if n != 50 {
		t.Fatalf("count bound: %d keys, want 50", n)
	}
	if u, _ := s.UnseenItems(ctx, "f", []string{"k069", "k000"}); fmt.Sprint(u) != "[k000]" {
		t.Errorf("count trim removed the wrong keys: unseen %v", u)
	}
	// Age bound: keys not listed for longer than maxAge go; keys still
	// listed are refreshed and stay.
	n, _ = s.MarkSeen(ctx, "f", []string{"k069"}, t0.Add(50*time.Hour), 48*time.Hour, 50)
	if n != 1 {
		t.Fatalf("age bound: %d keys, want 1", n)
	}
	if got, _ := s.SeenCount(ctx, "f"); got != 1 {
		t.Errorf("SeenCount = %d", got)
	}
}
