// Package pipeline runs MigraWatch's polling: a scheduler that claims due
// feeds from Redis under a per-feed lease, fetches and parses them with
// bounded concurrency (overall and per host), keeps only the items it has
// not seen, hands those to the next stage, and adapts each feed's interval.
package pipeline

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/migrawatch/migrawatch/internal/backoff"
	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
)

// Handler receives the new items of a feed, oldest first. An error leaves
// the items unseen, so the next poll offers them again.
type Handler interface {
	HandleItems(ctx context.Context, src news.Source, items []news.Item) error
}

// FeedStore is the scheduler's view of the feed keys in Redis.
type FeedStore interface {
	DueFeeds(ctx context.Context, now time.Time, limit int) ([]string, error)
	AcquireFeedLease(ctx context.Context, id, owner string, ttl time.Duration) (bool, error)
	ReleaseFeedLease(ctx context.Context, id, owner string) (bool, error)
	Feed(ctx context.Context, id string) (news.FeedState, bool, error)
	UnseenItems(ctx context.Context, id string, keys []string) ([]string, error)
	MarkSeen(ctx context.Context, id string, keys []string, now time.Time, maxAge time.Duration, maxCount int) (int, error)
	RecordPoll(ctx context.Context, id string, r news.PollRecord) error
}

// Fetcher fetches a feed; *feed.Fetcher implements it.
type Fetcher interface {
	Fetch(ctx context.Context, r feed.Request) (*feed.Response, error)
}

// Options configures a Scheduler; zero fields take the documented defaults.
type Options struct {
	// Concurrency is the number of polls in flight at once (default 8).
	Concurrency int
	// PerHost is the number of polls in flight to one host (default 2).
	PerHost int
	// DefaultInterval is a new feed's interval (15m); MinInterval and
	// MaxInterval bound every interval (5m, 6h).
	DefaultInterval, MinInterval, MaxInterval time.Duration
	// BackoffCap bounds the wait after consecutive failures (6h). A failing
	// feed is never dropped: it is retried at least every RetryFailingEvery
	// (24h) whatever the other settings say.
	BackoffCap        time.Duration
	RetryFailingEvery time.Duration
	// Jitter spreads next poll times by ±Jitter×interval (default 0.1;
	// negative turns it off) so feeds added together do not stay in step.
	Jitter float64
	// Backfill is how many of the newest items the first poll of a new feed
	// hands over (default 0: the first poll only marks items seen).
	Backfill int
	// SeenMaxAge and SeenMaxCount bound each feed's seen set (30 days, 2000).
	SeenMaxAge   time.Duration
	SeenMaxCount int
	// PollTimeout bounds one poll (fetch, parse, handler); the lease lives
	// a little longer (default 2m).
	PollTimeout time.Duration
	// Tick is how often Run looks for due feeds (default 1s).
	Tick time.Duration
	// Replica names this process in leases (default host-pid-random).
	Replica string
	// DisableConditionalGET never sends stored validators and always parses
	// the body, even one identical to the last (for servers whose
	// validators are broken, and to measure what HTTP caching saves).
	DisableConditionalGET bool
	// HintBounds clamps polling hints from the feed (<ttl>,
	// sy:updatePeriod); nil uses [MinInterval, MaxInterval].
	HintBounds func(time.Duration) time.Duration
	// OnPoll, when set, is told every poll's result and how long it took
	// (metrics and readiness).
	OnPoll func(r Result, took time.Duration)
	// Pages reads sources of kind page (news listing pages without a feed);
	// nil makes such sources fail with a clear error.
	Pages PageSource
	// Now and Rand are the clock and the jitter source (tests inject them).
	Now    func() time.Time
	Rand   func() float64
	Logger *slog.Logger
}

