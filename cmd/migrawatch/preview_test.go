package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/migrawatch/migrawatch/internal/summarize/summarizetest"
)

const (
	hespressUTF8 = "testdata/hespress-ar-rescraped.xml"
	hespress1256 = "testdata/hespress-ar-windows1256-derived.xml"
)

// Titles of the Hespress feed in testdata, as the outlet wrote them.
var hespressTitles = []string{
	`"بيت مال القدس" تطلق حملة رمضان`,
	`المؤرخ عمراني يقتفي أثر ظاهرة ادعاء النسب الشريف في مغرب القرن 18`,
	`من الصين إلى المغرب .. لحوم الأبقار البرازيلية توسع الخريطة التصديرية`,
	`الرسوم عند أطفال اضطراب التوحد.. حين تتحول الألوان إلى "لغة نفسية" بديلة`,
}

// previewJSON runs preview --json and decodes its lines.
func previewJSON(t *testing.T, environ map[string]string, args ...string) ([]map[string]any, invocation) {
	t.Helper()
	got := runCmd(t, environ, append([]string{"preview", "--json"}, args...)...)
	var lines []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(got.stdout), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not a JSON line: %q: %v", line, err)
		}
		lines = append(lines, m)
	}
	return lines, got
}

func TestPreview_ArabicFeedInEitherEncodingGivesTheSameTitles(t *testing.T) {
	for _, file := range []string{hespressUTF8, hespress1256} {
		t.Run(filepath.Base(file), func(t *testing.T) {
			got := runCmd(t, nil, "preview", file)
			if got.err != nil {
				t.Fatalf("preview: %v\n%s", got.err, got.stderr)
			}
			for _, title := range hespressTitles {
				if !strings.Contains(got.stdout, title+"\n") {
					t.Errorf("title %q missing from:\n%s", title, got.stdout)
				}
			}
			if !strings.Contains(got.stdout, "Hespress - Article Feed") || !strings.Contains(got.stdout, "15/02/2026 · اقرأ المقال") {
				t.Errorf("the message's source and date line is missing:\n%s", got.stdout)
			}
			if !strings.Contains(got.stdout, "language ar ·") {
				t.Errorf("Arabic not detected (the feed declares en):\n%s", got.stdout)
			}
		})
	}
}

func TestPreview_JSONLinesCarryTheFields(t *testing.T) {
	utf8Lines, got := previewJSON(t, nil, hespressUTF8)
	if got.err != nil {
		t.Fatalf("preview: %v", got.err)
	}
	if len(utf8Lines) != 10 {
		t.Fatalf("got %d items, want the feed's 10", len(utf8Lines))
	}
	for _, field := range []string{"source", "key", "link", "title", "published", "language", "relevant", "score", "matched_terms", "gist", "quotes", "text_source"} {
		if _, ok := utf8Lines[0][field]; !ok {
			t.Errorf("JSON line lacks %q: %v", field, utf8Lines[0])
		}
	}
	if utf8Lines[0]["language"] != "ar" || utf8Lines[0]["text_source"] != "feed" {
		t.Errorf("first line: %v", utf8Lines[0])
	}
	// Newest first: the feed's 07:00 item leads.
	if utf8Lines[0]["published"] != "2026-02-15T07:00:07Z" {
		t.Errorf("first item published %v, want the newest", utf8Lines[0]["published"])
	}
	cp1256Lines, got := previewJSON(t, nil, hespress1256)
	if got.err != nil {
		t.Fatalf("preview: %v", got.err)
	}
	var a, b []string
	for i := range utf8Lines {
		a = append(a, utf8Lines[i]["title"].(string), utf8Lines[i]["key"].(string))
		b = append(b, cp1256Lines[i]["title"].(string), cp1256Lines[i]["key"].(string))
	}
	if !slices.Equal(a, b) {
		t.Errorf("windows-1256 copy decodes differently:\n%v\n%v", a, b)
	}
}

