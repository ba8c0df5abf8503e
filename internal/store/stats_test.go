package store_test

import (
	"context"
	"testing"
	"time"

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
