package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/migrawatch/migrawatch/config"
	"github.com/migrawatch/migrawatch/internal/metrics"
	"github.com/migrawatch/migrawatch/internal/store"
)

// Bounds of start-up and shutdown.
const (
	// redisConnectWait is how long start-up waits for Redis to answer (it may
	// start at the same time as the bot, as with Docker Compose).
	redisConnectWait = 30 * time.Second
	// shutdownGrace is how long the components get to stop once the context is
	// cancelled; after it run returns anyway, naming the ones still running.
	shutdownGrace = 20 * time.Second
	// httpShutdownWait bounds the wait for in-flight HTTP requests.
	httpShutdownWait = 5 * time.Second
)

func cmdRun(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("run", "", `Run the bot: poll the feeds, understand the articles, answer commands and deliver
messages on Telegram. Needs TELEGRAM_BOT_TOKEN. Without REDIS_URL it keeps its state in an
embedded in-process store that does not survive a restart.

Stops cleanly on SIGINT or SIGTERM.`)
	configPath := configFlag(fs)
	rest, err := parseFlags(fs, args, e)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return &usageError{fmt.Sprintf("run takes no arguments, got %q", rest)}
	}
	cfg, err := loadConfig(e, *configPath)
	if err != nil {
		return err
	}
	if cfg.Telegram.Token == "" {
		return errors.New("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather in Telegram and start MigraWatch with TELEGRAM_BOT_TOKEN=<token> (preview and check-feed need no token)")
	}
	logger := newLogger(cfg.Log, e.stderr)
	a, err := newApp(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer a.close()
	return a.serve(ctx)
}

// app holds the long-lived parts of a running bot. newApp builds the shared
// ones (configuration, logger, Redis, store, metrics, HTTP routes); serve
// starts each component through one small start function that registers its
// goroutines in a group, so that every goroutine has an owner that waits for it.
type app struct {
	cfg     *config.Config
	log     *slog.Logger
	rdb     redis.UniversalClient
	store   *store.Store
	metrics *metrics.Metrics
	health  *metrics.Health
	// mux serves /healthz, /readyz and /metrics; components add their routes
	// (the webhook) before startHTTP runs.
	mux *http.ServeMux
	// closers run in reverse order when the app is closed.
	closers []func()
}

// newApp connects to Redis (or starts the embedded store) and prepares the
// shared parts. The caller must call close.
func newApp(ctx context.Context, cfg *config.Config, logger *slog.Logger) (*app, error) {
	a := &app{cfg: cfg, log: logger, mux: http.NewServeMux()}
	rdb, closeRedis, err := connectRedis(ctx, cfg.Redis, logger)
	if err != nil {
		return nil, err
	}
	a.closers = append(a.closers, closeRedis)
	a.rdb = rdb
	a.store = store.New(rdb, cfg.Redis.Prefix)
	a.metrics = metrics.New()
	a.health = &metrics.Health{Ping: func(ctx context.Context) error { return rdb.Ping(ctx).Err() }}
	a.health.Start()
	h := metrics.Handler(a.metrics, a.health)
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		a.mux.Handle(path, h)
	}
	return a, nil
}

// close releases what newApp acquired, last acquired first.
func (a *app) close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
}

// serve starts every component and returns when all have stopped: after ctx
// is cancelled (nil error) or after one of them failed (its error; the others
// are stopped first).
func (a *app) serve(ctx context.Context) error {
	g := newGroup(ctx, a.log, shutdownGrace)
	// Components that register HTTP routes start before the HTTP server:
	//   a.startPoller(g), a.startBot(g), a.startSenders(g)
	starters := []struct {
		name  string
		start func(*group) error
	}{
		{"http", a.startHTTP},
	}
	for _, s := range starters {
		if err := s.start(g); err != nil {
			g.stop(fmt.Errorf("start %s: %w", s.name, err))
			break
		}
	}
	if g.ctx.Err() == nil {
		a.log.Info("migrawatch running", "version", version, "sources", len(a.cfg.Catalog))
	}
	err := g.Wait()
	if err != nil {
		a.log.Error("migrawatch stopped", "err", err)
		return err
	}
	a.log.Info("migrawatch stopped")
	return nil
}

// startHTTP listens on http.addr (failing at once if the address is taken)
// and serves a.mux until the group stops.
func (a *app) startHTTP(g *group) error {
	ln, err := net.Listen("tcp", a.cfg.HTTP.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (MIGRAWATCH_HTTP_ADDR): %w", a.cfg.HTTP.Addr, err)
	}
	srv := &http.Server{
		Handler:           a.mux,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	a.log.Info("http server listening", "addr", ln.Addr().String())
	g.Go("http", func(ctx context.Context) error {
		errc := make(chan error, 1)
		go func() { errc <- srv.Serve(ln) }()
		select {
		case err := <-errc:
			return err
		case <-ctx.Done():
		}
		sctx, cancel := context.WithTimeout(context.Background(), httpShutdownWait)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			_ = srv.Close()
		}
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	return nil
}

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
	backoff := 250 * time.Millisecond
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
		if time.Now().Add(backoff).After(deadline) {
			return fmt.Errorf("redis %s does not answer after %s: %w", target, wait, err)
		}
		logger.Warn("redis does not answer yet; retrying", "redis", target, "attempt", attempt, "err", err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("redis %s: %w", target, ctx.Err())
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
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

// group runs the components' goroutines. The first one to fail stops the
// others (through the shared context); Wait returns when all have returned,
// or shutdownGrace after the context ended, naming those still running.
type group struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	log    *slog.Logger
	grace  time.Duration

	wg      sync.WaitGroup
	mu      sync.Mutex
	running map[string]int
	err     error
}

func newGroup(parent context.Context, logger *slog.Logger, grace time.Duration) *group {
	ctx, cancel := context.WithCancelCause(parent)
	return &group{ctx: ctx, cancel: cancel, log: logger, grace: grace, running: map[string]int{}}
}

// Go runs fn in a goroutine owned by the group. fn must return when its
// context is cancelled; a nil or context.Canceled return then is a clean stop.
func (g *group) Go(name string, fn func(ctx context.Context) error) {
	g.wg.Add(1)
	g.mu.Lock()
	g.running[name]++
	g.mu.Unlock()
	go func() {
		defer g.wg.Done()
		err := fn(g.ctx)
		g.mu.Lock()
		g.running[name]--
		if g.running[name] == 0 {
			delete(g.running, name)
		}
		g.mu.Unlock()
		if err != nil && !(g.ctx.Err() != nil && errors.Is(err, context.Canceled)) {
			g.stop(fmt.Errorf("%s: %w", name, err))
			return
		}
		g.log.Debug("component stopped", "component", name)
	}()
}

// stop ends the group with err (the first error wins).
func (g *group) stop(err error) {
	g.mu.Lock()
	if g.err == nil {
		g.err = err
	}
	g.mu.Unlock()
	g.cancel(err)
}

// Wait waits for every goroutine and returns the first error.
func (g *group) Wait() error {
	done := make(chan struct{})
	go func() { g.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-g.ctx.Done():
		g.log.Info("shutting down", "cause", context.Cause(g.ctx))
		select {
		case <-done:
		case <-time.After(g.grace):
			g.mu.Lock()
			names := make([]string, 0, len(g.running))
			for n := range g.running {
				names = append(names, n)
			}
			g.mu.Unlock()
			sort.Strings(names)
			g.stop(fmt.Errorf("shutdown took longer than %s; still running: %s", g.grace, strings.Join(names, ", ")))
		}
	}
	g.cancel(nil)
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}
