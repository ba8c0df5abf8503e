package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/migrawatch/migrawatch/internal/news"
)

// Fields of the feed:{id} hash (DESIGN section 3).
const (
	ffURL          = "url"
	ffTitle        = "title"
	ffLang         = "lang"
	ffCountry      = "country"
	ffKind         = "kind"
	ffCharset      = "charset"
	ffSelector     = "selector"
	ffMigration    = "migration_specific"
	ffVerified     = "verified"
	ffETag         = "etag"
	ffLastModified = "last_modified"
	ffBodyHash     = "body_hash"
	ffNextPoll     = "next_poll"
	ffInterval     = "interval"
	ffErrors       = "errors"
	ffLastOK       = "last_ok"
	ffLastError    = "last_error"
	ffLastErrorAt  = "last_error_at"
)

func (s *Store) feedKey(id string) string  { return s.key("feed", tag(id)) }
func (s *Store) leaseKey(id string) string { return s.key("feed", tag(id), "lease") }
func (s *Store) seenKey(id string) string  { return s.key("feed", tag(id), "seen") }
func (s *Store) dueKey() string            { return s.key("feeds", "due") }

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v string) time.Time {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n == 0 {
		return time.Time{}
	}
	return time.UnixMilli(n).UTC()
}

func boolField(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// RegisterFeed adds a feed (or updates its source fields) and makes it due
// now if it was not scheduled yet. Polling state (validators, interval,
// errors) of an already registered feed is kept.
func (s *Store) RegisterFeed(ctx context.Context, src news.Source) error {
	if src.ID == "" || src.URL == "" {
		return fmt.Errorf("register feed: id and url are required")
	}
	kind := src.Kind
	if kind == "" {
		kind = news.KindFeed
	}
	// The feed first, then its place in the schedule: a due entry always
	// has its feed, and registering again completes a half-done registration.
	err := s.write(ctx, inSlot(func(p redis.Pipeliner) {
		p.HSet(ctx, s.feedKey(src.ID),
			ffURL, src.URL, ffTitle, src.Name, ffLang, src.Language, ffCountry, src.Country,
			ffKind, string(kind), ffCharset, src.Charset, ffSelector, src.Selector,
			ffMigration, boolField(src.MigrationSpecific), ffVerified, boolField(src.Verified))
	}), inSlot(func(p redis.Pipeliner) {
		p.ZAddNX(ctx, s.dueKey(), redis.Z{Score: 0, Member: src.ID})
	}))
	if err != nil {
		return fmt.Errorf("register feed %s: %w", src.ID, err)
	}
	return nil
}

// Feed returns a feed's source and polling state; ok is false when no such
// feed is registered.
func (s *Store) Feed(ctx context.Context, id string) (news.FeedState, bool, error) {
	m, err := s.rdb.HGetAll(ctx, s.feedKey(id)).Result()
	if err != nil {
		return news.FeedState{}, false, fmt.Errorf("feed %s: %w", id, err)
	}
	if len(m) == 0 || m[ffURL] == "" {
		return news.FeedState{}, false, nil
	}
	return feedState(id, m), true, nil
}

func feedState(id string, m map[string]string) news.FeedState {
	st := news.FeedState{
		Source: news.Source{
			ID: id, URL: m[ffURL], Name: m[ffTitle], Language: m[ffLang], Country: m[ffCountry],
			Kind: news.SourceKind(m[ffKind]), Charset: m[ffCharset], Selector: m[ffSelector],
			MigrationSpecific: m[ffMigration] == "1", Verified: m[ffVerified] == "1",
		},
		ETag:         m[ffETag],
		LastModified: m[ffLastModified],
		BodyHash:     m[ffBodyHash],
		NextPoll:     fromMS(m[ffNextPoll]),
		LastOK:       fromMS(m[ffLastOK]),
		LastError:    m[ffLastError],
		LastErrorAt:  fromMS(m[ffLastErrorAt]),
	}
	if n, err := strconv.ParseInt(m[ffInterval], 10, 64); err == nil {
		st.Interval = time.Duration(n) * time.Millisecond
	}
	if n, err := strconv.Atoi(m[ffErrors]); err == nil {
		st.Errors = n
	}
	return st
}

// Feeds returns every registered feed, ordered by next poll time.
func (s *Store) Feeds(ctx context.Context) ([]news.FeedState, error) {
	ids, err := s.rdb.ZRange(ctx, s.dueKey(), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("feeds: %w", err)
	}
	cmds := make([]*redis.MapStringStringCmd, len(ids))
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = p.HGetAll(ctx, s.feedKey(id))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("feeds: %w", err)
	}
	out := make([]news.FeedState, 0, len(ids))
	for i, id := range ids {
		m := cmds[i].Val()
		if m[ffURL] == "" {
			continue
		}
		out = append(out, feedState(id, m))
	}
	return out, nil
}

