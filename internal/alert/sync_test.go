package alert_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/alert"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
)

var _ alert.AlertStore = (*store.Store)(nil)

// replica is one process's alert index kept in sync with Redis.
type replica struct {
	index *alert.Index
	done  chan error
}

func startReplica(t *testing.T, ctx context.Context, s *store.Store, resync time.Duration) *replica {
	t.Helper()
	r := &replica{index: alert.NewIndex(), done: make(chan error, 1)}
	sy := alert.NewSyncer(s, r.index, resync, slog.New(slog.NewTextHandler(io.Discard, nil)))
	go func() { r.done <- sy.Run(ctx) }()
	select {
	case <-sy.Ready():
	case err := <-r.done:
		t.Fatalf("syncer stopped before its first load: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("syncer not ready after 10s")
	}
	return r
}

// eventually waits until cond holds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after 5s: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func matchedChats(x *alert.Index, a news.Article) map[int64]bool {
	out := map[int64]bool{}
	for _, m := range x.MatchArticle(a) {
		out[m.ChatID] = true
	}
	return out
}

func TestSyncer_TwoReplicasFollowChangesThroughPubSub(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	rdb, prefix := storetest.Redis(t)
	s := store.New(rdb, prefix)
	// One alert exists before the replicas start: the first load brings it.
	if _, err := s.AddAlert(ctx, news.Alert{ID: "a", ChatID: 1, Query: "المهاجرين أكادير"}, alert.MaxAlertsPerChat); err != nil {
		t.Fatal(err)
	}
	// A resync period far beyond the test: only pub/sub can bring changes.
	r1 := startReplica(t, ctx, s, time.Hour)
	r2 := startReplica(t, ctx, store.New(rdb, prefix), time.Hour)

	art := news.Article{Item: news.Item{Title: "إدماج المهاجرين في أكادير"}, Text: "Demandeurs d'asile à Agadir", Lang: "ar"}
	for i, r := range []*replica{r1, r2} {
		if got := matchedChats(r.index, art); !got[1] || len(got) != 1 {
			t.Fatalf("replica %d after load: %v", i+1, got)
		}
	}
	// Chat 2 adds an alert through replica 1's store: both indexes get it.
	if _, err := s.AddAlert(ctx, news.Alert{ID: "b", ChatID: 2, Query: "asile"}, alert.MaxAlertsPerChat); err != nil {
		t.Fatal(err)
	}
	for i, r := range []*replica{r1, r2} {
		eventually(t, "replica sees chat 2's new alert", func() bool { return matchedChats(r.index, art)[2] })
		if r.index.Len() != 2 {
			t.Fatalf("replica %d holds %d alerts, want 2", i+1, r.index.Len())
		}
	}
	// Chat 1 removes its alert: both indexes drop it.
	if _, err := s.RemoveAlert(ctx, 1, "a"); err != nil {
		t.Fatal(err)
	}
	for _, r := range []*replica{r1, r2} {
		eventually(t, "replica drops chat 1's alert", func() bool { return !matchedChats(r.index, art)[1] })
	}
	cancel()
	for i, r := range []*replica{r1, r2} {
		select {
		case err := <-r.done:
			if err != nil {
				t.Fatalf("replica %d Run = %v, want nil on cancel", i+1, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("replica %d did not stop", i+1)
		}
	}
}

// lossyStore hides change notices, as a dropped connection would.
type lossyStore struct {
	*store.Store
	mu    sync.Mutex
	calls int
}

func (l *lossyStore) WatchAlerts(ctx context.Context) (<-chan int64, error) {
	return make(chan int64), nil
}

func (l *lossyStore) AllAlerts(ctx context.Context) ([]news.Alert, error) {
	l.mu.Lock()
	l.calls++
	l.mu.Unlock()
	return l.Store.AllAlerts(ctx)
}

func TestSyncer_PeriodicResyncRepairsLostNotices(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rdb, prefix := storetest.Redis(t)
	s := store.New(rdb, prefix)
	lossy := &lossyStore{Store: s}
	x := alert.NewIndex()
	sy := alert.NewSyncer(lossy, x, 20*time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))
	done := make(chan error, 1)
	go func() { done <- sy.Run(ctx) }()
	<-sy.Ready()
	if _, err := s.AddAlert(ctx, news.Alert{ID: "z", ChatID: 9, Query: "migrants"}, alert.MaxAlertsPerChat); err != nil {
		t.Fatal(err)
	}
	eventually(t, "resync brings the alert", func() bool { return x.Len() == 1 })
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	lossy.mu.Lock()
	defer lossy.mu.Unlock()
	if lossy.calls < 2 {
		t.Fatalf("AllAlerts called %d times, want the first load and at least one resync", lossy.calls)
	}
}
