// Package subscribe is the one home of "a chat follows a source": it turns
// what a user gave (a catalog id, a feed URL, a page advertising a feed, a
// news listing page, an OPML list of those) into a source, checks it, keeps
// each chat within its feed cap, registers a new source with the poller and
// subscribes the chat. The bot's /subscribe, /sources toggles, OPML import
// and "watch this page" button all go through it.
//
// A source that is already registered and healthy is not fetched again:
// it is polled anyway, so its state says all a check would. One registered
// but failing is checked with a conditional GET (its stored validators), so
// a server that still has it answers 304.
package subscribe

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/page"
)

// Store is the chats' side of subscriptions.
type Store interface {
	Subscribe(ctx context.Context, chatID int64, feedID string) (bool, error)
	ChatFeeds(ctx context.Context, chatID int64) ([]string, error)
}

// Feeds registers user-added sources with the poller and reads a source's
// polling state.
type Feeds interface {
	RegisterFeed(ctx context.Context, src news.Source) error
	// Feed returns a registered feed; ok is false for one never registered.
	Feed(ctx context.Context, id string) (news.FeedState, bool, error)
}

// Checker fetches and parses a feed behind the SSRF guard (*feed.Fetcher).
// Errors match feed.ErrPrivateAddress, feed.ErrBadURL, feed.ErrNotAFeed (a
// *feed.NotAFeedError lists the feeds an HTML page advertises),
// feed.ErrMalformed or *feed.StatusError; feed.Classify reads them all.
type Checker interface {
	Check(ctx context.Context, r feed.Request) (*feed.CheckResult, error)
}

// Pages fetches an HTML page behind the same guard and limits as feeds
// (*feed.Fetcher).
type Pages interface {
	FetchPage(ctx context.Context, url string) (*feed.Response, error)
}

// Offers keeps the page addresses a chat was offered to watch until the
// user taps the button, which carries only the source id (callback data is
// at most 64 bytes).
type Offers interface {
	SavePageOffer(ctx context.Context, chatID int64, id, url string, ttl time.Duration) error
	PageOffer(ctx context.Context, chatID int64, id string) (url string, ok bool, err error)
}

// Options configures Subscriptions. Store, Feeds, Checker, Pages and Offers
// are required.
type Options struct {
	Store   Store
	Feeds   Feeds
	Checker Checker
	Pages   Pages
	Offers  Offers
	// Catalog is the curated sources: followed without a check, never
	// registered again (the poller registers them at start).
	Catalog []news.Source
	// MaxFeeds bounds the sources of one chat (default 200).
	MaxFeeds int
	// CheckTimeout bounds the check of one source (default 30s),
	// ImportTimeout the checks of a whole list (default 2 minutes).
	CheckTimeout  time.Duration
	ImportTimeout time.Duration
	// OfferTTL is how long an offer to watch a page stays valid (default 24h).
	OfferTTL time.Duration
}

// Outcome is what Add did.
type Outcome int

// The outcomes.
const (
	// Added: the chat now follows Result.Source.
	Added Outcome = iota + 1
	// Already: the chat followed Result.Source before.
	Already
	// TooMany: the chat follows MaxFeeds sources already.
	TooMany
	// Offered: the page lists articles but advertises no feed; it was
	// offered under Result.OfferID, and Watch follows it once the user agrees.
	Offered
)

// Result is the outcome of following one input.
type Result struct {
	Outcome Outcome
	// Input is what was asked for, as given.
	Input  string
	Source news.Source
	// ViaPage: the input was a page, Source the feed it advertises.
	ViaPage bool
	// Articles are a listing page's article links, newest first (Offered,
	// and Added by Watch).
	Articles []page.Link
	// OfferID is the source id an offered page is watched under.
	OfferID string
	// Err, in AddAll's results only, is why this input could not be followed.
	Err error
}

// ErrOfferExpired means a "watch this page" offer is unknown or expired.
var ErrOfferExpired = errors.New("page offer expired")

// SourceError says why the source a user gave cannot be followed: it is no
// web address, or it cannot be fetched or read (feed.Classify says which).
// Any other error of Add, AddAll or Watch is the store's.
type SourceError struct {
	// URL is the address as understood (the input itself when it is none).
	URL string
	Err error
}

func (e *SourceError) Error() string { return e.Err.Error() }
func (e *SourceError) Unwrap() error { return e.Err }

