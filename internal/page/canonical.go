package page

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// canonicalLink is the address an article page gives for itself (<link
// rel="canonical">, else og:url), resolved against pageURL and cleaned
// with canon. It is "" when the page names none, or names one that cannot
// be this article's: another site, the site's root, or a directory above
// the page (some sites point every article at their home or section page).
func canonicalLink(body []byte, pageURL string, canon func(string) string) string {
	base, err := url.Parse(pageURL)
	if err != nil || base.Host == "" {
		return ""
	}
	rel, og := headLinks(body)
	for _, raw := range []string{rel, og} {
		if raw == "" {
			continue
		}
		u, err := base.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !sameSite(u.Hostname(), base.Hostname()) {
			continue
		}
		p, bp := strings.TrimRight(u.Path, "/"), strings.TrimRight(base.Path, "/")
		if p == "" || (p != bp && strings.HasPrefix(bp+"/", p+"/")) {
			continue
		}
		return canon(normalizeEscapes(u).String())
	}
	return ""
}

// headLinks reads the canonical link and og:url of a page's head, stopping
// at the body.
func headLinks(body []byte) (rel, og string) {
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return rel, og
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			switch t.Data {
			case "body":
				return rel, og
			case "link":
				if rel == "" && hasToken(attr(t, "rel"), "canonical") {
					rel = strings.TrimSpace(attr(t, "href"))
				}
			case "meta":
				if og == "" && strings.EqualFold(attr(t, "property"), "og:url") {
					og = strings.TrimSpace(attr(t, "content"))
				}
			}
		}
	}
}

func attr(t html.Token, key string) string {
	for _, a := range t.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}
