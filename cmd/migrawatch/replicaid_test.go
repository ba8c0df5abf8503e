package main

import (
	"context"
	"os"
	"testing"
	"time"
)

// A replica run under a stable redis.replica_id and killed with SIGKILL
// while it sends takes its unfinished jobs back as soon as it is restarted
// under that name: claim_idle is ten minutes here, so every job it held
// reaching its chat within the test's stall bound is that resume.
func TestReplicas_RestartedUnderItsReplicaIDResumesItsJobsAfterAKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs two processes one after the other")
	}
	if os.Getenv("REDIS_URL") == "" {
		t.Skip("needs a real Redis: set REDIS_URL (.ci/run does)")
	}
	h := newReplicaHarness(t, "", nil)
	h.stories = 20
	if err := os.WriteFile(h.config, []byte(h.feeds.config(10*time.Minute)), 0o600); err != nil {
		t.Fatal(err)
	}
	chats := h.seedChats(t)
	const id = "MIGRAWATCH_REPLICA_ID=bot-a"
	first := h.launch(t, "first", id)
	h.replicas = append(h.replicas, first)
	first.waitHealthy(t, 30*time.Second)
	h.waitFirstPolls(t, 30*time.Second)

	publishStarted := time.Now()
	ctx, stopPublishing := context.WithCancel(context.Background())
	publishing := make(chan struct{})
	go func() { defer close(publishing); h.feeds.publish(ctx, h.stories, publishOver) }()
	t.Cleanup(func() { stopPublishing(); <-publishing })
	h.waitSends(t, len(chats)*h.stories/10)

	// From now on the first process's sends hang; kill it while they do.
	first.proxy.holdSends()
	deadline := time.Now().Add(10 * time.Second)
	for first.proxy.inFlightSends() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	held := first.proxy.inFlightSends()
	if held == 0 {
		t.Fatal("no send in flight to kill the process in")
	}
	killedAt := time.Now()
	if err := first.kill(); err != nil {
		t.Fatalf("kill -9: %v", err)
	}
	out, err := h.store.Outbox(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("killed with SIGKILL holding %d sends; %d jobs pending in the outbox", held, out.Pending)
	if out.Pending == 0 {
		t.Fatal("the killed process left no pending job: nothing to resume")
	}

	restarted := time.Now()
	second := h.launch(t, "restarted", id)
	h.replicas = append(h.replicas, second)
	second.waitHealthy(t, 30*time.Second)
	h.waitDelivered(t, chats, publishStarted)
	if t.Failed() {
		return
	}
	t.Logf("every story in every chat %s after the restart (claim_idle 10m)", time.Since(restarted).Round(time.Millisecond))
	// Only what the killed process sent just before it died, and could not
	// record, may come twice (as after any kill -9); the held sends never
	// reached Telegram.
	h.checkDuplicates(t, h.collect(chats), first, killedAt, held, second, restarted)
	if out, err := h.store.Outbox(context.Background()); err != nil || out.Pending != 0 {
		t.Errorf("outbox %+v (%v) after delivery, want nothing pending", out, err)
	}
}
