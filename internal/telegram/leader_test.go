package telegram_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
	"github.com/migrawatch/migrawatch/internal/telegram"
	"github.com/migrawatch/migrawatch/internal/telegram/telegramtest"
)

// leaseTTL is short so that the tests run in seconds; every ttl/3 (500ms) the
// leader renews and the others try to take over.
const leaseTTL = 1500 * time.Millisecond

// newLeaseStore returns a store on the Redis of storetest. miniredis expires
// keys only when told that time passed, so its clock is kept in step with the
// real one: a lease left behind by a crashed replica must expire by itself.
func newLeaseStore(t *testing.T) (*store.Store, string) {
	t.Helper()
	if os.Getenv("REDIS_URL") != "" {
		rdb, prefix := storetest.Redis(t)
		return store.New(rdb, prefix), prefix
	}
	mr, rdb := storetest.Miniredis(t)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		last := time.Now()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-tick.C:
				mr.FastForward(now.Sub(last))
				last = now
			}
		}
	})
	t.Cleanup(func() { cancel(); wg.Wait() })
	return store.New(rdb, store.DefaultPrefix), store.DefaultPrefix
}

// pollWatch counts each replica's getUpdates requests and catches two
// replicas polling at the same time.
type pollWatch struct {
	mu       sync.Mutex
	inflight map[string]int
	calls    map[string]int
	overlaps []string
}

func newPollWatch() *pollWatch {
	return &pollWatch{inflight: map[string]int{}, calls: map[string]int{}}
}

func (w *pollWatch) start(holder string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for other, n := range w.inflight {
		if other != holder && n > 0 {
			w.overlaps = append(w.overlaps, holder+" polled while "+other+" was polling")
		}
	}
	w.inflight[holder]++
	w.calls[holder]++
}

func (w *pollWatch) end(holder string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.inflight[holder]--
}

func (w *pollWatch) state(holder string) (calls, inflight int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.calls[holder], w.inflight[holder]
}

func (w *pollWatch) overlapped() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.overlaps...)
}

// watchedTransport reports the getUpdates requests of one replica to a pollWatch.
type watchedTransport struct {
	watch  *pollWatch
	holder string
}

func (t watchedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if !strings.HasSuffix(r.URL.Path, "/getUpdates") {
		return http.DefaultTransport.RoundTrip(r)
	}
	t.watch.start(t.holder)
	defer t.watch.end(t.holder)
	// The fake answers a long poll only when it ends, so the round trip
	// covers the whole poll.
	return http.DefaultTransport.RoundTrip(r)
}

// handled records which replica handled which update.
type handled struct {
	mu  sync.Mutex
	by  map[int][]string
	ids []int
}

func (h *handled) add(holder string, u news.Update) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.by == nil {
		h.by = map[int][]string{}
	}
	h.by[u.ID] = append(h.by[u.ID], holder)
	h.ids = append(h.ids, u.ID)
}

// wait waits until n updates were handled and returns, for each update id, who
// handled it.
func (h *handled) wait(t *testing.T, n int, within time.Duration) map[int][]string {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		h.mu.Lock()
		if len(h.ids) >= n {
			out := make(map[int][]string, len(h.by))
			for id, who := range h.by {
				out[id] = append([]string(nil), who...)
			}
			h.mu.Unlock()
			return out
		}
		got := len(h.ids)
		h.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d updates handled after %s", got, n, within)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (h *handled) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.ids)
}

// replica is one PollAsLeader loop, as one process of a deployment runs it.
type replica struct {
	holder string
	cancel context.CancelFunc
	done   chan error
}