func TestPreview_LimitAndRelevantFilter(t *testing.T) {
	lines, got := previewJSON(t, nil, "-limit", "3", hespressUTF8)
	if got.err != nil || len(lines) != 3 {
		t.Fatalf("-limit 3: %d lines, %v", len(lines), got.err)
	}
	// None of this Hespress snapshot is about migration (see the corpus notes).
	lines, got = previewJSON(t, nil, hespressUTF8, "-relevant")
	if got.err != nil || len(lines) != 0 {
		t.Errorf("-relevant: %d lines, %v", len(lines), got.err)
	}
}

func TestPreview_FetchesURLsWithTheGuardConfigured(t *testing.T) {
	body, err := os.ReadFile(hespress1256)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write(body)
	}))
	defer srv.Close()

	lines, got := previewJSON(t, map[string]string{"MIGRAWATCH_ALLOW_PRIVATE_ADDRESSES": "true"}, srv.URL+"/feed")
	if got.err != nil {
		t.Fatalf("preview of a local server: %v\n%s", got.err, got.stderr)
	}
	var titles []string
	for _, l := range lines {
		titles = append(titles, l["title"].(string))
	}
	for _, want := range hespressTitles {
		if !slices.Contains(titles, want) {
			t.Errorf("title %q missing from %v", want, titles)
		}
	}

	got = runCmd(t, nil, "preview", srv.URL+"/feed")
	if got.err == nil || !strings.Contains(got.stderr, "MIGRAWATCH_ALLOW_PRIVATE_ADDRESSES=true") {
		t.Errorf("loopback feed without the setting: err %v, stderr %q", got.err, got.stderr)
	}
}

func TestPreview_CatalogFromConfigFileWithLocalFeeds(t *testing.T) {
	dir := t.TempDir()
	body, err := os.ReadFile(hespressUTF8)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "feeds"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "feeds", "hespress.xml"), body, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "mw.yaml")
	yaml := "sources:\n  replace: true\n  add:\n    - {id: saved-hespress, name: هسبريس, url: feeds/hespress.xml, language: ar, country: MA}\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	lines, got := previewJSON(t, nil, "-config", cfg)
	if got.err != nil {
		t.Fatalf("preview: %v\n%s", got.err, got.stderr)
	}
	if len(lines) != 10 || lines[0]["source"] != "saved-hespress" || lines[0]["source_name"] != "هسبريس" {
		t.Errorf("got %d lines, first %v", len(lines), lines)
	}
}

func TestPreview_BadArgumentIsAUsageError(t *testing.T) {
	got := runCmd(t, nil, "preview", "no-such-thing")
	var ue *usageError
	if !errors.As(got.err, &ue) || !strings.Contains(got.err.Error(), "neither a file, nor a catalog source id") {
		t.Fatalf("got %v", got.err)
	}
}

func TestCheckFeed_File(t *testing.T) {
	got := runCmd(t, nil, "check-feed", hespress1256, "-n", "2")
	if got.err != nil {
		t.Fatalf("check-feed: %v\n%s", got.err, got.stdout)
	}
	for _, want := range []string{
		"Encoding:       windows-1256",
		"Feed type:      rss 2.0",
		"Items:          10",
		"Newest items:",
		`"غدر ضريبي" في رخص البناء يقرب رؤساء جماعات ترابية من مقصلة العزل`,
		"Result:         OK",
	} {
		if !strings.Contains(got.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, got.stdout)
		}
	}
	if strings.Contains(got.stdout, hespressTitles[0]) {
		t.Errorf("-n 2 printed more than two items:\n%s", got.stdout)
	}
}

