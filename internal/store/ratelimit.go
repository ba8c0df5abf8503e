package store

// Rate-limit keys: rl:global for the bot token, rl:chat:{id} per chat,
// rl:group:{id} for the per-minute budget of groups and channels.

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/redis/go-redis/v9"
)

func (s *Store) rateKey(scope, id string) string {
	if id == "" {
		return s.key("rl", scope)
	}
	return s.key("rl", scope, tag(id))
}

// reserveScript is GCRA (the generic cell rate algorithm) over several keys
// at once. Each key holds a theoretical arrival time (TAT) in microseconds;
// a key allows a message at t >= TAT-tolerance. The message may go at the
// earliest time all keys allow. The slot is reserved on every key (TAT =
// max(TAT, t) + interval) only when that time is within maxwait and taking
// it would not leave any key idle for more than one interval: a chat that
// must wait a second does not hold the global budget for that second, it
// returns and asks again when its time comes. Returns {reserved, wait µs}.
var reserveScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local maxwait = tonumber(ARGV[2])
local at = now
local tats = {}
for i, k in ipairs(KEYS) do
  local tol = tonumber(ARGV[2 + 2 * i])
  local tat = tonumber(redis.call('GET', k) or '0')
  tats[i] = tat
  if tat - tol > at then at = tat - tol end
end
local wait = at - now
if wait > maxwait then return {0, wait} end
for i, k in ipairs(KEYS) do
  local interval = tonumber(ARGV[1 + 2 * i])
  local tol = tonumber(ARGV[2 + 2 * i])
  if at - math.max(now, tats[i] - tol) > interval then return {0, wait} end
end
for i, k in ipairs(KEYS) do
  local interval = tonumber(ARGV[1 + 2 * i])
  local tol = tonumber(ARGV[2 + 2 * i])
  local tat = math.max(tats[i], at) + interval
  local ttl = math.floor((tat - now + tol) / 1000) + 1000
  redis.call('SET', k, string.format('%d', tat), 'PX', ttl)
end
return {1, wait}
`)

// Reserve takes a sending slot under every limit at once, at the earliest
// time all of them allow, if that is within maxWait of now. It returns how
// long to wait before sending and whether the slot was reserved; when it was
// not, wait says when to try again. Replicas share the state through Redis;
// now comes from the caller's clock so tests control time.
func (s *Store) Reserve(ctx context.Context, now time.Time, limits []news.RateLimit, maxWait time.Duration) (wait time.Duration, ok bool, err error) {
	keys := make([]string, len(limits))
	args := make([]any, 0, 2+2*len(limits))
	args = append(args, now.UnixMicro(), maxWait.Microseconds())
	for i, l := range limits {
		keys[i] = s.rateKey(l.Scope, l.ID)
		args = append(args, l.Interval.Microseconds(), (time.Duration(l.Burst) * l.Interval).Microseconds())
	}
	v, err := reserveScript.Run(ctx, s.rdb, keys, args...).Int64Slice()
	if err != nil {
		return 0, false, fmt.Errorf("rate limit: %w", err)
	}
	return time.Duration(v[1]) * time.Microsecond, v[0] == 1, nil
}

// holdScript pushes a key's TAT to at least ARGV[1] (µs).
var holdScript = redis.NewScript(`
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local until_ = tonumber(ARGV[1])
if until_ > tat then
  redis.call('SET', KEYS[1], string.format('%d', until_), 'PX', tonumber(ARGV[2]))
end
return 1
`)

// Hold blocks a limit until the given time, as Telegram's 429 retry_after
// demands: every Reserve that includes it waits until then, burst or not. A
// hold on the global limit stops every sender of every replica.
func (s *Store) Hold(ctx context.Context, l news.RateLimit, until, now time.Time) error {
	tol := time.Duration(l.Burst) * l.Interval
	ttl := until.Sub(now).Milliseconds() + tol.Milliseconds() + 1000
	if err := holdScript.Run(ctx, s.rdb, []string{s.rateKey(l.Scope, l.ID)}, until.Add(tol).UnixMicro(), strconv.FormatInt(max(ttl, 1000), 10)).Err(); err != nil {
		return fmt.Errorf("rate limit hold %s: %w", l.Scope, err)
	}
	return nil
}
