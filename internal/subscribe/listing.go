package subscribe

import (
	"bytes"
	"context"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/page"
)

// listing is what a news listing page yields.
type listing struct {
	URL      string // final URL after redirects
	Name     string
	Language string
	Articles []page.Link
}

// readListing fetches the page at u and finds its article links. It fails
// with page.ErrNoArticles when the page lists none.
func (s *Subscriptions) readListing(ctx context.Context, u string) (listing, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.CheckTimeout)
	defer cancel()
	resp, err := s.opts.Pages.FetchPage(ctx, u)
	if err != nil {
		return listing{}, err
	}
	l := listing{URL: resp.URL}
	if l.URL == "" {
		l.URL = u
	}
	l.Articles, err = page.Discover(resp.Body, l.URL, page.Options{Canonical: feed.CanonicalURL})
	if err == nil && len(l.Articles) == 0 {
		err = page.ErrNoArticles
	}
	if err != nil {
		return listing{}, err
	}
	l.Name, l.Language = pageIdentity(resp.Body)
	if l.Name == "" {
		l.Name = hostOf(l.URL)
	}
	l.Name = truncate(l.Name, 120)
	return l, nil
}

// pageIdentity reads a page's site name (og:site_name, else <title>) and
// its language when it is one of MigraWatch's.
func pageIdentity(body []byte) (name, lang string) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return "", ""
	}
	name, _ = doc.Find(`meta[property="og:site_name"]`).First().Attr("content")
	if name = strings.Join(strings.Fields(name), " "); name == "" {
		name = strings.Join(strings.Fields(doc.Find("title").First().Text()), " ")
	}
	if code, ok := doc.Find("html").First().Attr("lang"); ok {
		lang = language(code)
	}
	return name, lang
}

func hostOf(u string) string {
	_, rest, _ := strings.Cut(u, "://")
	host, _, _ := strings.Cut(rest, "/")
	return host
}