// sourceError wraps err as u's, leaving a cancelled context as it is.
func sourceError(ctx context.Context, u string, err error) error {
	if err == nil || ctx.Err() != nil {
		return err
	}
	return &SourceError{URL: u, Err: err}
}

// maxAdvertised is how many feeds a page advertises are tried, best first.
const maxAdvertised = 3

// importConcurrency is how many sources of a list are checked at once.
const importConcurrency = 4

// Subscriptions follows sources for chats. It is safe for concurrent use.
type Subscriptions struct {
	opts  Options
	byID  map[string]news.Source
	byURL map[string]news.Source

	// checks are the checks in flight, by address: chats that subscribe to
	// one new feed at the same moment (a link shared in a big group) wait
	// for one fetch instead of making one each.
	mu     sync.Mutex
	checks map[string]*flight
}

// flight is one check of an address that other callers may wait for.
type flight struct {
	done chan struct{}
	src  news.Source
	err  error
}

// New returns Subscriptions with opts.
func New(opts Options) (*Subscriptions, error) {
	if opts.Store == nil || opts.Feeds == nil || opts.Checker == nil || opts.Pages == nil || opts.Offers == nil {
		return nil, errors.New("subscribe: Store, Feeds, Checker, Pages and Offers are required")
	}
	if opts.MaxFeeds <= 0 {
		opts.MaxFeeds = 200
	}
	if opts.CheckTimeout <= 0 {
		opts.CheckTimeout = 30 * time.Second
	}
	if opts.ImportTimeout <= 0 {
		opts.ImportTimeout = 2 * time.Minute
	}
	if opts.OfferTTL <= 0 {
		opts.OfferTTL = 24 * time.Hour
	}
	s := &Subscriptions{opts: opts, byID: map[string]news.Source{}, byURL: map[string]news.Source{}, checks: map[string]*flight{}}
	for _, src := range opts.Catalog {
		s.byID[strings.ToLower(src.ID)] = src
		s.byURL[feed.CanonicalURL(src.URL)] = src
	}
	return s, nil
}

// MaxFeeds is the most sources one chat may follow.
func (s *Subscriptions) MaxFeeds() int { return s.opts.MaxFeeds }

// Catalog returns the catalog source with id (any case).
func (s *Subscriptions) Catalog(id string) (news.Source, bool) {
	src, ok := s.byID[strings.ToLower(id)]
	return src, ok
}

// CatalogByURL returns the catalog source at u (compared canonically).
func (s *Subscriptions) CatalogByURL(u string) (news.Source, bool) {
	src, ok := s.byURL[feed.CanonicalURL(u)]
	return src, ok
}

// Add makes chat follow input: a catalog id, or the address of a feed, of
// a page advertising one, or of a news listing page (which is offered, see
// Offered). Errors that say why input cannot be followed match feed's
// sentinels (feed.ErrBadURL for what is no web address, feed.ErrNotAFeed
// for a page with neither a feed nor articles); others are the store's.
func (s *Subscriptions) Add(ctx context.Context, chat int64, input string) (Result, error) {
	res := Result{Input: input}
	src, isCatalog := s.Catalog(strings.TrimSpace(input))
	u := ""
	if !isCatalog {
		var ok bool
		if u, ok = WebURL(input); !ok {
			return res, &SourceError{URL: input, Err: fmt.Errorf("%q: %w", input, feed.ErrBadURL)}
		}
		src, isCatalog = s.CatalogByURL(u)
	}
	followed, err := s.opts.Store.ChatFeeds(ctx, chat)
	if err != nil {
		return res, err
	}
	if !isCatalog {
		if len(followed) >= s.opts.MaxFeeds && !slices.Contains(followed, feed.SourceID(u)) {
			// Full: say so before fetching anything.
			res.Outcome = TooMany
			return res, nil
		}
		src, res.ViaPage, err = s.resolve(ctx, u)
		if err != nil {
			if s.offerable(err) {
				return s.offer(ctx, chat, u, err)
			}
			return res, sourceError(ctx, u, err)
		}
	}
	res.Source = src
	res.Outcome, err = s.follow(ctx, chat, &followed, src)
	return res, err
}

