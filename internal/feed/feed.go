// Package feed fetches syndication feeds and HTML pages over HTTP and parses
// feed bytes into news.Item values with stable keys. It is the only place in
// MigraWatch that speaks HTTP to the outside world on behalf of sources, so
// the SSRF guard, the body cap, the redirect limit and the HTTP caching rules
// all live here.
package feed

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Version is the MigraWatch version announced in the default User-Agent.
// The build sets it with -ldflags "-X github.com/migrawatch/migrawatch/internal/feed.Version=...".
var Version = "dev"

// ProjectURL is the address given in the User-Agent so that site operators
// can find out who is polling them.
const ProjectURL = "https://github.com/migrawatch/migrawatch"

// UserAgent returns the honest User-Agent string for version v.
func UserAgent(v string) string {
	if v == "" {
		v = Version
	}
	return "MigraWatch/" + v + " (+" + ProjectURL + ")"
}

// Defaults for Options fields left zero.
const (
	DefaultMaxBodyBytes   = 5 << 20
	DefaultMaxRedirects   = 5
	DefaultConnectTimeout = 10 * time.Second
	DefaultHeaderTimeout  = 20 * time.Second
	DefaultTimeout        = 60 * time.Second
	DefaultMinHint        = time.Minute
	DefaultMaxHint        = 24 * time.Hour
)

// Errors the fetcher and the parser report. Each is wrapped with the URL or
// the detail; match them with errors.Is.
var (
	// ErrPrivateAddress means the URL resolves to an address MigraWatch
	// refuses to connect to (loopback, private, link-local, ...). See AddressError.
	ErrPrivateAddress = errors.New("address is not a public internet address")
	// ErrNotAFeed means the document is not RSS, Atom or JSON Feed; when it is
	// an HTML page, NotAFeedError lists the feeds the page advertises.
	ErrNotAFeed = errors.New("not a feed")
	// ErrTooLarge means the body exceeds Options.MaxBodyBytes.
	ErrTooLarge = errors.New("response body too large")
	// ErrTooManyRedirects means more than Options.MaxRedirects redirects were followed.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrBadURL means the URL is not an absolute http(s) URL without credentials.
	ErrBadURL = errors.New("unsupported URL")
	// ErrMalformed means the document could not be parsed even after repair.
	ErrMalformed = errors.New("malformed feed")
	// ErrEncoding means the body's character encoding is unknown or could not be converted.
	ErrEncoding = errors.New("unusable character encoding")
	// ErrDisallowed means the site's robots.txt does not let MigraWatch fetch a URL.
	ErrDisallowed = errors.New("robots.txt disallows this URL")
	// ErrRobotsUnreachable means the site's robots.txt could not be read (a
	// server error or no answer); RFC 9309 §2.3.1.4 then treats the whole
	// site as disallowed until it can be read again.
	ErrRobotsUnreachable = errors.New("robots.txt cannot be read, so the site is not read for now")
	// ErrNoArticles means a listing page links to no article MigraWatch recognises.
	ErrNoArticles = errors.New("the page lists no articles")
)

// AddressError is the refusal of one address by the SSRF guard.
type AddressError struct {
	Addr  string // the IP address refused
	Class string // loopback, private, link-local, multicast, unspecified, ...
}

func (e *AddressError) Error() string {
	return fmt.Sprintf("refusing to connect to %s: %s address (feeds must be on the public internet)", e.Addr, e.Class)
}

// Is makes errors.Is(err, ErrPrivateAddress) true.
func (e *AddressError) Is(target error) bool { return target == ErrPrivateAddress }

// StatusError is an HTTP answer other than 200 or 304.
type StatusError struct {
	Code int
	// RetryAfter is the server's Retry-After (429, 503), zero when absent.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("HTTP status %d", e.Code)
	switch {
	case e.Code == 404 || e.Code == 410:
		msg += " (the feed is gone from this address)"
	case e.Code == 401 || e.Code == 403:
		msg += " (the server refuses access)"
	case e.Code == 429:
		msg += " (the server asks us to slow down)"
	case e.Code >= 500:
		msg += " (server error)"
	}
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(", retry after %s", e.RetryAfter)
	}
	return msg
}

// Temporary reports whether retrying later may succeed.
func (e *StatusError) Temporary() bool {
	return e.Code == 408 || e.Code == 425 || e.Code == 429 || e.Code >= 500
}

// NotAFeedError says the URL gave an HTML page (or other document) instead of
// a feed. Links are the absolute feed URLs the page advertises with
// <link rel="alternate">, best first.
type NotAFeedError struct {
	HTML  bool
	Links []string
}

func (e *NotAFeedError) Error() string {
	var b strings.Builder
	if e.HTML {
		b.WriteString("got an HTML page, not a feed")
	} else {
		b.WriteString("the document is not an RSS, Atom or JSON feed")
	}
	if len(e.Links) > 0 {
		b.WriteString("; the page advertises: ")
		b.WriteString(strings.Join(e.Links, ", "))
	}
	return b.String()
}

// Is makes errors.Is(err, ErrNotAFeed) true.
func (e *NotAFeedError) Is(target error) bool { return target == ErrNotAFeed }
