package deliver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/story"
)

// RouterConfig tunes the Router. Zero fields take the defaults.
type RouterConfig struct {
	// Topic is the topic relevant articles belong to (default "migration").
	Topic string
	// StoryTTL is how long stories, their articles and the per-chat
	// once-only marks live (default 72h); jobs older than that expire.
	StoryTTL time.Duration
	// StoryWindow is how far back a new article looks for its story
	// (default 48h).
	StoryWindow time.Duration
	// Candidates bounds the stories read per band when matching (default 20).
	Candidates int
	Clock      Clock
}

func (c *RouterConfig) defaults() {
	if c.Topic == "" {
		c.Topic = "migration"
	}
	if c.StoryTTL <= 0 {
		c.StoryTTL = 72 * time.Hour
	}
	if c.StoryWindow <= 0 {
		c.StoryWindow = 48 * time.Hour
	}
	if c.Candidates <= 0 {
		c.Candidates = 20
	}
	if c.Clock == nil {
		c.Clock = SystemClock{}
	}
}

// Router decides which chats get a new article and queues it for them.
type Router struct {
	stories Stories
	outbox  Outbox
	chats   Chats
	alerts  AlertMatcher
	cfg     RouterConfig
}

// NewRouter returns a Router. alerts may be nil until keyword alerts exist.
func NewRouter(stories Stories, outbox Outbox, chats Chats, alerts AlertMatcher, cfg RouterConfig) *Router {
	cfg.defaults()
	return &Router{stories: stories, outbox: outbox, chats: chats, alerts: alerts, cfg: cfg}
}

// Routed says what became of an article.
type Routed struct {
	StoryID string
	// Joined is true when the article is a reprint of an earlier story.
	Joined bool
	// Queued counts the chats that got a new job (or digest entry).
	Queued int
}

