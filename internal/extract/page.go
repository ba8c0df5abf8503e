package extract

import (
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"codeberg.org/readeck/go-readability/v2"
	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/textproc"
)

// Page is what an article page tells about its article.
type Page struct {
	Title     string
	Published time.Time // zero when the page gives no date
	// Text is the main text, paragraphs separated by a blank line, without
	// page furniture; TextSource says where it came from.
	Text        string
	TextSource  news.TextSource
	Description string // og:description or meta description
	SiteName    string
	Lang        string // the page's declared language (html lang), "" if none
}

// minPageText is the shortest readable text accepted from the page body;
// shorter results fall back to JSON-LD, then the description.
const minPageText = 200

// ParsePage reads an article page: title (og:title, h1, <title> without the
// site name), date (article:published_time, JSON-LD datePublished, <time
// datetime>), and main text (readability, then JSON-LD articleBody, then
// og:description). It fails only when body is not HTML at all.
func ParsePage(body []byte, pageURL string) (Page, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return Page{}, err
	}
	var p Page
	ld := jsonLDArticle(doc)
	meta := func(keys ...string) string {
		for _, k := range keys {
			sel := doc.Find(`meta[property="` + k + `"], meta[name="` + k + `"], meta[itemprop="` + k + `"]`)
			if v, ok := sel.First().Attr("content"); ok && strings.TrimSpace(v) != "" {
				return strings.TrimSpace(v)
			}
		}
		return ""
	}
	p.SiteName = meta("og:site_name", "application-name")
	p.Lang = strings.ToLower(strings.TrimSpace(doc.Find("html").AttrOr("lang", "")))
	if i := strings.IndexAny(p.Lang, "-_"); i > 0 {
		p.Lang = p.Lang[:i]
	}
	p.Title = firstNonEmpty(meta("og:title", "twitter:title"), ld.Headline,
		cleanSpace(doc.Find("h1").First().Text()), titleWithoutSite(cleanSpace(doc.Find("title").First().Text()), p.SiteName))
	p.Published = firstDate(meta("article:published_time", "datePublished", "pubdate", "date"), ld.DatePublished,
		doc.Find("time[datetime]").First().AttrOr("datetime", ""))
	p.Description = firstNonEmpty(meta("og:description", "description", "twitter:description"), ld.Description)

	// Readability on a copy cleaned of page furniture.
	cleanFurniture(doc)
	var text string
	if root := doc.Nodes; len(root) > 0 {
		u, _ := url.Parse(pageURL)
		if art, err := readability.FromDocument(root[0], u); err == nil && art.Node != nil {
			text = nodeText(art.Node)
		}
	}
	switch {
	case len([]rune(text)) >= minPageText:
		p.Text, p.TextSource = text, news.TextFromPage
	case len([]rune(ld.ArticleBody)) > len([]rune(text)):
		p.Text, p.TextSource = cleanText(ld.ArticleBody), news.TextFromJSONLD
	case p.Description != "" && len([]rune(p.Description)) > len([]rune(text)):
		p.Text, p.TextSource = cleanText(p.Description), news.TextFromOG
	case text != "":
		p.Text, p.TextSource = text, news.TextFromPage
	}
	return p, nil
}

// ldArticle holds the fields MigraWatch reads from a JSON-LD NewsArticle.
type ldArticle struct {
	Headline      string
	ArticleBody   string
	DatePublished string
	Description   string
}

