package deliver_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/migrawatch/migrawatch/internal/deliver"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
	"github.com/migrawatch/migrawatch/internal/telegram/telegramtest"
)

const (
	private  = int64(101)
	group    = int64(-1002)
	channel  = int64(-1003)
	stranger = int64(104)
)

func TestDeliver_SeedReachesPrivateGroupAndChannelNotUnrelated(t *testing.T) {
	e := newEnv(t)
	e.chat(news.Chat{ID: private, TZ: "Africa/Casablanca"}, seedFeed)
	e.chat(news.Chat{ID: group, Kind: news.ChatSupergroup, Title: "Migration desk"}, seedFeed)
	e.chat(news.Chat{ID: channel, Kind: news.ChatChannel, Title: "MigraNews"}, seedFeed)
	e.chat(news.Chat{ID: stranger}, "lemonde-fr")
	e.chat(news.Chat{ID: 105, Langs: []string{"fr"}}, seedFeed)         // reads French only
	e.chat(news.Chat{ID: 106, Paused: true}, seedFeed)                  // paused
	e.chat(news.Chat{ID: 107, Status: news.StatusGone}, seedFeed)       // blocked the bot
	e.chat(news.Chat{ID: 108, Topics: []string{"migration"}})           // topic subscriber
	e.chat(news.Chat{ID: 109, Topics: []string{"migration"}}, seedFeed) // topic, feed and alert
	e.alerts = func(a news.Article) []news.AlertMatch {
		return []news.AlertMatch{{ChatID: 109, AlertID: "1", Query: "أكادير"}, {ChatID: 109, AlertID: "2", Query: "OIM OR IOM"}}
	}
	e.start(nil, nil, e.senderConfig())

	a := seedArticle(t)
	r := e.route(a)
	if r.Queued != 5 {
		t.Errorf("queued for %d chats, want 5 (private, group, channel, topic, topic+alert)", r.Queued)
	}
	for _, chat := range []int64{private, group, channel, 108, 109} {
		m := e.waitSent(chat, 1)[0]
		if m.ParseMode != "HTML" {
			t.Errorf("chat %d: parse mode %q", chat, m.ParseMode)
		}
		if _, err := telegramtest.ParseHTML(m.Raw); err != nil {
			t.Errorf("chat %d: fake's validation: %v", chat, err)
		}
		if !strings.Contains(m.Raw, "<b>"+a.Title+"</b>") || !strings.Contains(m.Text, "لورا بالاتيني") || !strings.Contains(m.Raw, `">اقرأ المقال</a>`) {
			t.Errorf("chat %d: message lacks headline, speaker or link:\n%s", chat, m.Raw)
		}
		if m.PreviewURL != a.Link {
			t.Errorf("chat %d: preview %q, want the article", chat, m.PreviewURL)
		}
	}
	if m := e.srv.Sent(109)[0]; !strings.Contains(m.Text, "تنبيه: أكادير") || !strings.Contains(m.Text, "OIM OR IOM") {
		t.Errorf("alert tags missing:\n%s", m.Text)
	}
	for _, chat := range []int64{stranger, 105, 106, 107} {
		e.expectExactly(chat, 0, 0)
	}
	// Routed again (a second poll, a second replica): nobody gets it twice.
	if r := e.route(a); r.Queued != 0 {
		t.Errorf("second route queued %d", r.Queued)
	}
	e.expectExactly(109, 1, 300*time.Millisecond)
}

func TestRouter_ReprintJoinsStoryAlsoReportedBy(t *testing.T) {
	e := newEnv(t)
	e.chat(news.Chat{ID: 201}, seedFeed, "hespress-ar") // both outlets
	e.chat(news.Chat{ID: 202}, "hespress-ar")           // only the reprint's outlet
	e.start(nil, nil, e.senderConfig())

	orig := seedArticle(t)
	first := e.route(orig)
	reprint := orig
	reprint.FeedID, reprint.SourceName = "hespress-ar", "Hespress"
	reprint.Key, reprint.Link = "https://www.hespress.com/iom-agadir", "https://www.hespress.com/iom-agadir"
	reprint.Title = "عاجل: " + orig.Title
	reprint.Text = "الرباط (و م ع) - " + orig.Text
	second := e.route(reprint)
	if !second.Joined || second.StoryID != first.StoryID {
		t.Fatalf("reprint not joined: %+v vs %+v", second, first)
	}
	e.waitSent(202, 1)
	e.expectExactly(201, 1, 300*time.Millisecond)
	if m := e.srv.Sent(202)[0]; !strings.Contains(m.Text, "أوردته أيضا: \u200e2M.ma") || !strings.Contains(m.Raw, "hespress.com") {
		t.Errorf("reprint message lacks 'also reported by 2M.ma':\n%s", m.Text)
	}
	// A different story on the same subject is not merged.
	other := numbered("hespress-ar", 1)
	if r := e.route(other); r.Joined {
		t.Errorf("unrelated article joined story %s", r.StoryID)
	}
}

