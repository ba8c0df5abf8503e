// Package store keeps MigraWatch's state in Redis. Every key of the design's
// key table is built here and nowhere else; callers see domain operations.
package store

import (
	"context"
	"strings"

	"github.com/redis/go-redis/v9"
)

// DefaultPrefix is prepended to every key unless configured otherwise.
const DefaultPrefix = "mw:"

// Store is MigraWatch's Redis-backed state. Its methods are spread over one
// file per concern (feeds, chats, alerts, outbox, rate limits).
type Store struct {
	rdb    redis.UniversalClient
	prefix string
}

// New returns a Store using rdb with every key under prefix.
func New(rdb redis.UniversalClient, prefix string) *Store {
	return &Store{rdb: rdb, prefix: prefix}
}

// Client returns the underlying Redis client.
func (s *Store) Client() redis.UniversalClient { return s.rdb }

// key joins parts with ':' under the store's prefix. Ids are wrapped by the
// callers in braces where the design says so ("chat:{42}:feeds"), which makes
// them Redis Cluster hash tags: all keys of one chat land in one slot.
func (s *Store) key(parts ...string) string {
	return s.prefix + strings.Join(parts, ":")
}

// tag wraps an id in braces, a Redis Cluster hash tag.
func tag(id string) string { return "{" + id + "}" }

// onEveryMaster runs scan against each node that holds keys: every master of
// a Cluster (a SCAN on one node sees only its slots), else the one server.
func (s *Store) onEveryMaster(ctx context.Context, scan func(ctx context.Context, c redis.Cmdable) error) error {
	if cc, ok := s.rdb.(*redis.ClusterClient); ok {
		return cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error { return scan(ctx, c) })
	}
	return scan(ctx, s.rdb)
}

// cluster reports whether the client is a Redis Cluster client, where a
// transaction or a script may touch the keys of one hash slot only.
func (s *Store) cluster() bool {
	_, ok := s.rdb.(*redis.ClusterClient)
	return ok
}

// step is one part of a write that touches several keys.
type step struct {
	// spread is true for commands on keys of several slots (reverse indexes
	// of many feeds, say); each command must then be complete on its own.
	spread bool
	fn     func(p redis.Pipeliner)
}

// inSlot is a step whose keys share one hash slot: on Cluster it is still
// one MULTI/EXEC.
func inSlot(fn func(p redis.Pipeliner)) step { return step{fn: fn} }

// spread is a step whose commands reach several slots: on Cluster it is a
// pipeline of independent commands.
func spread(fn func(p redis.Pipeliner)) step { return step{spread: true, fn: fn} }

// write runs steps. On one server (or Sentinel) they are one MULTI/EXEC, as
// atomic as ever. On Cluster, where a transaction cannot leave its slot,
// each step runs on its own, in order: callers order the steps so that a
// failure between two of them leaves a state that repeating the call
// completes (every step is idempotent).
func (s *Store) write(ctx context.Context, steps ...step) error {
	if s.cluster() {
		return runSteps(ctx, s.rdb, steps)
	}
	return runTx(ctx, s.rdb, steps)
}

// runTx runs every step in one transaction of p (a client or a WATCHing tx).
func runTx(ctx context.Context, p interface {
	TxPipelined(ctx context.Context, fn func(redis.Pipeliner) error) ([]redis.Cmder, error)
}, steps []step) error {
	_, err := p.TxPipelined(ctx, func(pp redis.Pipeliner) error {
		for _, st := range steps {
			st.fn(pp)
		}
		return nil
	})
	return err
}

// runSteps runs the steps one after the other, each in one round trip.
func runSteps(ctx context.Context, rdb redis.UniversalClient, steps []step) error {
	for _, st := range steps {
		var err error
		if st.spread {
			_, err = rdb.Pipelined(ctx, func(p redis.Pipeliner) error { st.fn(p); return nil })
		} else {
			_, err = rdb.TxPipelined(ctx, func(p redis.Pipeliner) error { st.fn(p); return nil })
		}
		if err != nil {
			return err
		}
	}
	return nil
}
