package pipeline_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/pipeline"
	"github.com/migrawatch/migrawatch/internal/relevance"
	"github.com/migrawatch/migrawatch/internal/summarize"
	"github.com/migrawatch/migrawatch/internal/summarize/summarizetest"
)

// seedArticle splits the seed file into its headline and body.
func seedArticle(t *testing.T) (title, body string) {
	t.Helper()
	b, err := summarizetest.ReadSeed("2m-iom-agadir.txt")
	if err != nil {
		t.Fatal(err)
	}
	title, body, _ = strings.Cut(string(b), "\n")
	return strings.TrimSpace(title), body
}

type pageReader struct {
	page pipeline.ArticlePage
	err  error
	urls []string
}

func (p *pageReader) ReadArticle(_ context.Context, url string) (pipeline.ArticlePage, error) {
	p.urls = append(p.urls, url)
	return p.page, p.err
}

func newUnderstander(t *testing.T, route pipeline.RouteFunc) *pipeline.Understander {
	t.Helper()
	sc, err := relevance.Default()
	if err != nil {
		t.Fatal(err)
	}
	return &pipeline.Understander{Scorer: sc, Summarize: summarize.Summarize, Route: route}
}

func TestUnderstander_SeedFromAPageSourceIsRelevantWithItsQuotes(t *testing.T) {
	title, body := seedArticle(t)
	pr := &pageReader{page: pipeline.ArticlePage{Title: title, Text: body, TextSource: news.TextFromPage,
		Published: time.Date(2024, 2, 16, 0, 0, 0, 0, time.UTC)}}
	var routed []news.Article
	u := newUnderstander(t, func(_ context.Context, a news.Article) error { routed = append(routed, a); return nil })
	u.Pages = pr
	src := news.Source{ID: "2m-ar", Name: "2M.ma", Kind: news.KindPage, Language: "ar"}
	item := news.Item{Key: "https://2m.ma/ar/news/x-20240216", Link: "https://2m.ma/ar/news/x-20240216", Title: "انقر هنا", PublishedGuessed: true}
	if err := u.HandleItems(context.Background(), src, []news.Item{item}); err != nil {
		t.Fatal(err)
	}
	if len(routed) != 1 || len(pr.urls) != 1 {
		t.Fatalf("routed %d articles after %d page reads, want 1 and 1", len(routed), len(pr.urls))
	}
	a := routed[0]
	if a.Title != title || a.PublishedGuessed || a.Lang != "ar" || a.FeedID != "2m-ar" || a.TextSource != news.TextFromPage {
		t.Fatalf("article = title %q guessed %v lang %q feed %q source %q", a.Title, a.PublishedGuessed, a.Lang, a.FeedID, a.TextSource)
	}
	if !a.Relevance.Relevant {
		t.Fatalf("seed not relevant: %+v", a.Relevance)
	}
	summarizetest.CheckSeedQuotes(t, a.Summary.Quotes)
	if len(a.Summary.Gist) == 0 {
		t.Fatal("no gist")
	}
}

func TestUnderstander_UnreadablePageKeepsTheListingHeadline(t *testing.T) {
	pr := &pageReader{err: errors.New("robots.txt disallows it")}
	var routed []news.Article
	u := newUnderstander(t, func(_ context.Context, a news.Article) error { routed = append(routed, a); return nil })
	u.Pages = pr
	src := news.Source{ID: "map-fr", Name: "MAP", Kind: news.KindPage, Language: "fr", MigrationSpecific: true}
	item := news.Item{Key: "k", Link: "https://www.mapexpress.ma/fr/a-b-c/", Title: "Migration : l'OIM et la commune d'Agadir signent une convention"}
	if err := u.HandleItems(context.Background(), src, []news.Item{item}); err != nil {
		t.Fatal(err)
	}
	if len(routed) != 1 || routed[0].Title != item.Title || !routed[0].Relevance.Relevant || routed[0].Lang != "fr" {
		t.Fatalf("routed %+v", routed)
	}
}

func TestUnderstander_RouteFailureIsReturnedSoItemsStayUnseen(t *testing.T) {
	calls := 0
	u := newUnderstander(t, func(context.Context, news.Article) error {
		calls++
		return errors.New("redis: connection refused")
	})
	items := []news.Item{{Key: "a", Title: "Migrants rescued off Libya", Description: "Dozens of migrants were rescued."}, {Key: "b", Title: "Second"}}
	err := u.HandleItems(context.Background(), news.Source{ID: "f", Language: "en"}, items)
	if err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("err = %v, want the routing error", err)
	}
	if calls != 1 {
		t.Fatalf("routing went on after a failure: %d calls", calls)
	}
}

func TestUnderstander_PageCanonicalLinkReplacesTheListingLinkNotTheKey(t *testing.T) {
	pr := &pageReader{page: pipeline.ArticlePage{Link: "https://www.example.ma/fr/2024/02/16/convention-agadir", Title: "Convention à Agadir"}}
	var routed []news.Article
	u := newUnderstander(t, func(_ context.Context, a news.Article) error { routed = append(routed, a); return nil })
	u.Pages = pr
	src := news.Source{ID: "ex-fr", Kind: news.KindPage, Language: "fr"}
	item := news.Item{Key: "https://www.example.ma/fr/article?id=77", Link: "https://www.example.ma/fr/article?id=77"}
	if err := u.HandleItems(context.Background(), src, []news.Item{item}); err != nil {
		t.Fatal(err)
	}
	if a := routed[0]; a.Link != pr.page.Link || a.Key != item.Key {
		t.Fatalf("link %q key %q; want the page's canonical link and the listing's key", a.Link, a.Key)
	}
}
