package deliver

import (
	"errors"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
)

// What a Sender tells its Observers. The first seven are the results of one
// send, as SendResult names them; the others are what became of jobs.
const (
	EventSent       = "ok"          // Telegram accepted a message
	EventFloodWait  = "retry_after" // Telegram asked to slow down (429)
	EventMigrated   = "migrated"    // the group became a supergroup
	EventGone       = "chat_gone"   // the bot was blocked or removed
	EventBadMarkup  = "bad_markup"  // the HTML was refused
	EventTooLong    = "too_long"    // the message was over Telegram's limits
	EventTransient  = "transient"   // any other failure, worth a retry
	EventRetried    = "retried"     // a job was put back for a later attempt
	EventDead       = "dead"        // a job was given up on
	EventDuplicate  = "duplicate"   // a message was found sent already, and not sent again
	EventLateSlot   = "late_slot"   // a rate-limit slot was given up: the sender woke too late
	EventJournaled  = "journaled"   // a sent mark or acknowledgement was kept in memory while Redis was away
	EventHandedBack = "handed_back" // unfinished jobs were returned to the outbox at shutdown
	EventResumed    = "resumed"     // jobs of a previous run under the same name were taken up
)

// Observer is told what a Sender does: the metrics and the readiness check
// in the binary (metrics.Metrics, metrics.Health), a tally in tests.
type Observer interface {
	// SenderEvent is told that event happened n times; for EventFloodWait,
	// wait is what Telegram asked for.
	SenderEvent(event string, n int, wait time.Duration)
}

// SendResult names the result of one send with one of the first seven
// events.
func SendResult(err error) string {
	var ra *news.RetryAfterError
	var mig *news.ChatMigratedError
	switch {
	case err == nil:
		return EventSent
	case errors.As(err, &ra):
		return EventFloodWait
	case errors.As(err, &mig):
		return EventMigrated
	case errors.Is(err, news.ErrChatGone):
		return EventGone
	case errors.Is(err, news.ErrBadMarkup):
		return EventBadMarkup
	case errors.Is(err, news.ErrTooLong):
		return EventTooLong
	}
	return EventTransient
}

// observe tells every observer of the sender.
func (s *Sender) observe(event string, n int, wait time.Duration) {
	if n <= 0 {
		return
	}
	for _, o := range s.cfg.Observers {
		o.SenderEvent(event, n, wait)
	}
}
