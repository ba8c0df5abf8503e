package bot

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/subscribe"
)

// OPML 2.0 (https://opml.org/spec2.opml): subscription lists are outlines
// with type="rss" and an xmlUrl, possibly nested in category outlines.
type opmlDoc struct {
	XMLName xml.Name    `xml:"opml"`
	Version string      `xml:"version,attr"`
	Head    opmlHead    `xml:"head"`
	Body    opmlOutline `xml:"body"`
}

type opmlHead struct {
	Title       string `xml:"title"`
	DateCreated string `xml:"dateCreated,omitempty"`
}

type opmlOutline struct {
	Text     string        `xml:"text,attr,omitempty"`
	Title    string        `xml:"title,attr,omitempty"`
	Type     string        `xml:"type,attr,omitempty"`
	XMLURL   string        `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string        `xml:"htmlUrl,attr,omitempty"`
	Language string        `xml:"language,attr,omitempty"`
	Outlines []opmlOutline `xml:"outline"`
}

// exportOPML renders sources as an OPML 2.0 document; encoding/xml escapes
// every title and URL.
func exportOPML(title string, sources []news.Source, now time.Time) ([]byte, error) {
	doc := opmlDoc{Version: "2.0", Head: opmlHead{Title: title, DateCreated: now.UTC().Format(time.RFC1123Z)}}
	for _, s := range sources {
		doc.Body.Outlines = append(doc.Body.Outlines, opmlOutline{
			Text: s.Name, Title: s.Name, Type: "rss", XMLURL: s.URL, Language: s.Language,
		})
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode opml: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// errNotOPML is a document that is XML but not an OPML subscription list.
var errNotOPML = errors.New("the document is not OPML")

// parseOPML returns the feed URLs of an OPML document, in order, without duplicates.
func parseOPML(data []byte) ([]string, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = func(charset string, r io.Reader) (io.Reader, error) {
		if strings.EqualFold(charset, "utf-8") || strings.EqualFold(charset, "us-ascii") {
			return r, nil
		}
		return nil, fmt.Errorf("unsupported encoding %q", charset)
	}
	var doc opmlDoc
	if err := dec.Decode(&doc); err != nil {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("line %d: %s", se.Line, se.Msg)
		}
		if strings.Contains(err.Error(), "expected element type <opml>") {
			return nil, errNotOPML
		}
		return nil, err
	}
	var urls []string
	var walk func(os []opmlOutline, depth int)
	walk = func(os []opmlOutline, depth int) {
		if depth > 16 {
			return
		}
		for _, o := range os {
			if u := strings.TrimSpace(o.XMLURL); u != "" && !slices.Contains(urls, u) {
				urls = append(urls, u)
			}
			walk(o.Outlines, depth+1)
		}
	}
	walk(doc.Body.Outlines, 0)
	return urls, nil
}

// cmdExport sends the chat's feeds as an OPML file.
func (b *Bot) cmdExport(ctx context.Context, r *request) error {
	ids, err := b.store.ChatFeeds(ctx, r.chat.ID)
	if err != nil {
		return err
	}
	var sources []news.Source
	for _, id := range ids {
		if s, ok := b.subs.Catalog(id); ok {
			sources = append(sources, s)
			continue
		}
		info, ok, err := b.feeds.Feed(ctx, id)
		if err != nil {
			return err
		}
		if ok && info.Source.URL != "" {
			s := info.Source
			if s.Name == "" {
				s.Name = s.URL
			}
			sources = append(sources, s)
		}
	}
	if len(sources) == 0 {
		return b.reply(ctx, r, tr(r.lang, "export_none"))
	}
	title := "MigraWatch"
	if r.chat.Title != "" {
		title += " · " + r.chat.Title
	}
	data, err := exportOPML(title, sources, b.now())
	if err != nil {
		return err
	}
	_, err = b.tg.SendDocument(ctx, news.Document{
		ChatID: r.u.Chat.ID, ThreadID: r.u.ThreadID, Name: "migrawatch.opml", Data: data,
		Caption: tr(r.lang, "export_caption", "n", len(sources)),
	})
	return err
}

// looksLikeOPML tells an OPML upload from any other file.
func looksLikeOPML(d *news.FileRef) bool {
	ext := strings.ToLower(path.Ext(d.Name))
	return ext == ".opml" || ext == ".xml" || strings.Contains(d.MimeType, "opml")
}

// hasOPMLName reports whether a file is named like an OPML document.
func hasOPMLName(d *news.FileRef) bool {
	return strings.EqualFold(path.Ext(d.Name), ".opml")
}

// importOPML subscribes the chat to every feed of an OPML document it was
// sent, checking each one like /subscribe, and sums up what happened.
func (b *Bot) importOPML(ctx context.Context, r *request) error {
	d := r.u.Document
	if !looksLikeOPML(d) {
		if r.here.Kind != news.ChatPrivate {
			return nil
		}
		return b.reply(ctx, r, tr(r.lang, "import_not_opml"))
	}
	maxKB := b.opts.MaxImportBytes / 1024
	if d.Size > b.opts.MaxImportBytes {
		return b.reply(ctx, r, tr(r.lang, "import_too_big", "max", maxKB))
	}
	data, err := b.tg.DownloadFile(ctx, d.FileID, b.opts.MaxImportBytes)
	if errors.Is(err, news.ErrFileTooLarge) {
		return b.reply(ctx, r, tr(r.lang, "import_too_big", "max", maxKB))
	}
	if err != nil {
		return err
	}
	urls, err := parseOPML(data)
	if err != nil {
		return b.reply(ctx, r, tr(r.lang, "import_bad", "reason", truncate(err.Error(), 200)))
	}
	if len(urls) == 0 {
		return b.reply(ctx, r, tr(r.lang, "import_empty"))
	}
	skipped := 0
	if len(urls) > b.opts.MaxImportFeeds {
		skipped = len(urls) - b.opts.MaxImportFeeds
		urls = urls[:b.opts.MaxImportFeeds]
	}
	if err := b.reply(ctx, r, tr(r.lang, "import_checking", "n", len(urls))); err != nil {
		return err
	}

	results, err := b.subs.AddAll(ctx, r.chat.ID, urls)
	if err != nil {
		return err
	}
	var added, already, failed []string
	for _, res := range results {
		switch {
		case res.Err != nil:
			failed = append(failed, "❌ "+escapeHTML(truncate(res.Input, 80))+": "+escapeHTML(reasonText(r.lang, res.Err)))
		case res.Outcome == subscribe.Already:
			already = append(already, escapeHTML(res.Source.Name))
		case res.Outcome == subscribe.TooMany:
			failed = append(failed, "❌ "+escapeHTML(truncate(res.Input, 80))+": "+escapeHTML(tr(r.lang, "reason_too_many")))
		default:
			added = append(added, "✅ "+escapeHTML(truncate(res.Source.Name, 80)))
		}
	}
	var s strings.Builder
	s.WriteString(tr(r.lang, "import_summary", "added", len(added), "already", len(already), "failed", len(failed)))
	const maxLines = 30
	lines := append(added, failed...)
	for i, l := range lines {
		if i == maxLines {
			s.WriteString("\n… +" + strconv.Itoa(len(lines)-maxLines))
			break
		}
		s.WriteString("\n" + l)
	}
	if skipped > 0 {
		s.WriteString("\n\n" + tr(r.lang, "import_skipped", "max", b.opts.MaxImportFeeds))
	}
	return b.reply(ctx, r, s.String())
}