func jsonLDArticle(doc *goquery.Document) ldArticle {
	var out ldArticle
	doc.Find(`script[type="application/ld+json"]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		var v any
		if json.Unmarshal([]byte(s.Text()), &v) != nil {
			return true
		}
		if a, ok := findLDArticle(v); ok {
			out = a
			return false
		}
		return true
	})
	return out
}

func findLDArticle(v any) (ldArticle, bool) {
	switch t := v.(type) {
	case []any:
		for _, x := range t {
			if a, ok := findLDArticle(x); ok {
				return a, true
			}
		}
	case map[string]any:
		if g, ok := t["@graph"]; ok {
			if a, ok := findLDArticle(g); ok {
				return a, true
			}
		}
		if isArticleType(t["@type"]) {
			str := func(k string) string {
				s, _ := t[k].(string)
				return strings.TrimSpace(s)
			}
			return ldArticle{Headline: str("headline"), ArticleBody: str("articleBody"),
				DatePublished: str("datePublished"), Description: str("description")}, true
		}
	}
	return ldArticle{}, false
}

func isArticleType(v any) bool {
	switch t := v.(type) {
	case string:
		return strings.HasSuffix(t, "Article") || t == "BlogPosting" || t == "Report"
	case []any:
		for _, x := range t {
			if isArticleType(x) {
				return true
			}
		}
	}
	return false
}

// Selectors of page furniture removed before readability runs.
const furniture = `script, style, noscript, nav, header, footer, aside, form, iframe, button, svg, figcaption, ` +
	`[class*="share"], [id*="share"], [class*="social"], [class*="newsletter"], [id*="newsletter"], ` +
	`[class*="related"], [class*="read-also"], [class*="readmore"], [class*="breadcrumb"], [class*="comment"], ` +
	`[class*="tags"], [class*="caption"], [class*="credit"], [class*="subscribe"], [class*="author"], ` +
	`[class*="date"], [class*="meta"], [class*="advert"], [role="navigation"]`

func cleanFurniture(doc *goquery.Document) {
	doc.Find(furniture).Each(func(_ int, s *goquery.Selection) {
		// Never remove the whole article by a too-broad class match.
		if s.Is("body, html, article, main") || s.Find("p").Length() > 3 {
			return
		}
		s.Remove()
	})
}

// nodeText renders readability's article node as paragraphs, dropping
// furniture lines that survived (share prompts, dates, "read also", credits).
func nodeText(n *html.Node) string {
	var paras []string
	doc := goquery.NewDocumentFromNode(n)
	blocks := doc.Find("p, h2, h3, h4, li, blockquote, pre")
	if blocks.Length() == 0 {
		return cleanText(doc.Text())
	}
	blocks.Each(func(_ int, s *goquery.Selection) {
		// Only innermost blocks: a blockquote holding paragraphs gives its paragraphs.
		if s.Find("p, li").Length() > 0 {
			return
		}
		t := cleanSpace(s.Text())
		if t != "" && !isFurnitureLine(t) {
			paras = append(paras, t)
		}
	})
	return strings.Join(paras, "\n\n")
}

// cleanText normalizes the spacing of a plain text and drops furniture lines.
func cleanText(s string) string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		t := cleanSpace(line)
		if t != "" && !isFurnitureLine(t) {
			out = append(out, t)
		}
	}
	return strings.Join(out, "\n\n")
}

var (
	dateLine = regexp.MustCompile(`^[\d\s/.:,\-–•|]+$`)
	// Normalized prefixes of lines that are page furniture, not article text.
	furniturePrefixes = []string{"read also", "read more", "see also", "related", "lire aussi", "a lire aussi",
		"lire la suite", "voir aussi", "اقرا ايضا", "اقرا المزيد", "شاهد ايضا", "مواضيع ذات صله", "share", "partager",
		"مشاركه", "follow us", "suivez-nous", "تابعونا", "subscribe", "abonnez-vous", "inscrivez-vous",
		"sign up", "newsletter", "photo", "credit photo", "credit", "©", "copyright", "all rights reserved",
		"tous droits reserves", "جميع الحقوق", "اشترك", "news-picture", "advertisement", "publicite", "اعلان"}
)

// isFurnitureLine reports whether a short line is page furniture: a date or
// time, a share or subscribe prompt, a "read also" link, a photo credit.
func isFurnitureLine(t string) bool {
	if dateLine.MatchString(t) {
		return true
	}
	n := textproc.Normalize(t)
	n = strings.TrimLeftFunc(n, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) || r == '•' })
	if len([]rune(n)) > 160 {
		return false
	}
	for _, p := range furniturePrefixes {
		if strings.HasPrefix(n, p) {
			next, _ := utf8.DecodeRuneInString(n[len(p):])
			if !unicode.IsLetter(next) {
				return true
			}
		}
	}
	return false
}

func cleanSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v = cleanSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// titleWithoutSite drops the site's name from a <title> ("Headline | 2M.ma").
func titleWithoutSite(t, site string) string {
	for _, sep := range []string{" | ", " - ", " – ", " — ", " :: ", " • "} {
		i := strings.LastIndex(t, sep)
		if i <= 0 {
			continue
		}
		head, tail := strings.TrimSpace(t[:i]), strings.TrimSpace(t[i+len(sep):])
		if site != "" && !strings.EqualFold(tail, site) && strings.EqualFold(head, site) {
			return tail
		}
		if site == "" || strings.EqualFold(tail, site) || len(tail) < len(head) {
			return head
		}
	}
	return t
}

var dateLayouts = []string{time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02 15:04:05",
	"2006-01-02T15:04Z07:00", "2006-01-02", time.RFC1123Z, time.RFC1123}

func firstDate(vs ...string) time.Time {
	for _, v := range vs {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		for _, l := range dateLayouts {
			if t, err := time.Parse(l, v); err == nil {
				return t
			}
		}
	}
	return time.Time{}
}
