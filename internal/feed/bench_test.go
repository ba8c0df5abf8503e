package feed

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
)

// BenchmarkParse parses a real Arabic feed (10 items, 17 KB).
func BenchmarkParse(b *testing.B) {
	body, err := os.ReadFile("testdata/hespress-ar-rescraped.xml")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := ParseAt(body, "application/rss+xml", news.Source{ID: "h"}, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFetch304 is the not-modified round trip alone (client and
// server in this process).
func BenchmarkFetch304(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotModified)
	}))
	defer srv.Close()
	f := testFetcher(Options{})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := f.Fetch(ctx, Request{URL: srv.URL, ETag: `"x"`, LastModified: "Mon, 16 Feb 2026 10:00:00 GMT"})
		if err != nil || !resp.NotModified {
			b.Fatal(err)
		}
	}
}
