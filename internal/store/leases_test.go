package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
)

func TestLease_AcquireIsExclusiveUntilReleased(t *testing.T) {
	rdb, prefix := storetest.Redis(t)
	s := store.New(rdb, prefix)
	ctx := context.Background()

	if h, err := s.Holder(ctx, "updates"); err != nil || h != "" {
		t.Fatalf("Holder of a free lease = %q, %v", h, err)
	}
	if ok, err := s.Acquire(ctx, "updates", "replica-a", 10*time.Second); err != nil || !ok {
		t.Fatalf("first Acquire = %v, %v", ok, err)
	}
	// The design's key, under the store prefix, with the time to live set.
	if v, err := rdb.Get(ctx, prefix+"lease:updates").Result(); err != nil || v != "replica-a" {
		t.Fatalf("key %slease:updates = %q, %v", prefix, v, err)
	}
	if ttl, _ := rdb.PTTL(ctx, prefix+"lease:updates").Result(); ttl <= 0 || ttl > 10*time.Second {
		t.Errorf("PTTL = %s, want (0, 10s]", ttl)
	}
	for _, holder := range []string{"replica-b", "replica-a"} {
		if ok, err := s.Acquire(ctx, "updates", holder, 10*time.Second); err != nil || ok {
			t.Errorf("Acquire by %s of a held lease = %v, %v", holder, ok, err)
		}
	}
	// Another name is another lease.
	if ok, err := s.Acquire(ctx, "digests", "replica-b", 10*time.Second); err != nil || !ok {
		t.Errorf("Acquire of another lease = %v, %v", ok, err)
	}
	if h, _ := s.Holder(ctx, "updates"); h != "replica-a" {
		t.Errorf("Holder = %q, want replica-a", h)
	}

	if ok, err := s.Release(ctx, "updates", "replica-b"); err != nil || ok {
		t.Errorf("Release by a non-holder = %v, %v", ok, err)
	}
	if h, _ := s.Holder(ctx, "updates"); h != "replica-a" {
		t.Fatalf("a non-holder's Release freed the lease: holder %q", h)
	}
	if ok, err := s.Release(ctx, "updates", "replica-a"); err != nil || !ok {
		t.Fatalf("Release by the holder = %v, %v", ok, err)
	}
	if ok, err := s.Release(ctx, "updates", "replica-a"); err != nil || ok {
		t.Errorf("second Release = %v, %v", ok, err)
	}
	if ok, err := s.Acquire(ctx, "updates", "replica-b", 10*time.Second); err != nil || !ok {
		t.Errorf("Acquire after Release = %v, %v", ok, err)
	}
}

func TestLease_RenewExtendsOnlyTheHoldersLease(t *testing.T) {
	rdb, prefix := storetest.Redis(t)
	s := store.New(rdb, prefix)
	ctx := context.Background()
	key := prefix + "lease:updates"

	if ok, err := s.Renew(ctx, "updates", "replica-a", time.Minute); err != nil || ok {
		t.Fatalf("Renew of a free lease = %v, %v", ok, err)
	}
	if n, _ := rdb.Exists(ctx, key).Result(); n != 0 {
		t.Fatal("Renew of a free lease created it")
	}
	if ok, _ := s.Acquire(ctx, "updates", "replica-a", 2*time.Second); !ok {
		t.Fatal("Acquire failed")
	}
	if ok, err := s.Renew(ctx, "updates", "replica-a", time.Minute); err != nil || !ok {
		t.Fatalf("Renew by the holder = %v, %v", ok, err)
	}
	if ttl, _ := rdb.PTTL(ctx, key).Result(); ttl <= 2*time.Second || ttl > time.Minute {
		t.Errorf("PTTL after Renew = %s, want (2s, 1m]", ttl)
	}
	if ok, err := s.Renew(ctx, "updates", "replica-b", time.Hour); err != nil || ok {
		t.Errorf("Renew by a non-holder = %v, %v", ok, err)
	}
	if ttl, _ := rdb.PTTL(ctx, key).Result(); ttl > time.Minute {
		t.Errorf("a non-holder's Renew extended the lease to %s", ttl)
	}
	if h, _ := s.Holder(ctx, "updates"); h != "replica-a" {
		t.Errorf("Holder = %q after a non-holder's Renew", h)
	}
}

