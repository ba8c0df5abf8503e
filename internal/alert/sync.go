package alert

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
)

// AlertStore is where the alerts live (Redis, in the store package) and
// how a replica hears that a chat's alerts changed.
type AlertStore interface {
	AllAlerts(ctx context.Context) ([]news.Alert, error)
	ChatAlerts(ctx context.Context, chatID int64) ([]news.Alert, error)
	// WatchAlerts sends the id of each chat whose alerts change until ctx ends.
	WatchAlerts(ctx context.Context) (<-chan int64, error)
}

// DefaultResync is how often a Syncer reloads every alert, in case a change
// notice was lost while its connection to Redis was down.
const DefaultResync = 10 * time.Minute

// Syncer keeps an Index equal to the alerts in the store: it loads them all
// at start, reloads a chat whenever the store says it changed (on any
// replica), and reloads everything every Resync.
type Syncer struct {
	store  AlertStore
	index  *Index
	resync time.Duration
	log    *slog.Logger
	ready  chan struct{}
}

// NewSyncer returns a Syncer filling index from store. resync <= 0 means
// DefaultResync; log nil means slog.Default().
func NewSyncer(store AlertStore, index *Index, resync time.Duration, log *slog.Logger) *Syncer {
	if resync <= 0 {
		resync = DefaultResync
	}
	if log == nil {
		log = slog.Default()
	}
	return &Syncer{store: store, index: index, resync: resync, log: log, ready: make(chan struct{})}
}

// Ready is closed once the first full load is in the index.
func (s *Syncer) Ready() <-chan struct{} { return s.ready }

// Run loads every alert, then applies changes until ctx ends (it then
// returns nil). It subscribes before loading, so no change made after the
// load started is missed. A failing first load is returned as an error.
func (s *Syncer) Run(ctx context.Context) error {
	changes, err := s.store.WatchAlerts(ctx)
	if err != nil {
		return fmt.Errorf("alert sync: %w", err)
	}
	if err := s.loadAll(ctx); err != nil {
		return fmt.Errorf("alert sync: %w", err)
	}
	close(s.ready)
	tick := time.NewTicker(s.resync)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			if err := s.loadAll(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("alert resync failed", "err", err)
			}
		case id, ok := <-changes:
			if !ok {
				if ctx.Err() != nil {
					return nil
				}
				return errors.New("alert sync: change notices stopped")
			}
			alerts, err := s.store.ChatAlerts(ctx, id)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				// The next resync repairs it.
				s.log.Warn("alert reload failed", "chat_id", id, "err", err)
				continue
			}
			if err := s.index.ReplaceChat(id, alerts); err != nil {
				s.log.Warn("stored alert does not parse", "chat_id", id, "err", err)
			}
		}
	}
}

func (s *Syncer) loadAll(ctx context.Context) error {
	all, err := s.store.AllAlerts(ctx)
	if err != nil {
		return err
	}
	if err := s.index.Load(all); err != nil {
		s.log.Warn("stored alerts do not parse", "err", err)
	}
	return nil
}
