package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/migrawatch/migrawatch/config"
	"github.com/migrawatch/migrawatch/internal/alert"
	"github.com/migrawatch/migrawatch/internal/backoff"
	"github.com/migrawatch/migrawatch/internal/bot"
	"github.com/migrawatch/migrawatch/internal/deliver"
	"github.com/migrawatch/migrawatch/internal/extract"
	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/metrics"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/page"
	"github.com/migrawatch/migrawatch/internal/pipeline"
	"github.com/migrawatch/migrawatch/internal/relevance"
	"github.com/migrawatch/migrawatch/internal/summarize"
	"github.com/migrawatch/migrawatch/internal/telegram"
)

// Timings of the running bot that are not worth a configuration key.
const (
	// updatesLeaseTTL is how long the long-polling replica's lease lives; a
	// replica that dies is replaced within about this long.
	updatesLeaseTTL = 15 * time.Second
	// articlePageEvery spaces article page fetches to one host (pages
	// sources and snippet feeds alike).
	articlePageEvery = 5 * time.Second
	// updateWorkers is how many chats' updates are handled at once; updates
	// of one chat stay in order.
	updateWorkers = 64
	// updatesPerChat bounds the updates waiting for one chat.
	updatesPerChat = 20
	// updateDrain is how long queued updates are still answered after
	// SIGTERM; then the handlers' context ends (a feed check, an OPML
	// import), well within shutdownGrace.
	updateDrain = 5 * time.Second
	// weeklyVoicesEvery is how often the due "voices of the week" posts are
	// looked for.
	weeklyVoicesEvery = time.Minute
	// maxSendAge is how long jobs may wait with no successful send before
	// /readyz says the bot is not ready.
	maxSendAge = 10 * time.Minute
)

// replicaID names this process in leases and the senders' consumer group:
// the configured stable name (so that a replica restarted after a crash
// resumes its own jobs at once), else a name unique to this process.
func replicaID(configured string) string {
	if configured != "" {
		return configured
	}
	host, _ := os.Hostname()
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}

// telegramClient returns the process's Bot API client, made on first use.
func (a *app) telegramClient() (*telegram.Client, error) {
	if a.tg != nil {
		return a.tg, nil
	}
	tg, err := telegram.New(a.cfg.Telegram.Token.Reveal(), telegram.Options{
		Endpoint:    a.cfg.Telegram.APIEndpoint,
		PollTimeout: a.cfg.Telegram.LongPollTimeout,
		Logger:      a.log,
	})
	if err != nil {
		return nil, fmt.Errorf("telegram client: %w", err)
	}
	a.tg = tg
	return tg, nil
}

// startAlerts keeps the keyword alert index in step with Redis: a full load,
// then every change any replica publishes.
func (a *app) startAlerts(g *group) error {
	a.alerts = alert.NewIndex()
	syncer := alert.NewSyncer(a.store, a.alerts, 0, a.log)
	a.alertsReady = syncer.Ready()
	g.Go("alerts", syncer.Run)
	return nil
}

// alertMatcher lets the router match articles against the alert index.
type alertMatcher struct{ x *alert.Index }

func (m alertMatcher) Match(art news.Article) []news.AlertMatch { return m.x.MatchArticle(art) }

