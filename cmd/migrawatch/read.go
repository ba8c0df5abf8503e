package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/migrawatch/migrawatch/config"
	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/page"
)

// fetcherOptions maps the configuration onto the feed fetcher's options.
func fetcherOptions(cfg *config.Config) feed.Options {
	ua := cfg.Fetch.UserAgent
	if ua == "" {
		ua = feed.UserAgent(version)
	}
	redirects := cfg.Fetch.MaxRedirects
	if redirects == 0 {
		redirects = -1 // the fetcher reads 0 as "default"; the configuration means none
	}
	return feed.Options{
		UserAgent:             ua,
		ConnectTimeout:        cfg.Fetch.ConnectTimeout,
		HeaderTimeout:         cfg.Fetch.HeaderTimeout,
		Timeout:               cfg.Fetch.Timeout,
		MaxBodyBytes:          cfg.Fetch.MaxBodyBytes,
		MaxRedirects:          redirects,
		AllowPrivateAddresses: cfg.Fetch.AllowPrivateAddresses,
		MinHint:               cfg.Poll.MinInterval,
		MaxHint:               cfg.Poll.MaxInterval,
	}
}

// sourceFor turns a command-line argument into a source: an existing file, a
// catalog id, or a URL.
func sourceFor(arg string, catalog []news.Source) (news.Source, error) {
	if _, err := os.Stat(arg); err == nil {
		return localSource(arg), nil
	}
	for _, s := range catalog {
		if s.ID == arg {
			return s, nil
		}
	}
	if path, ok := config.LocalPath(arg); ok && strings.HasPrefix(arg, "file:") {
		return localSource(path), nil
	}
	u, err := url.Parse(arg)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return news.Source{}, fmt.Errorf("%q is neither a file, nor a catalog source id, nor an http(s) URL", arg)
	}
	return news.Source{ID: feed.SourceID(arg), URL: arg, Kind: news.KindFeed}, nil
}

// localSource describes a file given on the command line. Its name is left
// empty: the feed's own title names it once read.
func localSource(path string) news.Source {
	kind := news.KindFeed
	if ext := strings.ToLower(filepath.Ext(path)); ext == ".html" || ext == ".htm" {
		kind = news.KindPage
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return news.Source{ID: feed.SourceID("file://" + abs), URL: path, Kind: kind}
}

// readResult is what reading one source gave.
type readResult struct {
	src    news.Source
	parsed *feed.Parsed // nil for a listing page
	items  []news.Item
	// page is true when the source was read as a listing page.
	page bool
	// article is true when the source was one article (a page or a saved
	// text), read into one item whose text came from textSource.
	article    bool
	textSource news.TextSource
}

// readSource reads one source's items: a local file from disk (no address
// guard applies), a feed or listing page over HTTP. A document that turns out
// to be an HTML page advertising no feed is read as a listing page.
func readSource(ctx context.Context, f *feed.Fetcher, src news.Source) (*readResult, error) {
	res := &readResult{src: src}
	path, local := config.LocalPath(src.URL)
	var body []byte
	var contentType string
	if local {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		body = b
		if isTextFile(path) || (src.Kind == news.KindPage && looksLikeArticle(body)) {
			return readArticleFile(src, body, time.Now())
		}
	}
	if src.Kind != news.KindPage {
		finalURL := src.URL
		if !local {
			resp, err := f.Fetch(ctx, feed.Request{URL: src.URL})
			if err != nil {
				return nil, err
			}
			body, contentType, finalURL = resp.Body, resp.ContentType, resp.URL
		}
		p, err := feed.Parse(body, contentType, src)
		var nf *feed.NotAFeedError
		if err == nil {
			res.parsed, res.items = p, p.Items
			return res, nil
		}
		if errors.As(err, &nf) && nf.HTML && !local && looksLikeArticle(body) {
			// One article's page (which may well advertise its site's
			// feed): read it as the bot reads an article page.
			it, ts, aerr := articleItem(src, body, finalURL, time.Now())
			if aerr != nil {
				return nil, aerr
			}
			res.article, res.textSource, res.items = true, ts, []news.Item{it}
			return res, nil
		}
		if !errors.As(err, &nf) || !nf.HTML || len(nf.Links) > 0 {
			return nil, err
		}
		// An HTML page without feed links: watch it as a listing page.
	}
	pageURL := src.URL
	if local {
		pageURL = savedPageURL(body)
		if pageURL == "" {
			return nil, fmt.Errorf("%s: a saved listing page needs its address, and it has no <link rel=\"canonical\"> or og:url", path)
		}
	} else {
		resp, err := f.FetchPage(ctx, src.URL)
		if err != nil {
			return nil, err
		}
		body, pageURL = resp.Body, resp.URL
	}
	items, err := page.Items(src, body, pageURL, feed.CanonicalURL, time.Now())
	if err != nil {
		return nil, err
	}
	res.page, res.items = true, items
	return res, nil
}

// savedPageURL finds the address a saved HTML page was published at.
func savedPageURL(body []byte) string {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return ""
	}
	for _, sel := range []struct{ css, attr string }{
		{`link[rel="canonical"]`, "href"},
		{`meta[property="og:url"]`, "content"},
	} {
		if v, ok := doc.Find(sel.css).First().Attr(sel.attr); ok {
			if u, err := url.Parse(strings.TrimSpace(v)); err == nil && u.IsAbs() && u.Host != "" {
				return u.String()
			}
		}
	}
	return ""
}

// explain puts a fetch or parse error in plain words, with what to do about it.
func explain(err error) string {
	msg := err.Error()
	var se *feed.StatusError
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, feed.ErrPrivateAddress):
		return msg + ". MigraWatch refuses private and local addresses for feeds; for tests or a private deployment set MIGRAWATCH_ALLOW_PRIVATE_ADDRESSES=true."
	case errors.Is(err, page.ErrNoArticles):
		return msg + ": the page has no feed and no list of article links MigraWatch can recognise."
	case errors.Is(err, feed.ErrNotAFeed):
		var nf *feed.NotAFeedError
		if errors.As(err, &nf) && len(nf.Links) > 0 {
			return msg + ". Use one of the advertised feed addresses instead."
		}
		return msg + "."
	case errors.As(err, &se) && (se.Code == 401 || se.Code == 403):
		return msg + ". Some sites block servers and unknown clients; the feed may still work from another network."
	case errors.As(err, &se):
		return msg + "."
	case errors.As(err, &dnsErr):
		return msg + ": the host name does not resolve (a typo, or no network)."
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded):
		return msg + ": the server did not answer in time."
	case errors.Is(err, os.ErrNotExist):
		return msg + ": no such file."
	}
	return msg
}
