package feed

import (
	"bytes"
	"fmt"
	"mime"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"

	"github.com/migrawatch/migrawatch/internal/news"
)

// MaxItems bounds the items taken from one document; feeds that list more
// are archives, and the newest come first in practice.
const MaxItems = 500

// Parsed is a feed document turned into items.
type Parsed struct {
	// Type is the format and version, e.g. "rss 2.0", "atom 1.0", "json 1.1".
	Type     string
	Title    string
	SiteLink string
	// Language is what the feed declares (a hint only).
	Language string
	// Encoding says how the bytes were decoded, e.g. "windows-1256 (declared)".
	Encoding string
	// Repairs lists the fixes applied to make the document parse, e.g.
	// "mojibake reversed", "bare & escaped"; empty for a clean feed.
	Repairs []string
	// TTL is the publisher's polling hint from <ttl> or sy:updatePeriod /
	// sy:updateFrequency, unbounded (clamp it with Fetcher.ClampHint).
	TTL   time.Duration
	Items []news.Item
	// Skipped says which items of the document were left out and why (an
	// item with nothing in it, a repeat), for check-feed and preview.
	Skipped []string
}

// Parse turns a feed body into items (see ParseAt); dates it cannot read
// become the current time with PublishedGuessed set.
func Parse(body []byte, contentType string, src news.Source) (*Parsed, error) {
	return ParseAt(body, contentType, src, time.Now())
}

// ParseAt parses RSS 0.9x/1.0/2.0, Atom and JSON Feed bytes. contentType is
// the HTTP Content-Type (its charset is used when the document declares
// none); src gives the feed id for the items, the charset override, the
// declared language fallback and the base URL for relative links. now is
// the first-seen time given to items whose date cannot be read. Errors
// wrap ErrNotAFeed (with advertised feed links for HTML pages),
// ErrEncoding or ErrMalformed. Parse never panics.
func ParseAt(body []byte, contentType string, src news.Source, now time.Time) (p *Parsed, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("%w: parser failure: %v", ErrMalformed, r)
		}
	}()
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fmt.Errorf("%w: empty document", ErrNotAFeed)
	}
	httpCharset := ""
	if contentType != "" {
		if _, params, err := mime.ParseMediaType(contentType); err == nil {
			httpCharset = params["charset"]
		}
	}
	var doc []byte
	var encName string
	if isJSON(body) {
		doc, encName = bytes.TrimPrefix(body, utf8BOM), "utf-8 (JSON)"
	} else {
		doc, encName, err = decodeXML(body, httpCharset, src.Charset)
		if err != nil {
			return nil, err
		}
	}
	p = &Parsed{Encoding: encName}
	if fixed, ok := repairMojibakeBytes(doc); ok {
		doc = fixed
		p.Repairs = append(p.Repairs, "mojibake reversed (text was UTF-8 decoded as windows-1252)")
	}
	if isJSON(doc) && !bytes.Contains(doc, []byte("jsonfeed.org/version")) {
		return nil, &NotAFeedError{}
	}
	if gofeed.DetectFeedType(bytes.NewReader(doc)) == gofeed.FeedTypeUnknown {
		if looksLikeHTML(doc, contentType) {
			return nil, &NotAFeedError{HTML: true, Links: AdvertisedFeeds(doc, src.URL)}
		}
		return nil, &NotAFeedError{}
	}
	parsed, perr := gofeed.NewParser().Parse(bytes.NewReader(doc))
	// The XML decoder runs in lenient mode, so breakage often shows as
	// items silently swallowed rather than as an error: compare with the
	// number of item elements in the text.
	if perr != nil || parsed == nil || len(parsed.Items) < countItemTags(doc) {
		repaired, what := repairXML(doc)
		var parsed2 *gofeed.Feed
		var err2 error
		if len(what) > 0 {
			parsed2, err2 = gofeed.NewParser().Parse(bytes.NewReader(repaired))
		}
		switch {
		case parsed2 != nil && err2 == nil && (parsed == nil || len(parsed2.Items) > len(parsed.Items)):
			parsed, doc = parsed2, repaired
			p.Repairs = append(p.Repairs, what...)
		case perr != nil || parsed == nil:
			if err2 != nil {
				return nil, fmt.Errorf("%w: %v (still failing after repair: %v)", ErrMalformed, perr, err2)
			}
			return nil, fmt.Errorf("%w: %v", ErrMalformed, perr)
		case len(parsed.Items) == 0:
			return nil, fmt.Errorf("%w: the document has %d item elements but none could be read", ErrMalformed, countItemTags(doc))
		}
	}
	p.Type = strings.TrimSpace(parsed.FeedType + " " + parsed.FeedVersion)
	p.Title = cleanText(parsed.Title)
	p.SiteLink = strings.TrimSpace(parsed.Link)
	p.Language = strings.ToLower(strings.TrimSpace(parsed.Language))
	p.TTL = publisherTTL(doc, parsed.Extensions)

	base := baseURL(p.SiteLink, src.URL)
	// The catalog's language is curated; a feed's own <language> is often a
	// template default (the rescraped Arabic feeds say "en").
	lang := src.Language
	if lang == "" {
		lang = p.Language
	}
	seen := make(map[string]bool, len(parsed.Items))
	for i, it := range parsed.Items {
		if it == nil {
			continue
		}
		item := convertItem(it, src, base, lang, now)
		if item.Title == "" && item.Link == "" && item.Description == "" && item.Content == "" {
			// An empty <item/> (the template emitted one with no data).
			p.Skipped = append(p.Skipped, fmt.Sprintf("item %d has no title, link or text", i+1))
			continue
		}
		if item.Key == "" || seen[item.Key] {
			p.Skipped = append(p.Skipped, fmt.Sprintf("item %d repeats an earlier item (%s)", i+1, firstWords(item.Title, 8)))
			continue
		}
		seen[item.Key] = true
		p.Items = append(p.Items, item)
		if len(p.Items) == MaxItems {
			break
		}
	}
	return p, nil
}

