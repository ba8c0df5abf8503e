package deliver

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/render"
)

// ReplyTelegram is the part of the Bot API command replies use.
type ReplyTelegram interface {
	Send(ctx context.Context, m news.Message) (int, error)
	SendDocument(ctx context.Context, d news.Document) (int, error)
}

// RepliesConfig tunes Replies. The rates must be the Sender's: both share
// the limits in Redis. Zero fields take the Sender's defaults.
type RepliesConfig struct {
	Global, PerChat, PerGroup Rate
	Margin                    float64
	// MaxWait is the longest a reply books ahead in one go (default 5s); it
	// asks again after that.
	MaxWait time.Duration
	// MaxBackoff caps the wait between attempts after transient failures
	// (default 10s).
	MaxBackoff time.Duration
	Clock      Clock
	Logger     *slog.Logger
}

// Replies sends the bot's command replies and notices. Each one goes
// through the same limiter as news (global, per chat, per group, in Redis,
// shared by every replica), in a lane of its own: news books the global
// budget only a few slots ahead while a reply books without that bound, so
// a user waiting for an answer goes before the 10,000th copy of an article.
// A reply honours retry_after and is retried until it is sent, the chat is
// gone, or the caller's context ends; it is never dropped for a 429.
type Replies struct {
	tg    ReplyTelegram
	pacer pacer
	cfg   RepliesConfig

	sent, floodWaits, retries atomic.Int64
}

// NewReplies returns the reply lane over tg and limiter.
func NewReplies(tg ReplyTelegram, limiter RateLimiter, cfg RepliesConfig) *Replies {
	sc := SenderConfig{Global: cfg.Global, PerChat: cfg.PerChat, PerGroup: cfg.PerGroup, Margin: cfg.Margin, Clock: cfg.Clock, Logger: cfg.Logger}
	sc.defaults()
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = 5 * time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 10 * time.Second
	}
	cfg.Global, cfg.PerChat, cfg.PerGroup, cfg.Margin, cfg.Clock, cfg.Logger = sc.Global, sc.PerChat, sc.PerGroup, sc.Margin, sc.Clock, sc.Logger
	return &Replies{tg: tg, cfg: cfg,
		pacer: pacer{limiter: limiter, global: cfg.Global, perChat: cfg.PerChat, perGroup: cfg.PerGroup, margin: cfg.Margin}}
}

// ReplyStats counts what the lane did.
type ReplyStats struct{ Sent, FloodWaits, Retries int64 }

// Stats returns the counters so far.
func (r *Replies) Stats() ReplyStats {
	return ReplyStats{Sent: r.sent.Load(), FloodWaits: r.floodWaits.Load(), Retries: r.retries.Load()}
}

// Send sends (or, with m.EditID, edits) a message within the limits and
// returns its id. It returns an error only when the message cannot be sent:
// the chat is gone (news.ErrChatGone), it migrated (*news.ChatMigratedError,
// for the caller to follow), the message is malformed, or ctx ended. HTML
// that Telegram cannot parse is sent again as plain text.
func (r *Replies) Send(ctx context.Context, m news.Message) (int, error) {
	return r.send(ctx, m.ChatID, func(ctx context.Context) (int, error) {
		id, err := r.tg.Send(ctx, m)
		if errors.Is(err, news.ErrBadMarkup) && m.HTML {
			m.Text, m.HTML = render.PlainText(m.Text), false
			return 0, errAgain
		}
		return id, err
	})
}

// SendDocument sends a file within the limits, as Send does a message.
func (r *Replies) SendDocument(ctx context.Context, d news.Document) (int, error) {
	return r.send(ctx, d.ChatID, func(ctx context.Context) (int, error) { return r.tg.SendDocument(ctx, d) })
}

// errAgain asks send to send once more at the next slot.
var errAgain = errors.New("send again")

// send books a slot for chat, waits for it and calls do, until do succeeds
// or fails for good.
func (r *Replies) send(ctx context.Context, chat int64, do func(context.Context) (int, error)) (int, error) {
	ls := r.pacer.limits(chat, "", false)
	failures := 0
	backoff := func() time.Duration {
		failures++
		d := min(100*time.Millisecond<<min(failures-1, 16), r.cfg.MaxBackoff)
		return d/2 + rand.N(d/2+1)
	}
	for {
		now := r.cfg.Clock.Now()
		wait, ok, err := r.pacer.limiter.Reserve(ctx, now, ls, r.cfg.MaxWait)
		if err != nil {
			// Without the shared limiter a reply could set off a 429 for
			// everyone: wait for Redis.
			if ctx.Err() != nil {
				return 0, ctx.Err()
			}
			r.cfg.Logger.Warn("reply waits for the rate limiter", "chat_id", chat, "err", err)
			if err := r.cfg.Clock.Sleep(ctx, backoff()); err != nil {
				return 0, err
			}
			continue
		}
		if err := r.cfg.Clock.Sleep(ctx, wait); err != nil {
			return 0, err
		}
		if !ok {
			continue
		}
		// A send once started is finished, even when ctx ends meanwhile: it
		// may reach the chat, and its outcome must be known.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		id, err := do(sctx)
		cancel()
		var flood *news.RetryAfterError
		switch {
		case err == nil:
			r.sent.Add(1)
			return id, nil
		case errors.Is(err, errAgain):
			continue
		case errors.As(err, &flood):
			r.floodWaits.Add(1)
			now := r.cfg.Clock.Now()
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			pace, ferr := r.pacer.flood(fctx, ls, flood, now.Add(wait), now)
			cancel()
			r.cfg.Logger.Warn("flood control on a reply", "chat_id", chat, "retry_after", flood.After, "pace", pace, "err", ferr)
			if ferr != nil {
				// The hold is not shared: keep it here at least.
				if err := r.cfg.Clock.Sleep(ctx, flood.After); err != nil {
					return 0, err
				}
			}
		case errors.Is(err, news.ErrTransient):
			r.retries.Add(1)
			if ctx.Err() != nil {
				return 0, err
			}
			if err := r.cfg.Clock.Sleep(ctx, backoff()); err != nil {
				return 0, err
			}
		default:
			// Gone, migrated, malformed: no retry changes the answer.
			return 0, err
		}
	}
}
