// Package render turns understood articles into Telegram HTML messages: the
// headline, gist, quotes with their speakers, source, date, link and tags of
// one article, or a compact digest of many. Every piece of feed text is
// escaped before any tag is added, and a message is shortened by dropping
// words of its gist and quotes, never by cutting marked-up text, so it always
// stays within Telegram's limits.
package render

import (
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/migrawatch/migrawatch/internal/news"
)

// Caps on single fields, applied before the message-level limit. A headline or
// an outlet name longer than these is not one, and a URL longer than
// maxURLBytes is not linked.
const (
	maxHeadline  = 400
	maxSpeaker   = 80
	maxShortRole = 48
	maxQuotes    = 2
	maxHashtags  = 8
	maxHashtag   = 64
	maxOutlets   = 5
	maxURLBytes  = 2048
)

// Options are the per-chat choices of an article message.
type Options struct {
	// Location is the chat's time zone for the date; nil means UTC.
	Location *time.Location
	// Alerts are the queries of the chat's alerts that matched the article;
	// each is shown as an "alert: <query>" tag.
	Alerts []string
	// Tags, when not nil, replaces the article's matched relevance terms as
	// the hashtags.
	Tags []string
}

// labels are the fixed words of a message in one language.
type labels struct {
	read, also, alert, digest, sep, listSep string
	unconfirmed                             string
	date                                    string
	openQuote, closeQuote                   string
}

var labelsByLang = map[string]labels{
	news.Arabic: {
		read: "اقرأ المقال", also: "أوردته أيضا:", alert: "تنبيه:", digest: "موجز أخبار الهجرة",
		unconfirmed: "في المقال اقتباسات أخرى لم نتأكد من قائليها",
		sep:         "، ", listSep: "، ", date: "02/01/2006", openQuote: "«", closeQuote: "»",
	},
	news.French: {
		read: "Lire l’article", also: "Également rapporté par :", alert: "alerte :", digest: "Revue de presse migrations",
		unconfirmed: "D’autres citations dans l’article, sans auteur confirmé",
		sep:         ", ", listSep: ", ", date: "02/01/2006", openQuote: "«\u202f", closeQuote: "\u202f»",
	},
	news.English: {
		read: "Read the article", also: "Also reported by:", alert: "alert:", digest: "Migration news digest",
		unconfirmed: "More quotes in the article, speaker not confirmed",
		sep:         ", ", listSep: ", ", date: "2 Jan 2006", openQuote: "“", closeQuote: "”",
	},
}

func labelsFor(lang string) labels {
	if l, ok := labelsByLang[lang]; ok {
		return l
	}
	return labelsByLang[news.English]
}

type quote struct{ text, speaker, role string }

// article is a message's content as plain text, before markup. Shortening
// works on these fields; markup is added only by html.
type article struct {
	rtl      bool
	l        labels
	headline string
	gist     string
	quotes   []quote
	// unconfirmed says the article has quotes left out because their
	// speaker is not sure: the message does not pass for all it says.
	unconfirmed bool
	also        []string
	source      string
	date        string
	link        string
	tags        []string
	alerts      []string
}

// Article renders a as one HTML message with the preview of the article's own
// page. The caller sets the chat (ChatID, ThreadID) on the result.
func Article(a news.Article, opt Options) news.Message {
	p := newArticle(a, opt)
	text := p.html()
	for range 64 {
		excess := overLimit(text)
		if excess <= 0 || !p.shrink(excess) {
			break
		}
		text = p.html()
	}
	m := news.Message{Text: text, HTML: true}
	if p.link != "" {
		m.PreviewURL = p.link
	} else {
		m.NoPreview = true
	}
	return m
}

// overLimit says by how much text exceeds Telegram's limits, in units of
// Length; a raw size overflow of n bytes counts as n units, enough since
// every unit removed takes at least one byte with it.
func overLimit(text string) int {
	return max(HTMLLength(text)-MaxLength, len(text)-MaxRawBytes, 0)
}

