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

func TestStore_StoryCountsPerDayAndLanguage(t *testing.T) {
	rdb, prefix := storetest.Redis(t)
	s := store.New(rdb, prefix)
	ctx := context.Background()
	day := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		at   time.Time
		lang string
	}{{day, "ar"}, {day, "ar"}, {day, "fr"}, {day.AddDate(0, 0, -2), "en"}} {
		if err := s.CountStory(ctx, c.at, c.lang); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.StoryCounts(ctx, day, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d days, want 3", len(got))
	}
	if got[0].Counts["en"] != 1 || len(got[1].Counts) != 0 || got[2].Counts["ar"] != 2 || got[2].Counts["fr"] != 1 {
		t.Fatalf("counts = %+v", got)
	}
	if !got[2].Day.Equal(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("last day = %v", got[2].Day)
	}
	if ttl := rdb.TTL(ctx, prefix+"stats:stories:2026-11-20").Val(); ttl <= 0 {
		t.Fatalf("stats key has no TTL (%v): it would grow forever", ttl)
	}
}

func TestStore_DeliveriesCountsPerMinuteFromSince(t *testing.T) {
	rdb, prefix := storetest.Redis(t)
	s := store.New(rdb, prefix)
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 15, 10, 30, 0, time.UTC)
	// Two hours of traffic, crossing an hour boundary.
	for _, ago := range []time.Duration{0, time.Minute, 30 * time.Minute, 59 * time.Minute, 61 * time.Minute, 2 * time.Hour} {
		if err := s.CountDelivery(ctx, now.Add(-ago)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CountDelivery(ctx, now); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		since time.Duration
		want  int
	}{{time.Minute, 3}, {time.Hour, 5}, {90 * time.Minute, 6}, {3 * time.Hour, 7}, {-time.Hour, 0}}
	for _, c := range cases {
		got, err := s.Deliveries(ctx, now.Add(-c.since))
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("Deliveries(now-%v) = %d, want %d", c.since, got, c.want)
		}
	}
	if ttl := rdb.TTL(ctx, prefix+"stats:sent:2026-11-20T15").Val(); ttl <= 0 || ttl > 25*time.Hour {
		t.Errorf("delivery bucket TTL = %v, want a day or so", ttl)
	}
	keys, err := storetest.Keys(ctx, rdb, prefix+"stats:sent:*")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 3 {
		t.Errorf("delivery buckets use %d keys (%v), want one per hour: 3", len(keys), keys)
	}
}

func TestStore_LastDeliveryKeepsTheLatestPerChat(t *testing.T) {
	rdb, prefix := storetest.Redis(t)
	s := store.New(rdb, prefix)
	ctx := context.Background()
	if _, ok, err := s.LastDelivery(ctx, 42); err != nil || ok {
		t.Fatalf("never delivered: ok=%v err=%v", ok, err)
	}
	at := time.Date(2026, 11, 20, 15, 10, 30, 500, time.UTC)
	for _, c := range []struct {
		chat int64
		at   time.Time
	}{{42, at}, {42, at.Add(-time.Hour)}, {-1001234567890, at.Add(time.Minute)}} {
		if err := s.SetLastDelivery(ctx, c.chat, c.at); err != nil {
			t.Fatal(err)
		}
	}
	got, ok, err := s.LastDelivery(ctx, 42)
	if err != nil || !ok || !got.Equal(at.Truncate(time.Second)) {
		t.Errorf("LastDelivery(42) = %v, %v, %v; want %v (an older send must not win)", got, ok, err, at.Truncate(time.Second))
	}
	got, ok, err = s.LastDelivery(ctx, -1001234567890)
	if err != nil || !ok || !got.Equal(at.Add(time.Minute).Truncate(time.Second)) {
		t.Errorf("LastDelivery(group) = %v, %v, %v", got, ok, err)
	}
	// Compact: one hash for every chat, not a key per chat.
	keys, err := storetest.Keys(ctx, rdb, prefix+"*")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 {
		t.Errorf("last deliveries of 2 chats use keys %v, want one hash", keys)
	}
}

func TestStore_QueueReportsOutboxSizes(t *testing.T) {
	rdb, prefix := storetest.Redis(t)
	s := store.New(rdb, prefix)
	ctx := context.Background()
	q, err := s.Queue(ctx)
	if err != nil || q != (news.QueueStats{}) {
		t.Fatalf("empty queue = %+v, %v", q, err)
	}
	if err := s.EnsureOutbox(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Enqueue(ctx, news.OutboxJob{ChatID: 1, StoryID: "a"}, news.OutboxJob{ChatID: 2, StoryID: "a"}, news.OutboxJob{ChatID: 3, StoryID: "a"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReadJobs(ctx, "sender-1", 1, 0); err != nil {
		t.Fatal(err)
	}
	q, err = s.Queue(ctx)
	if err != nil || q.Outbox != 3 || q.Pending != 1 || q.Delayed != 0 || q.Dead != 0 {
		t.Fatalf("queue = %+v, %v; want 3 in the outbox, 1 pending", q, err)
	}
}

func TestStore_PageOffersExpireAndStayBounded(t *testing.T) {
	rdb, prefix := storetest.Redis(t)
	s := store.New(rdb, prefix)
	ctx := context.Background()
	if err := s.SavePageOffer(ctx, 7, "uabc", "https://2m.ma/ar/news/national", time.Hour); err != nil {
		t.Fatal(err)
	}
	if u, ok, err := s.PageOffer(ctx, 7, "uabc"); err != nil || !ok || u != "https://2m.ma/ar/news/national" {
		t.Fatalf("PageOffer = %q, %v, %v", u, ok, err)
	}
	if _, ok, err := s.PageOffer(ctx, 8, "uabc"); err != nil || ok {
		t.Fatalf("another chat sees the offer: ok=%v err=%v", ok, err)
	}
	if ttl := rdb.TTL(ctx, prefix+"chat:{7}:offers").Val(); ttl <= 0 || ttl > time.Hour {
		t.Errorf("offers TTL = %v", ttl)
	}
	for i := range 25 {
		if err := s.SavePageOffer(ctx, 7, fmt.Sprintf("u%02d", i), "https://example.org/", time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if n := rdb.HLen(ctx, prefix+"chat:{7}:offers").Val(); n > 20 {
		t.Errorf("chat keeps %d offers, want at most 20", n)
	}
	if _, ok, _ := s.PageOffer(ctx, 7, "u24"); !ok {
		t.Error("the latest offer was dropped")
	}
}
