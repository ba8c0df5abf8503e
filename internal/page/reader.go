package page

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/migrawatch/migrawatch/internal/extract"
	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
)

// ErrDisallowed means the site's robots.txt does not let MigraWatch fetch a
// URL. It is feed's, so that one classifier (feed.Classify) knows every
// reason a source cannot be read.
var ErrDisallowed = feed.ErrDisallowed

// FetchFunc fetches an HTML page and returns its body and final URL; the
// feed fetcher's page fetch (with its SSRF guard and limits) fits.
type FetchFunc func(ctx context.Context, url string) (body []byte, finalURL string, err error)

// PageFetcher fetches an HTML page behind the feed fetcher's SSRF guard and
// limits (*feed.Fetcher).
type PageFetcher interface {
	FetchPage(ctx context.Context, url string) (*feed.Response, error)
}

// FetchVia reads pages through f.
func FetchVia(f PageFetcher) FetchFunc {
	return func(ctx context.Context, u string) ([]byte, string, error) {
		resp, err := f.FetchPage(ctx, u)
		if err != nil {
			return nil, "", err
		}
		return resp.Body, resp.URL, nil
	}
}

// RobotsVia reads robots.txt through f (same guard and limits), an HTTP
// error status being the status the robots rules depend on (RFC 9309
// §2.3.1), not a failure to read.
func RobotsVia(f PageFetcher) RobotsFetcher {
	return func(ctx context.Context, u string) (int, []byte, error) {
		resp, err := f.FetchPage(ctx, u)
		var se *feed.StatusError
		if errors.As(err, &se) {
			return se.Code, nil, nil
		}
		if err != nil {
			return 0, nil, err
		}
		return resp.Status, resp.Body, nil
	}
}

// Reader reads article pages politely: robots.txt first, then at most one
// article page per host every pacer interval.
type Reader struct {
	Fetch  FetchFunc
	Robots *RobotsCache
	Pacer  *Pacer
	// Canonical cleans article URLs into item keys (see Options.Canonical).
	Canonical func(string) string
}

// Items lists the articles of a listing page as items (see the function Items).
func (r *Reader) Items(src news.Source, body []byte, pageURL string, now time.Time) ([]news.Item, error) {
	return Items(src, body, pageURL, r.Canonical, now)
}

// Allowed reports whether robots.txt lets MigraWatch fetch rawURL; with no
// robots cache everything is allowed.
func (r *Reader) Allowed(ctx context.Context, rawURL string) error {
	if r.Robots == nil {
		return nil
	}
	ok, err := r.Robots.Allowed(ctx, rawURL)
	if err != nil {
		return fmt.Errorf("%s: %w", rawURL, err)
	}
	if !ok {
		return fmt.Errorf("%s: %w", rawURL, ErrDisallowed)
	}
	return nil
}

// Article is an article page as read: what extract finds in it, and the
// address the page gives for itself.
type Article struct {
	extract.Page
	// Link is the page's canonical address, cleaned like item keys; ""
	// when the page names none fit to stand for the article.
	Link string
}

// ReadArticle fetches one article page and reads its title, date, language,
// main text and canonical address.
func (r *Reader) ReadArticle(ctx context.Context, rawURL string) (Article, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return Article{}, fmt.Errorf("article URL %q: not an absolute URL", rawURL)
	}
	if err := r.Allowed(ctx, rawURL); err != nil {
		return Article{}, err
	}
	if r.Pacer != nil {
		if err := r.Pacer.Wait(ctx, u.Hostname()); err != nil {
			return Article{}, err
		}
	}
	body, final, err := r.Fetch(ctx, rawURL)
	if err != nil {
		return Article{}, fmt.Errorf("article page: %w", err)
	}
	if final == "" {
		final = rawURL
	}
	p, err := extract.ParsePage(body, final)
	if err != nil {
		return Article{}, err
	}
	canon := r.Canonical
	if canon == nil {
		canon = feed.CanonicalURL
	}
	return Article{Page: p, Link: canonicalLink(body, final, canon)}, nil
}

// Items turns a listing page into items keyed by canonical article URL, in
// the listing's order (newest first on news sites). The anchor text stands in
// as title until the article page is read; the date is first-seen.
func Items(src news.Source, body []byte, pageURL string, canonical func(string) string, now time.Time) ([]news.Item, error) {
	links, err := Discover(body, pageURL, Options{Selector: src.Selector, Canonical: canonical})
	if err != nil {
		return nil, err
	}
	items := make([]news.Item, 0, len(links))
	for _, l := range links {
		items = append(items, news.Item{
			FeedID: src.ID, Key: l.URL, Link: l.URL, Title: l.Text,
			Published: now, PublishedGuessed: true, Language: src.Language,
		})
	}
	return items, nil
}
