package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
)

// UpdatesLease is the name of the lease whose holder long-polls getUpdates.
// Telegram allows one getUpdates caller per bot (a second one gets 409
// "Conflict: terminated by other getUpdates request"), so with long polling
// exactly one replica may poll at a time.
const UpdatesLease = "updates"

// releaseWait bounds the release of the lease on the way out, which runs after
// the caller's context is done.
const releaseWait = 2 * time.Second

// Lease is a named lock with a time to live shared by the replicas (the store
// implements it in Redis). Acquire takes a free lease, Renew extends it only
// while holder still holds it, Release frees it only if holder holds it.
type Lease interface {
	Acquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	Renew(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	Release(ctx context.Context, name, holder string) (bool, error)
}

// ErrLeaseTTL is returned by PollAsLeader for a lease time to live too short
// to be renewed in time.
var ErrLeaseTTL = errors.New("telegram: updates lease ttl too short")

// PollAsLeader runs Poll only while holder holds the UpdatesLease, so that of
// several replicas sharing a bot exactly one polls getUpdates. It tries to
// take the lease every ttl/3; once it holds it, it polls and renews the lease
// every ttl/3, and stops polling as soon as a renewal fails or finds the
// lease lost (another replica then takes over within about ttl). A replica
// that dies without releasing is replaced once its lease expires, within ttl
// plus ttl/3.
//
// An update being handled when leadership ends is finished (handle gets ctx,
// not the polling context) and confirmed before the lease is released, so in
// normal operation no update is handled twice. PollAsLeader returns ctx's
// error once ctx is done, after releasing the lease, or Poll's error when
// Telegram refuses the token or the endpoint.
func (c *Client) PollAsLeader(ctx context.Context, lease Lease, holder string, ttl time.Duration, handle func(context.Context, news.Update)) error {
	if ttl < 3*time.Millisecond {
		return fmt.Errorf("%w: %s", ErrLeaseTTL, ttl)
	}
	every := ttl / 3
	failing := false
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		held, err := c.takeLease(ctx, lease, holder, ttl, every)
		switch {
		case err != nil && ctx.Err() == nil:
			// Log the first failure of a run of them; Redis being away for a
			// while should not fill the log.
			level := slog.LevelDebug
			if !failing {
				level = slog.LevelWarn
			}
			failing = true
			c.log.Log(ctx, level, "telegram updates lease: cannot reach the lease store", slog.String("holder", holder), slog.Any("err", err))
		case held:
			failing = false
			c.log.InfoContext(ctx, "telegram updates lease taken; polling", slog.String("holder", holder))
			if err := c.lead(ctx, lease, holder, ttl, every, handle); err != nil {
				return err
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			continue
		default:
			failing = false
		}
		if !sleep(ctx, every) {
			return ctx.Err()
		}
	}
}

// takeLease acquires the lease, or renews it when holder still holds it (a
// renewal that failed on a network error may have left it ours).
func (c *Client) takeLease(ctx context.Context, lease Lease, holder string, ttl, every time.Duration) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, every)
	defer cancel()
	ok, err := lease.Acquire(ctx, UpdatesLease, holder, ttl)
	if err != nil || ok {
		return ok, err
	}
	return lease.Renew(ctx, UpdatesLease, holder, ttl)
}

// lead polls while renewing the lease, and returns once polling stopped and
// the lease was released: when ctx is done or leadership was lost (nil), or
// when Poll gave up (its error).
func (c *Client) lead(ctx context.Context, lease Lease, holder string, ttl, every time.Duration, handle func(context.Context, news.Update)) error {
	pctx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() {
		done <- c.Poll(pctx, func(_ context.Context, u news.Update) { handle(ctx, u) })
	}()
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	var pollErr error
	polling := true
	for polling {
		select {
		case pollErr = <-done:
			polling = false
		case <-ctx.Done():
			stop()
			pollErr = <-done
			polling = false
		case <-ticker.C:
			if c.renew(ctx, lease, holder, ttl, every) {
				continue
			}
			stop()
			pollErr = <-done
			polling = false
		}
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseWait)
	defer cancel()
	if _, err := lease.Release(rctx, UpdatesLease, holder); err != nil {
		c.log.WarnContext(ctx, "telegram updates lease: release failed; it expires by itself", slog.String("holder", holder), slog.Any("err", err))
	}
	if pollErr != nil && !errors.Is(pollErr, context.Canceled) {
		return pollErr
	}
	return nil
}

// renew extends the lease within every (a renewal slower than that could let
// the lease expire under a polling replica) and reports whether it is still held.
func (c *Client) renew(ctx context.Context, lease Lease, holder string, ttl, every time.Duration) bool {
	rctx, cancel := context.WithTimeout(ctx, every)
	defer cancel()
	ok, err := lease.Renew(rctx, UpdatesLease, holder, ttl)
	switch {
	case ctx.Err() != nil:
		return false
	case err != nil:
		c.log.WarnContext(ctx, "telegram updates lease: renewal failed; polling stops", slog.String("holder", holder), slog.Any("err", err))
		return false
	case !ok:
		c.log.WarnContext(ctx, "telegram updates lease lost to another replica; polling stops", slog.String("holder", holder))
		return false
	}
	return true
}
