package store

// Rate-limit keys share the hash tag {rl}, so that one script reserves a
// message's slot under every limit at once, on Redis Cluster too:
// rl:{rl}:global for the bot token, rl:{rl}:chat:<id> per chat,
// rl:{rl}:group:<id> for the per-minute budget of groups and channels, and
// rl:{rl}:pace, the learnt pace of the adaptive limits.

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
		return s.key("rl", tag("rl"), scope)
	}
	return s.key("rl", tag("rl"), scope, id)
}

func (s *Store) paceKey() string { return s.key("rl", tag("rl"), "pace") }

// Pacing of the adaptive limits: additive increase, multiplicative decrease
// (as TCP finds a path's capacity), both shared through the pace key.
const (
	// paceStep is the rise of the rate (messages/s) at each message sent
	// back to back with the one before: about 1.25% a second while the
	// limit is busy, nothing while it is idle.
	paceStep = 0.0125
	// paceCut is the decrease on a 429 (multiplied, but never below what
	// was accepted in the last second).
	paceCut = 0.85
	// paceWindow is the span Telegram counts messages over (a second); a
	// cut applies to messages reserved at the pace it set, one cut per window.
	paceWindow = time.Second
	// paceBucket is the width of the buckets counting reservations, over
	// twice the window.
	paceBucket  = 100 * time.Millisecond
	paceBuckets = 20
	// paceTTL: a pace left alone this long is forgotten (back to the ceiling).
	paceTTL = 24 * time.Hour
)

// reserveScript is GCRA (the generic cell rate algorithm) over several keys
// at once. Each key holds a theoretical arrival time (TAT) in microseconds;
// a key allows a message at t >= TAT-tolerance. The message may go at the
// earliest time all keys allow. The slot is reserved on every key (TAT =
// max(TAT, t) + interval) only when that time is within maxwait, within the
// lead of a limit that has one, and taking it would not leave any key idle
// for more than one interval: a chat that must wait a second does not hold
// the global budget for that second, it returns and asks again when its time
// comes. An adaptive limit's interval is the slower of its own (the ceiling)
// and the learnt pace (KEYS[#KEYS]), which rises a little at every
// reservation made back to back with the one before, once a 429 lowered it.
// Reservations are counted in buckets of the pace key, for throttleScript's
// estimate of what got through. Returns {reserved, wait µs}.
//
// KEYS: the limits' keys, then the pace key. ARGV: now µs, maxwait µs, step,
// bucket µs, buckets, ttl ms, then per limit: interval µs, tolerance µs,
// lead µs, adaptive (0 or 1).
var reserveScript = redis.NewScript(`
local now, maxwait = tonumber(ARGV[1]), tonumber(ARGV[2])
local step, bucket, buckets, ttl = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
local pace = KEYS[#KEYS]
local n = #KEYS - 1
local stored = redis.call('HGET', pace, 'rate')
local learning = stored ~= false
local rate = tonumber(stored or '0')
local at = now
local tats, ivs, tols, leads, adaptive = {}, {}, {}, {}, 0
for i = 1, n do
  local b = 6 + 4 * (i - 1)
  local iv, tol = tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2])
  leads[i] = tonumber(ARGV[b + 3])
  if ARGV[b + 4] == '1' then
    adaptive = i
    local ceil = 1e6 / iv
    if rate <= 0 or rate > ceil then rate = ceil end
    iv = math.max(iv, math.floor(1e6 / rate))
  end
  ivs[i], tols[i] = iv, tol
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  tats[i] = tat
  if tat - tol > at then at = tat - tol end
end
local wait = at - now
if wait > maxwait then return {0, wait} end
for i = 1, n do
  local lead = leads[i]
  if lead > 0 and wait > lead then return {0, wait - lead} end
  if at - math.max(now, tats[i] - tols[i]) > ivs[i] then return {0, wait} end
end
for i = 1, n do
  local tat = math.max(tats[i], at) + ivs[i]
  local px = math.floor((tat - now + tols[i]) / 1000) + 1000
  redis.call('SET', KEYS[i], string.format('%d', tat), 'PX', px)
end
if adaptive > 0 then
  local i = adaptive
  local ceil = 1e6 / tonumber(ARGV[6 + 4 * (i - 1) + 1])
  if learning and tats[i] >= at - ivs[i] and rate < ceil then
    rate = math.min(ceil, rate + step)
    redis.call('HSET', pace, 'rate', tostring(rate))
  end
  local k = math.floor(at / bucket)
  local f = k % buckets
  if tonumber(redis.call('HGET', pace, 'e' .. f) or '-1') ~= k then
    redis.call('HSET', pace, 'e' .. f, k, 'c' .. f, 1)
    redis.call('PEXPIRE', pace, ttl)
  else
    redis.call('HINCRBY', pace, 'c' .. f, 1)
  end
end
return {1, wait}
`)