func convertItem(it *gofeed.Item, src news.Source, base *url.URL, lang string, now time.Time) news.Item {
	link := strings.TrimSpace(it.Link)
	if orig := extValue(it.Extensions, "feedburner", "origLink"); orig != "" {
		link = strings.TrimSpace(orig)
	}
	if link == "" && len(it.Links) > 0 {
		link = strings.TrimSpace(it.Links[0])
	}
	link = resolve(base, link)
	item := news.Item{
		FeedID:      src.ID,
		GUID:        strings.TrimSpace(it.GUID),
		Link:        link,
		Title:       cleanText(it.Title),
		Description: cleanText(it.Description),
		Content:     cleanText(it.Content),
		Language:    lang,
	}
	if item.Content == item.Description {
		item.Content = ""
	}
	if item.Title == "" {
		// Untitled items (microblogs) get their first words as a title, from
		// the summary or else the full text.
		item.Title = firstWords(item.Description, 12)
		if item.Title == "" {
			item.Title = firstWords(item.Content, 12)
		}
		item.TitleGuessed = item.Title != ""
	}
	if len(it.Authors) > 0 && it.Authors[0] != nil {
		item.Author = strings.TrimSpace(it.Authors[0].Name)
	} else if it.DublinCoreExt != nil && len(it.DublinCoreExt.Creator) > 0 {
		item.Author = strings.TrimSpace(it.DublinCoreExt.Creator[0])
	}
	item.ImageURL = imageURL(it, base)

	dateText := it.Published
	switch {
	case it.PublishedParsed != nil && !it.PublishedParsed.IsZero():
		item.Published = it.PublishedParsed.UTC()
	case it.UpdatedParsed != nil && !it.UpdatedParsed.IsZero():
		item.Published = it.UpdatedParsed.UTC()
	default:
		for _, s := range []string{it.Published, it.Updated, dcDate(it)} {
			if t, ok := parseLocalizedDate(s); ok {
				item.Published = t
				break
			}
		}
	}
	if item.Published.IsZero() || item.Published.After(now.Add(48*time.Hour)) {
		item.Published = now.UTC()
		item.PublishedGuessed = true
	}
	if dateText == "" {
		dateText = it.Updated
	}
	keyDate := item.Published
	if item.PublishedGuessed {
		keyDate = time.Time{} // a guessed date changes between polls; key on the text
	}
	item.Key = itemKey(item.GUID, item.Link, item.Title, keyDate, dateText)
	return item
}

func dcDate(it *gofeed.Item) string {
	if it.DublinCoreExt != nil && len(it.DublinCoreExt.Date) > 0 {
		return it.DublinCoreExt.Date[0]
	}
	return ""
}

func extValue(e ext.Extensions, ns, name string) string {
	if e == nil {
		return ""
	}
	if m, ok := e[ns]; ok {
		if v, ok := m[name]; ok && len(v) > 0 {
			return v[0].Value
		}
	}
	return ""
}

func imageURL(it *gofeed.Item, base *url.URL) string {
	if it.Image != nil && it.Image.URL != "" {
		return resolve(base, it.Image.URL)
	}
	for _, enc := range it.Enclosures {
		if enc != nil && strings.HasPrefix(enc.Type, "image/") && enc.URL != "" {
			return resolve(base, enc.URL)
		}
	}
	if m, ok := it.Extensions["media"]; ok {
		for _, name := range []string{"thumbnail", "content"} {
			for _, e := range m[name] {
				if u := e.Attrs["url"]; u != "" && (name == "thumbnail" || e.Attrs["medium"] == "image" || strings.HasPrefix(e.Attrs["type"], "image/")) {
					return resolve(base, u)
				}
			}
		}
	}
	return ""
}

func baseURL(siteLink, feedURL string) *url.URL {
	for _, s := range []string{feedURL, siteLink} {
		if u, err := url.Parse(strings.TrimSpace(s)); err == nil && u.IsAbs() {
			return u
		}
	}
	return nil
}

func resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	if !u.IsAbs() && base != nil {
		u = base.ResolveReference(u)
	}
	return u.String()
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) <= n {
		return strings.Join(f, " ")
	}
	return strings.Join(f[:n], " ") + " …"
}