func TestCheckFeed_URLReportsStatusRedirectValidatorsAndItems(t *testing.T) {
	body, err := os.ReadFile(hespressUTF8)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/old-feed", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/feed", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=UTF-8")
		w.Header().Set("ETag", `"hespress-42"`)
		w.Header().Set("Last-Modified", "Sun, 15 Feb 2026 07:08:19 GMT")
		_, _ = w.Write(body)
	})
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><html><head><title>Hespress</title>
<link rel="alternate" type="application/rss+xml" title="RSS" href="/feed"></head><body><h1>Hespress</h1></body></html>`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	allow := map[string]string{"MIGRAWATCH_ALLOW_PRIVATE_ADDRESSES": "true"}

	got := runCmd(t, allow, "check-feed", srv.URL+"/old-feed")
	if got.err != nil {
		t.Fatalf("check-feed: %v\n%s", got.err, got.stdout)
	}
	for _, want := range []string{
		"Final URL:      " + srv.URL + "/feed",
		"Status:         200",
		`ETag:           "hespress-42"`,
		"Last-Modified:  Sun, 15 Feb 2026 07:08:19 GMT",
		"Feed type:      rss 2.0",
		"Items:          10",
		"Result:         OK",
	} {
		if !strings.Contains(got.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, got.stdout)
		}
	}

	// A page advertising the feed is followed through it, as /subscribe does.
	got = runCmd(t, allow, "check-feed", srv.URL+"/page")
	if got.err != nil || !strings.Contains(got.stdout, "a web page, not a feed, that advertises 1 feed(s)") ||
		!strings.Contains(got.stdout, "OK: MigraWatch can follow the feed this page advertises ("+srv.URL+"/feed)") {
		t.Errorf("HTML page: err %v\n%s", got.err, got.stdout)
	}

	got = runCmd(t, allow, "check-feed", srv.URL+"/missing")
	if got.err == nil || !strings.Contains(got.stdout, "FAILED: ") || !strings.Contains(got.stdout, "HTTP status 404") {
		t.Errorf("404: err %v\n%s", got.err, got.stdout)
	}

	got = runCmd(t, nil, "check-feed", srv.URL+"/feed")
	if got.err == nil || !strings.Contains(got.stdout, "MIGRAWATCH_ALLOW_PRIVATE_ADDRESSES=true") {
		t.Errorf("loopback without the setting: err %v\n%s", got.err, got.stdout)
	}
}

func TestCheckFeed_NeedsExactlyOneTarget(t *testing.T) {
	got := runCmd(t, nil, "check-feed")
	var ue *usageError
	if !errors.As(got.err, &ue) || !strings.Contains(got.err.Error(), "one feed URL or file") {
		t.Fatalf("got %v", got.err)
	}
}

// The 2M.ma listing page of the page reader's testdata is shaped like the
// real site: navigation, sidebars and a list of article cards, and no feed.
const listing2M = "../../internal/page/testdata/2m-ar-listing.html"

const iomAgadirTitle = "رئيسة بعثة المنظمة الدولية للهجرة بالمغرب لـ 2M.ma: إدماج المهاجرين أمر معقد واتفاقية أكادير مهمة"

func TestPreview_ListingPageWithoutFeedGivesItsArticles(t *testing.T) {
	lines, got := previewJSON(t, nil, listing2M)
	if got.err != nil {
		t.Fatalf("preview: %v\n%s", got.err, got.stderr)
	}
	if len(lines) == 0 || lines[0]["title"] != iomAgadirTitle {
		t.Fatalf("got %v", lines)
	}
	if link := lines[0]["link"].(string); !strings.HasPrefix(link, "https://2m.ma/ar/news/national/") {
		t.Errorf("article link %q not resolved against the page's address", link)
	}
	if lines[0]["relevant"] != true {
		t.Errorf("the IOM article is not judged about migration: %v", lines[0])
	}
}

func TestCheckFeed_ListingPageOverHTTP(t *testing.T) {
	body, err := os.ReadFile(listing2M)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	got := runCmd(t, map[string]string{"MIGRAWATCH_ALLOW_PRIVATE_ADDRESSES": "true"}, "check-feed", srv.URL+"/ar/news/national")
	if got.err != nil {
		t.Fatalf("check-feed: %v\n%s", got.err, got.stdout)
	}
	for _, want := range []string{"Kind:           page without a feed", "Article links:  6, one per line", "Result:         OK as a listing page"} {
		if !strings.Contains(got.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, got.stdout)
		}
	}
	// The links it would watch, one per line, each once, tracking dropped,
	// each followed by a tab and its headline.
	var links, titles []string
	for _, line := range strings.Split(got.stdout, "\n") {
		if strings.HasPrefix(line, "http") {
			link, title, _ := strings.Cut(line, "\t")
			links, titles = append(links, link), append(titles, title)
		}
	}
	first := srv.URL + "/ar/news/national/%D8%B1%D8%A6%D9%8A%D8%B3%D8%A9-" // رئيسة-بعثة-...
	if len(links) != 6 || !strings.HasPrefix(links[0], first) || strings.Contains(links[0], "utm_") {
		t.Errorf("watched links:\n%s", strings.Join(links, "\n"))
	}
	if len(titles) == 0 || !strings.HasPrefix(titles[0], "رئيسة بعثة المنظمة الدولية للهجرة") || slices.Contains(titles, "") {
		t.Errorf("headlines: %q", titles)
	}
}

// TestPreview_SnippetFeedGetsTheArticlePageGistAndQuotes runs the whole
// understanding pass on the 2M.ma article about IOM and Agadir: the feed gives
// a one-sentence snippet, so the page is fetched, and the two quotes come out
// with their speakers.
func TestPreview_SnippetFeedGetsTheArticlePageGistAndQuotes(t *testing.T) {
	page, err := summarizetest.ReadSeed("2m-iom-agadir-article.html")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/article", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page)
	})
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>2M.ma</title><link>http://%[1]s/</link><description>news</description>
<item><title>%[2]s</title><link>http://%[1]s/article</link><guid>2m-iom-agadir</guid>
<description>قالت رئيسة بعثة المنظمة الدولية للهجرة بالمغرب إن إدماج المهاجرين أمر معقد.</description>
<pubDate>Fri, 16 Feb 2024 10:00:00 +0000</pubDate></item></channel></rss>`, r.Host, iomAgadirTitle)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	allow := map[string]string{"MIGRAWATCH_ALLOW_PRIVATE_ADDRESSES": "true"}

	lines, got := previewJSON(t, allow, srv.URL+"/feed")
	if got.err != nil || len(lines) != 1 {
		t.Fatalf("preview: %v, %d lines\n%s", got.err, len(lines), got.stderr)
	}
	l := lines[0]
	if l["text_source"] != "page" || l["relevant"] != true || l["language"] != "ar" {
		t.Errorf("text_source %v relevant %v language %v", l["text_source"], l["relevant"], l["language"])
	}
	if gist, _ := l["gist"].([]any); len(gist) == 0 {
		t.Error("no gist")
	}
	var speakers []string
	for _, q := range l["quotes"].([]any) {
		speakers = append(speakers, q.(map[string]any)["speaker"].(string))
	}
	// The seed's quotes in order; the second only when its speaker is sure.
	if !slices.Equal(speakers, []string{"لورا بالاتيني", "فاطمة أمزيل"}) && !slices.Equal(speakers, []string{"لورا بالاتيني"}) {
		t.Errorf("quote speakers %v", speakers)
	}
	// A quote left out is counted, so that the two quotes are accounted for.
	if n, _ := l["unconfirmed_quotes"].(float64); len(speakers)+int(n) != 2 {
		t.Errorf("%d quotes shown and unconfirmed_quotes %v, want 2 in all", len(speakers), l["unconfirmed_quotes"])
	}

	// -offline keeps the feed's snippet.
	lines, got = previewJSON(t, allow, "-offline", srv.URL+"/feed")
	if got.err != nil || len(lines) != 1 || lines[0]["text_source"] != "feed" {
		t.Errorf("-offline: %v %v", got.err, lines)
	}
}
