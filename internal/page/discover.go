// Package page follows news sites that publish no feed: it finds the article
// links on a listing page (a section or home page), reads robots.txt, and
// spaces out article fetches per host. The article pages themselves are read
// by the extract package, so a page article flows through the same pipeline
// as a feed item.
package page

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/migrawatch/migrawatch/internal/feed"
)

// ErrNoArticles means a listing page yielded no article links: its structure
// changed or it is not a listing. The source is reported as failing.
var ErrNoArticles = errors.New("the page lists no articles")

// Link is an article link found on a listing page.
type Link struct {
	URL  string
	Text string
}

// Options tunes discovery.
type Options struct {
	// Selector, when set, is a CSS selector for the article links (or their
	// containers); it replaces the layout heuristics.
	Selector string
	// Canonical cleans a URL into the item key (tracking parameters,
	// fragment and default port dropped). When nil, feed.CanonicalURL.
	Canonical func(string) string
}

// Discover returns the article links of a listing page in document order,
// each once, keyed by canonical URL. pageURL resolves relative links and
// decides which site is "same site" (the outlet's other sub-domains, such as
// its sites in other languages, count).
//
// What an article link looks like is learnt from the page itself: links are
// grouped by the shape of their path (depth, which segments are numbers,
// years or words, what the last segment is: an id, a descriptive slug, a
// plain word), and the shape that carries the most headline-like links is
// the site's article shape. Links of that shape are articles whatever their
// text; links of another shape must earn it (see accept). A link whose last
// segment names a directory of other links on the page, or whose path is a
// prefix of several others, is a section, not an article. Where a link sits
// matters only for the page's navigation, header and footer; class names
// such as "sidebar" or "widget" decide nothing.
func Discover(body []byte, pageURL string, opt Options) ([]Link, error) {
	base, err := url.Parse(pageURL)
	if err != nil || base.Host == "" {
		return nil, fmt.Errorf("listing page URL %q: not an absolute URL", pageURL)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("listing page %s: %w", pageURL, err)
	}
	canon := opt.Canonical
	if canon == nil {
		canon = feed.CanonicalURL
	}
	if b, ok := doc.Find("base[href]").Attr("href"); ok {
		if bu, err := base.Parse(strings.TrimSpace(b)); err == nil && bu.Host != "" {
			base = bu
		}
	}
	var anchors *goquery.Selection
	if opt.Selector != "" {
		sel, err := safeFind(doc, opt.Selector)
		if err != nil {
			return nil, err
		}
		anchors = sel.Filter("a[href]").AddSelection(sel.Find("a[href]"))
	} else {
		anchors = doc.Find("a[href]")
	}
	self := canon(base.String())
	cands := collect(anchors, base, self, canon, opt.Selector == "")
	var out []Link
	if opt.Selector != "" {
		for _, c := range cands {
			out = append(out, Link{URL: c.key, Text: c.title()})
		}
	} else {
		out = articles(cands)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %w", pageURL, ErrNoArticles)
	}
	return out, nil
}

func safeFind(doc *goquery.Document, selector string) (sel *goquery.Selection, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("CSS selector %q: %v", selector, r)
		}
	}()
	return doc.Find(selector), nil
}

// candidate is one distinct link of the page (all its anchors merged).
type candidate struct {
	key   string
	u     *url.URL
	texts []anchorText
	shape shape
}

// collect gathers the page's same-site links, each once under its canonical
// key, in document order. With heuristics on, links of the page's chrome
// (navigation, header, footer) and links to files are left out.
func collect(anchors *goquery.Selection, base *url.URL, self string, canon func(string) string, heuristics bool) []*candidate {
	var cands []*candidate
	index := map[string]*candidate{}
	anchors.Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		u, err := base.Parse(strings.TrimSpace(href))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !sameSite(u.Hostname(), base.Hostname()) {
			return
		}
		key := canon(normalizeEscapes(u).String())
		if key == self {
			return
		}
		if heuristics && (inChrome(a) || isFile(u)) {
			return
		}
		c := index[key]
		if c == nil {
			ku, err := url.Parse(key)
			if err != nil {
				ku = u
			}
			c = &candidate{key: key, u: ku}
			index[key] = c
			cands = append(cands, c)
		}
		c.texts = append(c.texts, textsOf(a)...)
	})
	return cands
}

// normalizeEscapes re-encodes a URL's path so that two spellings of the
// same address (%d8%a7 and %D8%A7, or raw UTF-8) give one key.
func normalizeEscapes(u *url.URL) *url.URL {
	v := *u
	v.RawPath = ""
	return &v
}

// chromeTags are the elements whose links are the site's chrome: menus,
// masthead, footer. They are HTML's own words for it, unlike class names,
// which themes use for anything (a news river classed "sidebar").
var chromeTags = map[string]bool{"nav": true, "header": true, "footer": true}

var chromeRoles = map[string]bool{"navigation": true, "banner": true, "contentinfo": true}

// inChrome reports whether the link sits in the page's navigation, header
// or footer.
func inChrome(a *goquery.Selection) bool {
	for n := a.Get(0).Parent; n != nil; n = n.Parent {
		if n.Type != html.ElementNode {
			continue
		}
		if chromeTags[n.Data] {
			return true
		}
		for _, at := range n.Attr {
			if at.Key == "role" && chromeRoles[strings.ToLower(strings.TrimSpace(at.Val))] {
				return true
			}
		}
	}
	return false
}

// fileExt are suffixes of files, not pages.
var fileExt = map[string]bool{
	"jpg": true, "jpeg": true, "png": true, "gif": true, "webp": true, "svg": true, "bmp": true, "ico": true,
	"pdf": true, "doc": true, "docx": true, "xls": true, "xlsx": true, "ppt": true, "zip": true, "rar": true,
	"mp3": true, "mp4": true, "m4a": true, "ogg": true, "wav": true, "avi": true, "mov": true, "m3u8": true,
	"css": true, "js": true, "json": true, "xml": true, "rss": true, "atom": true, "txt": true,
}

func isFile(u *url.URL) bool {
	ext := extension(lastSegment(u.Path))
	return fileExt[ext]
}

// sameSite reports whether host belongs to the same site as base: equal
// hosts, or hosts sharing the registrable domain (www.2m.ma and 2m.ma, or an
// outlet's language sub-sites ar.yabiladi.com and www.yabiladi.com).
func sameSite(host, base string) bool {
	host, base = strings.ToLower(host), strings.ToLower(base)
	return host == base || registrable(host) == registrable(base)
}

// secondLevel lists labels that sit under a country code as public suffixes
// (co.uk, com.tn, gov.ma...).
var secondLevel = map[string]bool{"co": true, "com": true, "org": true, "net": true, "gov": true, "ac": true, "edu": true, "gouv": true, "press": true}

func registrable(host string) string {
	labels := strings.Split(strings.TrimSuffix(host, "."), ".")
	n := 2
	if len(labels) >= 3 && secondLevel[labels[len(labels)-2]] {
		n = 3
	}
	if len(labels) <= n {
		return host
	}
	return strings.Join(labels[len(labels)-n:], ".")
}
