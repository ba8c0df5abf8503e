package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/pipeline"
	"github.com/migrawatch/migrawatch/internal/relevance"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
	"github.com/migrawatch/migrawatch/internal/summarize"
)

// seedArticle splits the seed file into its headline and body.
func seedArticle(t *testing.T) (title, body string) {
	t.Helper()
	b, err := os.ReadFile("testdata/2m-iom-agadir.txt")
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

func TestUnderstander_SeedFromAPageSourceIsRelevantWithItsTwoQuotes(t *testing.T) {
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
	var speakers []string
	for _, q := range a.Summary.Quotes {
		speakers = append(speakers, q.Speaker)
	}
	if strings.Join(speakers, "|") != "لورا بالاتيني|فاطمة أمزيل" {
		t.Fatalf("speakers = %v", speakers)
	}
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

func TestScheduler_OnPollSeesEveryResult(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><guid>a</guid><title>Migrants</title></item></channel></rss>`)
	}))
	defer srv.Close()
	rdb, prefix := storetest.Redis(t)
	st := store.New(rdb, prefix)
	var results []pipeline.Result
	sched := pipeline.New(st, feed.NewFetcher(feed.Options{AllowPrivateAddresses: true}),
		pipeline.HandlerFunc(func(context.Context, news.Source, []news.Item) error { return nil }),
		pipeline.Options{OnPoll: func(r pipeline.Result, took time.Duration) {
			if took <= 0 {
				t.Errorf("poll took %v", took)
			}
			results = append(results, r)
		}})
	ctx := context.Background()
	for _, src := range []news.Source{{ID: "ok", URL: srv.URL}, {ID: "bad", URL: "http://127.0.0.1:1/feed"}} {
		if err := st.RegisterFeed(ctx, src); err != nil {
			t.Fatal(err)
		}
		sched.PollFeed(ctx, src.ID)
	}
	if len(results) != 2 || results[0].Outcome != pipeline.OutcomeOK || results[1].Outcome != pipeline.OutcomeError {
		t.Fatalf("results = %+v", results)
	}
}

func TestScheduler_RunRefillsAFreedSlotWithoutWaitingForTheTick(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><guid>a</guid><title>x</title></item></channel></rss>`)
	}))
	defer srv.Close()
	rdb, prefix := storetest.Redis(t)
	st := store.New(rdb, prefix)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for i := range 4 {
		if err := st.RegisterFeed(ctx, news.Source{ID: fmt.Sprintf("f%d", i), URL: fmt.Sprintf("%s/%d", srv.URL, i)}); err != nil {
			t.Fatal(err)
		}
	}
	polled := make(chan string, 4)
	sched := pipeline.New(st, feed.NewFetcher(feed.Options{AllowPrivateAddresses: true}),
		pipeline.HandlerFunc(func(context.Context, news.Source, []news.Item) error { return nil }),
		pipeline.Options{Concurrency: 1, Tick: time.Hour, OnPoll: func(r pipeline.Result, _ time.Duration) { polled <- r.FeedID }})
	done := make(chan error, 1)
	go func() { done <- sched.Run(ctx) }()
	for range 4 {
		select {
		case <-polled:
		case <-time.After(10 * time.Second):
			t.Fatal("with one slot and an hour-long tick, the next due feed waited for the tick")
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
