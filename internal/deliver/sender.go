package deliver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/migrawatch/migrawatch/internal/backoff"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/render"
)

// Rate is a number of messages per period.
type Rate struct {
	N   int
	Per time.Duration
}

// SenderConfig tunes a Sender. Zero fields take the defaults, which follow
// the Bot API FAQ: about 30 messages per second for the bot, one per second
// per chat, 20 per minute per group or channel.
type SenderConfig struct {
	// Consumer names this sender in the consumer group; unique per process.
	Consumer string
	// Workers is the number of messages in flight at once (default 8).
	Workers  int
	Global   Rate // default 30/s
	PerChat  Rate // default 1/s
	PerGroup Rate // default 20/min, groups, supergroups and channels
	// Margin widens every interval by this fraction so that network jitter
	// never makes two sends land closer than Telegram counts (default 0.03).
	Margin float64
	// MaxHold is the longest a worker waits for a rate-limit slot; a job that
	// must wait longer goes back to the delayed set (default 2s).
	MaxHold time.Duration
	// MaxAttempts is how many transient failures a job survives before it
	// goes to the dead stream (default 8).
	MaxAttempts int
	// MinBackoff and MaxBackoff bound the exponential backoff with jitter
	// between attempts (defaults 2s and 10m).
	MinBackoff, MaxBackoff time.Duration
	// ClaimIdle is how long a job stays unacknowledged before another sender
	// takes it over (default 1m). A sender that stops hands its unfinished
	// jobs back at once, so this wait only follows a crash.
	ClaimIdle time.Duration
	// Poll is how long a read blocks waiting for jobs, and how often due
	// delayed jobs are promoted (default 500ms).
	Poll time.Duration
	// SentTTL is how long the sent marks that prevent duplicates live (default 7 days).
	SentTTL time.Duration
	Clock   Clock
	Logger  *slog.Logger
	// Figures, when set, counts the deliveries and keeps each chat's last
	// one, for /status and the operators' view.
	Figures DeliveryFigures
	// Observers are told what the sender does (metrics, readiness).
	Observers []Observer
	// Buttons, when set, gives the inline keyboard under an article's
	// message in chat c (the quote archive's "more from" buttons).
	Buttons func(a news.Article, c news.Chat) [][]news.Button
	// Delivered, when set, is told of each article whose message Telegram
	// accepted (digests aside), to archive its quotes; a failure is logged.
	Delivered func(ctx context.Context, a news.Article) error
}