func TestSender_Waits429RetryAfterAndDelivers(t *testing.T) {
	storetest.Parallel(t)
	e := newEnv(t)
	e.chat(news.Chat{ID: private}, seedFeed)
	e.chat(news.Chat{ID: 102}, seedFeed)
	e.srv.FailNext(private, 1, 429) // retry_after 1
	s, _ := e.start(nil, nil, e.senderConfig())
	start := time.Now()
	e.route(seedArticle(t))
	m := e.waitSent(private, 1)[0]
	if m.Time.Sub(start) < time.Second {
		t.Errorf("resent %v after the 429, before retry_after (1s)", m.Time.Sub(start))
	}
	e.waitSent(102, 1)
	e.expectExactly(private, 1, 200*time.Millisecond)
	if st := s.Stats(); st.FloodWaits != 1 || st.Sent != 2 || st.Dead != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestSender_BlockedChatPausedOthersUnaffected(t *testing.T) {
	e := newEnv(t)
	e.chat(news.Chat{ID: private}, seedFeed)
	e.chat(news.Chat{ID: 102}, seedFeed)
	e.srv.Block(private)
	e.start(nil, nil, e.senderConfig())
	e.route(seedArticle(t))
	e.route(numbered(seedFeed, 2))
	e.waitSent(102, 2)
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, _, _ := e.st.Chat(context.Background(), private)
		if c.Status == news.StatusGone {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("blocked chat status %q, want gone", c.Status)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if st, _ := e.st.Outbox(context.Background()); st.Dead != 0 {
		t.Errorf("%d dead jobs for a blocked chat", st.Dead)
	}
	// The chat is paused, not deleted: its subscription is still there.
	if subs, _ := e.st.FeedSubscribers(context.Background(), seedFeed); !slices.Contains(subs, private) {
		t.Errorf("blocked chat lost its subscription")
	}
}

func TestSender_MigratedGroupDeliveredToNewID(t *testing.T) {
	e := newEnv(t)
	const old, super = int64(-5001), int64(-1005001)
	e.chat(news.Chat{ID: old, Kind: news.ChatGroup, Title: "Old group"}, seedFeed)
	e.srv.Migrate(old, super)
	s, _ := e.start(nil, nil, e.senderConfig())
	e.route(seedArticle(t))
	m := e.waitSent(super, 1)[0]
	if !strings.Contains(m.Text, "لورا بالاتيني") {
		t.Errorf("migrated message: %s", m.Text)
	}
	ctx := context.Background()
	c, ok, _ := e.st.Chat(ctx, super)
	if !ok || c.Kind != news.ChatSupergroup {
		t.Errorf("new chat %+v (found %v), want the moved supergroup", c, ok)
	}
	if _, ok, _ := e.st.Chat(ctx, old); ok {
		t.Errorf("old chat still stored")
	}
	if subs, _ := e.st.FeedSubscribers(ctx, seedFeed); !slices.Equal(subs, []int64{super}) {
		t.Errorf("subscribers %v, want the new id", subs)
	}
	if s.Stats().Migrated != 1 {
		t.Errorf("stats %+v", s.Stats())
	}
	// The next story goes straight to the new id.
	e.route(numbered(seedFeed, 3))
	e.waitSent(super, 2)
}

func TestSender_5xxBurstRetriedWithBackoff(t *testing.T) {
	e := newEnv(t)
	e.chat(news.Chat{ID: private}, seedFeed)
	e.srv.FailNext(private, 3, 502)
	s, _ := e.start(nil, nil, e.senderConfig())
	e.route(seedArticle(t))
	e.waitSent(private, 1)
	e.expectExactly(private, 1, 200*time.Millisecond)
	if st := s.Stats(); st.Retried != 3 || st.Dead != 0 {
		t.Errorf("stats %+v, want 3 retries", st)
	}
}

func TestSender_GivesUpAfterMaxAttemptsToDeadStream(t *testing.T) {
	e := newEnv(t)
	e.chat(news.Chat{ID: private}, seedFeed)
	e.srv.FailNext(private, 100, 500)
	cfg := e.senderConfig()
	cfg.MaxAttempts = 3
	s, _ := e.start(nil, nil, cfg)
	e.route(seedArticle(t))
	deadline := time.Now().Add(10 * time.Second)
	for s.Stats().Dead == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	// The counter moves just before the dead stream is written.
	var jobs []news.OutboxJob
	var reasons []string
	var err error
	for {
		jobs, reasons, err = e.st.DeadJobs(context.Background(), 10)
		if len(jobs) > 0 || err != nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil || len(jobs) != 1 || jobs[0].ChatID != private || jobs[0].Attempt != 3 || reasons[0] == "" {
		t.Fatalf("dead jobs %+v %q %v", jobs, reasons, err)
	}
	if st, _ := e.st.Outbox(context.Background()); st.Pending != 0 || st.Delayed != 0 {
		t.Errorf("job still queued after giving up: %+v", st)
	}
}

// corruptingTelegram breaks the markup of the first HTML message, as a
// rendering bug would.
type corruptingTelegram struct {
	deliver.Telegram
	done atomic.Bool
}

func (c *corruptingTelegram) Send(ctx context.Context, m news.Message) (int, error) {
	if m.HTML && c.done.CompareAndSwap(false, true) {
		m.Text = "<b>" + m.Text
	}
	return c.Telegram.Send(ctx, m)
}

func TestSender_CantParseEntitiesFallsBackToPlainText(t *testing.T) {
	e := newEnv(t)
	e.chat(news.Chat{ID: private}, seedFeed)
	s, _ := e.start(&corruptingTelegram{Telegram: e.tg}, nil, e.senderConfig())
	a := seedArticle(t)
	e.route(a)
	m := e.waitSent(private, 1)[0]
	if m.ParseMode != "" || !strings.Contains(m.Text, a.Title) || strings.Contains(m.Text, "<b>") {
		t.Errorf("fallback message: mode %q\n%s", m.ParseMode, m.Text)
	}
	if st := s.Stats(); st.BadMarkup != 1 || st.Dead != 0 {
		t.Errorf("stats %+v", st)
	}
}

// killedProcess simulates kill -9 of a sender right after Telegram
// accepted its n-th message: from then on none of its writes reach Redis.
type killedProcess struct {
	deliver.Telegram
	deliver.Outbox
	n      int32
	count  atomic.Int32
	killed atomic.Bool
}

var errKilled = errors.New("process killed")

func (k *killedProcess) Send(ctx context.Context, m news.Message) (int, error) {
	if k.killed.Load() {
		return 0, errKilled
	}
	id, err := k.Telegram.Send(ctx, m)
	if err == nil && k.count.Add(1) == k.n {
		k.killed.Store(true)
	}
	return id, err
}

func (k *killedProcess) MarkSent(ctx context.Context, chat int64, story string, id int, ttl time.Duration) error {
	if k.killed.Load() {
		return errKilled
	}
	return k.Outbox.MarkSent(ctx, chat, story, id, ttl)
}

func (k *killedProcess) AckJob(ctx context.Context, j news.OutboxJob) error {
	if k.killed.Load() {
		return errKilled
	}
	return k.Outbox.AckJob(ctx, j)
}

func (k *killedProcess) RetryJob(ctx context.Context, j news.OutboxJob, at time.Time) error {
	if k.killed.Load() {
		return errKilled
	}
	return k.Outbox.RetryJob(ctx, j, at)
}

func (k *killedProcess) ReadJobs(ctx context.Context, consumer string, n int, block time.Duration) ([]news.OutboxJob, error) {
	if k.killed.Load() {
		return nil, errKilled
	}
	return k.Outbox.ReadJobs(ctx, consumer, n, block)
}

func (k *killedProcess) ClaimSend(ctx context.Context, chat int64, story, owner string, now time.Time, ttl time.Duration) (news.SendClaim, int, error) {
	if k.killed.Load() {
		return 0, 0, errKilled
	}
	return k.Outbox.ClaimSend(ctx, chat, story, owner, now, ttl)
}

func (k *killedProcess) HandBack(ctx context.Context, consumer string) (int, error) {
	if k.killed.Load() {
		return 0, errKilled
	}
	return k.Outbox.HandBack(ctx, consumer)
}

func (k *killedProcess) ClaimJobs(ctx context.Context, consumer string, idle time.Duration, n int) ([]news.OutboxJob, error) {
	if k.killed.Load() {
		return nil, errKilled
	}
	return k.Outbox.ClaimJobs(ctx, consumer, idle, n)
}

func TestSender_KilledBetweenSendAndAckRestartDeliversAllAtMostOneDuplicate(t *testing.T) {
	storetest.Parallel(t)
	e := newEnv(t)
	e.chat(news.Chat{ID: private}, seedFeed)
	const stories = 6
	cfg := e.senderConfig()
	cfg.Workers = 1
	k := &killedProcess{Telegram: e.tg, Outbox: e.st, n: 3}
	_, stop := e.start(k, k, withConsumer(cfg, "first"))
	for i := range stories {
		e.route(numbered(seedFeed, i))
	}
	e.waitSent(private, 3)
	time.Sleep(100 * time.Millisecond)
	stop()
	if got := len(e.srv.Sent(private)); got != 3 {
		t.Fatalf("killed sender sent %d messages, want 3", got)
	}
	// A new process takes over the dead consumer's pending job, once the
	// dead one's claim on the message in flight has expired: that message
	// goes a second time (the dead process sent it and recorded nothing).
	e.start(nil, nil, withConsumer(cfg, "second"))
	e.waitSent(private, stories+1)
	time.Sleep(600 * time.Millisecond)
	msgs := e.srv.Sent(private)
	titles := map[string]int{}
	for _, m := range msgs {
		titles[strings.SplitN(m.Text, "\n", 2)[0]]++
	}
	if len(titles) != stories {
		t.Errorf("%d distinct stories delivered, want %d", len(titles), stories)
	}
	if dup := len(msgs) - len(titles); dup != 1 {
		t.Errorf("%d duplicates, want exactly the one in flight when killed", dup)
	}
}

func TestSender_GracefulRestartNoDuplicate(t *testing.T) {
	storetest.Parallel(t)
	e := newEnv(t)
	e.chat(news.Chat{ID: private}, seedFeed)
	const stories = 6
	cfg := e.senderConfig()
	cfg.PerChat = deliver.Rate{N: 5, Per: time.Second}
	_, stop := e.start(nil, nil, withConsumer(cfg, "first"))
	for i := range stories {
		e.route(numbered(seedFeed, i))
	}
	e.waitSent(private, 2)
	stop() // mid-run: jobs waiting for their rate-limit slot stay pending
	e.start(nil, nil, withConsumer(cfg, "second"))
	e.waitSent(private, stories)
	e.expectExactly(private, stories, 700*time.Millisecond)
}

// ackFailingOutbox loses the first acknowledgement: the process died after
// recording the send and before XACK.
type ackFailingOutbox struct {
	deliver.Outbox
	failed atomic.Bool
}

func (o *ackFailingOutbox) AckJob(ctx context.Context, j news.OutboxJob) error {
	if o.failed.CompareAndSwap(false, true) {
		return errors.New("connection reset")
	}
	return o.Outbox.AckJob(ctx, j)
}

func TestSender_LostAckAfterSentMarkGivesNoDuplicate(t *testing.T) {
	e := newEnv(t)
	e.chat(news.Chat{ID: private}, seedFeed)
	s, _ := e.start(nil, &ackFailingOutbox{Outbox: e.st}, e.senderConfig())
	e.route(seedArticle(t))
	e.waitSent(private, 1)
	// The sender keeps the acknowledgement it could not write and writes it
	// back: the job is finished without a takeover or a second send.
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, _ := e.st.Outbox(context.Background())
		if st.Pending == 0 && st.Length == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("job never acknowledged: %+v", st)
		}
		time.Sleep(50 * time.Millisecond)
	}
	e.expectExactly(private, 1, 100*time.Millisecond)
	if st := s.Stats(); st.Journaled != 1 || st.Sent != 1 {
		t.Errorf("stats %+v: want the lost acknowledgement kept and written back", st)
	}
}

func TestSender_RedisRestartedMidRunNothingLost(t *testing.T) {
	storetest.Parallel(t)
	mr, _ := storetestMiniredis(t)
	// ContextTimeoutEnabled: a read blocked on the stopped server ends at
	// its context deadline instead of the read timeout plus 10s.
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr(), ContextTimeoutEnabled: true, MaxRetries: -1})
	t.Cleanup(func() { _ = rdb.Close() })
	e := newEnvWith(t, rdb, "mw:")
	e.chat(news.Chat{ID: private}, seedFeed)
	e.chat(news.Chat{ID: 102}, seedFeed)
	cfg := e.senderConfig()
	cfg.PerChat = deliver.Rate{N: 10, Per: time.Second}
	e.start(nil, nil, cfg)
	const stories = 12
	for i := range stories {
		e.route(numbered(seedFeed, i))
	}
	e.waitSent(private, 3)
	mr.Close()
	time.Sleep(300 * time.Millisecond)
	if err := mr.Restart(); err != nil {
		t.Fatal(err)
	}
	for _, chat := range []int64{private, 102} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err := e.srv.WaitSent(ctx, chat, stories)
		cancel()
		if err != nil {
			st, serr := e.st.Outbox(context.Background())
			t.Fatalf("chat %d: %v; outbox %+v %v", chat, err, st, serr)
		}
		time.Sleep(500 * time.Millisecond)
		titles := map[string]bool{}
		msgs := e.srv.Sent(chat)
		for _, m := range msgs {
			titles[strings.SplitN(m.Text, "\n", 2)[0]] = true
		}
		if len(titles) != stories {
			t.Errorf("chat %d: %d distinct stories, want %d", chat, len(titles), stories)
		}
		if dup := len(msgs) - len(titles); dup > cfg.Workers {
			t.Errorf("chat %d: %d duplicates, more than the jobs in flight", chat, dup)
		}
	}
}

