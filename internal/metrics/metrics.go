// Package metrics exposes MigraWatch's Prometheus metrics and its health
// endpoints (/metrics, /healthz, /readyz). Labels are drawn from small fixed
// sets, never chat ids or URLs, so the series count stays bounded however many
// chats and feeds an instance serves.
package metrics

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Poll results. Anything else is counted as "error_other".
var pollResults = []string{"ok", "not_modified", "error_network", "error_http", "error_parse", "error_blocked", "error_other"}

// Send results. Anything else is counted as "other".
var sendResults = []string{"ok", "retry_after", "chat_gone", "migrated", "bad_markup", "too_long", "transient", "dead", "other"}

// What a sender did to its jobs besides sending (deliver's events).
var senderEvents = []string{"retried", "dead", "duplicate", "late_slot", "journaled", "handed_back", "resumed"}

// Item stages counted by ItemsSeen.
var itemStages = []string{"seen", "new", "relevant"}

// Metrics is one process's collectors on its own registry (no global state,
// so tests and several instances in one process never collide).
type Metrics struct {
	reg *prometheus.Registry

	polls             *prometheus.CounterVec
	fetchSeconds      prometheus.Histogram
	items             *prometheus.CounterVec
	understandSeconds prometheus.Histogram
	sends             *prometheus.CounterVec
	senderEvents      *prometheus.CounterVec
	floodWaits        prometheus.Counter
	retryAfterSeconds prometheus.Counter
	redisErrors       prometheus.Counter

	mu     sync.Mutex
	gauges GaugeSource
}

// Gauges are the figures read from Redis at scrape time.
type Gauges struct {
	OutboxDepth int64
	// DeadJobs counts the jobs in the dead stream: undeliverable, with their reason.
	DeadJobs      int64
	OldestJobAge  time.Duration
	ChatsByStatus map[string]int64
	Alerts        int64
	Feeds         int64
	FailingFeeds  int64
}

// GaugeSource reads the current Gauges; it is called on every scrape with a
// short deadline.
type GaugeSource func(ctx context.Context) (Gauges, error)

// New returns Metrics registered on a fresh registry, with the Go runtime and
// process collectors.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.polls = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "migrawatch_polls_total", Help: "Feed polls by result.",
	}, []string{"result"})
	m.fetchSeconds = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "migrawatch_fetch_duration_seconds", Help: "Time to fetch one feed.",
		Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30},
	})
	m.items = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "migrawatch_items_total", Help: "Feed items by stage: seen in a feed, new, relevant.",
	}, []string{"stage"})
	m.understandSeconds = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "migrawatch_understand_duration_seconds", Help: "Time to extract, score and summarize one article.",
		Buckets: []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5},
	})
	m.sends = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "migrawatch_sends_total", Help: "Telegram send attempts by result.",
	}, []string{"result"})
	m.senderEvents = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "migrawatch_sender_events_total", Help: "What the senders did to delivery jobs: retried, dead, duplicate (found sent already), late_slot, journaled, handed_back, resumed.",
	}, []string{"event"})
	m.floodWaits = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "migrawatch_flood_waits_total", Help: "Telegram 429 answers received.",
	})
	m.retryAfterSeconds = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "migrawatch_retry_after_seconds_total", Help: "Total retry_after time Telegram asked us to wait.",
	})
	m.redisErrors = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "migrawatch_redis_errors_total", Help: "Redis commands that failed.",
	})
	for _, r := range pollResults {
		m.polls.WithLabelValues(r)
	}
	for _, r := range sendResults {
		m.sends.WithLabelValues(r)
	}
	for _, e := range senderEvents {
		m.senderEvents.WithLabelValues(e)
	}
	for _, s := range itemStages {
		m.items.WithLabelValues(s)
	}
	m.reg.MustRegister(m.polls, m.fetchSeconds, m.items, m.understandSeconds, m.sends, m.senderEvents,
		m.floodWaits, m.retryAfterSeconds, m.redisErrors,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.CollectorFunc(m.collectGauges))
	return m
}

// Registry returns the registry the collectors live on.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// SetGaugeSource sets the function that reads the Redis-backed gauges.
func (m *Metrics) SetGaugeSource(src GaugeSource) {
	m.mu.Lock()
	m.gauges = src
	m.mu.Unlock()
}

func oneOf(v string, allowed []string, fallback string) string {
	for _, a := range allowed {
		if a == v {
			return v
		}
	}
	return fallback
}