// startPoller registers the catalog's feeds and polls every due feed,
// understanding and routing each new article.
func (a *app) startPoller(g *group) error {
	ctx := g.ctx
	for _, src := range a.cfg.Catalog {
		if _, local := config.LocalPath(src.URL); local {
			a.log.Warn("a local file source is only read by preview and check-feed", "feed_id", src.ID, "feed_url", src.URL)
		}
	}
	polled := pollable(a.cfg.Catalog)
	for _, src := range polled {
		if err := a.store.RegisterFeed(ctx, src); err != nil {
			return fmt.Errorf("register feed %s: %w", src.ID, err)
		}
	}
	scorer, err := relevance.Default()
	if err != nil {
		return err
	}
	var matcher deliver.AlertMatcher
	if a.alerts != nil {
		matcher = alertMatcher{a.alerts}
	}
	router := deliver.NewRouter(a.store, a.store, a.store, matcher, deliver.RouterConfig{Figures: a.store, Logger: a.log})
	pages := &page.Reader{
		Fetch:     page.FetchVia(a.fetcher),
		Robots:    page.NewRobotsCache(page.RobotsVia(a.fetcher), "MigraWatch", 0, nil),
		Pacer:     page.NewPacer(articlePageEvery, nil),
		Canonical: feed.CanonicalURL,
	}
	u := &pipeline.Understander{
		Enricher:  extract.New(pageFetcher(a.fetcher), extract.WithMinText(a.cfg.Extract.MinFeedTextChars)),
		Scorer:    scorer,
		Summarize: summarize.Summarize,
		Pages:     articleReader{pages},
		Route: func(ctx context.Context, art news.Article) error {
			err := router.Deliver(ctx, art)
			if err != nil {
				a.metrics.RedisError()
			}
			return err
		},
		Understood: func(took time.Duration, relevant bool) {
			a.metrics.Understood(took)
			if relevant {
				a.metrics.Items("relevant", 1)
			}
		},
		Logger: a.log,
	}
	p := a.cfg.Poll
	sched := pipeline.New(a.store, a.fetcher, u, pipeline.Options{
		Concurrency: p.Concurrency, PerHost: p.PerHost,
		DefaultInterval: p.DefaultInterval, MinInterval: p.MinInterval, MaxInterval: p.MaxInterval,
		BackoffCap: p.BackoffCap, Jitter: p.Jitter, Backfill: p.Backfill,
		SeenMaxAge: p.SeenMaxAge, SeenMaxCount: p.SeenMaxCount,
		Replica: a.replica,
		Pages:   pages,
		OnPoll:  a.observePoll,
		Logger:  a.log,
	})
	a.log.Info("poller started", "feeds", len(polled), "replica", a.replica)
	g.Go("poller", func(ctx context.Context) error {
		// Route nothing before every chat's alerts are in the index, or
		// the first articles would miss their alerts.
		if a.alertsReady != nil {
			select {
			case <-a.alertsReady:
			case <-ctx.Done():
				return nil
			}
		}
		return sched.Run(ctx)
	})
	return nil
}

// observePoll feeds one poll's result to the metrics and the readiness check.
func (a *app) observePoll(r pipeline.Result, took time.Duration) {
	result := r.Label()
	a.metrics.PollDone(result, took)
	if result == "ok" || result == "not_modified" {
		a.health.PollSucceeded()
	}
	a.metrics.Items("seen", r.Items)
	a.metrics.Items("new", r.New)
}

// articleReader adapts the page reader to the pipeline's view of an article page.
type articleReader struct{ r *page.Reader }

func (ar articleReader) ReadArticle(ctx context.Context, u string) (pipeline.ArticlePage, error) {
	p, err := ar.r.ReadArticle(ctx, u)
	if err != nil {
		return pipeline.ArticlePage{}, err
	}
	return pipeline.ArticlePage{Link: p.Link, Title: p.Title, Published: p.Published, Text: p.Text, TextSource: p.TextSource, Lang: p.Lang}, nil
}

// startSenders drains the outbox into Telegram and sends the digests.
func (a *app) startSenders(g *group) error {
	tg, err := a.telegramClient()
	if err != nil {
		return err
	}
	if err := a.store.EnsureOutbox(g.ctx); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	d := a.cfg.Deliver
	sender := deliver.NewSender(tg, a.store, a.store, a.store, a.store, deliver.SenderConfig{
		Consumer:    a.replica,
		Global:      perSecond(d.GlobalPerSec),
		PerChat:     perSecond(d.PerChatPerSec),
		PerGroup:    deliver.Rate{N: max(1, int(d.GroupPerMin)), Per: time.Minute},
		MaxAttempts: d.MaxAttempts,
		ClaimIdle:   d.ClaimIdle,
		Logger:      a.log,
		Figures:     a.store,
		Observers:   []deliver.Observer{a.metrics, a.health},
		Buttons:     a.speakerButtons,
		Delivered:   a.quotes.Record,
	})
	digester := deliver.NewDigester(a.store, deliver.DigesterConfig{Logger: a.log})
	g.Go("sender", sender.Run)
	g.Go("digests", digester.Run)
	return nil
}