func startReplica(t *testing.T, srv *telegramtest.Server, token string, lease telegram.Lease, holder string, watch *pollWatch, h *handled) *replica {
	t.Helper()
	c, err := telegram.New(token, telegram.Options{
		Endpoint:       srv.Endpoint(),
		HTTPClient:     &http.Client{Transport: watchedTransport{watch: watch, holder: holder}},
		PollTimeout:    time.Second,
		RequestTimeout: 5 * time.Second,
		MinBackoff:     10 * time.Millisecond,
		MaxBackoff:     50 * time.Millisecond,
		Logger:         slog.New(slog.NewTextHandler(t.Output(), nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &replica{holder: holder, cancel: cancel, done: make(chan error, 1)}
	go func() {
		r.done <- c.PollAsLeader(ctx, lease, holder, leaseTTL, func(_ context.Context, u news.Update) { h.add(holder, u) })
	}()
	t.Cleanup(func() { r.stop(t) })
	return r
}

// stop cancels the replica and returns PollAsLeader's error.
func (r *replica) stop(t *testing.T) error {
	t.Helper()
	r.cancel()
	select {
	case err, ok := <-r.done:
		if ok {
			close(r.done)
		}
		return err
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: PollAsLeader did not return after its context was cancelled", r.holder)
		return nil
	}
}

// waitFor polls cond until it holds or within passes, and returns how long it took.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > within {
			t.Fatalf("%s: not within %s", what, within)
		}
		time.Sleep(2 * time.Millisecond)
	}
	return time.Since(start)
}

func holderOf(t *testing.T, s *store.Store) string {
	t.Helper()
	h, err := s.Holder(context.Background(), telegram.UpdatesLease)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// commands injects n commands into chat 42.
func commands(srv *telegramtest.Server, n int) {
	for i := range n {
		srv.Command(42, telegramtest.Alice, fmt.Sprintf("/status %d", i))
	}
}

func TestPollAsLeader_OnlyTheHolderPollsAndAnotherTakesOverWhenItStops(t *testing.T) {
	srv := telegramtest.New(t)
	s, _ := newLeaseStore(t)
	watch, h := newPollWatch(), &handled{}
	replicas := map[string]*replica{}
	for _, name := range []string{"replica-a", "replica-b"} {
		replicas[name] = startReplica(t, srv, srv.Token, s, name, watch, h)
	}
	waitFor(t, 2*leaseTTL, "a replica takes the lease", func() bool { return holderOf(t, s) != "" })
	leader := holderOf(t, s)
	follower := "replica-a"
	if leader == follower {
		follower = "replica-b"
	}

	commands(srv, 5)
	for id, who := range h.wait(t, 5, 5*time.Second) {
		if len(who) != 1 || who[0] != leader {
			t.Errorf("update %d handled by %v, want the leader %s once", id, who, leader)
		}
	}
	// Several renewals later the leader still holds the lease and the
	// follower has not polled once.
	time.Sleep(2 * leaseTTL)
	if got := holderOf(t, s); got != leader {
		t.Fatalf("holder %q after %s, want %s: the lease was not renewed", got, 2*leaseTTL, leader)
	}
	if calls, _ := watch.state(follower); calls != 0 {
		t.Fatalf("the follower polled getUpdates %d times while the leader held the lease", calls)
	}
	if calls, _ := watch.state(leader); calls == 0 {
		t.Fatal("the leader never polled")
	}

	stopped := time.Now()
	if err := replicas[leader].stop(t); !errors.Is(err, context.Canceled) {
		t.Errorf("stopped leader returned %v, want context.Canceled", err)
	}
	waitFor(t, 2*leaseTTL, "the follower polls", func() bool { calls, _ := watch.state(follower); return calls > 0 })
	t.Logf("takeover %s after the leader stopped (ttl %s)", time.Since(stopped), leaseTTL)
	if got := holderOf(t, s); got != follower {
		t.Errorf("holder %q after the takeover, want %s", got, follower)
	}

	// Updates keep being answered, each exactly once.
	commands(srv, 5)
	by := h.wait(t, 10, 5*time.Second)
	if len(by) != 10 {
		t.Errorf("%d distinct updates handled, want 10", len(by))
	}
	for id, who := range by {
		if len(who) != 1 {
			t.Errorf("update %d handled %d times (%v)", id, len(who), who)
		}
	}
	waitFor(t, 3*time.Second, "every update confirmed", func() bool { return srv.Pending() == 0 })
	if o := watch.overlapped(); len(o) > 0 {
		t.Errorf("two replicas polled at once: %v", o)
	}
}

// crashingLease is a lease whose replica can crash (it never releases) or lose
// its Redis connection (every call fails).
type crashingLease struct {
	telegram.Lease
	crashed, down atomic.Bool
}

var errLeaseStoreDown = errors.New("dial tcp 127.0.0.1:6379: connect: connection refused")

func (l *crashingLease) Acquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if l.down.Load() {
		return false, errLeaseStoreDown
	}
	return l.Lease.Acquire(ctx, name, holder, ttl)
}

func (l *crashingLease) Renew(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if l.down.Load() {
		return false, errLeaseStoreDown
	}
	return l.Lease.Renew(ctx, name, holder, ttl)
}

func (l *crashingLease) Release(ctx context.Context, name, holder string) (bool, error) {
	if l.down.Load() {
		return false, errLeaseStoreDown
	}
	if l.crashed.Load() {
		return false, nil
	}
	return l.Lease.Release(ctx, name, holder)
}

func TestPollAsLeader_CrashedLeaderIsReplacedWhenItsLeaseExpires(t *testing.T) {
	srv := telegramtest.New(t)
	s, _ := newLeaseStore(t)
	watch, h := newPollWatch(), &handled{}
	crashy := &crashingLease{Lease: s}
	a := startReplica(t, srv, srv.Token, crashy, "replica-a", watch, h)
	waitFor(t, leaseTTL, "replica-a takes the lease", func() bool { return holderOf(t, s) == "replica-a" })
	startReplica(t, srv, srv.Token, s, "replica-b", watch, h)
	commands(srv, 3)
	h.wait(t, 3, 5*time.Second)

	// A crash: the process is gone and nobody releases its lease.
	crashy.crashed.Store(true)
	crashed := time.Now()
	_ = a.stop(t)
	if got := holderOf(t, s); got != "replica-a" {
		t.Fatalf("holder %q right after the crash: the crashed replica released its lease", got)
	}
	waitFor(t, 2*leaseTTL, "replica-b polls", func() bool { calls, _ := watch.state("replica-b"); return calls > 0 })
	took := time.Since(crashed)
	t.Logf("takeover %s after the crash (ttl %s)", took, leaseTTL)
	if took < leaseTTL/2 {
		t.Errorf("replica-b polled %s after the crash, before the lease could expire", took)
	}
	commands(srv, 3)
	by := h.wait(t, 6, 5*time.Second)
	for id, who := range by {
		if len(who) != 1 {
			t.Errorf("update %d handled %d times (%v)", id, len(who), who)
		}
	}
	if o := watch.overlapped(); len(o) > 0 {
		t.Errorf("two replicas polled at once: %v", o)
	}
}

func TestPollAsLeader_StopsPollingWhenTheLeaseIsLostAndResumesWhenItIsBack(t *testing.T) {
	tests := []struct {
		name       string
		lose, mend func(t *testing.T, s *store.Store, prefix string, l *crashingLease)
	}{
		{
			name: "another replica holds it",
			lose: func(t *testing.T, s *store.Store, prefix string, _ *crashingLease) {
				// What a replica sees after a pause longer than the lease: it
				// expired and someone else took it.
				if err := s.Client().Set(context.Background(), prefix+"lease:updates", "intruder", time.Minute).Err(); err != nil {
					t.Fatal(err)
				}
			},
			mend: func(t *testing.T, s *store.Store, _ string, _ *crashingLease) {
				if ok, err := s.Release(context.Background(), telegram.UpdatesLease, "intruder"); err != nil || !ok {
					t.Fatalf("release intruder: %v %v", ok, err)
				}
			},
		},
		{
			name: "the lease store does not answer",
			lose: func(_ *testing.T, _ *store.Store, _ string, l *crashingLease) { l.down.Store(true) },
			mend: func(_ *testing.T, _ *store.Store, _ string, l *crashingLease) { l.down.Store(false) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := telegramtest.New(t)
			s, prefix := newLeaseStore(t)
			watch, h := newPollWatch(), &handled{}
			l := &crashingLease{Lease: s}
			startReplica(t, srv, srv.Token, l, "replica-a", watch, h)
			waitFor(t, leaseTTL, "replica-a polls", func() bool { calls, _ := watch.state("replica-a"); return calls > 0 })
			commands(srv, 1)
			h.wait(t, 1, 5*time.Second)

			tt.lose(t, s, prefix, l)
			// The next renewal (ttl/3) fails: polling stops at once.
			waitFor(t, leaseTTL, "polling stops", func() bool { _, inflight := watch.state("replica-a"); return inflight == 0 })
			// On its way out Poll confirms the updates it handled: one last
			// getUpdates without a wait, right after the long poll ended.
			time.Sleep(100 * time.Millisecond)
			before, _ := watch.state("replica-a")
			commands(srv, 1)
			time.Sleep(2 * leaseTTL)
			if after, _ := watch.state("replica-a"); after != before {
				t.Errorf("replica-a polled %d more times without the lease", after-before)
			}
			if n := h.count(); n != 1 {
				t.Errorf("%d updates handled without the lease, want none", n-1)
			}

			tt.mend(t, s, prefix, l)
			by := h.wait(t, 2, 2*leaseTTL+time.Second)
			if len(by) != 2 {
				t.Errorf("handled %v, want two distinct updates", by)
			}
			if got := holderOf(t, s); got != "replica-a" {
				t.Errorf("holder %q after the lease came back, want replica-a", got)
			}
		})
	}
}

func TestPollAsLeader_BadTokenReturnsTheErrorAndReleasesTheLease(t *testing.T) {
	srv := telegramtest.New(t)
	s, _ := newLeaseStore(t)
	watch, h := newPollWatch(), &handled{}
	r := startReplica(t, srv, "7000000001:wrong", s, "replica-a", watch, h)
	select {
	case err := <-r.done:
		var api *telegram.APIError
		if !errors.As(err, &api) || api.Code != http.StatusUnauthorized {
			t.Errorf("PollAsLeader with a bad token = %v, want the 401 APIError", err)
		}
		if strings.Contains(fmt.Sprint(err), "wrong") {
			t.Errorf("error %q shows the token", err)
		}
		close(r.done)
	case <-time.After(5 * time.Second):
		t.Fatal("PollAsLeader kept running with a token Telegram refuses")
	}
	if got := holderOf(t, s); got != "" {
		t.Errorf("lease still held by %q after PollAsLeader gave up", got)
	}
}

func TestPollAsLeader_RefusesATTLTooShortToRenew(t *testing.T) {
	srv := telegramtest.New(t)
	s, _ := newLeaseStore(t)
	c, err := telegram.New(srv.Token, telegram.Options{Endpoint: srv.Endpoint()})
	if err != nil {
		t.Fatal(err)
	}
	err = c.PollAsLeader(context.Background(), s, "replica-a", time.Millisecond, func(context.Context, news.Update) {})
	if !errors.Is(err, telegram.ErrLeaseTTL) {
		t.Errorf("PollAsLeader with a 1ms ttl = %v, want ErrLeaseTTL", err)
	}
	if calls := srv.Calls("getUpdates"); calls != 0 {
		t.Errorf("%d getUpdates calls", calls)
	}
}
