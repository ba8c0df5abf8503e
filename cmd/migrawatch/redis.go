package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/migrawatch/migrawatch/config"
	"github.com/migrawatch/migrawatch/internal/backoff"
)

// connectRedis returns a client for the configured Redis, waiting for it to
// answer, or an embedded in-process store when no URL is set. The returned
// function closes what was opened.
func connectRedis(ctx context.Context, c config.Redis, logger *slog.Logger) (redis.UniversalClient, func(), error) {
	mode, err := config.RedisMode(c.URL)
	if err != nil {
		return nil, nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	redisLogOnce.Do(func() { redis.SetLogger(redisLogger{}) })
	redisLog.Store(logger)
	var rdb redis.UniversalClient
	switch mode {
	case config.RedisEmbedded:
		mr := miniredis.NewMiniRedis()
		if err := mr.Start(); err != nil {
			return nil, nil, fmt.Errorf("start the embedded store: %w", err)
		}
		logger.Warn("REDIS_URL is not set: using an embedded in-process store; nothing persists across restarts and replicas cannot share it")
		rdb = redis.NewClient(&redis.Options{Addr: mr.Addr()})
		return rdb, func() { _ = rdb.Close(); mr.Close() }, nil
	case config.RedisSentinel:
		opt, _ := redis.ParseFailoverURL(c.URL)
		rdb = redis.NewFailoverClient(opt)
	case config.RedisCluster:
		opt, _ := redis.ParseClusterURL(c.URL)
		rdb = redis.NewClusterClient(opt)
	default:
		opt, _ := redis.ParseURL(c.URL)
		rdb = redis.NewClient(opt)
	}
	target := redisTarget(c.URL)
	if err := pingUntil(ctx, rdb, redisConnectWait, logger, target); err != nil {
		_ = rdb.Close()
		return nil, nil, err
	}
	logger.Info("redis connected", "redis", target, "mode", mode)
	return rdb, func() { _ = rdb.Close() }, nil
}

// go-redis logs through one process-wide logger; redisLogger sends those
// lines to the slog logger of the running bot.
var (
	redisLogOnce sync.Once
	redisLog     atomic.Pointer[slog.Logger]
)

type redisLogger struct{}

func (redisLogger) Printf(ctx context.Context, format string, v ...any) {
	if l := redisLog.Load(); l != nil {
		l.Warn(fmt.Sprintf(format, v...), "component", "redis")
	}
}

// pingUntil pings rdb until it answers, backing off between tries, for at
// most wait.
func pingUntil(ctx context.Context, rdb redis.UniversalClient, wait time.Duration, logger *slog.Logger, target string) error {
	deadline := time.Now().Add(wait)
	retry := backoff.New(backoff.Policy{Min: 250 * time.Millisecond, Max: 5 * time.Second}, nil)
	for attempt := 1; ; attempt++ {
		pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		err := rdb.Ping(pctx).Err()
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("redis %s: %w", target, ctx.Err())
		}
		pause := retry.Next()
		if time.Now().Add(pause).After(deadline) {
			return fmt.Errorf("redis %s does not answer after %s: %w", target, wait, err)
		}
		logger.Warn("redis does not answer yet; retrying", "redis", target, "attempt", attempt, "err", err)
		if err := retry.Clock.Sleep(ctx, pause); err != nil {
			return fmt.Errorf("redis %s: %w", target, err)
		}
	}
}

// redisTarget names a Redis URL's servers without its credentials.
func redisTarget(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	hosts := append([]string{u.Host}, u.Query()["addr"]...)
	if u.Scheme == "unix" {
		hosts = []string{u.Path}
	}
	return u.Scheme + "://" + strings.Join(hosts, ",")
}