func newArticle(a news.Article, opt Options) *article {
	lang := a.Lang
	if lang == "" {
		lang = a.Language
	}
	title := clean(a.Title)
	p := &article{
		rtl:      IsRTL(lang, title),
		l:        labelsFor(lang),
		headline: truncate(title, maxHeadline),
		source:   truncate(clean(a.SourceName), maxSpeaker),
		link:     safeURL(a.Link),
	}
	if p.source == "" {
		// A feed without a name is known by the site it comes from, not by
		// its id (u0897ee5c1224 for a feed added by URL).
		if u, err := url.Parse(p.link); err == nil && u.Hostname() != "" {
			p.source = strings.TrimPrefix(u.Hostname(), "www.")
		} else {
			p.source = truncate(clean(a.FeedID), maxSpeaker)
		}
	}
	gist := make([]string, 0, len(a.Summary.Gist))
	for _, s := range a.Summary.Gist {
		if s = clean(s); s != "" {
			gist = append(gist, s)
		}
	}
	p.gist = strings.Join(gist, " ")
	if p.gist == "" {
		p.gist = truncate(clean(a.Description), 600)
	}
	for _, q := range ShownQuotes(a) {
		if len(p.quotes) == maxQuotes {
			break
		}
		t := strings.TrimRight(clean(q.Text), ",;:، ")
		if t == "" {
			continue
		}
		role := shortRole(clean(q.Role))
		p.quotes = append(p.quotes, quote{text: t, speaker: truncate(clean(q.Speaker), maxSpeaker), role: role})
	}
	p.unconfirmed = a.Summary.UnconfirmedQuotes > 0
	for _, o := range a.AlsoReportedBy {
		if o = truncate(clean(o), maxSpeaker); o != "" && len(p.also) < maxOutlets {
			p.also = append(p.also, o)
		}
	}
	if !a.Published.IsZero() {
		loc := opt.Location
		if loc == nil {
			loc = time.UTC
		}
		p.date = a.Published.In(loc).Format(p.l.date)
	}
	terms := opt.Tags
	if terms == nil {
		terms = a.Relevance.Matched
	}
	p.tags = Hashtags(terms, maxHashtags)
	for _, q := range opt.Alerts {
		if q = truncate(clean(q), 200); q != "" {
			p.alerts = append(p.alerts, q)
		}
	}
	return p
}

// shrink removes about excess units of text, from the least important part
// first: the note on quotes left out, the gist, then the quotes (the last
// one first), then the outlets list, tags and alerts. The headline and link
// go last and only when they alone overflow (they are capped well below the
// limit). It reports whether anything was removed.
func (p *article) shrink(excess int) bool {
	cut := func(s string) string {
		n := Length(s)
		if n <= excess+8 {
			return ""
		}
		return truncate(s, n-excess-8)
	}
	if p.unconfirmed {
		p.unconfirmed = false
		return true
	}
	if p.gist != "" {
		p.gist = cut(p.gist)
		return true
	}
	for i := len(p.quotes) - 1; i >= 0; i-- {
		q := &p.quotes[i]
		if Length(q.text) > excess+40 {
			q.text = cut(q.text)
			return true
		}
		p.quotes = p.quotes[:i]
		return true
	}
	switch {
	case len(p.also) > 0:
		p.also = nil
	case len(p.tags) > 0:
		p.tags = nil
	case len(p.alerts) > 0:
		p.alerts = nil
	case p.headline != "":
		p.headline = cut(p.headline)
	default:
		return false
	}
	return true
}

// line starts a line of the message; in a right-to-left message it opens with
// RLM so that clients take the line's direction from it.
func (p *article) line(b *strings.Builder) {
	if b.Len() > 0 {
		b.WriteByte('\n')
	}
	if p.rtl {
		b.WriteString(rlm)
	}
}

// name escapes a name for the message, enclosing a left-to-right name in a
// right-to-left message in direction marks.
func (p *article) name(s string) string {
	if p.rtl && hasLTR(s) {
		return lrm + escape(s) + rlm
	}
	return escape(s)
}

