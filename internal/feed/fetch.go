package feed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

// Options configures a Fetcher. The zero value is usable: every zero field
// takes its documented default.
type Options struct {
	// UserAgent defaults to UserAgent(Version).
	UserAgent string
	// ConnectTimeout bounds the TCP (and TLS) connection set-up.
	ConnectTimeout time.Duration
	// HeaderTimeout bounds the wait for the response headers once the request is sent.
	HeaderTimeout time.Duration
	// Timeout bounds the whole request, redirects and body included.
	Timeout time.Duration
	// MaxBodyBytes caps the (decompressed) body; default 5 MiB.
	MaxBodyBytes int64
	// MaxRedirects is the number of redirects followed; default 5, negative means none.
	MaxRedirects int
	// AllowPrivateAddresses turns the SSRF guard off (tests, private deployments).
	AllowPrivateAddresses bool
	// MinHint and MaxHint bound the polling hints taken from Retry-After,
	// Cache-Control max-age, Expires, <ttl> and sy:updatePeriod.
	MinHint, MaxHint time.Duration
	// Resolver, when set, replaces DNS for host names (tests use it so that no
	// network is touched). The guard judges whatever addresses it returns.
	Resolver func(ctx context.Context, host string) ([]netip.Addr, error)
	// Now is the clock used for HTTP dates; default time.Now.
	Now func() time.Time
	// Transport, when set, replaces the HTTP transport entirely (the guard
	// then only judges URLs, not connections); leave nil in production.
	Transport http.RoundTripper
}

func (o *Options) defaults() {
	if o.UserAgent == "" {
		o.UserAgent = UserAgent(Version)
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.HeaderTimeout <= 0 {
		o.HeaderTimeout = DefaultHeaderTimeout
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.MaxRedirects == 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	if o.MinHint <= 0 {
		o.MinHint = DefaultMinHint
	}
	if o.MaxHint <= 0 {
		o.MaxHint = DefaultMaxHint
	}
	if o.MaxHint < o.MinHint {
		o.MaxHint = o.MinHint
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Fetcher fetches feeds and pages. It is safe for concurrent use; share one
// per process so connections are reused.
type Fetcher struct {
	opts   Options
	client *http.Client
	// permit, for tests inside the package, lets chosen addresses past the guard.
	permit func(netip.Addr) bool
}

// NewFetcher returns a Fetcher with opts (zero fields take defaults).
func NewFetcher(opts Options) *Fetcher {
	opts.defaults()
	f := &Fetcher{opts: opts}
	dialer := &net.Dialer{
		Timeout:   opts.ConnectTimeout,
		KeepAlive: 30 * time.Second,
		Control:   f.dialControl,
	}
	dial := dialer.DialContext
	if opts.Resolver != nil {
		dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			if _, err := netip.ParseAddr(host); err == nil {
				return dialer.DialContext(ctx, network, addr)
			}
			ips, err := opts.Resolver(ctx, host)
			if err != nil {
				return nil, &net.DNSError{Err: err.Error(), Name: host}
			}
			if len(ips) == 0 {
				return nil, &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
			}
			var first error
			for _, ip := range ips {
				c, err := dialer.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
				if err == nil {
					return c, nil
				}
				if first == nil {
					first = err
				}
			}
			return nil, first
		}
	}
	rt := opts.Transport
	if rt == nil {
		rt = &http.Transport{
			Proxy:                 nil, // a proxy would connect on our behalf, out of the guard's sight
			DialContext:           dial,
			TLSHandshakeTimeout:   opts.ConnectTimeout,
			ResponseHeaderTimeout: opts.HeaderTimeout,
			ExpectContinueTimeout: time.Second,
			MaxIdleConns:          256,
			MaxIdleConnsPerHost:   32,
			IdleConnTimeout:       90 * time.Second,
			ForceAttemptHTTP2:     true,
		}
	}
	f.client = &http.Client{
		Transport: rt,
		Timeout:   opts.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > max(opts.MaxRedirects, 0) {
				return fmt.Errorf("%w (more than %d, last %s)", ErrTooManyRedirects, max(opts.MaxRedirects, 0), req.URL.Redacted())
			}
			if err := f.checkURL(req.URL); err != nil {
				return err
			}
			// Validators belong to the first URL; net/http copies our headers
			// to the redirected request, which is what RFC 9110 15.4 expects
			// of a user agent, so they stay.
			return nil
		},
	}
	return f
}

// Request is one feed fetch. ETag and LastModified are the validators saved
// after the last good parse; empty ones are not sent.
type Request struct {
	URL          string
	ETag         string
	LastModified string
}

// Response is the outcome of a fetch that reached the server and got 200 or 304.
type Response struct {
	// URL is the final URL after redirects.
	URL string
	// Status is the HTTP status (200 or 304).
	Status int
	// NotModified is true for 304: Body is empty and the stored validators stay.
	NotModified bool
	// Body is the response body (decompressed), at most Options.MaxBodyBytes.
	Body []byte
	// ContentType is the Content-Type header.
	ContentType string
	// Charset is the charset parameter of Content-Type, lower-cased ("" if none).
	Charset string
	// ETag and LastModified are the validators the server sent (on 304 the
	// server may repeat or omit them).
	ETag         string
	LastModified string
	// Hint is the server's suggested minimum wait before the next poll, from
	// Cache-Control max-age, Expires or Retry-After, clamped to
	// [MinHint, MaxHint]; zero when the server gave none.
	Hint time.Duration
	// BytesRead is the number of body bytes read.
	BytesRead int64
	// Elapsed is the wall time of the request.
	Elapsed time.Duration
}

// Fetch performs a (conditional) GET of a feed. A 304 answer is a success
// with NotModified set. Other non-200 answers are *StatusError.
func (f *Fetcher) Fetch(ctx context.Context, r Request) (*Response, error) {
	hdr := http.Header{}
	hdr.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8")
	if r.ETag != "" {
		hdr.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		hdr.Set("If-Modified-Since", r.LastModified)
	}
	return f.get(ctx, r.URL, hdr)
}

// FetchPage fetches an HTML page (an article or a listing) with the same rules
// as Fetch: SSRF guard, timeouts, size cap, redirect limit. The returned
// Body is converted to UTF-8 (from the HTTP charset, a BOM, or the page's
// <meta charset>).
func (f *Fetcher) FetchPage(ctx context.Context, pageURL string) (*Response, error) {
	hdr := http.Header{}
	hdr.Set("Accept", "text/html, application/xhtml+xml;q=0.9, */*;q=0.5")
	resp, err := f.get(ctx, pageURL, hdr)
	if err != nil {
		return nil, err
	}
	enc, name, _ := charset.DetermineEncoding(resp.Body, resp.ContentType)
	if name != "utf-8" && enc != nil {
		out, err := enc.NewDecoder().Bytes(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("fetch %s: %w: %s: %v", resp.URL, ErrEncoding, name, err)
		}
		resp.Body = out
		resp.Charset = name
	} else {
		resp.Body = bytes.TrimPrefix(resp.Body, utf8BOM)
	}
	return resp, nil
}

func (f *Fetcher) get(ctx context.Context, rawURL string, hdr http.Header) (*Response, error) {
	start := f.opts.Now()
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, fmt.Errorf("fetch %q: %w: %v", rawURL, ErrBadURL, err)
	}
	if err := f.checkURL(u); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u.Redacted(), err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w: %v", u, ErrBadURL, err)
	}
	req.Header = hdr
	req.Header.Set("User-Agent", f.opts.UserAgent)
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, unwrapURLError(err))
	}
	defer resp.Body.Close()
	out := &Response{
		URL:          resp.Request.URL.String(),
		Status:       resp.StatusCode,
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
	}
	if out.ContentType != "" {
		if _, params, err := mime.ParseMediaType(out.ContentType); err == nil {
			out.Charset = strings.ToLower(strings.Trim(params["charset"], `"' `))
		}
	}
	now := f.opts.Now()
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		out.Hint = f.clampHint(cacheHint(resp.Header, now))
		// Drain what little there is so the connection is reused.
		_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
		out.Elapsed = f.opts.Now().Sub(start)
		return out, nil
	case resp.StatusCode != http.StatusOK:
		se := &StatusError{Code: resp.StatusCode}
		if d := retryAfter(resp.Header.Get("Retry-After"), now); d > 0 {
			se.RetryAfter = f.clampHint(d)
		}
		_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
		return nil, fmt.Errorf("fetch %s: %w", out.URL, se)
	}
	out.Hint = f.clampHint(cacheHint(resp.Header, now))
	body, err := readCapped(resp.Body, resp.ContentLength, f.opts.MaxBodyBytes)
	out.BytesRead = int64(len(body))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", out.URL, err)
	}
	out.Body = body
	out.Elapsed = f.opts.Now().Sub(start)
	return out, nil
}