// RemoveFeed deletes a feed with its lease and seen keys and unschedules it.
// Subscriptions (feed:{id}:subs) belong to the chats and are left alone.
func (s *Store) RemoveFeed(ctx context.Context, id string) error {
	err := s.write(ctx, inSlot(func(p redis.Pipeliner) {
		p.ZRem(ctx, s.dueKey(), id)
	}), inSlot(func(p redis.Pipeliner) {
		p.Del(ctx, s.feedKey(id), s.seenKey(id), s.leaseKey(id))
	}))
	if err != nil {
		return fmt.Errorf("remove feed %s: %w", id, err)
	}
	return nil
}

// PollFeedAt makes a registered feed due at t (zero: now).
func (s *Store) PollFeedAt(ctx context.Context, id string, t time.Time) error {
	if err := s.rdb.ZAddXX(ctx, s.dueKey(), redis.Z{Score: float64(ms(t)), Member: id}).Err(); err != nil {
		return fmt.Errorf("schedule feed %s: %w", id, err)
	}
	return nil
}

// DueFeeds returns up to limit feed ids whose next poll time is at or before
// now, most overdue first.
func (s *Store) DueFeeds(ctx context.Context, now time.Time, limit int) ([]string, error) {
	ids, err := s.rdb.ZRangeArgs(ctx, redis.ZRangeArgs{
		Key: s.dueKey(), Start: "-inf", Stop: strconv.FormatInt(now.UnixMilli(), 10),
		ByScore: true, Count: int64(limit),
	}).Result()
	if err != nil {
		return nil, fmt.Errorf("due feeds: %w", err)
	}
	return ids, nil
}

// acquireLease takes a free lease (SET NX PX) or retakes one the same owner
// still holds, extending it: an owner whose release was lost to a Redis
// blip must not be locked out of its own feed until the lease expires.
var acquireLease = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
  redis.call("PEXPIRE", KEYS[1], ARGV[2])
  return 1
end
if redis.call("SET", KEYS[1], ARGV[1], "NX", "PX", ARGV[2]) then return 1 end
return 0`)

// AcquireFeedLease takes the feed's poll lease for owner (a replica id) for
// ttl; it reports false when another owner holds it. An owner that holds it
// already (its release failed while Redis was away) takes it again.
func (s *Store) AcquireFeedLease(ctx context.Context, id, owner string, ttl time.Duration) (bool, error) {
	n, err := acquireLease.Run(ctx, s.rdb, []string{s.leaseKey(id)}, owner, max(ttl.Milliseconds(), 1)).Int()
	if err != nil {
		return false, fmt.Errorf("lease feed %s: %w", id, err)
	}
	return n == 1, nil
}

// releaseLease deletes the lease only when owner still holds it, so a
// replica whose lease expired never frees another replica's lease.
var releaseLease = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0`)

// ReleaseFeedLease frees the feed's lease if owner holds it; released is
// false when the lease had expired or belonged to someone else.
func (s *Store) ReleaseFeedLease(ctx context.Context, id, owner string) (released bool, err error) {
	n, err := releaseLease.Run(ctx, s.rdb, []string{s.leaseKey(id)}, owner).Int()
	if err != nil {
		return false, fmt.Errorf("release lease of feed %s: %w", id, err)
	}
	return n == 1, nil
}

