package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/migrawatch/migrawatch/config"
	"github.com/migrawatch/migrawatch/internal/extract"
	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/page"
	"github.com/migrawatch/migrawatch/internal/pipeline"
	"github.com/migrawatch/migrawatch/internal/relevance"
	"github.com/migrawatch/migrawatch/internal/render"
	"github.com/migrawatch/migrawatch/internal/summarize"
)

func cmdPreview(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("preview", " [url|file|source-id ...]", `Read feeds once and print each item as MigraWatch understands it: source, date, title,
link, language, whether it is about migration (with the matched terms), the gist and the
quotes with their speakers. Uses neither Telegram nor Redis. Without arguments it reads
every source of the catalog.

A single article works too: the URL of an article page, or an article saved on disk as
.html (the page) or .txt (the title on the first line, then the text) is read and
understood as one item.

URLs are fetched with the same rules as the bot (timeouts, size cap, private-address
guard), and when a feed gives only a snippet the article page is fetched for the full
text. Files are read from disk and keep their feed text. An HTML page without a feed is
read as a listing page of article links.`)
	configPath := configFlag(fs)
	asJSON := fs.Bool("json", false, "print one JSON object per item, one per line")
	limit := fs.Int("limit", 0, "print at most `n` items per source, newest first (0: all)")
	onlyRelevant := fs.Bool("relevant", false, "print only the items about migration")
	offline := fs.Bool("offline", false, "never fetch article pages; use the feed text only")
	rest, err := parseFlags(fs, args, e)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(e, *configPath)
	if err != nil {
		return err
	}
	sources := cfg.Catalog
	if len(rest) > 0 {
		sources = nil
		for _, arg := range rest {
			src, err := sourceFor(arg, cfg.Catalog)
			if err != nil {
				return &usageError{err.Error()}
			}
			sources = append(sources, src)
		}
	}
	scorer, err := relevance.Default()
	if err != nil {
		return fmt.Errorf("relevance lexicon: %w", err)
	}
	fetcher := feed.NewFetcher(fetcherOptions(cfg))
	// Online, snippets are completed from the article page and page sources
	// read each article page, as the bot does; offline, and for files, the
	// feed's own text stands.
	offlineU := &pipeline.Understander{
		Enricher:  extract.New(nil, extract.WithMinText(cfg.Extract.MinFeedTextChars)),
		Scorer:    scorer,
		Summarize: summarize.Summarize,
	}
	onlineU := *offlineU
	onlineU.Enricher = extract.New(pageFetcher(fetcher), extract.WithMinText(cfg.Extract.MinFeedTextChars))
	onlineU.Pages = articleReader{&page.Reader{Fetch: page.FetchVia(fetcher), Robots: page.NewRobotsCache(page.RobotsVia(fetcher), "MigraWatch", 0, nil)}}

	type outcome struct {
		src      news.Source
		articles []news.Article
		notes    []string
		err      error
	}
	outcomes := make([]outcome, len(sources))
	sem := make(chan struct{}, cfg.Poll.Concurrency)
	var wg sync.WaitGroup
	for i, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := &outcomes[i]
			out.src = src
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				out.err = ctx.Err()
				return
			}
			defer func() { <-sem }()
			res, err := readSource(ctx, fetcher, src)
			if err != nil {
				out.err = err
				return
			}
			items := res.items
			if res.parsed != nil {
				items = res.parsed.Newest(len(items))
			}
			if *limit > 0 && len(items) > *limit {
				items = items[:*limit]
			}
			_, local := config.LocalPath(src.URL)
			u := &onlineU
			if *offline || local || res.article {
				u = offlineU // an article's own text is already read
			}
			if res.parsed != nil {
				for _, s := range res.parsed.Skipped {
					out.notes = append(out.notes, "left out: "+s)
				}
			}
			named := src
			named.Name = sourceName(res)
			if res.page {
				named.Kind = news.KindPage
			}
			for _, it := range items {
				if it.Language == "" {
					it.Language = src.Language
				}
				a, err := u.Understand(ctx, named, it)
				if err != nil {
					out.notes = append(out.notes, "article page not used, feed text kept: "+explain(err))
				}
				if res.article {
					a.TextSource = res.textSource
				}
				out.articles = append(out.articles, a)
			}
		}()
	}
	wg.Wait()

	failed := 0
	for _, out := range outcomes {
		if out.err != nil {
			failed++
			fmt.Fprintf(e.stderr, "%s (%s): %s\n", out.src.ID, out.src.URL, explain(out.err))
			continue
		}
		for _, note := range out.notes {
			fmt.Fprintf(e.stderr, "%s: %s\n", out.src.ID, note)
		}
		for _, a := range out.articles {
			if *onlyRelevant && !a.Relevance.Relevant && !out.src.MigrationSpecific {
				continue
			}
			if *asJSON {
				if err := writeJSON(e.stdout, out.src, a); err != nil {
					return err
				}
				continue
			}
			writePlain(e.stdout, a)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d sources could not be read", failed, len(sources))
	}
	return nil
}

