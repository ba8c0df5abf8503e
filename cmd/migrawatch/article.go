package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/migrawatch/migrawatch/config"
	"github.com/migrawatch/migrawatch/internal/extract"
	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
)

// "What would MigraWatch make of this article?" is answered from one
// article: a URL of an article page, or a page or text saved on disk. The
// article is read as the bot reads an article page (title, date, main text)
// and then understood like any item.

// errNoArticleText means a document gave no text to understand.
var errNoArticleText = errors.New("no article text found")

// isTextFile reports whether path is a plain-text article (.txt): its first
// line is the title, the rest the text.
func isTextFile(path string) bool {
	return strings.EqualFold(filepath.Ext(path), ".txt")
}

// looksLikeArticle reports whether an HTML page presents itself as one
// article (Open Graph type article, an article:published_time, or a
// JSON-LD NewsArticle) rather than as a list of them.
func looksLikeArticle(body []byte) bool {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return false
	}
	if t, _ := doc.Find(`meta[property="og:type"]`).First().Attr("content"); strings.EqualFold(strings.TrimSpace(t), "article") {
		return true
	}
	if doc.Find(`meta[property="article:published_time"]`).Length() > 0 {
		return true
	}
	found := false
	doc.Find(`script[type="application/ld+json"]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		js := s.Text()
		found = strings.Contains(js, `"NewsArticle"`) || strings.Contains(js, `"Article"`) || strings.Contains(js, `"ReportageNewsArticle"`)
		return !found
	})
	return found
}

// articleItem reads an article page's body (published at pageURL, "" when
// unknown) into one item holding its main text.
func articleItem(src news.Source, body []byte, pageURL string, now time.Time) (news.Item, news.TextSource, error) {
	p, err := extract.ParsePage(body, pageURL)
	if err != nil {
		return news.Item{}, "", err
	}
	if strings.TrimSpace(p.Text) == "" {
		return news.Item{}, "", errNoArticleText
	}
	it := news.Item{FeedID: src.ID, Title: p.Title, Content: p.Text, Language: p.Lang, Published: p.Published}
	if u, err := url.Parse(pageURL); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		it.Link = pageURL
		it.Key = feed.CanonicalURL(pageURL)
	}
	if it.Key == "" {
		it.Key = src.ID
	}
	if it.Published.IsZero() {
		it.Published, it.PublishedGuessed = now.UTC(), true
	}
	return it, p.TextSource, nil
}

// textItem reads a saved plain-text article: the first non-empty line is
// the title, the rest the text.
func textItem(src news.Source, body []byte, now time.Time) (news.Item, error) {
	text := strings.TrimSpace(strings.ReplaceAll(string(body), "\r\n", "\n"))
	title, rest, _ := strings.Cut(text, "\n")
	title, rest = strings.TrimSpace(title), strings.TrimSpace(rest)
	if rest == "" {
		title, rest = "", title
	}
	if rest == "" {
		return news.Item{}, errNoArticleText
	}
	return news.Item{
		FeedID: src.ID, Key: src.ID, Title: title, Content: rest,
		Published: now.UTC(), PublishedGuessed: true,
	}, nil
}

// readArticleFile reads a saved article: a .txt file, or an HTML page
// (whose address comes from its canonical link or og:url when it has one).
func readArticleFile(src news.Source, body []byte, now time.Time) (*readResult, error) {
	path, _ := config.LocalPath(src.URL)
	res := &readResult{src: src, article: true, textSource: news.TextFromFeed}
	if isTextFile(path) {
		it, err := textItem(src, body, now)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		res.items = []news.Item{it}
		return res, nil
	}
	it, ts, err := articleItem(src, body, savedPageURL(body), now)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	res.items, res.textSource = []news.Item{it}, ts
	return res, nil
}
