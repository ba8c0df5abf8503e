package extract

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/summarize"
	"github.com/migrawatch/migrawatch/internal/summarize/summarizetest"
)

// fixture reads a page of testdata, or the seed article's page, kept once
// for every package in summarizetest.
func fixture(name string) ([]byte, error) {
	if name == "2m-iom-agadir.html" {
		return summarizetest.ReadSeed("2m-iom-agadir-article.html")
	}
	return os.ReadFile(filepath.Join("testdata", name))
}

// pageServer serves testdata files by name and counts requests.
func pageServer(t *testing.T) (*httptest.Server, *int) {
	t.Helper()
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		b, err := fixture(filepath.Base(r.URL.Path))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// httpFetcher is the test's PageFetcher: a plain GET on the loopback server.
func httpFetcher(client *http.Client) PageFetcher {
	return FetchPageFunc(func(ctx context.Context, url string) ([]byte, string, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, "", err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, "", err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, "", errors.New(resp.Status)
		}
		b, err := io.ReadAll(resp.Body)
		return b, resp.Request.URL.String(), err
	})
}

func TestEnrich_SnippetFetchesSeedPageWithoutFurniture(t *testing.T) {
	srv, hits := pageServer(t)
	e := New(httpFetcher(srv.Client()))
	a := &news.Article{Item: news.Item{
		Link:        srv.URL + "/2m-iom-agadir.html",
		Title:       "رئيسة بعثة المنظمة الدولية للهجرة بالمغرب لـ 2M.ma: إدماج المهاجرين أمر معقد واتفاقية أكادير مهمة",
		Description: "قالت رئيسة بعثة المنظمة الدولية للهجرة في المغرب إن إدماج المهاجرين أمر معقد.",
	}}
	if err := e.Enrich(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if *hits != 1 {
		t.Errorf("page fetched %d times, want 1", *hits)
	}
	if a.TextSource != news.TextFromPage {
		t.Fatalf("text source %q, want page", a.TextSource)
	}
	if a.Lang != news.Arabic {
		t.Errorf("language %q, want ar", a.Lang)
	}
	for _, want := range []string{"قالت رئيسة بعثة المنظمة الدولية للهجرة في المغرب", "والأوساط الأكاديمية."} {
		if !strings.Contains(a.Text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	for _, bad := range []string{"مشاركة :", "2/16/2024", "00:00", "news-picture", "اقرأ أيضا", "الأكثر قراءة", "اشترك", "جميع الحقوق", "سياسة", "فيسبوك"} {
		if strings.Contains(a.Text, bad) {
			t.Errorf("page furniture %q reached the text:\n%s", bad, a.Text)
		}
	}
	// The page text gives the seed's quotes as the feed text does.
	summarizetest.CheckSeedQuotes(t, summarize.Summarize(a.Title, a.Text, a.Lang).Quotes)
}

func TestEnrich_LongFeedTextIsKeptWithoutFetching(t *testing.T) {
	srv, hits := pageServer(t)
	e := New(httpFetcher(srv.Client()))
	text := strings.Repeat("Migrants arrived at the port on Monday and were registered by officials. ", 8)
	a := &news.Article{Item: news.Item{Link: srv.URL + "/2m-iom-agadir.html", Content: text, Language: "en"}}
	if err := e.Enrich(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if *hits != 0 || a.TextSource != news.TextFromFeed || a.Lang != news.English {
		t.Errorf("hits %d, source %q, lang %q; want 0, feed, en", *hits, a.TextSource, a.Lang)
	}
}

func TestEnrich_JSONLDOnlyPage(t *testing.T) {
	srv, _ := pageServer(t)
	e := New(httpFetcher(srv.Client()))
	a := &news.Article{Item: news.Item{Link: srv.URL + "/fr-jsonld.html", Description: "Projet de loi sur l'asile."}}
	if err := e.Enrich(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if a.TextSource != news.TextFromJSONLD {
		t.Fatalf("text source %q, want json-ld; text %q", a.TextSource, a.Text)
	}
	if a.Lang != news.French {
		t.Errorf("language %q, want fr", a.Lang)
	}
	if !strings.Contains(a.Text, "a déclaré la ministre de l'intérieur, Claire Martin") || strings.Contains(a.Text, "Chargement") {
		t.Errorf("unexpected text %q", a.Text)
	}
	if got := strings.Count(a.Text, "\n\n"); got != 2 {
		t.Errorf("text has %d paragraph breaks, want 2", got)
	}
	if a.Title != "Asile : le gouvernement présente un projet de loi contesté" {
		t.Errorf("title %q", a.Title)
	}
}

func TestEnrich_OGDescriptionWhenBodyIsEmpty(t *testing.T) {
	srv, _ := pageServer(t)
	e := New(httpFetcher(srv.Client()))
	a := &news.Article{Item: news.Item{Link: srv.URL + "/en-og-only.html", Description: "Boat reaches Lampedusa."}}
	if err := e.Enrich(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if a.TextSource != news.TextFromOG || !strings.HasPrefix(a.Text, "A boat carrying 48 migrants") {
		t.Errorf("source %q text %q, want og description", a.TextSource, a.Text)
	}
}

func TestEnrich_FetchFailureKeepsFeedText(t *testing.T) {
	srv, _ := pageServer(t)
	e := New(httpFetcher(srv.Client()))
	a := &news.Article{Item: news.Item{Link: srv.URL + "/missing.html", Description: "Short feed snippet about asylum seekers."}}
	err := e.Enrich(context.Background(), a)
	var fe *FetchError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v, want *FetchError", err)
	}
	if a.TextSource != news.TextFromFeed || a.Text != "Short feed snippet about asylum seekers." {
		t.Errorf("source %q text %q, want the feed text", a.TextSource, a.Text)
	}
}

func TestEnrich_ThresholdIsConfigurable(t *testing.T) {
	srv, hits := pageServer(t)
	e := New(httpFetcher(srv.Client()), WithMinText(10))
	a := &news.Article{Item: news.Item{Link: srv.URL + "/fr-jsonld.html", Description: "Un résumé de plus de dix caractères."}}
	if err := e.Enrich(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if *hits != 0 || a.TextSource != news.TextFromFeed {
		t.Errorf("hits %d source %q, want no fetch", *hits, a.TextSource)
	}
}

func TestParsePage_TitleDateText(t *testing.T) {
	tests := []struct {
		file, title string
		date        time.Time
		source      news.TextSource
	}{
		{"2m-iom-agadir.html", "رئيسة بعثة المنظمة الدولية للهجرة بالمغرب لـ 2M.ma: إدماج المهاجرين أمر معقد واتفاقية أكادير مهمة",
			time.Date(2024, 2, 16, 0, 0, 0, 0, time.FixedZone("", 3600)), news.TextFromPage},
		{"fr-jsonld.html", "Asile : le gouvernement présente un projet de loi contesté",
			time.Date(2024, 2, 14, 9, 30, 0, 0, time.FixedZone("", 3600)), news.TextFromJSONLD},
		{"en-og-only.html", "Boat carrying migrants reaches Lampedusa", time.Date(2024, 3, 3, 8, 15, 0, 0, time.UTC), news.TextFromOG},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			b, err := fixture(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			p, err := ParsePage(b, "https://example.org/"+tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if p.Title != tc.title {
				t.Errorf("title %q, want %q", p.Title, tc.title)
			}
			if !p.Published.Equal(tc.date) {
				t.Errorf("date %v, want %v", p.Published, tc.date)
			}
			if p.TextSource != tc.source || p.Text == "" {
				t.Errorf("source %q (text %d bytes), want %q", p.TextSource, len(p.Text), tc.source)
			}
		})
	}
}

func TestTitleWithoutSite(t *testing.T) {
	tests := []struct{ in, site, want string }{
		{"Headline here | 2M.ma", "2M.ma", "Headline here"},
		{"Le360 - Un titre d'article assez long", "Le360", "Un titre d'article assez long"},
		{"A long headline about migrants – Harbour News", "", "A long headline about migrants"},
		{"No separator", "Site", "No separator"},
	}
	for _, tc := range tests {
		if got := titleWithoutSite(tc.in, tc.site); got != tc.want {
			t.Errorf("titleWithoutSite(%q, %q) = %q, want %q", tc.in, tc.site, got, tc.want)
		}
	}
}

func TestIsFurnitureLine(t *testing.T) {
	for _, l := range []string{"2/16/2024", "00:00", "• 3", "مشاركة :", "اقرأ أيضا: لقاء حول الهجرة", "Lire aussi : notre enquête",
		"Read also: the report", "Photo: AFP", "© 2024 2M.ma", "Abonnez-vous à notre newsletter"} {
		if !isFurnitureLine(l) {
			t.Errorf("%q not seen as furniture", l)
		}
	}
	for _, l := range []string{"قالت رئيسة البعثة إن الإدماج أمر معقد.", "Photographers were not allowed into the camp, officials said on Monday."} {
		if isFurnitureLine(l) {
			t.Errorf("%q taken for furniture", l)
		}
	}
}
