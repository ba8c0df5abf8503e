// Package extract gives an article its full text when the feed carries only
// a snippet: it fetches the article page and takes the main text with
// readability, falling back to the page's JSON-LD articleBody, then its
// og:description, then the feed text, and records which one it used. Page
// furniture (share buttons, dates, "read also" links, photo credits,
// newsletter prompts) never reaches the text.
package extract

import (
	"context"
	"fmt"
	"strings"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/textproc"
)

// DefaultMinText is the feed text length (in characters) under which the
// page is fetched.
const DefaultMinText = 400

// PageFetcher fetches an HTML page (with the same SSRF guard and limits as
// feeds) and returns its body and the final URL after redirects.
type PageFetcher interface {
	FetchPage(ctx context.Context, url string) (body []byte, finalURL string, err error)
}

// FetchPageFunc adapts a function to PageFetcher (e.g. around feed.Fetcher's FetchPage).
type FetchPageFunc func(ctx context.Context, url string) ([]byte, string, error)

// FetchPage calls f.
func (f FetchPageFunc) FetchPage(ctx context.Context, url string) ([]byte, string, error) {
	return f(ctx, url)
}

// Extractor fills in article text.
type Extractor struct {
	fetcher PageFetcher
	minText int
}

// Option configures an Extractor.
type Option func(*Extractor)

// WithMinText sets the feed text length under which the page is fetched.
func WithMinText(n int) Option { return func(e *Extractor) { e.minText = n } }

// New returns an Extractor that fetches pages through f (nil: never fetch).
func New(f PageFetcher, opts ...Option) *Extractor {
	e := &Extractor{fetcher: f, minText: DefaultMinText}
	for _, o := range opts {
		o(e)
	}
	return e
}

// FetchError is returned when the page could not be fetched or read; the
// article keeps its feed text, so the caller may log it and go on.
type FetchError struct {
	URL string
	Err error
}

func (e *FetchError) Error() string { return fmt.Sprintf("extract %s: %v", e.URL, e.Err) }
func (e *FetchError) Unwrap() error { return e.Err }

// Enrich sets a.Text, a.TextSource and a.Lang. The feed's text (content,
// else description) is used as it is when long enough; otherwise the page at
// a.Link is fetched and its main text used when it is longer. On a fetch
// failure the feed text stays and a *FetchError is returned.
func (e *Extractor) Enrich(ctx context.Context, a *news.Article) error {
	feedText := cleanText(firstNonEmptyRaw(a.Content, a.Description))
	a.Text, a.TextSource = feedText, news.TextFromFeed
	var err error
	if e.fetcher != nil && a.Link != "" && len([]rune(feedText)) < e.minText {
		err = e.fromPage(ctx, a, feedText)
	}
	a.Lang = textproc.DetectLanguage(a.Title+"\n"+a.Text, a.Language)
	return err
}

func (e *Extractor) fromPage(ctx context.Context, a *news.Article, feedText string) error {
	body, final, err := e.fetcher.FetchPage(ctx, a.Link)
	if err != nil {
		return &FetchError{URL: a.Link, Err: err}
	}
	if final == "" {
		final = a.Link
	}
	p, err := ParsePage(body, final)
	if err != nil {
		return &FetchError{URL: a.Link, Err: err}
	}
	if len([]rune(p.Text)) > len([]rune(feedText)) {
		a.Text, a.TextSource = p.Text, p.TextSource
	}
	if a.Title == "" {
		a.Title = p.Title
	}
	if a.Language == "" {
		a.Language = p.Lang
	}
	return nil
}

func firstNonEmptyRaw(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
