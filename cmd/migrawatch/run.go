package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	// Chats pick IANA time zones; embedding the database keeps /tz working on
	// minimal images and machines without /usr/share/zoneinfo.
	_ "time/tzdata"

	"github.com/redis/go-redis/v9"

	"github.com/migrawatch/migrawatch/config"
	"github.com/migrawatch/migrawatch/internal/alert"
	"github.com/migrawatch/migrawatch/internal/archive"
	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/metrics"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/telegram"
)

// version and commit are set at build time:
//
//	go build -ldflags "-X main.version=1.2.0 -X main.commit=abc1234" ./cmd/migrawatch
var (
	version = "dev"
	commit  = ""
)

// env is what a subcommand may touch of the outside world.
type env struct {
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

// commands lists the subcommands in the order the usage shows them.
func commands() []command {
	return []command{
		{"run", "run the bot (the default command)", cmdRun},
		{"preview", "read feeds once and print what the bot would send, without Telegram or Redis", cmdPreview},
		{"check-feed", "fetch or read one feed and diagnose it", cmdCheckFeed},
		{"healthcheck", "ask a running bot whether it is alive (for container health checks)", cmdHealthcheck},
		{"version", "print the version", cmdVersion},
	}
}

// run is the whole program: args are the command line including the program
// name, getenv reads the environment, and every output goes to stdout or
// stderr. It returns when the command is done or, for the bot, when ctx is
// cancelled and every component has stopped.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	e := &env{getenv: getenv, stdout: stdout, stderr: stderr}
	if len(args) > 0 {
		args = args[1:]
	}
	name := "run"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	} else if len(args) > 0 && isHelpFlag(args[0]) {
		usage(stdout)
		return nil
	}
	if name == "help" {
		if len(args) == 0 {
			usage(stdout)
			return nil
		}
		name, args = args[0], []string{"-h"}
	}
	for _, c := range commands() {
		if c.name == name {
			err := c.run(ctx, e, args)
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return err
		}
	}
	usage(stderr)
	return &usageError{fmt.Sprintf("unknown command %q (commands: %s)", name, commandNames())}
}

func isHelpFlag(s string) bool {
	return s == "-h" || s == "-help" || s == "--help"
}

func commandNames() string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return strings.Join(names, ", ")
}

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
	// fetcher is shared by everything that reads feeds and pages, so the
	// address guard, limits and connection reuse are the same everywhere.
	fetcher *feed.Fetcher
	// tg is the Bot API client, made by the first component that needs it.
	tg *telegram.Client
	// alerts is the keyword alert index the router matches articles against.
	alerts *alert.Index
	// alertsReady is closed once the alert index holds every stored alert.
	alertsReady <-chan struct{}
	// quotes is the archive of who said what: the senders add the quotes of
	// delivered stories, the bot answers /quotes from it.
	quotes *archive.Archive
	// botUsername is the bot's username once Telegram has told it (getMe).
	botUsername atomic.Pointer[string]
	// replica names this process in leases and the consumer group.
	replica string
	// mux serves /healthz, /readyz and /metrics; components add their routes
	// (the webhook) before startHTTP runs.
	mux *http.ServeMux
	// closers run in reverse order when the app is closed.
	closers []func()
}

// newApp connects to Redis (or starts the embedded store) and prepares the
// shared parts. The caller must call close.
func newApp(ctx context.Context, cfg *config.Config, logger *slog.Logger) (*app, error) {
	a := &app{cfg: cfg, log: logger, mux: http.NewServeMux(), replica: replicaID(cfg.Redis.ReplicaID)}
	rdb, closeRedis, err := connectRedis(ctx, cfg.Redis, logger)
	if err != nil {
		return nil, err
	}
	a.closers = append(a.closers, closeRedis)
	a.rdb = rdb
	a.store = store.New(rdb, cfg.Redis.Prefix)
	quotes, err := archive.New(archive.Options{Store: a.store})
	if err != nil {
		a.close()
		return nil, err
	}
	a.quotes = quotes
	a.fetcher = feed.NewFetcher(fetcherOptions(cfg))
	a.metrics = metrics.New()
	a.health = &metrics.Health{Ping: func(ctx context.Context) error { return rdb.Ping(ctx).Err() }}
	// Readiness: every poll should succeed now and then (when there is
	// anything to poll), and waiting jobs should see a successful send.
	if len(pollable(cfg.Catalog)) > 0 {
		a.health.MaxPollAge = 2*cfg.Poll.MaxInterval + 2*time.Minute
	}
	a.health.MaxSendAge = maxSendAge
	a.health.Backlog = a.oldestJobAge
	a.health.Start()
	a.metrics.SetGaugeSource(a.gauges)
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
	// One entry per component, started in this order. "http" comes first so
	// that a taken address fails at once and /healthz answers during start-up;
	// components may still add routes (the webhook) to a.mux afterwards, as a
	// ServeMux is safe for concurrent use.
	starters := []struct {
		name  string
		start func(*group) error
	}{
		{"http", a.startHTTP},
		{"alerts", a.startAlerts},
		{"poller", a.startPoller},
		{"senders", a.startSenders},
		{"bot", a.startBot},
	}
	for _, s := range starters {
		if g.ctx.Err() != nil {
			break // stopped during start-up: a clean stop, not a failure
		}
		if err := s.start(g); err != nil {
			if g.ctx.Err() == nil {
				g.stop(fmt.Errorf("start %s: %w", s.name, err))
			}
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