func TestRouter_QuietHoursDeferToTheirEnd(t *testing.T) {
	e := newEnv(t)
	now := time.Now().UTC()
	from := now.Add(-time.Hour).Format("15:04")
	to := now.Add(time.Hour).Format("15:04")
	e.chat(news.Chat{ID: private, TZ: "UTC", Quiet: from + "-" + to}, seedFeed)
	e.chat(news.Chat{ID: 102}, seedFeed)
	e.start(nil, nil, e.senderConfig())
	e.route(seedArticle(t))
	e.waitSent(102, 1)
	e.expectExactly(private, 0, 300*time.Millisecond)
	if st, _ := e.st.Outbox(context.Background()); st.Delayed != 1 {
		t.Errorf("stats %+v, want the quiet chat's job delayed", st)
	}
	e.clock.Advance(time.Hour + time.Minute)
	e.waitSent(private, 1)
}

func TestDigester_OneDigestAtDigestTimeEmptySendsNothing(t *testing.T) {
	e := newEnv(t)
	loc, _ := time.LoadLocation("Africa/Casablanca")
	digestAt := time.Now().In(loc).Add(2 * time.Hour).Format("15:04")
	e.chat(news.Chat{ID: private, Mode: news.ModeDigest, DigestAt: digestAt, TZ: "Africa/Casablanca", UILang: "fr"}, seedFeed)
	e.chat(news.Chat{ID: 102}, seedFeed)
	e.start(nil, nil, e.senderConfig())
	d := deliver.NewDigester(e.st, deliver.DigesterConfig{Clock: e.clock})
	ctx := context.Background()

	arts := []news.Article{seedArticle(t), numbered(seedFeed, 1), numbered(seedFeed, 2)}
	for _, a := range arts {
		e.route(a)
	}
	e.waitSent(102, 3)
	if n, err := d.Tick(ctx); n != 0 || err != nil {
		t.Errorf("before digest time: %d digests, %v", n, err)
	}
	e.expectExactly(private, 0, 100*time.Millisecond)

	e.clock.Advance(2*time.Hour + time.Minute)
	if n, err := d.Tick(ctx); n != 1 || err != nil {
		t.Fatalf("at digest time: %d digests, %v", n, err)
	}
	m := e.waitSent(private, 1)[0]
	if _, err := telegramtest.ParseHTML(m.Raw); err != nil {
		t.Errorf("digest HTML: %v", err)
	}
	for _, a := range arts {
		if !strings.Contains(m.Text, a.Title) {
			t.Errorf("digest lacks %q:\n%s", a.Title, m.Text)
		}
	}
	if !strings.HasPrefix(m.Text, "📰 Revue de presse migrations") {
		t.Errorf("digest header not in the chat's language: %q", strings.SplitN(m.Text, "\n", 2)[0])
	}
	// Nothing new since: the next digest time sends nothing.
	e.clock.Advance(24 * time.Hour)
	if n, _ := d.Tick(ctx); n != 0 {
		t.Errorf("empty digest queued %d", n)
	}
	e.expectExactly(private, 1, 300*time.Millisecond)
}

func withConsumer(cfg deliver.SenderConfig, name string) deliver.SenderConfig {
	cfg.Consumer = name
	return cfg
}