// Reserve takes a sending slot under every limit at once, at the earliest
// time all of them allow, if that is within maxWait of now (and within the
// lead of a limit that has one). It returns how long to wait before sending
// and whether the slot was reserved; when it was not, wait says when to try
// again. Replicas share the state through Redis; now comes from the caller's
// clock so tests control time.
func (s *Store) Reserve(ctx context.Context, now time.Time, limits []news.RateLimit, maxWait time.Duration) (wait time.Duration, ok bool, err error) {
	keys := make([]string, 0, len(limits)+1)
	args := make([]any, 0, 6+4*len(limits))
	args = append(args, now.UnixMicro(), maxWait.Microseconds(), paceStep, paceBucket.Microseconds(), paceBuckets, paceTTL.Milliseconds())
	for _, l := range limits {
		keys = append(keys, s.rateKey(l.Scope, l.ID))
		adaptive := 0
		if l.Adaptive {
			adaptive = 1
		}
		args = append(args, max(l.Interval.Microseconds(), 1), (time.Duration(l.Burst) * l.Interval).Microseconds(), l.Lead.Microseconds(), adaptive)
	}
	keys = append(keys, s.paceKey())
	v, err := reserveScript.Run(ctx, s.rdb, keys, args...).Int64Slice()
	if err != nil {
		return 0, false, fmt.Errorf("rate limit: %w", err)
	}
	return time.Duration(v[1]) * time.Microsecond, v[0] == 1, nil
}

// throttleScript lowers the learnt pace after a 429 on a message reserved at
// slot: multiplied by the cut, and never above what went out in the last
// window (the messages reserved then, less those refused), which is close to
// the real limit when it was overrun. Once per window: messages reserved
// before the last cut took effect do not cut again. The refused message is
// taken off its bucket. KEYS[1] pace. ARGV: now µs, slot µs, ceiling
// (messages/s), cut, floor, window µs, bucket µs, buckets, ttl ms. Returns
// the pace in force, in thousandths of a message per second.
var throttleScript = redis.NewScript(`
local now, slot, ceil = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local cut, floor, window = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local bucket, buckets = tonumber(ARGV[7]), tonumber(ARGV[8])
local pace = KEYS[1]
local k = math.floor(slot / bucket)
local f = k % buckets
if tonumber(redis.call('HGET', pace, 'e' .. f) or '-1') == k then
  redis.call('HINCRBY', pace, 'c' .. f, -1)
end
local rate = tonumber(redis.call('HGET', pace, 'rate') or '0')
if rate <= 0 or rate > ceil then rate = ceil end
local last = tonumber(redis.call('HGET', pace, 'cut') or '0')
if slot >= last + window then
  local nk = math.floor(now / bucket)
  local sent = 0
  for j = nk - math.floor(window / bucket) + 1, nk do
    local g = j % buckets
    if tonumber(redis.call('HGET', pace, 'e' .. g) or '-1') == j then
      sent = sent + tonumber(redis.call('HGET', pace, 'c' .. g) or '0')
    end
  end
  local next = rate * cut
  if sent >= 1 and sent < next then next = sent end
  rate = math.max(floor, next)
  redis.call('HSET', pace, 'rate', tostring(rate), 'cut', string.format('%d', now))
end
redis.call('PEXPIRE', pace, ARGV[9])
return math.floor(rate * 1000)
`)

// Throttled tells the adaptive limit l that Telegram answered 429 to a
// message reserved at slot: the shared pace goes down (see throttleScript).
// It returns the pace now in force, in messages per second.
func (s *Store) Throttled(ctx context.Context, l news.RateLimit, slot, now time.Time) (float64, error) {
	ceil := float64(time.Second) / float64(max(l.Interval, time.Microsecond))
	floor := min(ceil, 1)
	v, err := throttleScript.Run(ctx, s.rdb, []string{s.paceKey()},
		now.UnixMicro(), slot.UnixMicro(), ceil, paceCut, floor, paceWindow.Microseconds(),
		paceBucket.Microseconds(), paceBuckets, paceTTL.Milliseconds()).Int64()
	if err != nil {
		return 0, fmt.Errorf("rate limit pace: %w", err)
	}
	return float64(v) / 1000, nil
}

// Pace returns the learnt pace of the adaptive limit l in messages per
// second: its ceiling until a 429 lowered it.
func (s *Store) Pace(ctx context.Context, l news.RateLimit) (float64, error) {
	ceil := float64(time.Second) / float64(max(l.Interval, time.Microsecond))
	v, err := s.rdb.HGet(ctx, s.paceKey(), "rate").Float64()
	if err == redis.Nil || (err == nil && (v <= 0 || v > ceil)) {
		return ceil, nil
	}
	if err != nil {
		return 0, fmt.Errorf("rate limit pace: %w", err)
	}
	return v, nil
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
