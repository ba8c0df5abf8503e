package feed

import (
	"context"
	"errors"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
)

// CheckResult is the diagnosis of one feed URL, for check-feed and /subscribe.
type CheckResult struct {
	URL      string
	FinalURL string
	Status   int
	// ContentType is the HTTP Content-Type; Encoding says how the body was decoded.
	ContentType  string
	Encoding     string
	ETag         string
	LastModified string
	// Hint is the server's or publisher's polling hint, bounded.
	Hint      time.Duration
	BytesRead int64
	Elapsed   time.Duration
	// FeedType ("rss 2.0", "atom 1.0" ...), Title, Language and Items describe the feed.
	FeedType  string
	Title     string
	Language  string
	ItemCount int
	// Newest are up to five items, newest first.
	Newest  []news.Item
	Repairs []string
	// Skipped says which items were left out and why.
	Skipped []string
	// FeedLinks are the feeds an HTML page advertises (absolute URLs).
	FeedLinks []string
}

var defaultFetcher = NewFetcher(Options{})

// Check fetches and parses url with a default Fetcher (SSRF guard on).
func Check(ctx context.Context, url string) (*CheckResult, error) {
	return defaultFetcher.Check(ctx, url)
}

// Check fetches and parses url and describes what it found. When the server
// answered, the result is non-nil even if err is not: an HTML page gives
// FeedLinks and an error wrapping ErrNotAFeed; a broken feed gives the
// HTTP facts and an error wrapping ErrMalformed or ErrEncoding.
func (f *Fetcher) Check(ctx context.Context, url string) (*CheckResult, error) {
	res := &CheckResult{URL: url}
	resp, err := f.Fetch(ctx, Request{URL: url})
	if err != nil {
		var se *StatusError
		if errors.As(err, &se) {
			res.Status = se.Code
		}
		return res, err
	}
	res.FinalURL = resp.URL
	res.Status = resp.Status
	res.ContentType = resp.ContentType
	res.ETag = resp.ETag
	res.LastModified = resp.LastModified
	res.Hint = resp.Hint
	res.BytesRead = resp.BytesRead
	res.Elapsed = resp.Elapsed
	p, err := ParseAt(resp.Body, resp.ContentType, news.Source{ID: SourceID(url), URL: resp.URL}, f.opts.Now())
	if err := res.Describe(p, err, 5); err != nil {
		return res, err
	}
	if h := f.clampHint(p.TTL); h > res.Hint {
		res.Hint = h
	}
	return res, nil
}

// Describe fills the fields that come from parsing (encoding, type, title,
// language, items, repairs, and up to newest of the newest items) from a
// parse's outcome; after a failed parse it keeps the feed links an HTML page
// advertised and returns the parse error.
func (r *CheckResult) Describe(p *Parsed, err error, newest int) error {
	if err != nil {
		var nf *NotAFeedError
		if errors.As(err, &nf) {
			r.FeedLinks = nf.Links
		}
		return err
	}
	r.Encoding = p.Encoding
	r.FeedType = p.Type
	r.Title = p.Title
	r.Language = p.Language
	r.ItemCount = len(p.Items)
	r.Newest = p.Newest(newest)
	r.Repairs = p.Repairs
	r.Skipped = p.Skipped
	return nil
}
