package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// offersKey is the hash of the page addresses chat chatID was offered to
// watch (source id -> URL). An inline button carries at most 64 bytes, too
// few for a URL, so the button names the source id and the address waits
// here, where any replica answering the tap finds it.
func (s *Store) offersKey(chatID int64) string {
	return s.key("chat", tag(strconv.FormatInt(chatID, 10)), "offers")
}

// maxOffers bounds the offers one chat keeps; past it the older ones are dropped.
const maxOffers = 20

// SavePageOffer remembers for ttl that chat chatID was offered to watch the
// page at url as source id. The chat's offers expire together ttl after the
// latest one, and at most maxOffers are kept.
func (s *Store) SavePageOffer(ctx context.Context, chatID int64, id, url string, ttl time.Duration) error {
	k := s.offersKey(chatID)
	pipe := s.rdb.TxPipeline()
	pipe.HSet(ctx, k, id, url)
	pipe.Expire(ctx, k, ttl)
	n := pipe.HLen(ctx, k)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("save page offer for chat %d: %w", chatID, err)
	}
	if n.Val() > maxOffers {
		// A chat asking for that many pages at once keeps only this one.
		pipe := s.rdb.TxPipeline()
		pipe.Del(ctx, k)
		pipe.HSet(ctx, k, id, url)
		pipe.Expire(ctx, k, ttl)
		if _, err := pipe.Exec(ctx); err != nil {
			return fmt.Errorf("save page offer for chat %d: %w", chatID, err)
		}
	}
	return nil
}

// PageOffer returns the page address chat chatID was offered as source id;
// ok is false when the offer expired or never existed.
func (s *Store) PageOffer(ctx context.Context, chatID int64, id string) (url string, ok bool, err error) {
	url, err = s.rdb.HGet(ctx, s.offersKey(chatID), id).Result()
	if err == redis.Nil {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("page offer for chat %d: %w", chatID, err)
	}
	return url, true, nil
}