// AddAll follows every input of a list (an OPML import) like Add, checking
// up to four at once within ImportTimeout; inputs not checked in time fail
// with the context's error. Listing pages are not offered: a list names
// feeds. The error is the store's; each input's own failure is in its
// Result.Err.
func (s *Subscriptions) AddAll(ctx context.Context, chat int64, inputs []string) ([]Result, error) {
	results := make([]Result, len(inputs))
	cctx, cancel := context.WithTimeout(ctx, s.opts.ImportTimeout)
	defer cancel()
	var wg sync.WaitGroup
	sem := make(chan struct{}, importConcurrency)
	for i, in := range inputs {
		results[i].Input = in
		u, ok := WebURL(in)
		if !ok {
			results[i].Err = &SourceError{URL: in, Err: fmt.Errorf("%q: %w", in, feed.ErrBadURL)}
			continue
		}
		if src, ok := s.CatalogByURL(u); ok {
			results[i].Source = src // catalog feeds are curated and polled already
			continue
		}
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
			case <-cctx.Done():
				results[i].Err = cctx.Err()
				return
			}
			defer func() { <-sem }()
			var err error
			results[i].Source, results[i].ViaPage, err = s.resolve(cctx, u)
			results[i].Err = sourceError(cctx, u, err)
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	followed, err := s.opts.Store.ChatFeeds(ctx, chat)
	if err != nil {
		return nil, err
	}
	for i := range results {
		if results[i].Err != nil {
			continue
		}
		if results[i].Outcome, err = s.follow(ctx, chat, &followed, results[i].Source); err != nil {
			return nil, err
		}
	}
	return results, nil
}

// Watch follows the page chat was offered under offerID: it reads the page
// again (it may have changed since), registers it as a page source and
// subscribes the chat. An unknown or expired offer is ErrOfferExpired; a
// page that lists no article any more, page.ErrNoArticles.
func (s *Subscriptions) Watch(ctx context.Context, chat int64, offerID string) (Result, error) {
	u, ok, err := s.opts.Offers.PageOffer(ctx, chat, offerID)
	if err != nil {
		return Result{}, err
	}
	if !ok {
		return Result{}, ErrOfferExpired
	}
	res := Result{Input: u}
	l, err := s.readListing(ctx, u)
	if err != nil {
		return res, sourceError(ctx, u, err)
	}
	res.Articles = l.Articles
	src, isCatalog := s.CatalogByURL(l.URL)
	if !isCatalog {
		src = news.Source{ID: feed.SourceID(l.URL), Name: l.Name, URL: l.URL, Language: l.Language, Kind: news.KindPage}
	}
	followed, err := s.opts.Store.ChatFeeds(ctx, chat)
	if err != nil {
		return res, err
	}
	res.Source = src
	res.Outcome, err = s.follow(ctx, chat, &followed, src)
	return res, err
}

// follow subscribes chat, whose sources are *followed, to src: within the
// cap, registering src first when the poller does not know it yet.
func (s *Subscriptions) follow(ctx context.Context, chat int64, followed *[]string, src news.Source) (Outcome, error) {
	if slices.Contains(*followed, src.ID) {
		return Already, nil
	}
	if len(*followed) >= s.opts.MaxFeeds {
		return TooMany, nil
	}
	if _, isCatalog := s.Catalog(src.ID); !isCatalog {
		_, known, err := s.opts.Feeds.Feed(ctx, src.ID)
		if err != nil {
			return 0, err
		}
		if !known {
			if err := s.opts.Feeds.RegisterFeed(ctx, src); err != nil {
				return 0, err
			}
		}
	}
	if _, err := s.opts.Store.Subscribe(ctx, chat, src.ID); err != nil {
		return 0, err
	}
	*followed = append(*followed, src.ID)
	return Added, nil
}

// resolve turns address u into a source: the registered source at u when
// there is one, else the feed u serves, else the first of the feeds the
// page at u advertises that checks out (viaPage). A source in the catalog
// comes back as the catalog has it.
func (s *Subscriptions) resolve(ctx context.Context, u string) (src news.Source, viaPage bool, err error) {
	src, err = s.check(ctx, u)
	var naf *feed.NotAFeedError
	if err != nil && errors.As(err, &naf) && len(naf.Links) > 0 {
		for _, link := range naf.Links[:min(maxAdvertised, len(naf.Links))] {
			if ls, lerr := s.check(ctx, link); lerr == nil {
				src, err, viaPage = ls, nil, true
				break
			}
		}
	}
	if err != nil {
		return news.Source{}, false, err
	}
	if cs, ok := s.CatalogByURL(src.URL); ok {
		return cs, viaPage, nil
	}
	return src, viaPage, nil
}

