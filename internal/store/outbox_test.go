package store

import (
	"context"
	"github.com/migrawatch/migrawatch/internal/news"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/store/storetest"
	"github.com/redis/go-redis/v9"
)

func newDeliveryStore(t *testing.T) *Store {
	t.Helper()
	rdb, prefix := storetest.Redis(t)
	s := New(rdb, prefix)
	if err := s.EnsureOutbox(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOutbox_RouteQueuesOncePerChatAndStory(t *testing.T) {
	ctx := context.Background()
	s := newDeliveryStore(t)
	now := time.UnixMilli(1_700_000_000_000)
	routes := []news.Route{
		{OutboxJob: news.OutboxJob{ChatID: 1, StoryID: "s1", Article: "a1", Enqueued: now.UnixMilli()}, Kind: news.RouteNow},
		{OutboxJob: news.OutboxJob{ChatID: 2, StoryID: "s1", Article: "a1", Enqueued: now.UnixMilli()}, Kind: news.RouteLater, At: now.Add(time.Hour)},
		{OutboxJob: news.OutboxJob{ChatID: 3, StoryID: "s1", Article: "a1", Enqueued: now.UnixMilli()}, Kind: news.RouteDigest, At: now.Add(2 * time.Hour)},
	}
	n, err := s.RouteStory(ctx, "s1", routes, time.Hour)
	if err != nil || n != 3 {
		t.Fatalf("RouteStory = %d, %v; want 3 new", n, err)
	}
	// The same story from a second outlet reaches nobody twice.
	routes[0].Article = "a2"
	if n, err := s.RouteStory(ctx, "s1", routes, time.Hour); err != nil || n != 0 {
		t.Fatalf("second RouteStory = %d, %v; want 0", n, err)
	}
	jobs, err := s.ReadJobs(ctx, "c1", 10, 0)
	if err != nil || len(jobs) != 1 || jobs[0].ChatID != 1 || jobs[0].Article != "a1" {
		t.Fatalf("ReadJobs = %+v, %v", jobs, err)
	}
	st, _ := s.Outbox(ctx)
	if st.Delayed != 1 || st.Pending != 1 {
		t.Errorf("stats %+v: want 1 delayed, 1 pending", st)
	}
	// Quiet hours: nothing before the end, the job after.
	if c, _ := s.PromoteDue(ctx, now.Add(59*time.Minute), 10); c != 0 {
		t.Errorf("promoted %d jobs before their time", c)
	}
	if c, _ := s.PromoteDue(ctx, now.Add(time.Hour), 10); c != 1 {
		t.Errorf("promoted %d jobs at their time, want 1", c)
	}
	jobs, _ = s.ReadJobs(ctx, "c1", 10, 0)
	if len(jobs) != 1 || jobs[0].ChatID != 2 {
		t.Fatalf("after promotion ReadJobs = %+v", jobs)
	}
	// Digest chat: due at its digest time, then one job with the story.
	if due, _ := s.DueDigests(ctx, now.Add(time.Hour), 10); len(due) != 0 {
		t.Errorf("digest due early: %v", due)
	}
	due, err := s.DueDigests(ctx, now.Add(2*time.Hour), 10)
	if err != nil || len(due) != 1 || due[0] != 3 {
		t.Fatalf("DueDigests = %v, %v", due, err)
	}
	if again, _ := s.DueDigests(ctx, now.Add(2*time.Hour), 10); len(again) != 0 {
		t.Errorf("a due digest claimed twice")
	}
	ok, err := s.TakeDigest(ctx, 3, now.Add(2*time.Hour))
	if err != nil || !ok {
		t.Fatalf("TakeDigest = %v, %v", ok, err)
	}
	if ok, _ := s.TakeDigest(ctx, 3, now.Add(2*time.Hour)); ok {
		t.Error("empty digest queued a job")
	}
	jobs, _ = s.ReadJobs(ctx, "c1", 10, 0)
	if len(jobs) != 1 || len(jobs[0].Digest) != 1 || jobs[0].Digest[0] != "s1/a1" {
		t.Fatalf("digest job = %+v", jobs)
	}
}

func TestOutbox_UnackedJobsAreReclaimedAckedOnesNot(t *testing.T) {
	ctx := context.Background()
	s := newDeliveryStore(t)
	if err := s.Enqueue(ctx, news.OutboxJob{ChatID: 1, StoryID: "a"}, news.OutboxJob{ChatID: 2, StoryID: "b"}); err != nil {
		t.Fatal(err)
	}
	jobs, _ := s.ReadJobs(ctx, "dead-sender", 10, 0)
	if len(jobs) != 2 {
		t.Fatalf("read %d jobs", len(jobs))
	}
	if err := s.AckJob(ctx, jobs[0]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	claimed, err := s.ClaimJobs(ctx, "live-sender", 10*time.Millisecond, 10)
	if err != nil || len(claimed) != 1 || claimed[0].StoryID != "b" {
		t.Fatalf("ClaimJobs = %+v, %v; want the unacked job b", claimed, err)
	}
	if err := s.DeadJob(ctx, claimed[0], "gave up"); err != nil {
		t.Fatal(err)
	}
	dead, reasons, err := s.DeadJobs(ctx, 10)
	if err != nil || len(dead) != 1 || reasons[0] != "gave up" || dead[0].ChatID != 2 {
		t.Fatalf("DeadJobs = %+v %v %v", dead, reasons, err)
	}
	st, _ := s.Outbox(ctx)
	if st.Pending != 0 || st.Length != 0 || st.Dead != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestOutbox_RetryWaitsInDelayedSet(t *testing.T) {
	ctx := context.Background()
	s := newDeliveryStore(t)
	_ = s.Enqueue(ctx, news.OutboxJob{ChatID: 7, StoryID: "x"})
	jobs, _ := s.ReadJobs(ctx, "c", 1, 0)
	j := jobs[0]
	j.Attempt++
	at := time.UnixMilli(5_000)
	if err := s.RetryJob(ctx, j, at); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Outbox(ctx); st.Pending != 0 || st.Delayed != 1 {
		t.Errorf("after retry: %+v", st)
	}
	_, _ = s.PromoteDue(ctx, at, 10)
	jobs, _ = s.ReadJobs(ctx, "c", 1, 0)
	if len(jobs) != 1 || jobs[0].Attempt != 1 {
		t.Fatalf("retried job = %+v", jobs)
	}
}

func TestOutbox_SentMarks(t *testing.T) {
	ctx := context.Background()
	s := newDeliveryStore(t)
	if _, ok, _ := s.WasSent(ctx, 5, "s"); ok {
		t.Fatal("sent before sending")
	}
	if err := s.MarkSent(ctx, 5, "s", 99, time.Hour); err != nil {
		t.Fatal(err)
	}
	if id, ok, err := s.WasSent(ctx, 5, "s"); !ok || id != 99 || err != nil {
		t.Errorf("WasSent = %d %v %v", id, ok, err)
	}
}

func TestRateLimit_GCRASpacesAndHolds(t *testing.T) {
	ctx := context.Background()
	s := newDeliveryStore(t)
	now := time.UnixMilli(1_700_000_000_000)
	global := news.RateLimit{Scope: news.ScopeGlobal, Interval: 100 * time.Millisecond}
	chat := news.RateLimit{Scope: news.ScopeChat, ID: "9", Interval: time.Second, Burst: 1}
	reserve := func(l news.RateLimit, maxWait time.Duration) (time.Duration, bool) {
		t.Helper()
		w, ok, err := s.Reserve(ctx, now, []news.RateLimit{global, l}, maxWait)
		if err != nil {
			t.Fatal(err)
		}
		return w, ok
	}
	// Chat burst 1: two at once (the second after the global 100 ms).
	if w, ok := reserve(chat, time.Minute); !ok || w != 0 {
		t.Errorf("first: %v %v", w, ok)
	}
	if w, ok := reserve(chat, time.Minute); !ok || w != 100*time.Millisecond {
		t.Errorf("second: %v %v, want 100ms", w, ok)
	}
	// The third must wait for the chat: it is told when, and takes no global slot.
	if w, ok := reserve(chat, time.Minute); ok || w != time.Second {
		t.Errorf("third: %v %v, want 1s not reserved", w, ok)
	}
	other := news.RateLimit{Scope: news.ScopeChat, ID: "10", Interval: time.Second}
	if w, ok := reserve(other, time.Minute); !ok || w != 200*time.Millisecond {
		t.Errorf("other chat: %v %v, want 200ms (the next global slot)", w, ok)
	}
	if w, ok := reserve(news.RateLimit{Scope: news.ScopeChat, ID: "12", Interval: time.Second}, 250*time.Millisecond); ok || w != 300*time.Millisecond {
		t.Errorf("beyond maxWait: %v %v, want 300ms not reserved", w, ok)
	}
	// Asking again at its time, the third message of chat 9 gets its slot.
	if w, ok, _ := s.Reserve(ctx, now.Add(time.Second), []news.RateLimit{global, chat}, time.Minute); !ok || w != 0 {
		t.Errorf("third at its time: %v %v", w, ok)
	}
	var w time.Duration
	// 429 global: everybody waits for retry_after.
	if err := s.Hold(ctx, global, now.Add(30*time.Second), now); err != nil {
		t.Fatal(err)
	}
	w, _, _ = s.Reserve(ctx, now, []news.RateLimit{global, {Scope: news.ScopeChat, ID: "11", Interval: time.Second}}, time.Minute)
	if w != 30*time.Second {
		t.Errorf("after hold wait %v, want 30s", w)
	}
}

func TestOutbox_QueuesOfEarlierVersionsAreRenamedWithTheirJobs(t *testing.T) {
	rdb, prefix := storetest.Redis(t)
	s := New(rdb, prefix)
	ctx := context.Background()
	old := s.key("outbox")
	if err := s.rdb.XGroupCreateMkStream(ctx, old, OutboxGroup, "0").Err(); err != nil {
		t.Fatal(err)
	}
	s.rdb.XAdd(ctx, &redis.XAddArgs{Stream: old, Values: jobValues(news.OutboxJob{ChatID: 7, StoryID: "s"})})
	s.rdb.ZAdd(ctx, s.key("outbox", "delayed"), redis.Z{Score: 1, Member: `{"chat":8,"story":"t"}`})
	if err := s.EnsureOutbox(ctx); err != nil {
		t.Fatal(err)
	}
	jobs, err := s.ReadJobs(ctx, "c", 10, 0)
	if err != nil || len(jobs) != 1 || jobs[0].ChatID != 7 {
		t.Errorf("jobs after the rename: %+v %v", jobs, err)
	}
	if n, _ := s.PromoteDue(ctx, time.Now(), 10); n != 1 {
		t.Errorf("delayed jobs after the rename: %d, want 1", n)
	}
}

func TestOutbox_OneSenderAtATimeClaimsAMessage(t *testing.T) {
	s := newDeliveryStore(t)
	ctx := context.Background()
	now := time.Now()
	claim := func(owner string, at time.Time) news.SendClaim {
		t.Helper()
		c, _, err := s.ClaimSend(ctx, 42, "story", owner, at, 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := claim("a", now); c != news.SendClaimed {
		t.Fatalf("first claim: %d", c)
	}
	if c := claim("b", now.Add(time.Second)); c != news.SendBusy {
		t.Errorf("a second sender while the first holds it: %d, want busy", c)
	}
	if c := claim("a", now.Add(time.Second)); c != news.SendClaimed {
		t.Errorf("the holder again: %d, want claimed", c)
	}
	if c := claim("b", now.Add(4*time.Second)); c != news.SendClaimed {
		t.Errorf("after the holder's claim ran out: %d, want claimed", c)
	}
	if err := s.ReleaseSend(ctx, 42, "story", "a"); err != nil {
		t.Fatal(err)
	}
	if c := claim("c", now.Add(4*time.Second)); c != news.SendBusy {
		t.Errorf("a release by a former holder freed b's claim: %d", c)
	}
	if err := s.ReleaseSend(ctx, 42, "story", "b"); err != nil {
		t.Fatal(err)
	}
	if _, sent, _ := s.WasSent(ctx, 42, "story"); sent {
		t.Error("a released claim reads as sent")
	}
	if c := claim("c", now.Add(5*time.Second)); c != news.SendClaimed {
		t.Fatalf("after the release: %d", c)
	}
	if err := s.MarkSent(ctx, 42, "story", 777, time.Hour); err != nil {
		t.Fatal(err)
	}
	if c, id, _ := s.ClaimSend(ctx, 42, "story", "d", now.Add(time.Hour), time.Second); c != news.SendDone || id != 777 {
		t.Errorf("after the send: %d %d, want done with the message id", c, id)
	}
}
