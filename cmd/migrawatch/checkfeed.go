package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/migrawatch/migrawatch/config"
	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
)

// maxAdvertisedChecked is how many of the feeds a page advertises are tried,
// as many as /subscribe tries.
const maxAdvertisedChecked = 3

func cmdCheckFeed(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("check-feed", " <url|file>", `Fetch (or read from disk) one feed and say what MigraWatch makes of it: HTTP status, final
URL after redirects, character encoding, cache validators, feed type, item count and the
newest items, the items left out and why, or why it cannot be followed, in plain words.
For an HTML page it lists the feeds the page advertises and checks them as /subscribe
would (the first that works), or, if it has none, every article link it would watch, one
per line with its headline after a tab.`)
	configPath := configFlag(fs)
	newest := fs.Int("n", 5, "show the `n` newest items")
	rest, err := parseFlags(fs, args, e)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.SetOutput(e.stderr)
		fs.Usage()
		return &usageError{"check-feed takes one feed URL or file"}
	}
	cfg, err := loadConfig(e, *configPath)
	if err != nil {
		return err
	}
	fetcher := feed.NewFetcher(fetcherOptions(cfg))
	target := rest[0]
	src, err := sourceFor(target, cfg.Catalog)
	if err != nil {
		return &usageError{err.Error()}
	}
	w := e.stdout
	var res *feed.CheckResult
	var checkErr error
	if path, local := config.LocalPath(src.URL); local {
		res, checkErr = checkFile(path, src)
	} else if src.Kind == news.KindPage {
		res = &feed.CheckResult{URL: src.URL}
		checkErr = &feed.NotAFeedError{HTML: true}
	} else {
		res, checkErr = fetcher.Check(ctx, feed.Request{URL: src.URL})
	}
	printCheck(w, res, *newest)

	// A page that advertises feeds is followed through them, as /subscribe
	// does: the first of them (up to three) that checks out.
	var nf *feed.NotAFeedError
	if _, local := config.LocalPath(src.URL); !local && errors.As(checkErr, &nf) && len(nf.Links) > 0 {
		links := nf.Links[:min(len(nf.Links), maxAdvertisedChecked)]
		fmt.Fprintf(w, "%-15s a web page, not a feed, that advertises %d feed(s)\n", "Kind:", len(nf.Links))
		for _, link := range links {
			fmt.Fprintf(w, "\nThe page advertises a feed; /subscribe with this page would follow it if it works. Checking %s\n", link)
			fres, ferr := fetcher.Check(ctx, feed.Request{URL: link})
			printCheck(w, fres, *newest)
			if ferr == nil {
				fmt.Fprintf(w, "%-15s OK: MigraWatch can follow the feed this page advertises (%s)\n", "Result:", link)
				return nil
			}
			fmt.Fprintf(w, "%-15s %s\n", "Not usable:", explain(ferr))
			checkErr = ferr
		}
		fmt.Fprintf(w, "%-15s FAILED: none of the feeds the page advertises can be followed\n", "Result:")
		return fmt.Errorf("%s cannot be followed: %w", target, checkErr)
	}

	// An HTML page with no feed of its own may still be watched as a listing page.
	if errors.As(checkErr, &nf) && nf.HTML && len(nf.Links) == 0 {
		src.Kind = news.KindPage
		pr, err := readSource(ctx, fetcher, src)
		if err == nil {
			fmt.Fprintf(w, "%-15s page without a feed: MigraWatch can watch it for new article links\n", "Kind:")
			fmt.Fprintf(w, "%-15s %d, one per line (the link, a tab, its headline):\n", "Article links:", len(pr.items))
			for _, it := range pr.items {
				fmt.Fprintf(w, "%s\t%s\n", it.Link, it.Title) // page titles are one line already
			}
			fmt.Fprintf(w, "%-15s OK as a listing page\n", "Result:")
			return nil
		}
		checkErr = err
	}
	if checkErr != nil {
		fmt.Fprintf(w, "%-15s FAILED: %s\n", "Result:", explain(checkErr))
		return fmt.Errorf("%s cannot be followed: %w", target, checkErr)
	}
	fmt.Fprintf(w, "%-15s OK: MigraWatch can follow this feed\n", "Result:")
	return nil
}

// checkFile parses a feed saved on disk, describing it as Check does for URLs.
func checkFile(path string, src news.Source) (*feed.CheckResult, error) {
	res := &feed.CheckResult{URL: path}
	body, err := os.ReadFile(path)
	if err != nil {
		return res, err
	}
	res.BytesRead = int64(len(body))
	p, err := feed.Parse(body, "", src)
	if err := res.Describe(p, err, math.MaxInt); err != nil {
		return res, err
	}
	return res, nil
}

// printCheck prints what is known of a checked feed, one fact per line.
func printCheck(w io.Writer, r *feed.CheckResult, newest int) {
	if r == nil {
		return
	}
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(w, "%-15s %s\n", name+":", value)
		}
	}
	field("URL", r.URL)
	if r.FinalURL != r.URL {
		field("Final URL", r.FinalURL)
	}
	if r.Status != 0 {
		field("Status", fmt.Sprint(r.Status))
	}
	field("Content-Type", r.ContentType)
	field("Encoding", r.Encoding)
	field("ETag", r.ETag)
	field("Last-Modified", r.LastModified)
	if r.ETag == "" && r.LastModified == "" && r.Status == 200 {
		field("Validators", "none (every poll downloads the whole feed)")
	}
	if r.Hint > 0 {
		field("Poll hint", config.FormatDuration(r.Hint))
	}
	if r.BytesRead > 0 {
		size := fmt.Sprintf("%d bytes", r.BytesRead)
		if r.Elapsed > 0 {
			size += " in " + r.Elapsed.Round(time.Millisecond).String()
		}
		field("Size", size)
	}
	field("Feed type", r.FeedType)
	field("Title", r.Title)
	if r.Language != "" {
		field("Language", r.Language+" (declared)")
	}
	if r.FeedType != "" {
		field("Items", fmt.Sprint(r.ItemCount))
	}
	if len(r.Repairs) > 0 {
		field("Repairs", strings.Join(r.Repairs, "; "))
	}
	if len(r.Skipped) > 0 {
		field("Left out", strings.Join(r.Skipped, "\n"+strings.Repeat(" ", 16)))
	}
	if len(r.FeedLinks) > 0 {
		field("Feeds offered", strings.Join(r.FeedLinks, "\n"+strings.Repeat(" ", 16)))
	}
	printLinks(w, r.Newest, newest)
}

// printLinks prints up to n items with their dates.
func printLinks(w io.Writer, items []news.Item, n int) {
	if len(items) == 0 || n <= 0 {
		return
	}
	fmt.Fprintln(w, "Newest items:")
	for i, it := range items {
		if i == n {
			break
		}
		date := "                "
		if !it.Published.IsZero() && !it.PublishedGuessed {
			date = it.Published.UTC().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(w, "  %s  %s\n  %s  %s\n", date, it.Title, strings.Repeat(" ", len(date)), it.Link)
	}
}
