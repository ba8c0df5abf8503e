package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/redis/go-redis/v9"
)

// ErrAlertLimit means the chat already has as many alerts as it may keep.
var ErrAlertLimit = news.ErrAlertLimit

// alertsChangedChannel is the pub/sub channel (under the prefix) on which a
// chat id is published whenever that chat's alerts change, so every
// replica's alert index reloads that chat.
func (s *Store) alertsChangedChannel() string { return s.key("alerts", "changed") }

// recentKey is the stream of recent articles /testalert runs queries on.
func (s *Store) recentKey() string { return s.key("alerts", "recent") }

// addAlertScript adds an alert unless the chat has it already (then 0) or
// has max alerts (then -1). KEYS[1] chat:{id}:alerts; ARGV id, query, max.
var addAlertScript = redis.NewScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return -1 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`)

// AddAlert stores alert a (a.ID must be set) unless chat a.ChatID already has
// max alerts (ErrAlertLimit). added is false when the chat already had an
// alert with that id; it is kept unchanged. Replicas are told of the change.
func (s *Store) AddAlert(ctx context.Context, a news.Alert, max int) (added bool, err error) {
	if a.ID == "" {
		return false, fmt.Errorf("add alert of chat %d: empty id", a.ChatID)
	}
	k := s.chatKeySet(a.ChatID).alerts
	n, err := addAlertScript.Run(ctx, s.rdb, []string{k}, a.ID, a.Query, max).Int()
	if err != nil {
		return false, fmt.Errorf("add alert of chat %d: %w", a.ChatID, err)
	}
	switch n {
	case -1:
		return false, ErrAlertLimit
	case 0:
		return false, nil
	}
	if err := s.NotifyAlertsChanged(ctx, a.ChatID); err != nil {
		return true, err
	}
	return true, nil
}

// RemoveAlert deletes alert alertID of chat chatID, reporting whether it existed.
func (s *Store) RemoveAlert(ctx context.Context, chatID int64, alertID string) (removed bool, err error) {
	n, err := s.rdb.HDel(ctx, s.chatKeySet(chatID).alerts, alertID).Result()
	if err != nil {
		return false, fmt.Errorf("remove alert %s of chat %d: %w", alertID, chatID, err)
	}
	if n == 0 {
		return false, nil
	}
	return true, s.NotifyAlertsChanged(ctx, chatID)
}

// ChatAlerts returns chat chatID's alerts sorted by id (ids made by
// alert.NewID sort in creation order).
func (s *Store) ChatAlerts(ctx context.Context, chatID int64) ([]news.Alert, error) {
	h, err := s.rdb.HGetAll(ctx, s.chatKeySet(chatID).alerts).Result()
	if err != nil {
		return nil, fmt.Errorf("alerts of chat %d: %w", chatID, err)
	}
	return alertsOf(chatID, h), nil
}

func alertsOf(chatID int64, h map[string]string) []news.Alert {
	out := make([]news.Alert, 0, len(h))
	for id, q := range h {
		out = append(out, news.Alert{ID: id, ChatID: chatID, Query: q})
	}
	slices.SortFunc(out, func(a, b news.Alert) int {
		if c := len(a.ID) - len(b.ID); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// AllAlerts returns every chat's alerts. It scans the key space (every
// master on Redis Cluster): it is meant for start-up, not for each article.
func (s *Store) AllAlerts(ctx context.Context) ([]news.Alert, error) {
	pattern := s.key("chat", "{*}", "alerts")
	head, tail := s.key("chat", "{"), "}:alerts"
	var (
		mu  sync.Mutex
		all []news.Alert
	)
	scan := func(ctx context.Context, c redis.Cmdable) error {
		it := c.Scan(ctx, 0, pattern, 1000).Iterator()
		for it.Next(ctx) {
			k := it.Val()
			if !strings.HasPrefix(k, head) || !strings.HasSuffix(k, tail) {
				continue
			}
			id, err := strconv.ParseInt(k[len(head):len(k)-len(tail)], 10, 64)
			if err != nil {
				continue
			}
			h, err := c.HGetAll(ctx, k).Result()
			if err != nil {
				return err
			}
			as := alertsOf(id, h)
			mu.Lock()
			all = append(all, as...)
			mu.Unlock()
		}
		return it.Err()
	}
	if err := s.onEveryMaster(ctx, scan); err != nil {
		return nil, fmt.Errorf("list alerts: %w", err)
	}
	slices.SortFunc(all, func(a, b news.Alert) int {
		if a.ChatID != b.ChatID {
			if a.ChatID < b.ChatID {
				return -1
			}
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	return all, nil
}

// NotifyAlertsChanged tells every replica that the alerts of chatIDs changed
// (DeleteChat and MigrateChat change them too).
func (s *Store) NotifyAlertsChanged(ctx context.Context, chatIDs ...int64) error {
	for _, id := range chatIDs {
		if err := s.rdb.Publish(ctx, s.alertsChangedChannel(), strconv.FormatInt(id, 10)).Err(); err != nil {
			return fmt.Errorf("publish alert change of chat %d: %w", id, err)
		}
	}
	return nil
}

// WatchAlerts subscribes to alert changes and sends the id of each chat
// whose alerts changed on the returned channel, until ctx ends; then the
// channel is closed. It returns once the subscription is active, so a
// change made after it returns is never missed while the connection holds.
// After a reconnection (go-redis resubscribes by itself) changes made while
// disconnected are lost: callers reload everything now and then.
func (s *Store) WatchAlerts(ctx context.Context) (<-chan int64, error) {
	ps := s.rdb.Subscribe(ctx, s.alertsChangedChannel())
	if _, err := ps.Receive(ctx); err != nil {
		_ = ps.Close()
		return nil, fmt.Errorf("watch alerts: %w", err)
	}
	out := make(chan int64, 64)
	msgs := ps.Channel()
	go func() {
		defer close(out)
		defer ps.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-msgs:
				if !ok {
					return
				}
				id, err := strconv.ParseInt(m.Payload, 10, 64)
				if err != nil {
					continue
				}
				select {
				case out <- id:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}

// Bounds of the recent-articles stream.
const (
	// RecentMaxItems is the most recent articles kept for /testalert.
	RecentMaxItems = 2000
	// RecentMaxAge is how long a recent article is kept.
	RecentMaxAge = 72 * time.Hour
	// recentMaxText caps the text kept per article, in bytes.
	recentMaxText = 16 << 10
)

// recentArticle is what the recent-articles stream keeps of an article:
// what an alert is matched on, and what the bot shows of a match.
type recentArticle struct {
	FeedID     string    `json:"feed_id"`
	Key        string    `json:"key,omitempty"`
	Link       string    `json:"link"`
	Title      string    `json:"title"`
	Text       string    `json:"text"`
	Lang       string    `json:"lang"`
	SourceName string    `json:"source,omitempty"`
	Published  time.Time `json:"published"`
	// Quotes are what speaker: alerts match.
	Quotes []news.Quote `json:"quotes,omitempty"`
}

// RecordRecent appends a to the recent-articles stream, which keeps at most
// RecentMaxItems articles of the last RecentMaxAge (text capped at 16 KiB).
// Entry ids are Redis' clock; now (the caller's clock) only trims old ones.
func (s *Store) RecordRecent(ctx context.Context, a news.Article, now time.Time) error {
	text := a.Text
	if len(text) > recentMaxText {
		text = text[:recentMaxText]
		for !utf8.ValidString(text) {
			text = text[:len(text)-1]
		}
	}
	b, err := json.Marshal(recentArticle{
		FeedID: a.FeedID, Key: a.Key, Link: a.Link, Title: a.Title, Text: text,
		Lang: a.Lang, SourceName: a.SourceName, Published: a.Published, Quotes: a.Summary.Quotes,
	})
	if err != nil {
		return fmt.Errorf("record recent %s: %w", a.Key, err)
	}
	k := s.recentKey()
	minID := strconv.FormatInt(now.Add(-RecentMaxAge).UnixMilli(), 10)
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.XAdd(ctx, &redis.XAddArgs{
			Stream: k,
			MaxLen: RecentMaxItems,
			Approx: true,
			Values: []string{"a", string(b)},
		})
		p.XTrimMinIDApprox(ctx, k, minID, 0)
		return nil
	})
	if err != nil {
		return fmt.Errorf("record recent %s: %w", a.Key, err)
	}
	return nil
}

// Recent returns up to limit recent articles newer than now minus
// RecentMaxAge, newest first.
func (s *Store) Recent(ctx context.Context, now time.Time, limit int) ([]news.Article, error) {
	if limit <= 0 || limit > RecentMaxItems {
		limit = RecentMaxItems
	}
	minID := strconv.FormatInt(now.Add(-RecentMaxAge).UnixMilli(), 10)
	msgs, err := s.rdb.XRevRangeN(ctx, s.recentKey(), "+", minID, int64(limit)).Result()
	if err != nil {
		return nil, fmt.Errorf("recent articles: %w", err)
	}
	out := make([]news.Article, 0, len(msgs))
	for _, m := range msgs {
		raw, _ := m.Values["a"].(string)
		var r recentArticle
		if err := json.Unmarshal([]byte(raw), &r); err != nil {
			continue
		}
		out = append(out, news.Article{
			Item: news.Item{FeedID: r.FeedID, Key: r.Key, Link: r.Link, Title: r.Title,
				Published: r.Published, Language: r.Lang},
			SourceName: r.SourceName, Lang: r.Lang, Text: r.Text, Summary: news.Summary{Quotes: r.Quotes},
		})
	}
	return out, nil
}