// PollDone counts one poll with its result and fetch duration.
func (m *Metrics) PollDone(result string, took time.Duration) {
	m.polls.WithLabelValues(oneOf(result, pollResults, "error_other")).Inc()
	m.fetchSeconds.Observe(took.Seconds())
}

// Items counts items at a stage ("seen", "new", "relevant").
func (m *Metrics) Items(stage string, n int) {
	if n <= 0 {
		return
	}
	m.items.WithLabelValues(oneOf(stage, itemStages, "seen")).Add(float64(n))
}

// Understood records the time one article took to understand.
func (m *Metrics) Understood(took time.Duration) { m.understandSeconds.Observe(took.Seconds()) }

// SendDone counts one send attempt by result.
func (m *Metrics) SendDone(result string) {
	m.sends.WithLabelValues(oneOf(result, sendResults, "other")).Inc()
}

// SenderEvent counts what a sender did (deliver.Observer): a send's result,
// with the wait of a 429 answer, or what became of jobs.
func (m *Metrics) SenderEvent(event string, n int, wait time.Duration) {
	if slices.Contains(senderEvents, event) {
		m.senderEvents.WithLabelValues(event).Add(float64(n))
		return
	}
	for range n {
		m.SendDone(event)
		if event == "retry_after" {
			m.FloodWait(wait)
		}
	}
}

// FloodWait counts one 429 answer and the wait it asked for.
func (m *Metrics) FloodWait(after time.Duration) {
	m.floodWaits.Inc()
	m.retryAfterSeconds.Add(after.Seconds())
}

// RedisError counts one failed Redis command.
func (m *Metrics) RedisError() { m.redisErrors.Inc() }

var (
	outboxDepthDesc = prometheus.NewDesc("migrawatch_outbox_depth", "Delivery jobs waiting in the outbox.", nil, nil)
	deadJobsDesc    = prometheus.NewDesc("migrawatch_dead_jobs", "Delivery jobs given up on, kept in the dead stream with their reason.", nil, nil)
	oldestJobDesc   = prometheus.NewDesc("migrawatch_outbox_oldest_job_age_seconds", "Age of the oldest pending delivery job.", nil, nil)
	chatsDesc       = prometheus.NewDesc("migrawatch_chats", "Chats by status.", []string{"status"}, nil)
	alertsDesc      = prometheus.NewDesc("migrawatch_alerts", "Keyword alerts of all chats.", nil, nil)
	feedsDesc       = prometheus.NewDesc("migrawatch_feeds", "Feeds polled.", nil, nil)
	failingDesc     = prometheus.NewDesc("migrawatch_feeds_failing", "Feeds whose last poll failed.", nil, nil)
	gaugeErrDesc    = prometheus.NewDesc("migrawatch_gauge_read_errors", "1 when the last scrape could not read the Redis gauges.", nil, nil)
)

func (m *Metrics) collectGauges(ch chan<- prometheus.Metric) {
	m.mu.Lock()
	src := m.gauges
	m.mu.Unlock()
	if src == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	g, err := src(ctx)
	if err != nil {
		m.redisErrors.Inc()
		ch <- prometheus.MustNewConstMetric(gaugeErrDesc, prometheus.GaugeValue, 1)
		return
	}
	ch <- prometheus.MustNewConstMetric(gaugeErrDesc, prometheus.GaugeValue, 0)
	ch <- prometheus.MustNewConstMetric(outboxDepthDesc, prometheus.GaugeValue, float64(g.OutboxDepth))
	ch <- prometheus.MustNewConstMetric(deadJobsDesc, prometheus.GaugeValue, float64(g.DeadJobs))
	ch <- prometheus.MustNewConstMetric(oldestJobDesc, prometheus.GaugeValue, g.OldestJobAge.Seconds())
	for status, n := range g.ChatsByStatus {
		ch <- prometheus.MustNewConstMetric(chatsDesc, prometheus.GaugeValue, float64(n), status)
	}
	ch <- prometheus.MustNewConstMetric(alertsDesc, prometheus.GaugeValue, float64(g.Alerts))
	ch <- prometheus.MustNewConstMetric(feedsDesc, prometheus.GaugeValue, float64(g.Feeds))
	ch <- prometheus.MustNewConstMetric(failingDesc, prometheus.GaugeValue, float64(g.FailingFeeds))
}