func (c *SenderConfig) defaults() {
	if c.Consumer == "" {
		c.Consumer = "sender-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	}
	if c.Workers <= 0 {
		c.Workers = 8
	}
	if c.Global.N <= 0 {
		c.Global = Rate{30, time.Second}
	}
	if c.PerChat.N <= 0 {
		c.PerChat = Rate{1, time.Second}
	}
	if c.PerGroup.N <= 0 {
		c.PerGroup = Rate{20, time.Minute}
	}
	if c.Margin == 0 {
		c.Margin = 0.03
	}
	if c.MaxHold <= 0 {
		c.MaxHold = 2 * time.Second
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 8
	}
	if c.MinBackoff <= 0 {
		c.MinBackoff = 2 * time.Second
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = 10 * time.Minute
	}
	if c.ClaimIdle <= 0 {
		c.ClaimIdle = time.Minute
	}
	if c.Poll <= 0 {
		c.Poll = 500 * time.Millisecond
	}
	if c.SentTTL <= 0 {
		c.SentTTL = 7 * 24 * time.Hour
	}
	if c.Clock == nil {
		c.Clock = SystemClock{}
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
}

// Sender drains the outbox into Telegram.
type Sender struct {
	tg      Telegram
	outbox  Outbox
	stories Stories
	limiter RateLimiter
	chats   Chats
	cfg     SenderConfig
	pacer   pacer
	journal *journal

	// maintainDone is released when maintain stops feeding the workers.
	maintainDone sync.WaitGroup
	// inflight holds the ids of the jobs this sender is working on, so that
	// taking over idle jobs never hands one of them to a second worker.
	inflight sync.Map
}

// NewSender returns a Sender; Run starts it.
func NewSender(tg Telegram, outbox Outbox, stories Stories, limiter RateLimiter, chats Chats, cfg SenderConfig) *Sender {
	cfg.defaults()
	return &Sender{tg: tg, outbox: outbox, stories: stories, limiter: limiter, chats: chats, cfg: cfg,
		pacer:   pacer{limiter: limiter, global: cfg.Global, perChat: cfg.PerChat, perGroup: cfg.PerGroup, margin: cfg.Margin},
		journal: newJournal()}
}

// Run delivers jobs until ctx ends. It starts with the jobs a previous run
// under the same consumer name left unfinished. When ctx ends, the messages
// in flight are finished and recorded, and the jobs not sent yet are handed
// back to the outbox, so the next sender (this process restarted, or another
// replica) sends them at once. Redis errors are retried with backoff; Run
// returns only when ctx is done.
func (s *Sender) Run(ctx context.Context) error {
	jobs := make(chan news.OutboxJob)
	var wg sync.WaitGroup
	for range s.cfg.Workers {
		wg.Go(func() {
			for j := range jobs {
				s.Process(ctx, j)
			}
		})
	}
	s.maintainDone.Add(1)
	wg.Go(func() { s.maintain(ctx, jobs) })
	s.read(ctx, jobs)
	// read returns when ctx is done; maintain too, then the workers drain.
	wg.Wait()
	s.stop(ctx)
	return ctx.Err()
}

// stop writes back what the journal holds, then hands the unfinished jobs
// back. With marks that could not be written the jobs stay pending instead:
// another sender takes them over after ClaimIdle (the marks are lost with
// the process, so those messages may go twice).
func (s *Sender) stop(ctx context.Context) {
	fctx, cancel := finishing(ctx)
	defer cancel()
	fctx, cancel2 := context.WithTimeout(fctx, 5*time.Second)
	defer cancel2()
	if err := s.journal.flush(fctx, s.outbox, s.cfg.SentTTL); err != nil {
		s.cfg.Logger.Error("sent marks lost at shutdown; their jobs stay pending for a takeover", "count", s.journal.size(), "err", err)
		return
	}
	n, err := s.outbox.HandBack(fctx, s.cfg.Consumer)
	s.observe(EventHandedBack, n, 0)
	if err != nil {
		s.cfg.Logger.Warn("handing back unfinished jobs failed; they stay pending for a takeover", "err", err)
		return
	}
	if n > 0 {
		s.cfg.Logger.Info("unfinished jobs handed back", "count", n)
	}
}

// feed hands jobs to the workers; false when ctx ended.
func feed(ctx context.Context, out chan<- news.OutboxJob, js []news.OutboxJob) bool {
	for _, j := range js {
		select {
		case out <- j:
		case <-ctx.Done():
			return false
		}
	}
	return true
}

// read takes new jobs from the consumer group, as many as there are workers.
func (s *Sender) read(ctx context.Context, out chan<- news.OutboxJob) {
	retry := backoff.New(backoff.Policy{Min: 100 * time.Millisecond, Max: 5 * time.Second}, s.cfg.Clock)
	// First the jobs a previous run under this name did not finish.
	for ctx.Err() == nil {
		js, err := s.outbox.PendingJobs(ctx, s.cfg.Consumer, 100)
		if err != nil {
			s.cfg.Logger.Warn("reading unfinished jobs failed", "err", err)
			_ = retry.Wait(ctx)
			continue
		}
		retry.Reset()
		if len(js) > 0 {
			s.observe(EventResumed, len(js), 0)
			s.cfg.Logger.Info("resuming unfinished jobs", "count", len(js))
		}
		if !feed(ctx, out, js) {
			s.closeWhenMaintained(out)
			return
		}
		break
	}
	for ctx.Err() == nil {
		js, err := s.outbox.ReadJobs(ctx, s.cfg.Consumer, s.cfg.Workers, s.cfg.Poll)
		if err != nil {
			if ctx.Err() == nil {
				s.cfg.Logger.Warn("outbox read failed", "err", err)
				_ = retry.Wait(ctx)
			}
			continue
		}
		retry.Reset()
		if !feed(ctx, out, js) {
			break
		}
	}
	s.closeWhenMaintained(out)
}

// closeWhenMaintained closes the job channel once maintain has stopped
// sending into it.
func (s *Sender) closeWhenMaintained(out chan<- news.OutboxJob) {
	s.maintainDone.Wait()
	close(out)
}

// maintain promotes due delayed jobs and takes over jobs abandoned by dead
// senders.
func (s *Sender) maintain(ctx context.Context, out chan<- news.OutboxJob) {
	defer s.maintainDone.Done()
	lastClaim := time.Time{}
	for ctx.Err() == nil {
		now := s.cfg.Clock.Now()
		if s.journal.size() > 0 {
			if err := s.journal.flush(ctx, s.outbox, s.cfg.SentTTL); err == nil {
				s.cfg.Logger.Info("sent marks kept during a Redis outage written back")
			}
		}
		if _, err := s.outbox.PromoteDue(ctx, now, 1000); err != nil && ctx.Err() == nil {
			s.cfg.Logger.Warn("promote delayed jobs failed", "err", err)
		}
		if now.Sub(lastClaim) >= s.cfg.ClaimIdle/4 {
			lastClaim = now
			js, err := s.outbox.ClaimJobs(ctx, s.cfg.Consumer, s.cfg.ClaimIdle, 100)
			if err != nil && ctx.Err() == nil {
				s.cfg.Logger.Warn("claim abandoned jobs failed", "err", err)
			}
			js = slices.DeleteFunc(js, func(j news.OutboxJob) bool {
				_, busy := s.inflight.Load(j.ID)
				return busy
			})
			if len(js) > 0 {
				s.cfg.Logger.Info("took over abandoned jobs", "count", len(js))
			}
			if !feed(ctx, out, js) {
				return
			}
		}
		_ = s.cfg.Clock.Sleep(ctx, s.cfg.Poll/2)
	}
}

// outcome is what became of a job.
type outcome int

const (
	done    outcome = iota // delivered, or permanently undeliverable: ack
	retry                  // failed transiently: back to the delayed set
	later                  // rate limited for longer than MaxHold: delayed, same attempt
	abandon                // Redis or ctx failed: leave pending for a takeover
	dead                   // can never be delivered: to the dead stream
)

// Process delivers one job and records the outcome: acknowledged once sent
// or permanently undeliverable, moved to the delayed set to be retried, to
// the dead stream after MaxAttempts, or left pending when Redis fails.
func (s *Sender) Process(ctx context.Context, j news.OutboxJob) {
	if _, busy := s.inflight.LoadOrStore(j.ID, true); busy {
		return
	}
	defer s.inflight.Delete(j.ID)
	log := s.cfg.Logger.With("chat_id", j.ChatID, "story_id", j.StoryID)
	oc, at, reason := s.deliver(ctx, &j)
	// Record the outcome even when shutdown began meanwhile: a message that
	// went out must be acknowledged, or the next sender sends it again.
	ctx, cancel := finishing(ctx)
	defer cancel()
	var err error
	switch oc {
	case done:
		if err = s.outbox.AckJob(ctx, j); err != nil {
			// Finished all the same: the journal acknowledges it when Redis
			// is back, and answers for its sent marks until then.
			s.journal.ack(j)
			s.observe(EventJournaled, 1, 0)
			log.Warn("acknowledgement kept until Redis answers", "err", err)
			return
		}
	case later:
		err = s.outbox.RetryJob(ctx, j, at)
	case dead:
		s.observe(EventDead, 1, 0)
		log.Error("message undeliverable", "err", reason)
		err = s.outbox.DeadJob(ctx, j, reason)
	case retry:
		j.Attempt++
		if j.Attempt >= s.cfg.MaxAttempts {
			s.observe(EventDead, 1, 0)
			log.Error("delivery abandoned", "err", reason, "attempts", j.Attempt)
			err = s.outbox.DeadJob(ctx, j, reason)
		} else {
			s.observe(EventRetried, 1, 0)
			err = s.outbox.RetryJob(ctx, j, s.cfg.Clock.Now().Add(s.backoff(j.Attempt)))
		}
	case abandon:
		if ctx.Err() == nil {
			log.Warn("delivery interrupted, job left for takeover", "err", reason)
			_ = s.cfg.Clock.Sleep(ctx, 200*time.Millisecond)
		}
		return
	}
	if err != nil && ctx.Err() == nil {
		log.Warn("outbox update failed, job left for takeover", "err", err)
	}
}

// figures records a delivery to chat for the operators' /status and the
// chat's own; a failure costs a figure, never the message.
func (s *Sender) figures(ctx context.Context, chat int64) {
	if s.cfg.Figures == nil {
		return
	}
	now := s.cfg.Clock.Now()
	if err := s.cfg.Figures.CountDelivery(ctx, now); err != nil {
		s.cfg.Logger.Warn("counting a delivery", "chat_id", chat, "err", err)
	}
	if err := s.cfg.Figures.SetLastDelivery(ctx, chat, now); err != nil {
		s.cfg.Logger.Warn("recording the last delivery", "chat_id", chat, "err", err)
	}
}

// backoff is the wait before attempt n+1: exponential from MinBackoff,
// capped at MaxBackoff, with full jitter over its upper half.
func (s *Sender) backoff(attempt int) time.Duration {
	return backoff.Policy{Min: s.cfg.MinBackoff, Max: s.cfg.MaxBackoff, Jitter: 0.5}.Delay(attempt)
}

// part is one message of a job with the key of its sent mark.
type part struct {
	key string
	msg news.Message
	// art is the article of a single-article message.
	art *news.Article
}

func (s *Sender) deliver(ctx context.Context, j *news.OutboxJob) (outcome, time.Time, string) {
	c, ok, err := s.chat(ctx, j)
	if err != nil {
		return abandon, time.Time{}, err.Error()
	}
	if !ok || !c.Deliverable() {
		return done, time.Time{}, ""
	}
	if j.Digest == nil {
		// Quiet hours are checked again at send time: the chat may have set
		// them after the job was queued, or changed them while it was held.
		if until, quiet := QuietUntil(c.Quiet, location(c.TZ), s.cfg.Clock.Now()); quiet {
			return later, until, ""
		}
	}
	parts, err := s.compose(ctx, *j, c)
	if errors.Is(err, news.ErrStoryExpired) {
		return dead, time.Time{}, "story expired before delivery"
	}
	if err != nil {
		return abandon, time.Time{}, err.Error()
	}
	for _, p := range parts {
		if s.journal.sent(j.ChatID, p.key) {
			s.observe(EventDuplicate, 1, 0)
			continue
		}
		claim, _, err := s.outbox.ClaimSend(ctx, j.ChatID, p.key, s.cfg.Consumer, s.cfg.Clock.Now(), s.cfg.ClaimIdle)
		switch {
		case err != nil:
			return abandon, time.Time{}, err.Error()
		case claim == news.SendDone:
			s.observe(EventDuplicate, 1, 0)
			continue
		case claim == news.SendBusy:
			// A sender this job was taken from is sending it right now (it
			// was slow, not dead): look again once it had time to finish.
			s.observe(EventDuplicate, 1, 0)
			return later, s.cfg.Clock.Now().Add(s.cfg.ClaimIdle / 2), ""
		}
		chat := j.ChatID
		oc, at, reason := s.sendPart(ctx, j, &c, p)
		if oc != done {
			rctx, cancel := finishing(ctx)
			if err := s.outbox.ReleaseSend(rctx, chat, p.key, s.cfg.Consumer); err != nil {
				s.cfg.Logger.Warn("releasing a send claim failed; it expires by itself", "chat_id", chat, "err", err)
			}
			cancel()
			return oc, at, reason
		}
		if p.art != nil && s.cfg.Delivered != nil && c.Status != news.StatusGone {
			if err := s.cfg.Delivered(ctx, *p.art); err != nil && ctx.Err() == nil {
				s.cfg.Logger.Warn("delivered article not archived", "chat_id", c.ID, "story_id", j.StoryID, "err", err)
			}
		}
	}
	return done, time.Time{}, ""
}

// chat loads the job's chat. A group upgraded to a supergroup after the job
// was queued has moved to a new id: the job follows it there.
func (s *Sender) chat(ctx context.Context, j *news.OutboxJob) (news.Chat, bool, error) {
	for range 3 {
		c, ok, err := s.chats.Chat(ctx, j.ChatID)
		if err != nil || ok {
			return c, ok, err
		}
		to, moved, err := s.chats.MigratedTo(ctx, j.ChatID)
		if err != nil || !moved {
			return news.Chat{}, false, err
		}
		s.cfg.Logger.Info("job follows its migrated chat", "chat_id", j.ChatID, "to", to, "story_id", j.StoryID)
		j.ChatID = to
	}
	return news.Chat{}, false, nil
}

// compose renders the job's message(s) for chat c.
func (s *Sender) compose(ctx context.Context, j news.OutboxJob, c news.Chat) ([]part, error) {
	loc := location(c.TZ)
	if j.Digest == nil {
		a, err := s.article(ctx, j.StoryID, j.Article)
		if err != nil {
			return nil, err
		}
		m := render.Article(a, render.Options{Location: loc, Alerts: j.Alerts})
		if s.cfg.Buttons != nil {
			m.Buttons = s.cfg.Buttons(a, c)
		}
		return []part{{key: j.StoryID, msg: m, art: &a}}, nil
	}
	var arts []news.Article
	stories := map[string]bool{}
	for _, ref := range j.Digest {
		id, art, _ := strings.Cut(ref, "/")
		if stories[id] {
			continue // the story came twice (routed by two outlets at once)
		}
		stories[id] = true
		a, err := s.article(ctx, id, art)
		if errors.Is(err, news.ErrStoryExpired) {
			continue
		}
		if err != nil {
			return nil, err
		}
		arts = append(arts, a)
	}
	msgs := render.Digest(arts, render.DigestOptions{Lang: c.UILang, Location: loc, Date: j.EnqueuedAt()})
	parts := make([]part, len(msgs))
	for i, m := range msgs {
		parts[i] = part{key: j.StoryID + "." + strconv.Itoa(i), msg: m}
	}
	return parts, nil
}

func (s *Sender) article(ctx context.Context, storyID, ref string) (news.Article, error) {
	b, err := s.stories.StoryArticle(ctx, storyID, ref)
	if err != nil {
		return news.Article{}, err
	}
	var a news.Article
	if err := json.Unmarshal(b, &a); err != nil {
		return news.Article{}, fmt.Errorf("article %s of story %s: %w", ref, storyID, news.ErrStoryExpired)
	}
	return a, nil
}

// maxLate is how late after its reserved slot a message may still go: two
// thirds of the safety margin over one second, so that late sends crowding
// into a one-second window never reach the limit (with the 3% default, a
// window holds at most 1.02 s worth of slots each 1.03 times apart).
func (s *Sender) maxLate() time.Duration {
	return max(time.Duration(float64(time.Second)*s.cfg.Margin*2/3), time.Millisecond)
}

// limits are the rate limits a news message to chat c falls under.
func (s *Sender) limits(c news.Chat) []news.RateLimit {
	return s.pacer.limits(c.ID, c.Kind, true)
}

// sendPart sends one message within the rate limits, handling Telegram's
// answers: flood waits, migrated groups, rejected markup, gone chats.
func (s *Sender) sendPart(ctx context.Context, j *news.OutboxJob, c *news.Chat, p part) (outcome, time.Time, string) {
	msg := p.msg
	msg.ChatID, msg.ThreadID = c.ID, c.ThreadID
	migrations := 0
	// A job is never held longer than a fraction of ClaimIdle, so no other
	// sender takes it over while this one still works on it.
	deadline := s.cfg.Clock.Now().Add(s.cfg.ClaimIdle / 3)
	for {
		now := s.cfg.Clock.Now()
		wait, ok, err := s.limiter.Reserve(ctx, now, s.limits(*c), s.cfg.MaxHold)
		if err != nil {
			return abandon, time.Time{}, err.Error()
		}
		if !ok && (wait > s.cfg.MaxHold || now.Add(wait).After(deadline)) {
			return later, now.Add(wait), ""
		}
		if err := s.cfg.Clock.Sleep(ctx, wait); err != nil {
			return abandon, time.Time{}, err.Error()
		}
		if !ok {
			continue // the slot was only announced: ask again now
		}
		if late := s.cfg.Clock.Now().Sub(now.Add(wait)); late > s.maxLate() {
			// Woken too late (a pause, a busy machine): sending now could
			// crowd the slots reserved after this one, so give it up.
			s.observe(EventLateSlot, 1, 0)
			continue
		}
		sctx, cancel := finishing(ctx)
		oc, at, reason, again := s.answer(sctx, j, c, &msg, p.key, &migrations, now.Add(wait))
		cancel()
		if !again {
			return oc, at, reason
		}
	}
}

// finishing is a context for work that must complete once started (sending
// a message, recording that it was sent): not cancelled with ctx, bounded.
func finishing(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
}

// answer sends msg and acts on Telegram's answer; again says to send the
// same message once more (after a flood wait, a migration, a markup
// fallback).
func (s *Sender) answer(ctx context.Context, j *news.OutboxJob, c *news.Chat, msg *news.Message, key string, migrations *int, slot time.Time) (oc outcome, at time.Time, reason string, again bool) {
	id, err := s.tg.Send(ctx, *msg)
	var flood *news.RetryAfterError
	var moved *news.ChatMigratedError
	var wait time.Duration
	if errors.As(err, &flood) {
		wait = flood.After
	}
	s.observe(SendResult(err), 1, wait)
	switch {
	case err == nil:
		s.figures(ctx, c.ID)
		if err := s.outbox.MarkSent(ctx, c.ID, key, id, s.cfg.SentTTL); err != nil {
			// The message went: remember it here until Redis takes the mark.
			s.journal.mark(c.ID, key, id)
			s.observe(EventJournaled, 1, 0)
			s.cfg.Logger.Warn("sent mark kept until Redis answers", "chat_id", c.ID, "story_id", j.StoryID, "err", err)
		}
		return done, time.Time{}, "", false
	case ctx.Err() != nil:
		return abandon, time.Time{}, ctx.Err().Error(), false
	case errors.As(err, &flood):
		now := s.cfg.Clock.Now()
		pace, err := s.pacer.flood(ctx, s.limits(*c), flood, slot, now)
		if err != nil {
			return abandon, time.Time{}, err.Error(), false
		}
		s.cfg.Logger.Warn("flood control", "chat_id", c.ID, "retry_after", flood.After, "global", flood.Global, "pace", pace)
		return 0, time.Time{}, "", true
	case errors.As(err, &moved) && *migrations < 3:
		*migrations++
		if err := s.chats.MigrateChat(ctx, c.ID, moved.To); err != nil {
			return abandon, time.Time{}, err.Error(), false
		}
		s.cfg.Logger.Info("chat migrated", "chat_id", c.ID, "to", moved.To)
		c.ID, j.ChatID, msg.ChatID = moved.To, moved.To, moved.To
		if c.Kind == news.ChatGroup {
			c.Kind = news.ChatSupergroup
		}
		return 0, time.Time{}, "", true
	case errors.Is(err, news.ErrBadMarkup) && msg.HTML:
		s.cfg.Logger.Error("markup rejected, resending as plain text", "chat_id", c.ID, "story_id", j.StoryID, "err", err)
		msg.Text, msg.HTML = render.PlainText(msg.Text), false
		return 0, time.Time{}, "", true
	case errors.Is(err, news.ErrChatGone):
		c.Status = news.StatusGone
		if err := s.chats.SetChatStatus(ctx, c.ID, news.StatusGone); err != nil {
			return abandon, time.Time{}, err.Error(), false
		}
		s.cfg.Logger.Info("chat gone, paused", "chat_id", c.ID)
		return done, time.Time{}, "", false
	case errors.Is(err, news.ErrBadMarkup), errors.Is(err, news.ErrTooLong), errors.As(err, &moved):
		return dead, time.Time{}, err.Error(), false
	default:
		return retry, time.Time{}, err.Error(), false
	}
}