func isJSON(b []byte) bool {
	b = bytes.TrimLeft(bytes.TrimPrefix(b, utf8BOM), " \t\r\n")
	return len(b) > 0 && b[0] == '{'
}

func looksLikeHTML(doc []byte, contentType string) bool {
	if strings.Contains(strings.ToLower(contentType), "html") {
		return true
	}
	head := bytes.ToLower(doc[:min(len(doc), 1024)])
	return bytes.Contains(head, []byte("<!doctype html")) || bytes.Contains(head, []byte("<html")) || bytes.Contains(head, []byte("<head"))
}

var (
	ttlRe = regexp.MustCompile(`<ttl>\s*(\d{1,7})\s*</ttl>`)
	// bareAmpRe finds & that does not start a character or entity reference.
	bareAmpRe = regexp.MustCompile(`&([^#A-Za-z]|#[^0-9xX]|[A-Za-z][A-Za-z0-9]*[^A-Za-z0-9;]|$)`)
	// lostLtRe finds a closing tag whose "<" was lost, as in
	// "https://example.org//link>" (the "<" of "</link>" missing).
	lostLtRe = regexp.MustCompile(`([^<\s])/(link|title|guid|pubDate|description|author|category|comments|id|updated|published)>`)
)

// countItemTags counts <item> and <entry> start tags outside CDATA, roughly.
func countItemTags(doc []byte) int {
	n := 0
	for _, tag := range [][]byte{[]byte("<item>"), []byte("<item "), []byte("<entry>"), []byte("<entry "), []byte("<item\n"), []byte("<entry\n")} {
		n += bytes.Count(doc, tag)
	}
	if c := bytes.Count(doc, []byte("<![CDATA[")); c > 0 {
		// Items quoted inside CDATA would inflate the count; be conservative.
		return min(n, bytes.Count(doc, []byte("</item>"))+bytes.Count(doc, []byte("</entry>")))
	}
	return n
}

// publisherTTL reads <ttl> (minutes, RSS 2.0) from the channel header and
// the syndication module's updatePeriod/updateFrequency (RSS 1.0).
func publisherTTL(doc []byte, e ext.Extensions) time.Duration {
	head := doc
	if i := bytes.Index(head, []byte("<item")); i > 0 {
		head = head[:i]
	}
	if m := ttlRe.FindSubmatch(head); m != nil {
		if n, err := strconv.Atoi(string(m[1])); err == nil && n > 0 {
			return time.Duration(n) * time.Minute
		}
	}
	period := strings.ToLower(strings.TrimSpace(extValue(e, "sy", "updatePeriod")))
	var d time.Duration
	switch period {
	case "hourly":
		d = time.Hour
	case "daily":
		d = 24 * time.Hour
	case "weekly":
		d = 7 * 24 * time.Hour
	case "monthly":
		d = 30 * 24 * time.Hour
	case "yearly":
		d = 365 * 24 * time.Hour
	default:
		return 0
	}
	freq := extValue(e, "sy", "updateFrequency")
	if freq == "" {
		freq = extValue(e, "sy", "updateFequency") // a misspelling seen in the wild (DW)
	}
	if n, err := strconv.Atoi(strings.TrimSpace(freq)); err == nil && n > 1 {
		d /= time.Duration(n)
	}
	return d
}

// repairXML applies lenient fixes for common breakage outside CDATA
// sections: bare "&" escaped, closing tags that lost their "<" restored. It
// returns the repaired document and what was fixed (nil when nothing was).
func repairXML(doc []byte) ([]byte, []string) {
	var out bytes.Buffer
	out.Grow(len(doc) + 64)
	var amps, tags int
	rest := doc
	for len(rest) > 0 {
		i := bytes.Index(rest, []byte("<![CDATA["))
		chunk := rest
		if i >= 0 {
			chunk = rest[:i]
		}
		fixed := bareAmpRe.ReplaceAllFunc(chunk, func(m []byte) []byte {
			amps++
			return append([]byte("&amp;"), m[1:]...)
		})
		fixed = lostLtRe.ReplaceAllFunc(fixed, func(m []byte) []byte {
			tags++
			sub := lostLtRe.FindSubmatch(m)
			return []byte(string(sub[1]) + "</" + string(sub[2]) + ">")
		})
		out.Write(fixed)
		if i < 0 {
			break
		}
		end := bytes.Index(rest[i:], []byte("]]>"))
		if end < 0 {
			out.Write(rest[i:])
			break
		}
		out.Write(rest[i : i+end+3])
		rest = rest[i+end+3:]
	}
	var what []string
	if amps > 0 {
		what = append(what, fmt.Sprintf("%d bare & escaped", amps))
	}
	if tags > 0 {
		what = append(what, fmt.Sprintf("%d closing tags missing their < restored", tags))
	}
	return out.Bytes(), what
}

// Newest returns up to n items, newest first.
func (p *Parsed) Newest(n int) []news.Item {
	items := slices.Clone(p.Items)
	slices.SortStableFunc(items, func(a, b news.Item) int { return b.Published.Compare(a.Published) })
	if len(items) > n {
		items = items[:n]
	}
	return items
}