func TestLease_ExpiredLeaseGoesToTheNextAndTheOldHolderCannotRenewIt(t *testing.T) {
	mr, rdb := storetest.Miniredis(t)
	s := store.New(rdb, store.DefaultPrefix)
	ctx := context.Background()

	if ok, _ := s.Acquire(ctx, "updates", "replica-a", 3*time.Second); !ok {
		t.Fatal("Acquire failed")
	}
	mr.FastForward(2 * time.Second)
	if ok, _ := s.Acquire(ctx, "updates", "replica-b", 3*time.Second); ok {
		t.Fatal("lease taken before it expired")
	}
	mr.FastForward(2 * time.Second)
	if h, _ := s.Holder(ctx, "updates"); h != "" {
		t.Fatalf("expired lease still held by %q", h)
	}
	if ok, err := s.Acquire(ctx, "updates", "replica-b", 3*time.Second); err != nil || !ok {
		t.Fatalf("Acquire of an expired lease = %v, %v", ok, err)
	}
	// replica-a wakes up from a pause: it must learn that it lost the lease,
	// and must not free it for a third replica.
	if ok, err := s.Renew(ctx, "updates", "replica-a", 3*time.Second); err != nil || ok {
		t.Errorf("old holder's Renew = %v, %v", ok, err)
	}
	if ok, _ := s.Release(ctx, "updates", "replica-a"); ok {
		t.Error("old holder released the new holder's lease")
	}
	if h, _ := s.Holder(ctx, "updates"); h != "replica-b" {
		t.Errorf("Holder = %q, want replica-b", h)
	}
}

func TestLease_ConcurrentAcquireHasOneWinner(t *testing.T) {
	rdb, prefix := storetest.Redis(t)
	s := store.New(rdb, prefix)
	ctx := context.Background()

	const n = 20
	var wg sync.WaitGroup
	won := make(chan string, n)
	for i := range n {
		wg.Go(func() {
			holder := fmt.Sprintf("replica-%d", i)
			ok, err := s.Acquire(ctx, "updates", holder, 10*time.Second)
			if err != nil {
				t.Errorf("Acquire: %v", err)
			}
			if ok {
				won <- holder
			}
		})
	}
	wg.Wait()
	close(won)
	var winners []string
	for h := range won {
		winners = append(winners, h)
	}
	if len(winners) != 1 {
		t.Fatalf("winners %v, want exactly one", winners)
	}
	if h, _ := s.Holder(ctx, "updates"); h != winners[0] {
		t.Errorf("Holder = %q, winner %q", h, winners[0])
	}
}

func TestLease_RefusesRequestsRedisWouldMisread(t *testing.T) {
	rdb, prefix := storetest.Redis(t)
	s := store.New(rdb, prefix)
	ctx := context.Background()
	tests := []struct {
		name, lease, holder string
		ttl                 time.Duration
	}{
		{"empty name", "", "replica-a", time.Second},
		{"empty holder", "updates", "", time.Second},
		{"zero ttl", "updates", "replica-a", 0},
		{"sub-millisecond ttl", "updates", "replica-a", 500 * time.Microsecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.Acquire(ctx, tt.lease, tt.holder, tt.ttl); !errors.Is(err, store.ErrBadLease) {
				t.Errorf("Acquire: %v, want ErrBadLease", err)
			}
			if _, err := s.Renew(ctx, tt.lease, tt.holder, tt.ttl); !errors.Is(err, store.ErrBadLease) {
				t.Errorf("Renew: %v, want ErrBadLease", err)
			}
		})
	}
	if _, err := s.Release(ctx, "updates", ""); !errors.Is(err, store.ErrBadLease) {
		t.Errorf("Release with no holder: %v, want ErrBadLease", err)
	}
	if n, _ := rdb.Exists(ctx, prefix+"lease:updates", prefix+"lease:").Result(); n != 0 {
		t.Errorf("a refused request wrote %d key(s)", n)
	}
}

// A replica whose lease release was lost (Redis went away mid-poll) takes
// its own lease again after reconnecting instead of waiting for it to
// expire; another replica still cannot.
func TestFeeds_OwnerRetakesItsUnreleasedLease(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	if ok, err := s.AcquireFeedLease(ctx, "f1", "replica-a", 150*time.Second); err != nil || !ok {
		t.Fatalf("first acquire: %v %v", ok, err)
	}
	// The release never reached Redis. The next poll:
	if ok, err := s.AcquireFeedLease(ctx, "f1", "replica-a", 150*time.Second); err != nil || !ok {
		t.Errorf("the holder could not retake its own lease: %v %v", ok, err)
	}
	if ok, err := s.AcquireFeedLease(ctx, "f1", "replica-b", 150*time.Second); err != nil || ok {
		t.Errorf("another replica took a held lease: %v %v", ok, err)
	}
	if released, err := s.ReleaseFeedLease(ctx, "f1", "replica-a"); err != nil || !released {
		t.Errorf("release after the retake: %v %v", released, err)
	}
	if ok, err := s.AcquireFeedLease(ctx, "f1", "replica-b", time.Second); err != nil || !ok {
		t.Errorf("the released lease was not free: %v %v", ok, err)
	}
}
