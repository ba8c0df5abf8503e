package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
)

func TestFirstNotice_OncePerChatAndNotice(t *testing.T) {
	rdb, prefix := storetest.Redis(t)
	s := store.New(rdb, prefix)
	ctx := context.Background()
	for i, want := range []bool{true, false, false} {
		if got, err := s.FirstNotice(ctx, -100123, "channel_hint", time.Hour); err != nil || got != want {
			t.Fatalf("call %d: %v, %v; want %v", i, got, err, want)
		}
	}
	if got, err := s.FirstNotice(ctx, -100124, "channel_hint", time.Hour); err != nil || !got {
		t.Errorf("another chat: %v, %v", got, err)
	}
	if got, err := s.FirstNotice(ctx, -100123, "other", time.Hour); err != nil || !got {
		t.Errorf("another notice: %v, %v", got, err)
	}
	if ttl, _ := rdb.PTTL(ctx, prefix+"chat:{-100123}:notice:channel_hint").Result(); ttl <= 0 || ttl > time.Hour {
		t.Errorf("the mark has ttl %s, want at most an hour", ttl)
	}
	if _, err := s.FirstNotice(ctx, 1, "", time.Hour); err == nil {
		t.Error("an unnamed notice was accepted")
	}
}
