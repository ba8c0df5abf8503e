package deliver

import (
	"context"
	"strconv"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
)

// News books the shared global budget at most newsLead intervals ahead, and
// at least minNewsLead (at thousands of messages a second, four intervals
// are shorter than a timer's wake-up). Command replies book without a lead,
// so a reply waits for at most this much news already booked, however long
// the outbox: at Telegram's 30/s, four messages.
const (
	newsLead    = 4
	minNewsLead = 100 * time.Millisecond
)

// pacer is the one place that knows the rate limits a message falls under
// and what a 429 does to them; the Sender (news) and Replies (command
// replies and notices) share it and, through Redis, the limits themselves.
type pacer struct {
	limiter                   RateLimiter
	global, perChat, perGroup Rate
	margin                    float64
}

func (p pacer) interval(r Rate) time.Duration {
	return time.Duration(float64(r.Per) / float64(r.N) * (1 + p.margin))
}

// limits are the rate limits of a message to chat (kind may be empty: a
// negative id is a group or channel). The global one is adaptive: its
// interval is the ceiling, the pace in force is learnt from 429s. News
// books it only newsLead intervals ahead; replies (news false) without lead.
func (p pacer) limits(chat int64, kind news.ChatKind, isNews bool) []news.RateLimit {
	id := strconv.FormatInt(chat, 10)
	global := news.RateLimit{Scope: news.ScopeGlobal, Interval: p.interval(p.global), Adaptive: true}
	if isNews {
		global.Lead = max(newsLead*global.Interval, minNewsLead)
	}
	ls := []news.RateLimit{global, {Scope: news.ScopeChat, ID: id, Interval: p.interval(p.perChat)}}
	if group := kind != news.ChatPrivate && (kind != "" || chat < 0); group {
		ls = append(ls, news.RateLimit{Scope: news.ScopeGroup, ID: id, Interval: p.interval(p.perGroup)})
	}
	return ls
}

// flood honours a 429 to a message reserved at slot under ls: the chat (or,
// when Telegram says so, the whole bot) waits retry_after, and the shared
// pace goes down, since a 429 does not say whether the global limit, which
// is not a published constant, was the one overrun.
func (p pacer) flood(ctx context.Context, ls []news.RateLimit, fl *news.RetryAfterError, slot, now time.Time) (float64, error) {
	held := ls[1]
	if fl.Global {
		held = ls[0]
	}
	if err := p.limiter.Hold(ctx, held, now.Add(fl.After), now); err != nil {
		return 0, err
	}
	return p.limiter.Throttled(ctx, ls[0], slot, now)
}
