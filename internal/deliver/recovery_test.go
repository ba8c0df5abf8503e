package deliver_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/deliver"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
)

// slowTelegram answers after a delay, as Telegram does (about 250 ms), so
// that sends are in flight when something breaks.
type slowTelegram struct {
	deliver.Telegram
	delay time.Duration
}

func (s slowTelegram) Send(ctx context.Context, m news.Message) (int, error) {
	time.Sleep(s.delay)
	return s.Telegram.Send(ctx, m)
}

// titles counts the distinct first lines among messages.
func distinct(msgs []string) int {
	seen := map[string]bool{}
	for _, m := range msgs {
		seen[strings.SplitN(m, "\n", 2)[0]] = true
	}
	return len(seen)
}

func texts(e *env, chat int64) []string {
	var out []string
	for _, m := range e.srv.Sent(chat) {
		out = append(out, m.Text)
	}
	return out
}

// A real redis-server (the test's own, on a free port, persisting every
// write) is killed mid-delivery and restarted a second later: the messages
// in flight went out, their sent marks are kept in memory and written back
// when Redis returns, and nothing is sent twice or lost.
func TestSender_RealRedisRestartedMidDeliveryNoDuplicate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs its own redis-server")
	}
	storetest.Parallel(t)
	srv := storetest.NewServer(t)
	e := newEnvWith(t, srv.Client(t), "mw:")
	chats := []int64{private, 102, 103, 104}
	for _, c := range chats {
		e.chat(news.Chat{ID: c}, seedFeed)
	}
	cfg := e.senderConfig()
	cfg.Workers = 8
	cfg.PerChat = deliver.Rate{N: 4, Per: time.Second}
	cfg.ClaimIdle = 2 * time.Second
	s, _ := e.start(slowTelegram{e.tg, 250 * time.Millisecond}, nil, cfg)
	const stories = 12
	for i := range stories {
		e.route(numbered(seedFeed, i))
	}
	e.waitSent(private, 3)
	srv.Stop() // kill -9 of Redis with sends in flight
	time.Sleep(time.Second)
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	dups := 0
	for _, c := range chats {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, err := e.srv.WaitSent(ctx, c, stories)
		cancel()
		if err != nil {
			t.Fatalf("chat %d: %v", c, err)
		}
	}
	time.Sleep(3 * time.Second) // a takeover (ClaimIdle 2s) would show as a duplicate
	for _, c := range chats {
		got := texts(e, c)
		if n := distinct(got); n != stories {
			t.Errorf("chat %d: %d distinct stories, want %d", c, n, stories)
		}
		dups += len(got) - distinct(got)
	}
	st := s.Stats()
	t.Logf("Redis killed and restarted mid-delivery: %d duplicates of %d messages; %d sent marks or acknowledgements kept in memory and written back",
		dups, stories*len(chats), st.Journaled)
	if dups != 0 {
		t.Errorf("%d duplicates after the Redis restart, want none", dups)
	}
	if st.Journaled == 0 {
		t.Errorf("no send was in flight when Redis died: the test did not test the outage (stats %+v)", st)
	}
}

// A sender stopped mid-run (SIGTERM) hands its unfinished jobs back; the next
// sender, under another name, sends them at once instead of after ClaimIdle.
func TestSender_StoppedSenderHandsBackJobsResumedAtOnce(t *testing.T) {
	storetest.Parallel(t)
	e := newEnv(t)
	e.chat(news.Chat{ID: private}, seedFeed)
	cfg := e.senderConfig()
	cfg.PerChat = deliver.Rate{N: 4, Per: time.Second}
	cfg.ClaimIdle = time.Minute
	first, stop := e.start(nil, nil, withConsumer(cfg, "replica-a-1"))
	const stories = 8
	for i := range stories {
		e.route(numbered(seedFeed, i))
	}
	e.waitSent(private, 2)
	stop()
	sentBefore := len(e.srv.Sent(private))
	restarted := time.Now()
	e.start(nil, nil, withConsumer(cfg, "replica-a-2"))
	msgs := e.waitSent(private, stories)
	resume := msgs[sentBefore].Time.Sub(restarted)
	t.Logf("restart resume: first unfinished job sent %s after the new sender started (claim_idle %s); %d handed back",
		resume.Round(time.Millisecond), cfg.ClaimIdle, first.Stats().HandedBack)
	if first.Stats().HandedBack == 0 {
		t.Errorf("the stopped sender handed nothing back (stats %+v)", first.Stats())
	}
	if resume > 2*time.Second {
		t.Errorf("unfinished jobs resumed after %s, want at once (well under claim_idle %s)", resume, cfg.ClaimIdle)
	}
	e.expectExactly(private, stories, 500*time.Millisecond)
}