// unwrapURLError drops *url.Error's "Get \"...\":" prefix (we add our own
// context) while keeping the chain for errors.Is.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func readCapped(r io.Reader, contentLength, limit int64) ([]byte, error) {
	if contentLength > limit {
		return nil, fmt.Errorf("%w: %d bytes announced, the limit is %d", ErrTooLarge, contentLength, limit)
	}
	var buf bytes.Buffer
	if contentLength > 0 {
		buf.Grow(int(contentLength) + 1)
	} else {
		buf.Grow(32 << 10)
	}
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading body: %w", err)
	}
	if n > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
	}
	return buf.Bytes(), nil
}

func (f *Fetcher) clampHint(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return min(max(d, f.opts.MinHint), f.opts.MaxHint)
}

// ClampHint bounds a polling hint (such as Parsed.TTL) the way the fetcher
// bounds its own; zero stays zero.
func (f *Fetcher) ClampHint(d time.Duration) time.Duration { return f.clampHint(d) }

// retryAfter parses Retry-After: delay-seconds or an HTTP-date (RFC 9110 10.2.3).
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		return time.Duration(min(n, int64(365*24*3600))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// cacheHint reads the freshness lifetime the server gives (RFC 9111 4.2.1):
// Cache-Control max-age, else Expires minus Date; plus Retry-After, which
// some servers send on 200 and 304 to pace clients.
func cacheHint(h http.Header, now time.Time) time.Duration {
	var d time.Duration
	found := false
	for _, cc := range h.Values("Cache-Control") {
		for _, dir := range strings.Split(cc, ",") {
			dir = strings.TrimSpace(strings.ToLower(dir))
			if v, ok := strings.CutPrefix(dir, "max-age="); ok {
				if n, err := strconv.ParseInt(strings.Trim(v, `"`), 10, 64); err == nil && n > 0 {
					d = time.Duration(min(n, int64(365*24*3600))) * time.Second
				}
				found = true
			}
			if dir == "no-cache" || dir == "no-store" {
				found = true
			}
		}
	}
	if !found {
		if exp := h.Get("Expires"); exp != "" {
			if t, err := http.ParseTime(exp); err == nil {
				base := now
				if dt, err := http.ParseTime(h.Get("Date")); err == nil {
					base = dt
				}
				if t.After(base) {
					d = t.Sub(base)
				}
			}
		}
	}
	if ra := retryAfter(h.Get("Retry-After"), now); ra > d {
		d = ra
	}
	return d
}
