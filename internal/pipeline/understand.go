package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/textproc"
)

// Enricher fills an article's main text, fetching the article page when the
// feed gives only a snippet (extract.Extractor).
type Enricher interface {
	Enrich(ctx context.Context, a *news.Article) error
}

// Scorer decides whether an article is about the topic (relevance.Scorer).
type Scorer interface {
	Score(a news.Article) news.Relevance
}

// ArticleReader reads an article page of a source without a feed: its
// title, date and main text.
type ArticleReader interface {
	ReadArticle(ctx context.Context, url string) (ArticlePage, error)
}

// ArticlePage is what an article page says about its article.
type ArticlePage struct {
	// Link is the page's canonical address, "" when it gives none; it
	// replaces the listing's link, the item key stays.
	Link       string
	Title      string
	Published  time.Time
	Text       string
	TextSource news.TextSource
	Lang       string
}

// RouteFunc queues an understood article for the chats that want it.
type RouteFunc func(ctx context.Context, a news.Article) error

// Understander is the Handler between polling and delivery: each new item
// becomes an Article (text, language, relevance, gist and quotes) and is
// routed. A routing failure returns an error, so the scheduler leaves the
// items unseen and offers them again on the next poll: nothing is lost while
// Redis is away.
type Understander struct {
	Enricher  Enricher
	Scorer    Scorer
	Summarize func(title, text, lang string) news.Summary
	Route     RouteFunc
	// Pages reads article pages for sources of kind page; nil falls back
	// to the Enricher.
	Pages ArticleReader
	// Understood, when set, is told how long each article took to understand
	// and whether it was relevant (metrics).
	Understood func(took time.Duration, relevant bool)
	Now        func() time.Time
	Logger     *slog.Logger
}

// HandleItems understands and routes items in order. It stops at the first
// routing error; items before it are routed, and the scheduler offers the
// whole batch again (routing is idempotent per chat and story).
func (u *Understander) HandleItems(ctx context.Context, src news.Source, items []news.Item) error {
	for _, it := range items {
		if err := ctx.Err(); err != nil {
			return err
		}
		a, err := u.Understand(ctx, src, it)
		if err != nil && !errors.Is(err, context.Canceled) {
			u.logger().Warn("article page not used; the feed's text stands", "feed_id", src.ID, "item_key", it.Key, "err", err)
		}
		if u.Route == nil {
			continue
		}
		if err := u.Route(ctx, a); err != nil {
			return fmt.Errorf("route %s: %w", it.Key, err)
		}
	}
	return nil
}

// Understand turns one item into an article. When the article page cannot
// be read, the article is still whole, made from the feed's (or listing's)
// text, and the error says why the page was not used: an article is never
// dropped because its page could not be read.
func (u *Understander) Understand(ctx context.Context, src news.Source, it news.Item) (news.Article, error) {
	now := time.Now
	if u.Now != nil {
		now = u.Now
	}
	start := now()
	var pageErr error
	a := news.Article{Item: it, SourceName: src.Name, TextSource: news.TextFromFeed}
	if a.FeedID == "" {
		a.FeedID = src.ID
	}
	a.Text = feedText(it)
	switch {
	case src.Kind == news.KindPage && u.Pages != nil && it.Link != "":
		p, err := u.Pages.ReadArticle(ctx, it.Link)
		if err != nil {
			pageErr = err
			break
		}
		if p.Link != "" {
			a.Link = p.Link
		}
		if p.Title != "" {
			a.Title = p.Title
		}
		if !p.Published.IsZero() {
			a.Published, a.PublishedGuessed = p.Published, false
		}
		if p.Text != "" {
			a.Text, a.TextSource = p.Text, p.TextSource
		}
		if a.Language == "" {
			a.Language = p.Lang
		}
	case u.Enricher != nil:
		pageErr = u.Enricher.Enrich(ctx, &a)
	}
	if a.Lang == "" {
		// The source's configured language is a better hint than what a
		// feed or page declares (some declare "en" for Arabic text); the
		// extractor already used it, as the parser puts it on the items.
		hint := src.Language
		if hint == "" {
			hint = a.Language
		}
		a.Lang = textproc.DetectLanguage(a.Title+"\n"+a.Text, hint)
	}
	if u.Scorer != nil {
		a.Relevance = u.Scorer.Score(a)
	}
	if src.MigrationSpecific {
		// Outlets that only cover migration need no topic filter.
		a.Relevance.Relevant = true
	}
	if u.Summarize != nil {
		a.Summary = u.Summarize(a.Title, a.Text, a.Lang)
	}
	if u.Understood != nil {
		u.Understood(now().Sub(start), a.Relevance.Relevant)
	}
	return a, pageErr
}

func (u *Understander) logger() *slog.Logger {
	if u.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return u.Logger
}

// feedText is the longer of the item's content and description.
func feedText(it news.Item) string {
	c, d := strings.TrimSpace(it.Content), strings.TrimSpace(it.Description)
	if len(c) >= len(d) {
		return c
	}
	return d
}
