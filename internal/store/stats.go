package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
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
type DayCounts struct {
	Day    time.Time
	Counts map[string]int
}

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