// pageFetcher lets the extractor fetch article pages through the feed fetcher,
// with its address guard and limits.
func pageFetcher(f *feed.Fetcher) extract.PageFetcher {
	return extract.FetchPageFunc(page.FetchVia(f))
}

// sourceName is the name shown for a source: the catalog's, else the feed's
// title, else the file name or host.
func sourceName(res *readResult) string {
	if res.src.Name != "" {
		return res.src.Name
	}
	if res.article && len(res.items) == 1 && res.items[0].Link != "" {
		if u, err := url.Parse(res.items[0].Link); err == nil {
			return strings.TrimPrefix(u.Hostname(), "www.")
		}
	}
	if res.parsed != nil && strings.TrimSpace(res.parsed.Title) != "" {
		return strings.TrimSpace(res.parsed.Title)
	}
	if path, ok := config.LocalPath(res.src.URL); ok {
		return filepath.Base(path)
	}
	if u, err := url.Parse(res.src.URL); err == nil {
		return u.Host
	}
	return res.src.URL
}

// previewLine is one item of preview -json.
type previewLine struct {
	Source           string       `json:"source"`
	SourceName       string       `json:"source_name"`
	Key              string       `json:"key"`
	Link             string       `json:"link"`
	Title            string       `json:"title"`
	Published        string       `json:"published"`
	PublishedGuessed bool         `json:"published_guessed,omitempty"`
	Language         string       `json:"language"`
	Relevant         bool         `json:"relevant"`
	Score            float64      `json:"score"`
	MatchedTerms     []string     `json:"matched_terms"`
	Gist             []string     `json:"gist"`
	Quotes           []news.Quote `json:"quotes"`
	// UnconfirmedQuotes counts the direct quotes left out because their
	// speaker is not sure enough.
	UnconfirmedQuotes int    `json:"unconfirmed_quotes"`
	TextSource        string `json:"text_source"`
}

func writeJSON(w io.Writer, src news.Source, a news.Article) error {
	line := previewLine{
		Source:            src.ID,
		SourceName:        a.SourceName,
		Key:               a.Key,
		Link:              a.Link,
		Title:             a.Title,
		PublishedGuessed:  a.PublishedGuessed,
		Language:          a.Lang,
		Relevant:          a.Relevance.Relevant,
		Score:             a.Relevance.Score,
		MatchedTerms:      nonNil(a.Relevance.Matched),
		Gist:              nonNil(a.Summary.Gist),
		Quotes:            nonNil(a.Summary.Quotes),
		UnconfirmedQuotes: a.Summary.UnconfirmedQuotes,
		TextSource:        string(a.TextSource),
	}
	if !a.Published.IsZero() {
		line.Published = a.Published.UTC().Format(time.RFC3339)
	}
	b, err := json.Marshal(line)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// writePlain prints an item for a person reading a terminal: a line with
// what MigraWatch decided, then the message as a chat would read it.
func writePlain(w io.Writer, a news.Article) {
	verdict := "not about migration"
	if a.Relevance.Relevant {
		verdict = "about migration"
	}
	date := ""
	if a.PublishedGuessed {
		date = " · date first seen (the source gives none readable)"
	}
	fmt.Fprintf(w, "── %s · language %s · %s (score %.2f) · text from %s%s\n",
		a.SourceName, orDash(a.Lang), verdict, a.Relevance.Score, orDash(string(a.TextSource)), date)
	fmt.Fprintf(w, "%s\n%s\n\n", render.PlainText(render.Article(a, render.Options{}).Text), a.Link)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