// check reads the source at u, sharing the answer with the callers that
// ask for u while it is being read (see readSource).
func (s *Subscriptions) check(ctx context.Context, u string) (news.Source, error) {
	s.mu.Lock()
	if f, ok := s.checks[u]; ok {
		s.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return news.Source{}, ctx.Err()
		}
		if !errors.Is(f.err, context.Canceled) && !errors.Is(f.err, context.DeadlineExceeded) {
			return f.src, f.err
		}
		// The first caller gave up (its chat's request ended): read it for this one.
		return s.readSource(ctx, u)
	}
	f := &flight{done: make(chan struct{})}
	s.checks[u] = f
	s.mu.Unlock()
	f.src, f.err = s.readSource(ctx, u)
	s.mu.Lock()
	delete(s.checks, u)
	s.mu.Unlock()
	close(f.done)
	return f.src, f.err
}

// readSource reads the source at u. A registered, healthy source is taken
// as it is, with no request at all; a registered failing one is fetched
// with its validators, so an unchanged feed costs a 304.
func (s *Subscriptions) readSource(ctx context.Context, u string) (news.Source, error) {
	id := feed.SourceID(u)
	state, known, err := s.opts.Feeds.Feed(ctx, id)
	if err != nil {
		return news.Source{}, err
	}
	if known && !state.Failing() {
		return state.Source, nil
	}
	req := feed.Request{URL: u}
	if known && state.Source.Kind != news.KindPage {
		req.ETag, req.LastModified = state.ETag, state.LastModified
	}
	cctx, cancel := context.WithTimeout(ctx, s.opts.CheckTimeout)
	defer cancel()
	res, err := s.opts.Checker.Check(cctx, req)
	if err != nil {
		return news.Source{}, err
	}
	if known && (res == nil || res.NotModified || res.FinalURL == "" || feed.SourceID(res.FinalURL) == id) {
		return state.Source, nil
	}
	src := news.Source{URL: u, Kind: news.KindFeed}
	if res != nil {
		src.Name = res.Title
		if res.FinalURL != "" {
			src.URL = res.FinalURL
		}
		src.Language = language(res.Language)
	}
	src.ID = feed.SourceID(src.URL)
	if strings.TrimSpace(src.Name) == "" {
		if pu, err := url.Parse(src.URL); err == nil {
			src.Name = pu.Host
		}
	}
	src.Name = truncate(strings.TrimSpace(src.Name), 120)
	return src, nil
}

// offerable reports whether a failed check is of a page that might be
// watched as a listing: HTML, advertising no feed.
func (s *Subscriptions) offerable(err error) bool {
	var naf *feed.NotAFeedError
	return errors.As(err, &naf) && naf.HTML && len(naf.Links) == 0
}

// offer reads the page at u and, when it lists articles, offers it to chat.
// A page that cannot be read as a listing keeps notFeed as its answer.
func (s *Subscriptions) offer(ctx context.Context, chat int64, u string, notFeed error) (Result, error) {
	res := Result{Input: u}
	l, err := s.readListing(ctx, u)
	if err != nil {
		if ctx.Err() != nil {
			return res, err
		}
		return res, sourceError(ctx, u, fmt.Errorf("%w (and as a listing: %w)", notFeed, err))
	}
	id := feed.SourceID(u)
	if err := s.opts.Offers.SavePageOffer(ctx, chat, id, u, s.opts.OfferTTL); err != nil {
		return res, err
	}
	res.Outcome, res.OfferID, res.Articles = Offered, id, l.Articles
	res.Source = news.Source{ID: id, Name: l.Name, URL: l.URL, Language: l.Language, Kind: news.KindPage}
	return res, nil
}

// WebURL turns what a user typed into an absolute http(s) URL: a bare
// "example.org/feed" gets https://. ok is false for anything else.
func WebURL(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, " \t\n<>\"") {
		return "", false
	}
	if !strings.Contains(s, "://") && strings.Contains(s, ".") && !strings.HasPrefix(s, "/") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil {
		return "", false
	}
	return u.String(), true
}

// language is the MigraWatch language a feed or page declares ("fr-FR" is
// French), or "" for any other.
func language(code string) string {
	code = strings.ToLower(strings.TrimSpace(code))
	for _, l := range news.Languages {
		if code == l || strings.HasPrefix(code, l+"-") || strings.HasPrefix(code, l+"_") {
			return l
		}
	}
	return ""
}

// truncate shortens s to at most n runes.
func truncate(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n-1]) + "…"
}
