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
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
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
	// Canonical cleans a URL into the item key (tracking parameters dropped).
	// When nil, fragments are dropped and utm_* parameters removed.
	Canonical func(string) string
}

// chromeTags are the elements whose links are site chrome, not the listing.
var chromeTags = map[string]bool{"nav": true, "header": true, "footer": true, "aside": true, "form": true}

// chromeClass matches class or id names of navigation, sidebars and widgets.
var chromeClass = regexp.MustCompile(`(?i)(^|[\s_-])(nav|navbar|menu|footer|header|breadcrumbs?|social|share|sharing|sidebar|widget|most[-_]?read|popular|trending|tags?|pagination|pager|cookie|newsletter|related|lire-aussi|read-also)([\s_-]|$)`)

// notArticlePath matches paths of sections, tags, authors, media and accounts.
var notArticlePath = regexp.MustCompile(`(?i)/(tag|tags|category|categories|categorie|rubrique|section|author|auteur|page|search|recherche|login|register|contact|about|privacy|terms|feed|rss|live|video|videos|photos?|galerie|podcasts?)(/|$)|\.(jpe?g|png|gif|webp|svg|pdf|mp4|mp3|css|js|xml)$`)

var (
	datedPath   = regexp.MustCompile(`/(19|20)\d\d[/-](0?[1-9]|1[0-2])([/-]|$)|[-_/](19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])([-_./]|$)`)
	numericID   = regexp.MustCompile(`(^|[/_-])\d{4,}([/._-]|\.html?|$)`)
	slugSegment = regexp.MustCompile(`[^/]+(-[^/-]+){2,}`)
)

// Discover returns the article links of a listing page in document order,
// each once, keyed by canonical URL. pageURL resolves relative links and
// decides which site is "same site".
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
		canon = defaultCanonical
	}
	if b, ok := doc.Find("base[href]").Attr("href"); ok {
		if bu, err := base.Parse(b); err == nil {
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

	type candidate struct {
		link Link
		sigs []string
	}
	var cands []candidate
	sigCount := map[string]int{}
	seen := map[string]int{}
	anchors.Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		u, err := base.Parse(strings.TrimSpace(href))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !sameSite(u.Hostname(), base.Hostname()) {
			return
		}
		text := anchorText(a)
		if opt.Selector == "" {
			if inChrome(a) || !articlePath(u) || !headlineLength(text) {
				return
			}
		}
		key := canon(u.String())
		sig := signature(a)
		sigCount[sig]++
		if i, dup := seen[key]; dup {
			if utf8.RuneCountInString(text) > utf8.RuneCountInString(cands[i].link.Text) {
				cands[i].link.Text = text
			}
			cands[i].sigs = append(cands[i].sigs, sig)
			return
		}
		seen[key] = len(cands)
		cands = append(cands, candidate{Link{URL: key, Text: text}, []string{sig}})
	})
	var out []Link
	for _, c := range cands {
		// A lone link whose layout repeats nowhere else is a promo box or an
		// inline mention; listings repeat one structure. A selector chosen by
		// hand needs no such proof.
		if opt.Selector == "" && len(cands) > 2 && !repeated(c.sigs, sigCount) {
			continue
		}
		out = append(out, c.link)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %w", pageURL, ErrNoArticles)
	}
	return out, nil
}

func repeated(sigs []string, count map[string]int) bool {
	for _, s := range sigs {
		if count[s] >= 2 {
			return true
		}
	}
	return false
}

func safeFind(doc *goquery.Document, selector string) (sel *goquery.Selection, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("CSS selector %q: %v", selector, r)
		}
	}()
	return doc.Find(selector), nil
}

// anchorText is the visible text of a link, else its title or image alt.
func anchorText(a *goquery.Selection) string {
	t := strings.Join(strings.Fields(a.Text()), " ")
	if t == "" {
		t, _ = a.Attr("title")
	}
	if t == "" {
		t, _ = a.Find("img[alt]").Attr("alt")
	}
	return strings.Join(strings.Fields(t), " ")
}

// headlineLength reports whether text looks like a headline: a few words, not
// a label ("Société", "المزيد") nor a paragraph.
func headlineLength(text string) bool {
	n := utf8.RuneCountInString(text)
	return n >= 15 && n <= 300 && len(strings.Fields(text)) >= 3
}

// articlePath reports whether a URL's path is shaped like an article: dated,
// with a long slug, or with a numeric id; never a section, tag or media file.
func articlePath(u *url.URL) bool {
	p := u.EscapedPath()
	if dec, err := url.PathUnescape(p); err == nil {
		p = dec
	}
	if p == "" || p == "/" || notArticlePath.MatchString(p) {
		return false
	}
	return datedPath.MatchString(p) || numericID.MatchString(p) || slugSegment.MatchString(lastSegment(p))
}

func lastSegment(p string) string {
	p = strings.TrimRight(p, "/")
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// inChrome reports whether the link sits in navigation, header, footer, a
// sidebar or a widget.
func inChrome(a *goquery.Selection) bool {
	for n := a.Get(0).Parent; n != nil; n = n.Parent {
		if n.Type != html.ElementNode {
			continue
		}
		if chromeTags[n.Data] {
			return true
		}
		for _, at := range n.Attr {
			switch at.Key {
			case "class", "id":
				if chromeClass.MatchString(at.Val) {
					return true
				}
			case "role":
				if at.Val == "navigation" || at.Val == "banner" || at.Val == "contentinfo" || at.Val == "complementary" {
					return true
				}
			}
		}
	}
	return false
}

// signature is the tag-and-class path of a link's three nearest ancestors:
// the links of one listing share it.
func signature(a *goquery.Selection) string {
	var b strings.Builder
	depth := 0
	for n := a.Get(0).Parent; n != nil && depth < 3; n = n.Parent {
		if n.Type != html.ElementNode {
			continue
		}
		b.WriteString(n.Data)
		for _, at := range n.Attr {
			if at.Key == "class" {
				b.WriteByte('.')
				b.WriteString(strings.Join(strings.Fields(at.Val), "."))
			}
		}
		b.WriteByte('<')
		depth++
	}
	return b.String()
}

// sameSite reports whether host belongs to the same site as base: equal
// hosts, or hosts sharing the registrable domain (www.2m.ma and 2m.ma).
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

var trackingParams = map[string]bool{"fbclid": true, "gclid": true, "msclkid": true, "mc_cid": true, "mc_eid": true, "traffic_source": true, "xtor": true}

func defaultCanonical(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Fragment = ""
	u.Host = strings.ToLower(u.Host)
	q := u.Query()
	for k := range q {
		if lk := strings.ToLower(k); strings.HasPrefix(lk, "utm_") || trackingParams[lk] {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}