func (p *article) html() string {
	var b strings.Builder
	if p.headline != "" {
		p.line(&b)
		b.WriteString("<b>" + escape(p.headline) + "</b>")
	}
	if p.gist != "" {
		p.line(&b)
		b.WriteString(escape(p.gist))
	}
	for _, q := range p.quotes {
		b.WriteString("\n<blockquote>")
		if p.rtl {
			b.WriteString(rlm)
		}
		b.WriteString(p.l.openQuote + escape(q.text) + p.l.closeQuote)
		if q.speaker != "" {
			b.WriteString(" — " + p.name(q.speaker))
			if q.role != "" {
				b.WriteString(p.l.sep + p.name(q.role))
			}
		}
		b.WriteString("</blockquote>")
	}
	if p.unconfirmed {
		p.line(&b)
		b.WriteString("<i>💬 " + escape(p.l.unconfirmed) + "</i>")
	}
	if len(p.also) > 0 {
		names := make([]string, len(p.also))
		for i, o := range p.also {
			names[i] = p.name(o)
		}
		p.line(&b)
		b.WriteString("<i>" + escape(p.l.also) + " " + strings.Join(names, p.l.listSep) + "</i>")
	}
	var footer []string
	if p.source != "" {
		footer = append(footer, p.name(p.source))
	}
	if p.date != "" {
		footer = append(footer, p.name(p.date))
	}
	if p.link != "" {
		footer = append(footer, `<a href="`+escape(p.link)+`">`+escape(p.l.read)+"</a>")
	}
	if len(footer) > 0 {
		p.line(&b)
		b.WriteString(strings.Join(footer, " · "))
	}
	if len(p.tags) > 0 {
		p.line(&b)
		b.WriteString(strings.Join(p.tags, " "))
	}
	for _, q := range p.alerts {
		p.line(&b)
		b.WriteString("🔔 <i>" + escape(p.l.alert) + " " + p.name(q) + "</i>")
	}
	return b.String()
}

// danglingWords end a cut role badly ("Director of the…"): they announce a
// complement the cut removed.
var danglingWords = map[string]bool{
	"of": true, "the": true, "for": true, "and": true, "in": true, "at": true, "to": true, "a": true, "an": true, "on": true,
	"de": true, "du": true, "des": true, "la": true, "le": true, "les": true, "et": true, "à": true, "au": true, "aux": true, "en": true, "pour": true,
	"في": true, "من": true, "و": true, "على": true, "عن": true, "إلى": true, "لدى": true,
}

// shortRole keeps a speaker's role within maxShortRole: a longer one is cut
// at a word boundary, without a dangling preposition or article, and ends
// with an ellipsis, so the reader keeps its head ("Head of the IOM mission
// in Morocco…") instead of losing the role.
func shortRole(role string) string {
	if Length(role) <= maxShortRole {
		return role
	}
	out := strings.TrimSuffix(truncate(role, maxShortRole), "…")
	for {
		i := strings.LastIndexByte(out, ' ')
		if i < 0 {
			break
		}
		last := strings.ToLower(out[i+1:])
		last = strings.TrimRight(strings.TrimPrefix(strings.TrimPrefix(last, "l’"), "d’"), ",;:،")
		if !danglingWords[last] && !strings.HasSuffix(out, "’") && !strings.HasSuffix(out, "'") {
			break
		}
		out = strings.TrimRight(out[:i], " ,;:،")
	}
	if out == "" {
		return ""
	}
	return out + "…"
}

// safeURL returns u when it is an absolute http(s) URL fit for an <a href>
// and a link preview, and "" otherwise.
func safeURL(u string) string {
	u = strings.TrimSpace(u)
	if u == "" || len(u) > maxURLBytes || !utf8Clean(u) {
		return ""
	}
	parsed, err := url.Parse(u)
	if err != nil || parsed.Host == "" || (parsed.Scheme != "http" && parsed.Scheme != "https") {
		return ""
	}
	return u
}

func utf8Clean(s string) bool {
	for _, r := range s {
		if r == unicode.ReplacementChar || unicode.IsSpace(r) || unicode.IsControl(r) || isBidiControl(r) {
			return false
		}
	}
	return true
}

// Hashtags turns matched terms into at most n distinct Telegram hashtags.
// Telegram links a hashtag made of letters, digits and underscores (Arabic
// letters included) that holds at least one letter; any other character
// becomes an underscore, and combining marks (Arabic diacritics) are dropped.
func Hashtags(terms []string, n int) []string {
	var out []string
	seen := make(map[string]bool)
	for _, t := range terms {
		if len(out) == n {
			break
		}
		var b strings.Builder
		letter, under := false, false
		for _, r := range clean(t) {
			switch {
			case unicode.Is(unicode.Mn, r) || r == 'ـ':
				continue
			case unicode.IsLetter(r):
				letter = true
			case unicode.IsDigit(r):
			default:
				if b.Len() > 0 && !under {
					b.WriteByte('_')
					under = true
				}
				continue
			}
			under = false
			b.WriteRune(r)
		}
		tag := strings.TrimRight(b.String(), "_")
		if !letter || tag == "" || Length(tag) > maxHashtag {
			continue
		}
		tag = "#" + strings.ToLower(tag)
		if !seen[tag] {
			seen[tag] = true
			out = append(out, tag)
		}
	}
	return out
}