func (o *Options) defaults() {
	setDur := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 8
	}
	if o.PerHost <= 0 {
		o.PerHost = 2
	}
	setDur(&o.DefaultInterval, 15*time.Minute)
	setDur(&o.MinInterval, 5*time.Minute)
	setDur(&o.MaxInterval, 6*time.Hour)
	setDur(&o.BackoffCap, 6*time.Hour)
	setDur(&o.RetryFailingEvery, 24*time.Hour)
	setDur(&o.SeenMaxAge, 30*24*time.Hour)
	setDur(&o.PollTimeout, 2*time.Minute)
	setDur(&o.Tick, time.Second)
	o.MinInterval = min(o.MinInterval, o.DefaultInterval)
	o.MaxInterval = max(o.MaxInterval, o.DefaultInterval)
	o.BackoffCap = min(o.BackoffCap, o.RetryFailingEvery)
	if o.SeenMaxCount <= 0 {
		o.SeenMaxCount = 2000
	}
	if o.Jitter == 0 {
		o.Jitter = 0.1
	}
	if o.Jitter < 0 {
		o.Jitter = 0
	}
	if o.Replica == "" {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		o.Replica = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = mrand.Float64
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// Scheduler polls due feeds. Several schedulers (replicas) may share one
// Redis: the per-feed lease makes sure only one polls a feed at a time.
type Scheduler struct {
	store   FeedStore
	fetcher Fetcher
	handler Handler
	opts    Options

	slots chan struct{} // Concurrency tokens
	// freed wakes Run when a poll ends, so a free slot is refilled at once
	// rather than at the next tick.
	freed chan struct{}
	mu    sync.Mutex
	hosts map[string]int  // polls in flight per host
	busy  map[string]bool // feeds in flight in this process
	wg    sync.WaitGroup
}

// New returns a Scheduler polling the feeds of st with f and passing new
// items to h.
func New(st FeedStore, f Fetcher, h Handler, opts Options) *Scheduler {
	opts.defaults()
	return &Scheduler{
		store: st, fetcher: f, handler: h, opts: opts,
		slots: make(chan struct{}, opts.Concurrency),
		freed: make(chan struct{}, 1),
		hosts: map[string]int{},
		busy:  map[string]bool{},
	}
}

// Outcome classifies a poll.
type Outcome string

// Poll outcomes.
const (
	OutcomeOK          Outcome = "ok"
	OutcomeNotModified Outcome = "not_modified"
	OutcomeError       Outcome = "error"
	// OutcomeSkipped: leased by another replica, host busy, or feed removed.
	OutcomeSkipped Outcome = "skipped"
)

// Result is what one poll did.
type Result struct {
	FeedID  string
	Outcome Outcome
	// Items is the number of items in the document; New the number handed over.
	Items, New int
	// First is true for the first good poll of a feed (items marked seen).
	First     bool
	BytesRead int64
	Interval  time.Duration
	NextPoll  time.Time
	Err       error
}

// Label names the poll's outcome for the poll metrics: "ok",
// "not_modified", or "error_" and the family of its error's class
// (feed.Class.Family: blocked, http, parse, network, other).
func (r Result) Label() string {
	switch {
	case r.Outcome == OutcomeOK:
		return "ok"
	case r.Outcome == OutcomeNotModified:
		return "not_modified"
	}
	return "error_" + feed.Classify(r.Err).Family()
}

// Run polls due feeds until ctx is cancelled, then waits for the polls in
// flight (which stop with ctx) and returns nil.
func (s *Scheduler) Run(ctx context.Context) error {
	t := time.NewTicker(s.opts.Tick)
	defer t.Stop()
	for {
		s.dispatch(ctx)
		select {
		case <-ctx.Done():
			s.wg.Wait()
			return nil
		case <-t.C:
		case <-s.freed:
		}
	}
}

// dispatch starts polls for due feeds while concurrency slots are free,
// without blocking on busy hosts.
func (s *Scheduler) dispatch(ctx context.Context) {
	free := cap(s.slots) - len(s.slots)
	if free <= 0 || ctx.Err() != nil {
		return
	}
	s.mu.Lock()
	inFlight := len(s.busy)
	s.mu.Unlock()
	ids, err := s.store.DueFeeds(ctx, s.opts.Now(), free+inFlight+16)
	if err != nil {
		if ctx.Err() == nil {
			s.opts.Logger.Warn("listing due feeds", "err", err)
		}
		return
	}
	for _, id := range ids {
		select {
		case s.slots <- struct{}{}:
		default:
			return
		}
		st, release, ok := s.claim(ctx, id, false, false)
		if !ok {
			<-s.slots
			continue
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() {
				<-s.slots
				select {
				case s.freed <- struct{}{}:
				default: // Run is already due to look
				}
			}()
			defer release()
			s.poll(ctx, st)
		}()
	}
}

// claim takes the feed's lease, loads it and reserves a host slot; wait
// says whether to wait for a busy host, force whether to poll a feed that
// is not due. release undoes all three.
func (s *Scheduler) claim(ctx context.Context, id string, wait, force bool) (news.FeedState, func(), bool) {
	s.mu.Lock()
	if s.busy[id] {
		s.mu.Unlock()
		return news.FeedState{}, nil, false
	}
	s.busy[id] = true
	s.mu.Unlock()
	unbusy := func() {
		s.mu.Lock()
		delete(s.busy, id)
		s.mu.Unlock()
	}
	ok, err := s.store.AcquireFeedLease(ctx, id, s.opts.Replica, s.opts.PollTimeout+30*time.Second)
	if err != nil || !ok {
		if err != nil && ctx.Err() == nil {
			s.opts.Logger.Warn("taking feed lease", "feed_id", id, "err", err)
		}
		unbusy()
		return news.FeedState{}, nil, false
	}
	releaseLease := func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, err := s.store.ReleaseFeedLease(rctx, id, s.opts.Replica); err != nil {
			s.opts.Logger.Warn("releasing feed lease", "feed_id", id, "err", err)
		}
		unbusy()
	}
	st, found, err := s.store.Feed(ctx, id)
	if err != nil || !found {
		if err != nil && ctx.Err() == nil {
			s.opts.Logger.Warn("loading feed", "feed_id", id, "err", err)
		}
		releaseLease()
		return news.FeedState{}, nil, false
	}
	// Another replica may have polled the feed between our listing of due
	// feeds and our lease: its next poll time, written before it released
	// the lease, says so.
	if !force && st.NextPoll.After(s.opts.Now()) {
		releaseLease()
		return news.FeedState{}, nil, false
	}
	host := hostOf(st.Source.URL)
	for {
		s.mu.Lock()
		if s.hosts[host] < s.opts.PerHost {
			s.hosts[host]++
			s.mu.Unlock()
			break
		}
		s.mu.Unlock()
		if !wait {
			releaseLease()
			return news.FeedState{}, nil, false
		}
		select {
		case <-ctx.Done():
			releaseLease()
			return news.FeedState{}, nil, false
		case <-time.After(5 * time.Millisecond):
		}
	}
	return st, func() {
		s.mu.Lock()
		s.hosts[host]--
		if s.hosts[host] == 0 {
			delete(s.hosts, host)
		}
		s.mu.Unlock()
		releaseLease()
	}, true
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return strings.ToLower(u.Hostname())
}