// Route stores the article under its story and queues it for every chat
// that wants it and has not had the story yet: subscribers of its feed,
// subscribers of its topic when it is relevant, chats whose alerts match;
// minus paused and gone chats and chats that do not read its language.
// A chat reached several ways gets one job, tagged with its matching alerts.
func (r *Router) Route(ctx context.Context, a news.Article) (Routed, error) {
	now := r.cfg.Clock.Now()
	res, err := r.assignStory(ctx, &a, now)
	if err != nil {
		return res, err
	}
	ref := story.ID(a)
	payload, err := json.Marshal(a)
	if err != nil {
		return res, fmt.Errorf("route %s: %w", a.Key, err)
	}
	if err := r.stories.SaveStoryArticle(ctx, res.StoryID, ref, payload, r.cfg.StoryTTL); err != nil {
		return res, err
	}

	alerts := make(map[int64][]string)
	var ids []int64
	subs, err := r.chats.FeedSubscribers(ctx, a.FeedID)
	if err != nil {
		return res, fmt.Errorf("route %s: %w", a.Key, err)
	}
	ids = append(ids, subs...)
	// Chats reached only through the topic's reverse index are checked
	// against their own settings: on Redis Cluster that index is written in
	// a step of its own and may briefly lag a change of topics.
	onlyTopic := map[int64]bool{}
	if a.Relevance.Relevant {
		subs, err := r.chats.TopicSubscribers(ctx, r.cfg.Topic)
		if err != nil {
			return res, fmt.Errorf("route %s: %w", a.Key, err)
		}
		byFeed := make(map[int64]bool, len(ids))
		for _, id := range ids {
			byFeed[id] = true
		}
		for _, id := range subs {
			if !byFeed[id] {
				onlyTopic[id] = true
			}
		}
		ids = append(ids, subs...)
	}
	if r.alerts != nil {
		for _, m := range r.alerts.Match(a) {
			if !slices.Contains(alerts[m.ChatID], m.Query) {
				alerts[m.ChatID] = append(alerts[m.ChatID], m.Query)
			}
			ids = append(ids, m.ChatID)
			delete(onlyTopic, m.ChatID)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)

	chats, err := r.loadChats(ctx, ids)
	if err != nil {
		return res, fmt.Errorf("route %s: %w", a.Key, err)
	}
	routes := make([]news.Route, 0, len(ids))
	for _, c := range chats {
		if c.ID == 0 || !c.Deliverable() || !c.WantsLanguage(a.Lang) {
			continue
		}
		if onlyTopic[c.ID] && !slices.Contains(c.Topics, r.cfg.Topic) {
			continue
		}
		rt := news.Route{OutboxJob: news.OutboxJob{
			ChatID: c.ID, StoryID: res.StoryID, Article: ref, Alerts: alerts[c.ID], Enqueued: now.UnixMilli(),
		}}
		loc := location(c.TZ)
		if c.Mode == news.ModeDigest {
			rt.Kind, rt.At = news.RouteDigest, NextDigest(c.DigestAt, loc, now)
		} else if until, quiet := QuietUntil(c.Quiet, loc, now); quiet {
			rt.Kind, rt.At = news.RouteLater, until
		}
		routes = append(routes, rt)
	}
	res.Queued, err = r.outbox.RouteStory(ctx, res.StoryID, routes, r.cfg.StoryTTL)
	return res, err
}

// chatLookups is how many chat settings are read from the store at once.
const chatLookups = 16

// loadChats reads the chats' settings, several at a time; a chat that no
// longer exists comes back with id 0.
func (r *Router) loadChats(ctx context.Context, ids []int64) ([]news.Chat, error) {
	out := make([]news.Chat, len(ids))
	errs := make([]error, len(ids))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(chatLookups, len(ids)) {
		wg.Go(func() {
			for i := range next {
				c, ok, err := r.chats.Chat(ctx, ids[i])
				if ok {
					out[i] = c
				}
				errs[i] = err
			}
		})
	}
	for i := range ids {
		next <- i
	}
	close(next)
	wg.Wait()
	return out, errors.Join(errs...)
}

// assignStory finds the recent story the article reprints, or starts one,
// and sets a.StoryID and a.AlsoReportedBy.
func (r *Router) assignStory(ctx context.Context, a *news.Article, now time.Time) (Routed, error) {
	outlet := a.SourceName
	if outlet == "" {
		outlet = a.FeedID
	}
	sig, ok := story.SignArticle(*a)
	var bands []string
	if ok {
		bands = sig.BandKeys()
		cands, err := r.stories.StoryCandidates(ctx, bands, now.Add(-r.cfg.StoryWindow), r.cfg.Candidates)
		if err != nil {
			return Routed{}, err
		}
		best, bestSim := "", 0.0
		for _, c := range cands {
			cs, err := story.Parse(c.Sig)
			if err != nil {
				continue
			}
			if sim := story.Similarity(sig, cs); sim >= story.Threshold && sim > bestSim {
				best, bestSim = c.ID, sim
			}
		}
		if best != "" {
			outlets, err := r.stories.AddStoryOutlet(ctx, best, outlet)
			if err == nil {
				a.StoryID = best
				a.AlsoReportedBy = others(outlets, outlet)
				return Routed{StoryID: best, Joined: true}, nil
			}
			// The story expired between lookup and join: start a new one.
		}
	}
	id := story.ID(*a)
	rec := news.StoryRecord{ID: id, First: id, Outlets: []string{outlet}, FirstSeen: now}
	if ok {
		rec.Sig = sig.Bytes()
	}
	if err := r.stories.CreateStory(ctx, rec, bands, r.cfg.StoryTTL); err != nil {
		return Routed{}, err
	}
	a.StoryID = id
	return Routed{StoryID: id}, nil
}

func others(outlets []string, self string) []string {
	var out []string
	for _, o := range outlets {
		if o != self {
			out = append(out, o)
		}
	}
	return out
}
