package bot

import (
	"sync"
	"time"
)

// limiter is a per-user token bucket: burst commands at once, refilled at
// burst per window. The first command over the budget is answered with a
// warning; after it the user is ignored until the mute ends. It lives in
// memory: each replica limits the updates it handles, which is enough to keep
// one flooding user from costing Telegram sends.
type limiter struct {
	mu     sync.Mutex
	now    func() time.Time
	burst  float64
	rate   float64 // tokens per second
	mute   time.Duration
	users  map[int64]*bucket
	sweeps time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
	muted  time.Time // zero when not muted
}

func newLimiter(burst int, window, mute time.Duration, now func() time.Time) *limiter {
	return &limiter{
		now: now, burst: float64(burst), rate: float64(burst) / window.Seconds(), mute: mute,
		users: map[int64]*bucket{},
	}
}

// allow takes one token for user. When it cannot, warn is true the first
// time, telling the caller to send the one warning.
func (l *limiter) allow(user int64) (ok, warn bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	b := l.users[user]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.users[user] = b
	}
	if !b.muted.IsZero() {
		if now.Before(b.muted) {
			return false, false
		}
		b.muted = time.Time{}
		b.tokens, b.last = l.burst, now
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = min(l.burst, b.tokens+el*l.rate)
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, false
	}
	b.muted = now.Add(l.mute)
	return false, true
}

// sweep forgets users whose bucket is full again, at most once a minute.
func (l *limiter) sweep(now time.Time) {
	if now.Sub(l.sweeps) < time.Minute {
		return
	}
	l.sweeps = now
	full := time.Duration(l.burst / l.rate * float64(time.Second))
	for id, b := range l.users {
		if now.Sub(b.last) > full && now.After(b.muted) {
			delete(l.users, id)
		}
	}
}
