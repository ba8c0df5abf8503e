// Package storetest gives tests a Redis: the real server named by REDIS_URL
// when it is set (CI sets it), an in-process miniredis otherwise. Each call
// returns a fresh key prefix so tests never see each other's keys.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Redis returns a client and a unique key prefix for t. With REDIS_URL set it
// connects to that server and deletes the prefix's keys when the test ends.
func Redis(t testing.TB) (redis.UniversalClient, string) {
	t.Helper()
	if onCluster.Load() {
		return Cluster(t)
	}
	prefix := "mwtest:" + randomHex(6) + ":"
	if url := os.Getenv("REDIS_URL"); url != "" {
		opt, err := redis.ParseURL(url)
		if err != nil {
			t.Fatalf("REDIS_URL: %v", err)
		}
		rdb := redis.NewClient(opt)
		if err := rdb.Ping(context.Background()).Err(); err != nil {
			t.Fatalf("REDIS_URL %s does not answer: %v", opt.Addr, err)
		}
		t.Cleanup(func() {
			ctx := context.Background()
			iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
			for iter.Next(ctx) {
				rdb.Del(ctx, iter.Val())
			}
			_ = rdb.Close()
		})
		return rdb, prefix
	}
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb, prefix
}

// Miniredis returns an in-process server for tests that must stop and restart
// Redis (a real shared server cannot be restarted from a test).
func Miniredis(t testing.TB) (*miniredis.Miniredis, redis.UniversalClient) {
	t.Helper()
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { _ = rdb.Close() })
	return mr, rdb
}

// onCluster makes Redis answer with the Cluster (see OnCluster).
var onCluster atomic.Bool

// OnCluster runs tests (the package's own test functions) with every Redis
// that Redis hands out being the real Redis Cluster instead, so the same
// tests prove the same behaviour on Cluster. The tests must not run in
// parallel with others while it runs.
func OnCluster(t *testing.T, tests map[string]func(*testing.T)) {
	t.Helper()
	Cluster(t) // start it, or skip, before switching
	onCluster.Store(true)
	defer onCluster.Store(false)
	for name, fn := range tests {
		t.Run(name, fn)
	}
}

// Parallel marks t as a test that may run alongside others, unless it runs
// inside OnCluster: the switch to the Cluster holds for the whole process
// while OnCluster's loop runs, and a parallel subtest would resume after it,
// on a plain Redis.
func Parallel(t *testing.T) {
	if !onCluster.Load() {
		t.Parallel()
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Keys lists the keys matching pattern on every master (KEYS on one node of
// a Cluster sees only that node's slots).
func Keys(ctx context.Context, rdb redis.UniversalClient, pattern string) ([]string, error) {
	cc, ok := rdb.(*redis.ClusterClient)
	if !ok {
		return rdb.Keys(ctx, pattern).Result()
	}
	var mu sync.Mutex
	var out []string
	err := cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
		ks, err := c.Keys(ctx, pattern).Result()
		mu.Lock()
		out = append(out, ks...)
		mu.Unlock()
		return err
	})
	return out, err
}