// poll fetches, parses, filters and hands over one feed's items, then
// records the outcome and the next poll time. The caller holds the lease.
func (s *Scheduler) poll(ctx context.Context, st news.FeedState) Result {
	start := time.Now()
	r := s.pollOnce(ctx, st)
	if s.opts.OnPoll != nil {
		s.opts.OnPoll(r, time.Since(start))
	}
	return r
}

func (s *Scheduler) pollOnce(ctx context.Context, st news.FeedState) Result {
	id, src := st.Source.ID, st.Source
	log := s.opts.Logger.With("feed_id", id, "feed_url", src.URL)
	start := s.opts.Now()
	res := Result{FeedID: id}
	pctx, cancel := context.WithTimeout(ctx, s.opts.PollTimeout)
	defer cancel()

	if src.Kind == news.KindPage {
		if s.opts.Pages == nil {
			return s.fail(ctx, log, st, res, start, errNoPageReader)
		}
		if err := s.opts.Pages.Allowed(pctx, src.URL); err != nil {
			return s.fail(ctx, log, st, res, start, err)
		}
	}
	req := feed.Request{URL: src.URL}
	if !s.opts.DisableConditionalGET {
		req.ETag, req.LastModified = st.ETag, st.LastModified
	}
	resp, err := s.fetcher.Fetch(pctx, req)
	if err != nil {
		return s.fail(ctx, log, st, res, start, err)
	}
	res.BytesRead = resp.BytesRead
	hint := resp.Hint
	if resp.NotModified {
		res.Outcome = OutcomeNotModified
		return s.succeed(ctx, log, st, res, start, hint, news.PollRecord{})
	}
	sum := sha256.Sum256(resp.Body)
	bodyHash := hex.EncodeToString(sum[:12])
	if !s.opts.DisableConditionalGET && bodyHash == st.BodyHash && !st.LastOK.IsZero() {
		// Same bytes as the last good parse: nothing can be new. Servers
		// without validators (or with ever-changing ones) get this cheap path.
		res.Outcome = OutcomeNotModified
		return s.succeed(ctx, log, st, res, start, hint, news.PollRecord{SetValidators: true, ETag: resp.ETag, LastModified: resp.LastModified, BodyHash: bodyHash})
	}
	base := src
	base.URL = resp.URL // relative links resolve against where the feed really is
	var parsed *feed.Parsed
	if src.Kind == news.KindPage {
		parsed, err = s.listing(base, resp.Body, start)
	} else {
		parsed, err = feed.ParseAt(resp.Body, resp.ContentType, base, start)
	}
	if err != nil {
		return s.fail(ctx, log, st, res, start, err)
	}
	res.Items = len(parsed.Items)
	if ttl := s.clampHint(parsed.TTL); ttl > hint {
		hint = ttl
	}
	keys := make([]string, len(parsed.Items))
	for i, it := range parsed.Items {
		keys[i] = it.Key
	}
	var send []news.Item
	if st.LastOK.IsZero() {
		res.First = true
		if s.opts.Backfill > 0 {
			send = parsed.Newest(s.opts.Backfill)
		}
	} else {
		unseen, err := s.store.UnseenItems(pctx, id, keys)
		if err != nil {
			return s.fail(ctx, log, st, res, start, err)
		}
		want := make(map[string]bool, len(unseen))
		for _, k := range unseen {
			want[k] = true
		}
		for _, it := range parsed.Items {
			if want[it.Key] {
				send = append(send, it)
			}
		}
	}
	if len(send) > 0 {
		slices.SortStableFunc(send, func(a, b news.Item) int { return a.Published.Compare(b.Published) })
		if err := s.handler.HandleItems(pctx, src, send); err != nil {
			return s.fail(ctx, log, st, res, start, fmt.Errorf("handling %d new items: %w", len(send), err))
		}
	}
	res.New = len(send)
	if _, err := s.store.MarkSeen(pctx, id, keys, start, s.opts.SeenMaxAge, s.opts.SeenMaxCount); err != nil {
		// The items were handed over; failing here would repeat them on the
		// next poll, which the seen check downstream tolerates better than a loss.
		log.Warn("marking items seen", "err", err)
	}
	res.Outcome = OutcomeOK
	rec := news.PollRecord{SetValidators: true, ETag: resp.ETag, LastModified: resp.LastModified, BodyHash: bodyHash, Title: parsed.Title}
	return s.succeed(ctx, log, st, res, start, hint, rec)
}