// speakerButtons is the "more from this speaker" keyboard under an article
// delivered to chat c.
func (a *app) speakerButtons(art news.Article, c news.Chat) [][]news.Button {
	name := ""
	if p := a.botUsername.Load(); p != nil {
		name = *p
	}
	return bot.SpeakerButtons(c, a.quotes.ShownSpeakers(art, time.Now()), name)
}

// perSecond turns a configured messages-per-second figure into a Rate,
// keeping fractions (0.5/s is one message every two seconds).
func perSecond(v float64) deliver.Rate {
	if v <= 0 {
		return deliver.Rate{}
	}
	if v >= 1 {
		return deliver.Rate{N: int(v), Per: time.Second}
	}
	return deliver.Rate{N: 1, Per: time.Duration(float64(time.Second) / v)}
}

// oldestJobAge is the readiness check's view of the outbox: how long the
// oldest waiting job has waited (0 when none waits).
func (a *app) oldestJobAge(ctx context.Context) (time.Duration, error) {
	return a.store.OldestJobAge(ctx, time.Now())
}

// startBot answers Telegram updates: by webhook when one is configured (every
// replica serves it), else by long polling from the one replica holding the
// updates lease. The webhook route exists from the start; the bot itself
// comes up in the background once Telegram has said who it is, so /healthz
// answers even while Telegram is out of reach.
func (a *app) startBot(g *group) error {
	tg, err := a.telegramClient()
	if err != nil {
		return err
	}
	d := a.cfg.Deliver
	replies := deliver.NewReplies(tg, a.store, deliver.RepliesConfig{
		Global:   perSecond(d.GlobalPerSec),
		PerChat:  perSecond(d.PerChatPerSec),
		PerGroup: deliver.Rate{N: max(1, int(d.GroupPerMin)), Per: time.Minute},
		Logger:   a.log,
	})
	var intake *bot.Intake
	ready := make(chan struct{})
	handle := func(ctx context.Context, u news.Update) {
		select {
		case <-ready:
			intake.Handle(ctx, u)
		case <-ctx.Done():
		}
	}
	wh := a.cfg.Telegram.Webhook
	if wh.URL != "" {
		u, err := url.Parse(wh.URL)
		if err != nil {
			return fmt.Errorf("webhook URL: %w", err)
		}
		path := u.Path
		if path == "" {
			path = "/"
		}
		a.mux.Handle("POST "+path, tg.WebhookHandler(wh.Secret.Reveal(), handle))
	}
	g.Go("bot", func(ctx context.Context) error {
		me, err := getMe(ctx, tg, a)
		if err != nil {
			return err
		}
		b, err := bot.New(bot.Options{
			Telegram: botTelegram{Client: tg, replies: replies}, Store: a.store, Feeds: a.store, Checker: a.fetcher, Pages: a.fetcher,
			Offers: a.store, Alerts: a.store, Ops: a.store, Stories: a.store, Deliveries: a.store,
			Catalog: a.cfg.Catalog, BotID: me.ID, BotUsername: me.Username,
			AdminChats: a.cfg.Telegram.AdminChatIDs, Logger: a.log,
			Quotes: a.quotes, QuoteState: a.store,
		})
		if err != nil {
			return fmt.Errorf("bot: %w", err)
		}
		a.botUsername.Store(&me.Username)
		g.Go("weekly-voices", func(ctx context.Context) error { return b.RunWeeklyVoices(ctx, weeklyVoicesEvery) })
		for _, lang := range []string{"", news.Arabic, news.French, news.English} {
			if err := tg.SetMyCommands(ctx, lang, b.MenuCommands(lang)); err != nil {
				a.log.Warn("the command menu was not set; commands still work", "lang", lang, "err", err)
			}
		}
		intake = bot.NewIntake(b.HandleUpdate, bot.IntakeOptions{
			Workers: updateWorkers, PerChat: updatesPerChat, Drain: updateDrain, Logger: a.log,
		})
		close(ready)
		g.Go("update-workers", intake.Run)
		if wh.URL != "" {
			if err := tg.SetWebhook(ctx, wh.URL, wh.Secret.Reveal()); err != nil {
				return fmt.Errorf("setWebhook: %w", err)
			}
			a.log.Info("receiving updates by webhook", "bot", me.Username)
			<-ctx.Done()
			return nil
		}
		if err := tg.DeleteWebhook(ctx, false); err != nil {
			a.log.Warn("deleteWebhook failed; long polling may be refused while a webhook is set", "err", err)
		}
		a.log.Info("receiving updates by long polling while holding the updates lease", "bot", me.Username)
		return tg.PollAsLeader(ctx, a.store, a.replica, updatesLeaseTTL, handle)
	})
	return nil
}