// UnseenItems returns the keys (in their order) not yet in the feed's seen set.
func (s *Store) UnseenItems(ctx context.Context, id string, keys []string) ([]string, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	scores, err := s.rdb.ZMScore(ctx, s.seenKey(id), keys...).Result()
	if err != nil {
		return nil, fmt.Errorf("seen items of feed %s: %w", id, err)
	}
	var out []string
	for i, sc := range scores {
		if sc == 0 {
			out = append(out, keys[i])
		}
	}
	return out, nil
}

// markSeen stamps every key with now and trims the set in one atomic step:
// first by age (keys not seen in the feed for maxAge), then by count
// (keeping the most recently seen). Scores are the last time a key was
// listed, so an item that stays in a slow feed never expires and comes back
// as new. The key itself expires after maxAge without polls.
var markSeen = redis.NewScript(`
local now = tonumber(ARGV[1])
local maxAge = tonumber(ARGV[2])
local maxCount = tonumber(ARGV[3])
for i = 4, #ARGV, 500 do
  local args = {}
  for j = i, math.min(i + 499, #ARGV) do
    args[#args + 1] = now
    args[#args + 1] = ARGV[j]
  end
  redis.call("ZADD", KEYS[1], unpack(args))
end
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", "(" .. (now - maxAge))
redis.call("ZREMRANGEBYRANK", KEYS[1], 0, -(maxCount + 1))
redis.call("PEXPIRE", KEYS[1], maxAge)
return redis.call("ZCARD", KEYS[1])`)

// MarkSeen records keys as seen at now and bounds the seen set by age and
// count; it returns the set's size afterwards.
func (s *Store) MarkSeen(ctx context.Context, id string, keys []string, now time.Time, maxAge time.Duration, maxCount int) (int, error) {
	if maxAge <= 0 || maxCount <= 0 {
		return 0, fmt.Errorf("mark seen %s: maxAge and maxCount must be positive", id)
	}
	args := make([]any, 0, len(keys)+3)
	args = append(args, now.UnixMilli(), maxAge.Milliseconds(), maxCount)
	for _, k := range keys {
		args = append(args, k)
	}
	n, err := markSeen.Run(ctx, s.rdb, []string{s.seenKey(id)}, args...).Int()
	if err != nil {
		return 0, fmt.Errorf("mark seen %s: %w", id, err)
	}
	return n, nil
}

// SeenCount returns the size of a feed's seen set.
func (s *Store) SeenCount(ctx context.Context, id string) (int, error) {
	n, err := s.rdb.ZCard(ctx, s.seenKey(id)).Result()
	if err != nil {
		return 0, fmt.Errorf("seen count %s: %w", id, err)
	}
	return int(n), nil
}

// recordPoll updates the hash only while the feed exists, so a poll that
// finishes after RemoveFeed does not bring the feed back.
var recordPoll = redis.NewScript(`
if redis.call("EXISTS", KEYS[1]) == 0 then return 0 end
if ARGV[1] ~= "" and (redis.call("HGET", KEYS[1], "title") or "") == "" then
  redis.call("HSET", KEYS[1], "title", ARGV[1])
end
redis.call("HSET", KEYS[1], unpack(ARGV, 2))
return 1`)

// RecordPoll saves a poll's outcome: next poll time and interval, error
// count, last_ok or last_error, and the validators when asked. The due
// time is moved only for a feed still registered.
func (s *Store) RecordPoll(ctx context.Context, id string, r news.PollRecord) error {
	fields := []any{
		r.Title, ffNextPoll, ms(r.NextPoll), ffInterval, r.Interval.Milliseconds(), ffErrors, r.Errors,
	}
	if r.OK {
		fields = append(fields, ffLastOK, ms(r.At))
	} else {
		fields = append(fields, ffLastError, r.Err, ffLastErrorAt, ms(r.At))
	}
	if r.SetValidators {
		fields = append(fields, ffETag, r.ETag, ffLastModified, r.LastModified, ffBodyHash, r.BodyHash)
	}
	err := s.write(ctx, inSlot(func(p redis.Pipeliner) {
		recordPoll.Eval(ctx, p, []string{s.feedKey(id)}, fields...)
	}), inSlot(func(p redis.Pipeliner) {
		p.ZAddXX(ctx, s.dueKey(), redis.Z{Score: float64(ms(r.NextPoll)), Member: id})
	}))
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("record poll of feed %s: %w", id, err)
	}
	return nil
}