func (s *Scheduler) clampHint(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	if s.opts.HintBounds != nil {
		return s.opts.HintBounds(d)
	}
	return min(max(d, s.opts.MinInterval), s.opts.MaxInterval)
}

// NextInterval adapts a healthy feed's interval: a third shorter after a
// poll that brought new items, a quarter longer after one that did not,
// within [MinInterval, MaxInterval]; a publisher or server hint longer
// than that wins (bounded by MaxInterval).
func (s *Scheduler) NextInterval(cur time.Duration, newItems int, first bool, hint time.Duration) time.Duration {
	switch {
	case cur <= 0 || first:
		cur = s.opts.DefaultInterval
	case newItems > 0:
		cur = cur * 2 / 3
	default:
		cur = cur * 5 / 4
	}
	cur = min(max(cur, s.opts.MinInterval), s.opts.MaxInterval)
	if hint > cur {
		cur = min(hint, s.opts.MaxInterval)
	}
	return cur
}

// Backoff is the wait after the errors-th consecutive failure: the interval
// doubled per failure, capped by BackoffCap (itself never above
// RetryFailingEvery), and at least what the server's Retry-After asked, up
// to RetryFailingEvery.
func (s *Scheduler) Backoff(interval time.Duration, errors int, retryAfter time.Duration) time.Duration {
	if interval <= 0 {
		interval = s.opts.DefaultInterval
	}
	d := backoff.Policy{Min: interval, Max: s.opts.BackoffCap}.Delay(errors + 1)
	if retryAfter > d {
		d = min(retryAfter, s.opts.RetryFailingEvery)
	}
	return d
}

