package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/migrawatch/migrawatch/internal/summarize/summarizetest"
)

func TestCheckFeed_SaysWhichItemsAreLeftOutAndWhy(t *testing.T) {
	got := runCmd(t, nil, "check-feed", "testdata/cerclepsy-latin1-nodecl-fr.xml")
	if got.err != nil {
		t.Fatalf("check-feed: %v\n%s", got.err, got.stdout)
	}
	for _, want := range []string{"Items:          9", "Left out:       item 4 has no title, link or text", "Result:         OK"} {
		if !strings.Contains(got.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, got.stdout)
		}
	}
}

func TestPreview_SaysWhichItemsAreLeftOut(t *testing.T) {
	got := runCmd(t, nil, "preview", "testdata/cerclepsy-latin1-nodecl-fr.xml")
	if got.err != nil {
		t.Fatalf("preview: %v\n%s", got.err, got.stderr)
	}
	if !strings.Contains(got.stderr, "left out: item 4 has no title, link or text") {
		t.Errorf("stderr does not say which item was left out:\n%s", got.stderr)
	}
}

// A page that advertises a feed is what people paste; check-feed follows
// the feed as /subscribe would instead of failing on the page.
func TestCheckFeed_PageAdvertisingAFeedChecksThatFeed(t *testing.T) {
	rss, err := os.ReadFile(hespressUTF8)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html><head><title>Site</title>
<link rel="alternate" type="application/rss+xml" href="/missing.xml">
<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>hello</body></html>`)
	})
	mux.HandleFunc("/missing.xml", http.NotFound)
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write(rss)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	allow := map[string]string{"MIGRAWATCH_ALLOW_PRIVATE_ADDRESSES": "true"}
	got := runCmd(t, allow, "check-feed", srv.URL+"/")
	if got.err != nil {
		t.Fatalf("check-feed: %v\n%s", got.err, got.stdout)
	}
	for _, want := range []string{
		"Feeds offered:  " + srv.URL + "/missing.xml",
		"Checking " + srv.URL + "/missing.xml",
		"Not usable:",
		"Checking " + srv.URL + "/feed.xml",
		"Items:          10",
		"Result:         OK: MigraWatch can follow the feed this page advertises (" + srv.URL + "/feed.xml)",
	} {
		if !strings.Contains(got.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, got.stdout)
		}
	}
	if strings.Contains(got.stdout, "FAILED") {
		t.Errorf("a page with a working feed is reported as failing:\n%s", got.stdout)
	}

	mux.HandleFunc("/dead/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><link rel="alternate" type="application/rss+xml" href="/missing.xml"></head><body>x</body></html>`)
	})
	got = runCmd(t, allow, "check-feed", srv.URL+"/dead/")
	if got.err == nil || !strings.Contains(got.stdout, "FAILED: none of the feeds the page advertises can be followed") {
		t.Errorf("a page whose feed is gone: %v\n%s", got.err, got.stdout)
	}
}

// wantArticle checks the one item preview made of the 2M.ma article on IOM
// and Agadir: its title, about migration, a gist, and the two quotes with
// their speakers.
func wantArticle(t *testing.T, lines []map[string]any, got invocation, title bool) {
	t.Helper()
	if got.err != nil || len(lines) != 1 {
		t.Fatalf("preview: %v, %d items\n%s", got.err, len(lines), got.stderr)
	}
	l := lines[0]
	if title && l["title"] != iomAgadirTitle {
		t.Errorf("title %q", l["title"])
	}
	if l["relevant"] != true || l["language"] != "ar" {
		t.Errorf("relevant %v language %v", l["relevant"], l["language"])
	}
	if gist, _ := l["gist"].([]any); len(gist) == 0 {
		t.Error("no gist")
	}
	var speakers []string
	for _, q := range l["quotes"].([]any) {
		speakers = append(speakers, q.(map[string]any)["speaker"].(string))
	}
	if !slices.Contains(speakers, "لورا بالاتيني") {
		t.Errorf("quote speakers %v", speakers)
	}
}

func TestPreview_OneArticleFromItsPageURL(t *testing.T) {
	page, err := summarizetest.ReadSeed("2m-iom-agadir-article.html")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page)
	}))
	defer srv.Close()
	lines, got := previewJSON(t, map[string]string{"MIGRAWATCH_ALLOW_PRIVATE_ADDRESSES": "true"}, srv.URL+"/ar/news/iom-agadir")
	wantArticle(t, lines, got, true)
	if lines[0]["link"] != srv.URL+"/ar/news/iom-agadir" || lines[0]["text_source"] != "page" {
		t.Errorf("link %v text_source %v", lines[0]["link"], lines[0]["text_source"])
	}

	plain := runCmd(t, map[string]string{"MIGRAWATCH_ALLOW_PRIVATE_ADDRESSES": "true"}, "preview", srv.URL+"/ar/news/iom-agadir")
	if plain.err != nil || !strings.Contains(plain.stdout, "about migration") || !strings.Contains(plain.stdout, "لورا بالاتيني") {
		t.Errorf("plain preview of the article: %v\n%s", plain.err, plain.stdout)
	}
}

func TestPreview_OneArticleSavedAsHTMLOrText(t *testing.T) {
	lines, got := previewJSON(t, nil, summarizetest.SeedPath(t, "2m-iom-agadir-article.html"))
	wantArticle(t, lines, got, true)
	lines, got = previewJSON(t, nil, summarizetest.SeedPath(t, "2m-iom-agadir.txt"))
	wantArticle(t, lines, got, false)
	if !strings.HasPrefix(lines[0]["title"].(string), "رئيسة بعثة المنظمة الدولية للهجرة بالمغرب") {
		t.Errorf("a text file's first line is its title: %q", lines[0]["title"])
	}

	empty := t.TempDir() + "/empty.txt"
	if err := os.WriteFile(empty, []byte("\n\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := runCmd(t, nil, "preview", empty)
	if bad.err == nil || !strings.Contains(bad.stderr, "no article text found") {
		t.Errorf("an empty article: %v\n%s", bad.err, bad.stderr)
	}
}
