package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// A named lease ("updates": the right to long-poll Telegram) is one string key
// lease:{name} holding the holder's id, with a time to live. Whoever sets it
// first (SET NX PX) holds it until it expires or is released; the holder keeps
// it by renewing before the time runs out. Renew and Release compare the
// holder in a Lua script, so a replica whose lease expired (a long GC pause, a
// network split) can neither extend nor delete the lease another replica took
// in the meantime.

// ErrBadLease is returned for a lease request that Redis would misread: an
// empty name or holder, or a time to live under one millisecond (PX 0 is an
// error in Redis, and a sub-millisecond lease would be rounded to nothing).
var ErrBadLease = errors.New("bad lease request")

func checkLease(name, holder string, ttl time.Duration) error {
	if name == "" || holder == "" || ttl < time.Millisecond {
		return fmt.Errorf("lease %q for %q with ttl %s: %w", name, holder, ttl, ErrBadLease)
	}
	return nil
}

// Acquire takes lease name for holder for ttl if nobody holds it (SET NX PX).
// It reports false when the lease is held, by someone else or by holder
// itself: a holder extends its lease with Renew.
func (s *Store) Acquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if err := checkLease(name, holder, ttl); err != nil {
		return false, err
	}
	err := s.rdb.SetArgs(ctx, s.key("lease", name), holder, redis.SetArgs{Mode: "NX", TTL: ttl}).Err()
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("acquire lease %s: %w", name, err)
	}
	return true, nil
}

// leaseRenewScript extends the lease to ARGV[2] ms from now only when ARGV[1]
// still holds it.
var leaseRenewScript = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("PEXPIRE", KEYS[1], ARGV[2])
end
return 0`)

// Renew extends holder's lease name to ttl from now. It reports false, and
// changes nothing, when holder no longer holds it (it expired, was released,
// or another holder took it): the caller must stop the work the lease guards.
func (s *Store) Renew(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if err := checkLease(name, holder, ttl); err != nil {
		return false, err
	}
	n, err := leaseRenewScript.Run(ctx, s.rdb, []string{s.key("lease", name)}, holder, ttl.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("renew lease %s: %w", name, err)
	}
	return n == 1, nil
}

// leaseReleaseScript deletes the lease only when ARGV[1] holds it.
var leaseReleaseScript = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0`)

// Release frees lease name if holder holds it, so another replica can take it
// at once instead of waiting for it to expire. It reports false when holder
// did not hold it; another holder's lease is left alone.
func (s *Store) Release(ctx context.Context, name, holder string) (bool, error) {
	if name == "" || holder == "" {
		return false, fmt.Errorf("release lease %q for %q: %w", name, holder, ErrBadLease)
	}
	n, err := leaseReleaseScript.Run(ctx, s.rdb, []string{s.key("lease", name)}, holder).Int()
	if err != nil {
		return false, fmt.Errorf("release lease %s: %w", name, err)
	}
	return n == 1, nil
}

// Holder returns who holds lease name, or "" when nobody does.
func (s *Store) Holder(ctx context.Context, name string) (string, error) {
	h, err := s.rdb.Get(ctx, s.key("lease", name)).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("holder of lease %s: %w", name, err)
	}
	return h, nil
}
