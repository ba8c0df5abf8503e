// Package backoff is MigraWatch's one way of waiting between retries: an
// exponential schedule from a minimum to a maximum with jitter (so that
// replicas retrying the same thing do not retry in step), and the one Clock
// that tells the time and waits, which tests replace or run inside
// testing/synctest. Every retry loop of the code base (the senders, the
// reply lane, the update loop, Redis start-up, getMe, optimistic Redis
// transactions) and the scheduler's failing feeds use it.
package backoff

import (
	"context"
	"math"
	"math/rand/v2"
	"time"
)

// Clock tells the time and waits.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx ends, whichever comes first; it returns
	// ctx's error when ctx ended first.
	Sleep(ctx context.Context, d time.Duration) error
}

// System is the real clock.
type System struct{}

// Now returns the current time.
func (System) Now() time.Time { return time.Now() }

// Sleep waits d or until ctx is done.
func (System) Sleep(ctx context.Context, d time.Duration) error {
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

// Policy is a retry schedule: the wait after the n-th consecutive failure
// is Min doubled n-1 times, never above Max, less a random part of up to
// Jitter of it.
type Policy struct {
	Min, Max time.Duration
	// Jitter, from 0 to 1, is the largest part of a wait drawn at random,
	// taken off it: 0.5 waits between half and all of it, 0 exactly all of it.
	Jitter float64
	// JitterAbove adds the random part instead, so that no wait is shorter
	// than the schedule (with Jitter 0.25, up to 1.25 times it).
	JitterAbove bool
	// Rand returns a random number in [0, n); nil is math/rand/v2's.
	Rand func(n int64) int64
}

// Delay is the wait after the n-th consecutive failure (n ≥ 1).
func (p Policy) Delay(n int) time.Duration {
	d := p.Min
	for i := 1; i < n && (p.Max <= 0 || d < p.Max); i++ {
		if d > math.MaxInt64/2 {
			d = math.MaxInt64
			break
		}
		d *= 2
	}
	if p.Max > 0 && d > p.Max {
		d = p.Max
	}
	if p.Jitter <= 0 || d <= 0 {
		return d
	}
	span := int64(float64(d) * min(p.Jitter, 1))
	if span <= 0 {
		return d
	}
	r := rand.Int64N
	if p.Rand != nil {
		r = p.Rand
	}
	if p.JitterAbove {
		return d + time.Duration(r(span+1))
	}
	return d - time.Duration(r(span+1))
}

// Backoff counts consecutive failures against a Policy. The zero Clock is
// System. It is not safe for concurrent use: each retry loop has its own.
type Backoff struct {
	Policy
	Clock    Clock
	failures int
}

// New returns a Backoff with p on clock (nil: System).
func New(p Policy, clock Clock) *Backoff {
	if clock == nil {
		clock = System{}
	}
	return &Backoff{Policy: p, Clock: clock}
}

// Next counts one more failure and returns the wait before the next try.
func (b *Backoff) Next() time.Duration {
	b.failures++
	return b.Delay(b.failures)
}

// Wait counts one more failure and waits before the next try, or until ctx
// ends (then it returns ctx's error).
func (b *Backoff) Wait(ctx context.Context) error {
	d := b.Next()
	if b.Clock == nil {
		return System{}.Sleep(ctx, d)
	}
	return b.Clock.Sleep(ctx, d)
}

// Reset starts again after a success.
func (b *Backoff) Reset() { b.failures = 0 }