// getMe asks Telegram who the bot is, retrying while the server cannot be
// reached; a refused token ends start-up with a clear error.
func getMe(ctx context.Context, tg *telegram.Client, a *app) (news.User, error) {
	retry := backoff.New(backoff.Policy{Min: time.Second, Max: time.Minute}, nil)
	for {
		me, err := tg.GetMe(ctx)
		if err == nil {
			return me, nil
		}
		var apiErr *telegram.APIError
		if errors.As(err, &apiErr) && (apiErr.Code == 401 || apiErr.Code == 404) {
			return news.User{}, fmt.Errorf("Telegram refused the bot token (TELEGRAM_BOT_TOKEN): %w", err)
		}
		wait := retry.Next()
		a.log.Warn("Telegram does not answer getMe yet", "retry_in", wait, "err", err)
		if err := retry.Clock.Sleep(ctx, wait); err != nil {
			return news.User{}, err
		}
	}
}

// botTelegram is the Bot API as the bot sees it: messages and files go
// through the reply lane (the shared limiter, retried until sent), the
// other calls straight to the client.
type botTelegram struct {
	*telegram.Client
	replies *deliver.Replies
}

func (t botTelegram) Send(ctx context.Context, m news.Message) (int, error) {
	return t.replies.Send(ctx, m)
}

func (t botTelegram) SendDocument(ctx context.Context, d news.Document) (int, error) {
	return t.replies.SendDocument(ctx, d)
}

// gauges reads the Redis-backed figures of /metrics.
func (a *app) gauges(ctx context.Context) (metrics.Gauges, error) {
	st, err := a.store.Outbox(ctx)
	if err != nil {
		return metrics.Gauges{}, err
	}
	g := metrics.Gauges{OutboxDepth: st.Length + st.Delayed, DeadJobs: st.Dead}
	if st.Length > 0 {
		if g.OldestJobAge, err = a.store.OldestJobAge(ctx, time.Now()); err != nil {
			return metrics.Gauges{}, err
		}
	}
	feeds, err := a.store.Feeds(ctx)
	if err != nil {
		return metrics.Gauges{}, err
	}
	g.Feeds = int64(len(feeds))
	for _, f := range feeds {
		if f.Errors > 0 {
			g.FailingFeeds++
		}
	}
	if a.alerts != nil {
		g.Alerts = int64(a.alerts.Len())
	}
	return g, nil
}

// pollable is the catalog's sources that run polls: local files are read
// only by preview and check-feed.
func pollable(catalog []news.Source) []news.Source {
	var out []news.Source
	for _, src := range catalog {
		if _, local := config.LocalPath(src.URL); !local {
			out = append(out, src)
		}
	}
	return out
}
