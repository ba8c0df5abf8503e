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
