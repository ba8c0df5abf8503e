package deliver

import (
	"context"
	"log/slog"
	"time"
)

// DigesterConfig tunes a Digester. Zero fields take the defaults.
type DigesterConfig struct {
	// Every is how often the digest schedule is checked (default 30s).
	Every time.Duration
	// Batch is how many due chats are taken per check (default 100).
	Batch  int
	Clock  Clock
	Logger *slog.Logger
}

// Digester sends each digest chat, at its digest time in its time zone, one
// digest of the stories collected since its last one. The schedule lives in
// Redis (the Router sets a chat's next digest time when it queues a story for
// it), so any number of replicas run a Digester and each chat's digest is
// taken by exactly one of them. The digest goes through the outbox like any
// message: same rate limits, retries and duplicate protection.
type Digester struct {
	digests Digests
	cfg     DigesterConfig
}

// NewDigester returns a Digester; Run starts it.
func NewDigester(digests Digests, cfg DigesterConfig) *Digester {
	if cfg.Every <= 0 {
		cfg.Every = 30 * time.Second
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 100
	}
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Digester{digests: digests, cfg: cfg}
}

// Run checks the schedule until ctx ends.
func (d *Digester) Run(ctx context.Context) error {
	for {
		if _, err := d.Tick(ctx); err != nil && ctx.Err() == nil {
			d.cfg.Logger.Warn("digest check failed", "err", err)
		}
		if err := d.cfg.Clock.Sleep(ctx, d.cfg.Every); err != nil {
			return err
		}
	}
}

// Tick queues the digests due now and returns how many were queued; a chat
// with nothing collected gets nothing.
func (d *Digester) Tick(ctx context.Context) (int, error) {
	now := d.cfg.Clock.Now()
	n := 0
	for {
		chats, err := d.digests.DueDigests(ctx, now, d.cfg.Batch)
		if err != nil {
			return n, err
		}
		for _, id := range chats {
			queued, err := d.digests.TakeDigest(ctx, id, now)
			if err != nil {
				// Put the chat back so the digest is not lost.
				_ = d.digests.ScheduleDigest(ctx, id, now)
				return n, err
			}
			if queued {
				n++
			}
		}
		if len(chats) < d.cfg.Batch {
			return n, nil
		}
	}
}
