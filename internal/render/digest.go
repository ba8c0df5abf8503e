package render

import (
	"fmt"
	"strings"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
)

// Digest limits. Telegram ignores formatting past about 100 entities in one
// message, so a digest message carries at most maxDigestStories stories (two
// or three entities each), and each story's gist line is kept short.
const (
	maxDigestStories = 20
	maxDigestGist    = 280
	maxDigestTitle   = 300
	digestReserve    = 200 // room for the header line
)

// DigestOptions are the per-chat choices of a digest.
type DigestOptions struct {
	// Lang is the language of the digest's labels (the chat's interface language).
	Lang string
	// Location is the chat's time zone; nil means UTC.
	Location *time.Location
	// Date is the day the digest covers, shown in its header.
	Date time.Time
}

// Digest renders many stories compactly: per story its linked headline, a
// short gist and the outlet. The stories are split into as many messages as
// the limits need, always between two stories. No stories, no messages.
func Digest(arts []news.Article, opt DigestOptions) []news.Message {
	if len(arts) == 0 {
		return nil
	}
	entries := make([]string, 0, len(arts))
	for _, a := range arts {
		entries = append(entries, digestEntry(a, opt.Location))
	}
	var chunks [][]string
	var cur []string
	size, raw := 0, 0
	for _, e := range entries {
		n, r := HTMLLength(e)+2, len(e)+2
		if len(cur) > 0 && (len(cur) == maxDigestStories || size+n > MaxLength-digestReserve || raw+r > MaxRawBytes-4*digestReserve) {
			chunks = append(chunks, cur)
			cur, size, raw = nil, 0, 0
		}
		cur = append(cur, e)
		size += n
		raw += r
	}
	chunks = append(chunks, cur)

	l := labelsFor(opt.Lang)
	loc := opt.Location
	if loc == nil {
		loc = time.UTC
	}
	head := "📰 <b>" + escape(l.digest) + "</b>"
	if !opt.Date.IsZero() {
		head += " · " + opt.Date.In(loc).Format(l.date)
	}
	if IsRTL(opt.Lang, "") {
		head = rlm + head
	}
	msgs := make([]news.Message, 0, len(chunks))
	for i, c := range chunks {
		h := head
		if len(chunks) > 1 {
			h += fmt.Sprintf(" (%d/%d)", i+1, len(chunks))
		}
		msgs = append(msgs, news.Message{Text: h + "\n\n" + strings.Join(c, "\n\n"), HTML: true, NoPreview: true})
	}
	return msgs
}

// digestEntry is one story of a digest, laid out in its own language's
// direction.
func digestEntry(a news.Article, loc *time.Location) string {
	p := newArticle(a, Options{Location: loc, Tags: []string{}})
	p.headline = truncate(p.headline, maxDigestTitle)
	gist := p.gist
	if len(a.Summary.Gist) > 0 {
		gist = clean(a.Summary.Gist[0])
	}
	gist = truncate(gist, maxDigestGist)

	var b strings.Builder
	p.line(&b)
	if p.link != "" {
		b.WriteString(`• <a href="` + escape(p.link) + `">` + escape(p.headline) + "</a>")
	} else {
		b.WriteString("• <b>" + escape(p.headline) + "</b>")
	}
	if gist != "" {
		p.line(&b)
		b.WriteString(escape(gist))
	}
	var meta []string
	if p.source != "" {
		meta = append(meta, p.name(p.source))
	}
	for _, o := range p.also {
		meta = append(meta, p.name(o))
	}
	if p.date != "" {
		meta = append(meta, p.name(p.date))
	}
	if len(meta) > 0 {
		p.line(&b)
		b.WriteString("<i>" + strings.Join(meta, " · ") + "</i>")
	}
	return b.String()
}