func (s *Scheduler) jitter(d time.Duration) time.Duration {
	if s.opts.Jitter == 0 {
		return d
	}
	j := time.Duration((s.opts.Rand()*2 - 1) * s.opts.Jitter * float64(d))
	return max(d+j, time.Second)
}

func (s *Scheduler) succeed(ctx context.Context, log *slog.Logger, st news.FeedState, res Result, start time.Time, hint time.Duration, rec news.PollRecord) Result {
	res.Interval = s.NextInterval(st.Interval, res.New, res.First, hint)
	res.NextPoll = start.Add(s.jitter(res.Interval))
	rec.At, rec.NextPoll, rec.Interval, rec.OK = start, res.NextPoll, res.Interval, true
	if err := s.record(ctx, st.Source.ID, rec); err != nil {
		log.Warn("recording poll", "err", err)
	}
	if res.New > 0 {
		log.Debug("new items", "new", res.New, "items", res.Items)
	}
	return res
}

func (s *Scheduler) fail(ctx context.Context, log *slog.Logger, st news.FeedState, res Result, start time.Time, err error) Result {
	res.Outcome, res.Err = OutcomeError, err
	if ctx.Err() != nil {
		// Shutting down: the feed stays due and is polled after restart.
		return res
	}
	var retry time.Duration
	var se *feed.StatusError
	if errors.As(err, &se) {
		retry = se.RetryAfter
	}
	n := st.Errors + 1
	res.Interval = st.Interval
	if res.Interval <= 0 {
		res.Interval = s.opts.DefaultInterval
	}
	wait := s.Backoff(res.Interval, n, retry)
	res.NextPoll = start.Add(min(s.jitter(wait), s.opts.RetryFailingEvery))
	rec := news.PollRecord{At: start, NextPoll: res.NextPoll, Interval: res.Interval, Errors: n, Err: err.Error()}
	if rerr := s.record(ctx, st.Source.ID, rec); rerr != nil {
		log.Warn("recording poll", "err", rerr)
	}
	log.Info("feed poll failed", "errors", n, "next_poll", res.NextPoll, "err", err)
	return res
}

func (s *Scheduler) record(ctx context.Context, id string, rec news.PollRecord) error {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return s.store.RecordPoll(rctx, id, rec)
}

// PageSource reads news listing pages: whether robots.txt lets us fetch a
// URL, and which article links a listing holds (as items keyed by canonical
// URL, titled by their anchor text until the article page is read).
type PageSource interface {
	Allowed(ctx context.Context, url string) error
	Items(src news.Source, body []byte, pageURL string, now time.Time) ([]news.Item, error)
}

var errNoPageReader = errors.New("this source is a web page, and page reading is not set up")

// listing turns a listing page into the same shape as a parsed feed, so the
// seen filter, first-poll rule and interval logic apply unchanged.
func (s *Scheduler) listing(src news.Source, body []byte, now time.Time) (*feed.Parsed, error) {
	items, err := s.opts.Pages.Items(src, body, src.URL, now)
	if err != nil {
		return nil, err
	}
	return &feed.Parsed{Type: "html listing", Title: src.Name, Items: items}, nil
}
