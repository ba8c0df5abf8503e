// Package deliver takes understood articles to the chats that want them. The
// Router decides who gets a new article (feed and topic subscriptions,
// keyword alerts, language and pause settings, quiet hours, digests), merges
// reprints of one story across outlets, and queues one job per chat and story
// in the Redis outbox. Senders drain the outbox within Telegram's rate limits
// shared by every replica, and acknowledge a job only once it is delivered or
// can never be; the Digester sends each digest chat its stories at its time.
package deliver

import (
	"context"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
)

// Telegram sends one message and returns its id. Errors are the sender
// errors of package news (wrapped): ErrChatGone, ErrBadMarkup, ErrTooLong,
// *RetryAfterError, *ChatMigratedError, anything else being transient.
type Telegram interface {
	Send(ctx context.Context, m news.Message) (int, error)
}

// AlertMatcher finds the chats' keyword alerts that match an article.
type AlertMatcher interface {
	Match(a news.Article) []news.AlertMatch
}

// Chats is the part of the chat store delivery reads and updates.
type Chats interface {
	Chat(ctx context.Context, id int64) (news.Chat, bool, error)
	FeedSubscribers(ctx context.Context, feedID string) ([]int64, error)
	TopicSubscribers(ctx context.Context, topic string) ([]int64, error)
	SetChatStatus(ctx context.Context, id int64, status string) error
	MigrateChat(ctx context.Context, from, to int64) error
	// MigratedTo is the new id of a group that was upgraded to a supergroup,
	// for the jobs queued under its old id.
	MigratedTo(ctx context.Context, id int64) (int64, bool, error)
}

// Stories keeps stories, their similarity index and their articles.
type Stories interface {
	CreateStory(ctx context.Context, st news.StoryRecord, bands []string, ttl time.Duration) error
	StoryCandidates(ctx context.Context, bands []string, since time.Time, limit int) ([]news.StoryRecord, error)
	AddStoryOutlet(ctx context.Context, id, outlet string) ([]string, error)
	SaveStoryArticle(ctx context.Context, id, ref string, payload []byte, ttl time.Duration) error
	StoryArticle(ctx context.Context, id, ref string) ([]byte, error)
}

// Outbox is the queue of jobs: the Redis stream with its consumer group, the
// delayed set, the dead stream and the sent marks.
type Outbox interface {
	RouteStory(ctx context.Context, storyID string, routes []news.Route, ttl time.Duration) (int, error)
	ReadJobs(ctx context.Context, consumer string, n int, block time.Duration) ([]news.OutboxJob, error)
	ClaimJobs(ctx context.Context, consumer string, minIdle time.Duration, n int) ([]news.OutboxJob, error)
	AckJob(ctx context.Context, j news.OutboxJob) error
	RetryJob(ctx context.Context, j news.OutboxJob, at time.Time) error
	DeadJob(ctx context.Context, j news.OutboxJob, reason string) error
	PromoteDue(ctx context.Context, now time.Time, n int) (int, error)
	// ClaimSend lets one sender at a time send a message (news.SendClaimed,
	// news.SendBusy, or news.SendDone with the message id); MarkSent turns
	// the claim into the sent mark, ReleaseSend gives it up.
	ClaimSend(ctx context.Context, chat int64, story, owner string, now time.Time, ttl time.Duration) (news.SendClaim, int, error)
	ReleaseSend(ctx context.Context, chat int64, story, owner string) error
	MarkSent(ctx context.Context, chat int64, story string, msgID int, ttl time.Duration) error
	// PendingJobs are the jobs consumer read and did not finish: a sender
	// restarted under the same name resumes them at once.
	PendingJobs(ctx context.Context, consumer string, n int) ([]news.OutboxJob, error)
	// HandBack requeues consumer's unfinished jobs for every sender, as a
	// sender does when it stops.
	HandBack(ctx context.Context, consumer string) (int, error)
}

// RateLimiter reserves sending slots under limits shared by all replicas.
type RateLimiter interface {
	Reserve(ctx context.Context, now time.Time, limits []news.RateLimit, maxWait time.Duration) (time.Duration, bool, error)
	Hold(ctx context.Context, l news.RateLimit, until, now time.Time) error
	// Throttled lowers the learnt pace of adaptive limit l after a 429 to a
	// message reserved at slot, and returns the pace now in force (messages/s).
	Throttled(ctx context.Context, l news.RateLimit, slot, now time.Time) (float64, error)
}

// Digests is the digest schedule and queues.
type Digests interface {
	DueDigests(ctx context.Context, now time.Time, n int) ([]int64, error)
	TakeDigest(ctx context.Context, chat int64, now time.Time) (bool, error)
	ScheduleDigest(ctx context.Context, chat int64, at time.Time) error
}

// Clock tells the time and waits; tests replace it to control rate limits
// and backoff.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx ends, whichever comes first.
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// Sleep waits d or until ctx is done.
func (SystemClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// location loads an IANA time zone, UTC when the name is empty or unknown.
func location(name string) *time.Location {
	if name == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	return loc
}
