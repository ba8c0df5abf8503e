package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// noticeKey marks that chat chatID was given the hint named notice.
func (s *Store) noticeKey(chatID int64, notice string) string {
	return s.key("chat", tag(strconv.FormatInt(chatID, 10)), "notice", notice)
}

// FirstNotice reports whether chat chatID has not been given the hint named
// notice in the last ttl, and remembers that it now has (SET NX PX): the
// bot says some things once, whichever replica answers.
func (s *Store) FirstNotice(ctx context.Context, chatID int64, notice string, ttl time.Duration) (bool, error) {
	if notice == "" || ttl < time.Millisecond {
		return false, fmt.Errorf("notice %q for chat %d with ttl %s: %w", notice, chatID, ttl, ErrBadLease)
	}
	err := s.rdb.SetArgs(ctx, s.noticeKey(chatID, notice), "1", redis.SetArgs{Mode: "NX", TTL: ttl}).Err()
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("notice %s for chat %d: %w", notice, chatID, err)
	}
	return true, nil
}
