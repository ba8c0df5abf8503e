package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
)

func TestStore_DeleteAndMigrateChatNotifyAlertIndexes(t *testing.T) {
	rdb, prefix := storetest.Redis(t)
	s := store.New(rdb, prefix)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	changes, err := s.WatchAlerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveChat(ctx, news.Chat{ID: 5, Kind: news.ChatGroup}); err != nil {
		t.Fatal(err)
	}
	if err := s.MigrateChat(ctx, 5, -1005); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteChat(ctx, -1005); err != nil {
		t.Fatal(err)
	}
	got := map[int64]bool{}
	for len(got) < 2 {
		select {
		case id := <-changes:
			got[id] = true
		case <-ctx.Done():
			t.Fatalf("alert change notices seen: %v; want 5 and -1005", got)
		}
	}
	if !got[5] || !got[-1005] {
		t.Fatalf("notices for %v, want 5 and -1005", got)
	}
}
