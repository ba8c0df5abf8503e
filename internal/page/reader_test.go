package page_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/page"
	"github.com/migrawatch/migrawatch/internal/pipeline"
	"github.com/migrawatch/migrawatch/internal/relevance"
	"github.com/migrawatch/migrawatch/internal/summarize"
	"github.com/migrawatch/migrawatch/internal/summarize/summarizetest"
)

// site serves a 2M.ma-shaped site: a listing, article pages and robots.txt.
type site struct {
	*httptest.Server
	listing  []byte
	article  []byte
	robots   string
	articles atomic.Int32
}

func newSite(t *testing.T) *site {
	t.Helper()
	listing, err := os.ReadFile("testdata/2m-ar-listing.html")
	if err != nil {
		t.Fatal(err)
	}
	article, err := summarizetest.ReadSeed("2m-iom-agadir-article.html")
	if err != nil {
		t.Fatal(err)
	}
	s := &site{listing: listing, article: article, robots: "User-agent: *\nDisallow: /ar/search\n"}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			io.WriteString(w, s.robots)
		case r.URL.Path == "/ar/news/national":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(s.listing)
		case strings.HasPrefix(r.URL.Path, "/ar/news/national/"):
			s.articles.Add(1)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(s.article)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func httpFetch(ctx context.Context, url string) ([]byte, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return b, resp.Request.URL.String(), err
}

func robotsFetch(ctx context.Context, url string) (int, []byte, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// articleReader adapts page.Reader to the pipeline's ArticleReader.
type articleReader struct{ r *page.Reader }

func (a articleReader) ReadArticle(ctx context.Context, url string) (pipeline.ArticlePage, error) {
	p, err := a.r.ReadArticle(ctx, url)
	return pipeline.ArticlePage{Link: p.Link, Title: p.Title, Published: p.Published, Text: p.Text, TextSource: p.TextSource, Lang: p.Lang}, err
}

func TestPageSource_SeedServedAsAPageGivesHeadlineDateAndItsQuotes(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	src := news.Source{ID: "2m-ar", Name: "2M.ma", URL: s.URL + "/ar/news/national", Kind: news.KindPage, Language: "ar"}
	body, final, err := httpFetch(ctx, src.URL)
	if err != nil {
		t.Fatal(err)
	}
	items, err := page.Items(src, body, final, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// Four national stories and the two most-read ones; the third story's
	// headline links to https://2m.ma, another site than this server, so it
	// is reached through its relative "read more" link.
	if len(items) != 6 {
		t.Fatalf("%d items from the listing, want 6: %+v", len(items), items)
	}
	reader := &page.Reader{Fetch: httpFetch, Robots: page.NewRobotsCache(robotsFetch, "MigraWatch", 0, nil), Pacer: page.NewPacer(0, nil)}
	sc, err := relevance.Default()
	if err != nil {
		t.Fatal(err)
	}
	var routed []news.Article
	u := &pipeline.Understander{Scorer: sc, Summarize: summarize.Summarize, Pages: articleReader{reader},
		Route: func(_ context.Context, a news.Article) error { routed = append(routed, a); return nil }}
	if err := u.HandleItems(ctx, src, items[:1]); err != nil {
		t.Fatal(err)
	}
	a := routed[0]
	if a.Title != "رئيسة بعثة المنظمة الدولية للهجرة بالمغرب لـ 2M.ma: إدماج المهاجرين أمر معقد واتفاقية أكادير مهمة" {
		t.Errorf("headline = %q", a.Title)
	}
	if a.PublishedGuessed || a.Published.UTC().Format("2006-01-02") != "2024-02-15" || a.Published.Format("2006-01-02") != "2024-02-16" {
		t.Errorf("date = %v (guessed %v), want 2024-02-16 +01:00", a.Published, a.PublishedGuessed)
	}
	summarizetest.CheckSeedQuotes(t, a.Summary.Quotes)
	if !a.Relevance.Relevant {
		t.Error("the seed read from its page is not relevant")
	}
	for _, g := range a.Summary.Gist {
		if strings.Contains(g, "2/16/2024") || strings.Contains(g, "news-picture") {
			t.Errorf("page chrome reached the gist: %q", g)
		}
	}
}

func TestReader_HonoursRobotsAndPacesArticleFetches(t *testing.T) {
	s := newSite(t)
	s.robots = "User-agent: *\nDisallow: /ar/news/national/\n"
	reader := &page.Reader{Fetch: httpFetch, Robots: page.NewRobotsCache(robotsFetch, "MigraWatch", 0, nil)}
	_, err := reader.ReadArticle(context.Background(), s.URL+"/ar/news/national/a-b-c-20240216")
	if !errors.Is(err, page.ErrDisallowed) {
		t.Fatalf("err = %v, want ErrDisallowed", err)
	}
	if s.articles.Load() != 0 {
		t.Fatal("a page robots.txt disallows was fetched")
	}

	s2 := newSite(t)
	now := time.Unix(0, 0)
	pacer := page.NewPacer(time.Hour, func() time.Time { return now })
	r2 := &page.Reader{Fetch: httpFetch, Pacer: pacer}
	if _, err := r2.ReadArticle(context.Background(), s2.URL+"/ar/news/national/a-b-c-1"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := r2.ReadArticle(ctx, s2.URL+"/ar/news/national/a-b-c-2"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second fetch to the host within the pacing interval: err = %v, want it to wait", err)
	}
	if s2.articles.Load() != 1 {
		t.Fatalf("%d article fetches, want 1", s2.articles.Load())
	}
}

func TestReader_ArticleLinkIsThePagesCanonicalAddress(t *testing.T) {
	s := newSite(t)
	s.article = bytes.Replace(s.article, []byte(`<meta charset="utf-8">`),
		[]byte(`<meta charset="utf-8"><link rel="canonical" href="/ar/news/national/iom-agadir-20240216?utm_source=amp">`), 1)
	reader := &page.Reader{Fetch: httpFetch}
	p, err := reader.ReadArticle(context.Background(), s.URL+"/ar/news/national/iom-agadir-20240216?from=home#top")
	if err != nil {
		t.Fatal(err)
	}
	if want := s.URL + "/ar/news/national/iom-agadir-20240216"; p.Link != want || p.Title == "" {
		t.Fatalf("link %q title %q; want %q and the headline", p.Link, p.Title, want)
	}
}
