package feed

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// feedTypes are the media types a <link rel="alternate"> must have to count
// as a feed.
var feedTypes = map[string]int{
	"application/rss+xml":   0,
	"application/atom+xml":  1,
	"application/feed+json": 2,
	"application/rdf+xml":   3,
	"application/json":      4,
	"application/xml":       5,
	"text/xml":              6,
}

// AdvertisedFeeds returns the absolute http(s) URLs of the feeds an HTML page
// advertises with <link rel="alternate" type="application/rss+xml" ...>
// (and Atom, JSON Feed), resolved against <base href> or pageURL, in page
// order without duplicates.
func AdvertisedFeeds(page []byte, pageURL string) []string {
	base, _ := url.Parse(pageURL)
	z := html.NewTokenizer(bytes.NewReader(page))
	var links []string
	seen := map[string]bool{}
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return links
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		a := atom.Lookup(name)
		if a == atom.Body {
			return links
		}
		if !hasAttr || (a != atom.Link && a != atom.Base) {
			continue
		}
		attrs := map[string]string{}
		for {
			k, v, more := z.TagAttr()
			attrs[strings.ToLower(string(k))] = strings.TrimSpace(string(v))
			if !more {
				break
			}
		}
		if a == atom.Base {
			if b, err := url.Parse(attrs["href"]); err == nil && base != nil {
				base = base.ResolveReference(b)
			} else if err == nil && b.IsAbs() {
				base = b
			}
			continue
		}
		rels := strings.Fields(strings.ToLower(attrs["rel"]))
		if !containsStr(rels, "alternate") {
			continue
		}
		typ := strings.ToLower(strings.TrimSpace(strings.SplitN(attrs["type"], ";", 2)[0]))
		if _, ok := feedTypes[typ]; !ok || attrs["href"] == "" {
			continue
		}
		ref, err := url.Parse(attrs["href"])
		if err != nil {
			continue
		}
		if base != nil {
			ref = base.ResolveReference(ref)
		}
		if ref.Scheme != "http" && ref.Scheme != "https" {
			continue
		}
		s := ref.String()
		if !seen[s] {
			seen[s] = true
			links = append(links, s)
		}
	}
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
