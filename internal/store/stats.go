package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/migrawatch/migrawatch/internal/news"
)

// statsTTL is how long daily story counts are kept for the /stats chart.
const statsTTL = 62 * 24 * time.Hour

func (s *Store) statsKey(day time.Time) string {
	return s.key("stats", "stories", day.UTC().Format("2006-01-02"))
}

// CountStory adds one new story in lang to the day's counts (UTC days).
func (s *Store) CountStory(ctx context.Context, day time.Time, lang string) error {
	if lang == "" {
		lang = "other"
	}
	k := s.statsKey(day)
	pipe := s.rdb.TxPipeline()
	pipe.HIncrBy(ctx, k, lang, 1)
	pipe.Expire(ctx, k, statsTTL)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("count story: %w", err)
	}
	return nil
}

// DayCounts is one UTC day's story counts by language.
type DayCounts = news.DayCounts

// StoryCounts returns the counts of the days days up to and including last,
// oldest first; days without stories have empty counts.
func (s *Store) StoryCounts(ctx context.Context, last time.Time, days int) ([]DayCounts, error) {
	last = last.UTC().Truncate(24 * time.Hour)
	pipe := s.rdb.Pipeline()
	cmds := make([]*redis.MapStringStringCmd, days)
	out := make([]DayCounts, days)
	for i := range days {
		d := last.AddDate(0, 0, i-days+1)
		out[i] = DayCounts{Day: d, Counts: map[string]int{}}
		cmds[i] = pipe.HGetAll(ctx, s.statsKey(d))
	}
	if _, err := pipe.Exec(ctx); err != nil && err != redis.Nil {
		return nil, fmt.Errorf("story counts: %w", err)
	}
	for i, c := range cmds {
		for lang, v := range c.Val() {
			n, _ := strconv.Atoi(v)
			out[i].Counts[lang] = n
		}
	}
	return out, nil
}

// deliveryTTL is how long the per-minute delivery counts are kept: a day
// and an hour, enough for "last hour" and "last day" figures.
const deliveryTTL = 25 * time.Hour

// deliveriesKey is the hash of one UTC hour's delivery counts, one field per
// minute ("00".."59"): sixty buckets cost one key instead of sixty.
func (s *Store) deliveriesKey(hour time.Time) string {
	return s.key("stats", "sent", hour.UTC().Format("2006-01-02T15"))
}

// lastSentKey is the hash of each chat's last delivery time (chat id ->
// Unix seconds). One hash for all chats keeps it to a few dozen bytes per
// chat, far less than a key each.
func (s *Store) lastSentKey() string { return s.key("stats", "last_sent") }

// CountDelivery counts one message delivered at at, in its minute's bucket.
func (s *Store) CountDelivery(ctx context.Context, at time.Time) error {
	at = at.UTC()
	k := s.deliveriesKey(at)
	pipe := s.rdb.TxPipeline()
	pipe.HIncrBy(ctx, k, at.Format("04"), 1)
	pipe.Expire(ctx, k, deliveryTTL)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("count delivery: %w", err)
	}
	return nil
}

// Deliveries returns how many messages were delivered from since's minute
// on (as far as the counts are kept, about a day).
func (s *Store) Deliveries(ctx context.Context, since time.Time) (int, error) {
	since = since.UTC().Truncate(time.Minute)
	first := since.Truncate(time.Hour)
	hours := int(deliveryTTL/time.Hour) + 1
	pipe := s.rdb.Pipeline()
	cmds := make([]*redis.MapStringStringCmd, hours)
	for i := range hours {
		cmds[i] = pipe.HGetAll(ctx, s.deliveriesKey(first.Add(time.Duration(i)*time.Hour)))
	}
	if _, err := pipe.Exec(ctx); err != nil && err != redis.Nil {
		return 0, fmt.Errorf("deliveries: %w", err)
	}
	total := 0
	for i, c := range cmds {
		hour := first.Add(time.Duration(i) * time.Hour)
		for minute, v := range c.Val() {
			m, err := strconv.Atoi(minute)
			if err != nil || hour.Add(time.Duration(m)*time.Minute).Before(since) {
				continue
			}
			n, _ := strconv.Atoi(v)
			total += n
		}
	}
	return total, nil
}

// SetLastDelivery records that chat chatID last received a message at at
// (kept to the second). An earlier time never replaces a later one, so
// senders finishing out of order leave the latest.
func (s *Store) SetLastDelivery(ctx context.Context, chatID int64, at time.Time) error {
	err := setLatest.Run(ctx, s.rdb, []string{s.lastSentKey()},
		strconv.FormatInt(chatID, 10), strconv.FormatInt(at.Unix(), 10)).Err()
	if err != nil && err != redis.Nil {
		return fmt.Errorf("set last delivery of chat %d: %w", chatID, err)
	}
	return nil
}

// setLatest sets hash field ARGV[1] to ARGV[2] unless it holds a larger number.
var setLatest = redis.NewScript(`
local cur = tonumber(redis.call("HGET", KEYS[1], ARGV[1]) or "0")
if cur < tonumber(ARGV[2]) then
	redis.call("HSET", KEYS[1], ARGV[1], ARGV[2])
end
return 0`)

// LastDelivery returns when chat chatID last received a message; ok is
// false when it never did (or not since the record was kept).
func (s *Store) LastDelivery(ctx context.Context, chatID int64) (at time.Time, ok bool, err error) {
	v, err := s.rdb.HGet(ctx, s.lastSentKey(), strconv.FormatInt(chatID, 10)).Result()
	if err == redis.Nil {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("last delivery of chat %d: %w", chatID, err)
	}
	sec, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("last delivery of chat %d: bad value %q", chatID, v)
	}
	return time.Unix(sec, 0).UTC(), true, nil
}

// Queue returns the sizes of the delivery queues in the domain's terms.
func (s *Store) Queue(ctx context.Context) (news.QueueStats, error) {
	st, err := s.Outbox(ctx)
	if err != nil {
		return news.QueueStats{}, err
	}
	return news.QueueStats{Outbox: st.Length, Pending: st.Pending, Delayed: st.Delayed, Dead: st.Dead}, nil
}

// OldestJobAge is how long the oldest job in the outbox has waited (0 when
// the outbox is empty). Delivered jobs are deleted from the stream, so the
// first entry is the oldest one still waiting; its id carries its time.
func (s *Store) OldestJobAge(ctx context.Context, now time.Time) (time.Duration, error) {
	msgs, err := s.rdb.XRangeN(ctx, s.outboxKey(), "-", "+", 1).Result()
	if err != nil {
		return 0, fmt.Errorf("oldest outbox job: %w", err)
	}
	if len(msgs) == 0 {
		return 0, nil
	}
	ms, _, _ := strings.Cut(msgs[0].ID, "-")
	t, err := strconv.ParseInt(ms, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("oldest outbox job: id %q: %w", msgs[0].ID, err)
	}
	return max(0, now.Sub(time.UnixMilli(t))), nil
}