// A sender killed (no hand-back) and restarted under the same stable name
// (SenderConfig.Consumer) resumes its own pending jobs at once.
func TestSender_RestartUnderItsStableNameResumesPendingJobsAtOnce(t *testing.T) {
	e := newEnv(t)
	e.chat(news.Chat{ID: private}, seedFeed)
	cfg := e.senderConfig()
	cfg.Workers = 1
	cfg.ClaimIdle = time.Minute
	k := &killedProcess{Telegram: e.tg, Outbox: e.st, n: 2}
	_, stop := e.start(k, k, withConsumer(cfg, "replica-b"))
	const stories = 5
	for i := range stories {
		e.route(numbered(seedFeed, i))
	}
	e.waitSent(private, 2)
	time.Sleep(100 * time.Millisecond)
	stop()
	restarted := time.Now()
	s, _ := e.start(nil, nil, withConsumer(cfg, "replica-b"))
	// The second message went out and the process died before recording
	// it: that one job comes again, so stories+1 messages in all.
	msgs := e.waitSent(private, stories+1)
	resume := msgs[2].Time.Sub(restarted)
	t.Logf("restart under the same name after a kill: pending jobs resumed %s after start (claim_idle %s)", resume.Round(time.Millisecond), cfg.ClaimIdle)
	if resume > 2*time.Second || s.Stats().Resumed == 0 {
		t.Errorf("resumed after %s with stats %+v; want the pending jobs taken up at once", resume, s.Stats())
	}
	got := texts(e, private)
	if distinct(got) != stories || len(got)-distinct(got) > 1 {
		t.Errorf("%d messages, %d distinct; want every story, at most the one in flight twice", len(got), distinct(got))
	}
}

// News queued for a group that Telegram upgraded to a supergroup, and whose
// keys moved to the new id before the jobs were sent, follows the chat
// there instead of being acknowledged as done and lost.
func TestSender_JobsQueuedForAMigratedGroupFollowItToTheNewID(t *testing.T) {
	e := newEnv(t)
	const old, super = int64(-5002), int64(-1005002)
	e.chat(news.Chat{ID: old, Kind: news.ChatGroup, Title: "Old group"}, seedFeed)
	for i := range 3 {
		e.route(numbered(seedFeed, i))
	}
	// The bot handles the migration update before the sender gets the jobs.
	if err := e.st.MigrateChat(context.Background(), old, super); err != nil {
		t.Fatal(err)
	}
	e.srv.Migrate(old, super)
	e.start(nil, nil, e.senderConfig())
	e.waitSent(super, 3)
	e.expectExactly(super, 3, 300*time.Millisecond)
	e.expectExactly(old, 0, 0)
	if st, _ := e.st.Outbox(context.Background()); st.Pending != 0 || st.Length != 0 || st.Dead != 0 {
		t.Errorf("outbox %+v after the jobs followed the chat", st)
	}
}

// /quiet off (the chat saved without quiet hours) releases the messages held
// for quiet hours at once instead of at the old end time.
func TestSender_QuietOffReleasesHeldMessages(t *testing.T) {
	e := newEnv(t)
	now := time.Now().UTC()
	quiet := now.Add(-time.Hour).Format("15:04") + "-" + now.Add(2*time.Hour).Format("15:04")
	e.chat(news.Chat{ID: private, TZ: "UTC", Quiet: quiet}, seedFeed)
	e.start(nil, nil, e.senderConfig())
	e.route(numbered(seedFeed, 1))
	e.route(numbered(seedFeed, 2))
	e.expectExactly(private, 0, 300*time.Millisecond)
	ctx := context.Background()
	c, _, _ := e.st.Chat(ctx, private)
	c.Quiet = ""
	released := time.Now()
	if err := e.st.SaveChat(ctx, c); err != nil {
		t.Fatal(err)
	}
	msgs := e.waitSent(private, 2)
	if d := msgs[1].Time.Sub(released); d > 3*time.Second {
		t.Errorf("held messages came %s after /quiet off", d)
	}
	// Quiet hours set again while a message waits hold it again at send time.
	c.Quiet = quiet
	if err := e.st.SaveChat(ctx, c); err != nil {
		t.Fatal(err)
	}
	e.route(numbered(seedFeed, 3))
	e.expectExactly(private, 2, 300*time.Millisecond)
}
