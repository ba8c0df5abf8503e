package page

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/feed"
)

const robotsTxt = `# 2M.ma
User-agent: *
Disallow: /ar/search
Disallow: /*?print=
Allow: /ar/search/help$
Disallow: /private/

User-agent: BadBot
User-agent: MigraWatch
Disallow: /fr/
Allow: /fr/actualite/
`

func TestRobots_LongestMatchWinsAndAgentGroups(t *testing.T) {
	star := ParseRobots([]byte(robotsTxt), "SomeCrawler/1.0")
	mine := ParseRobots([]byte(robotsTxt), "MigraWatch/1.0 (+https://github.com/migrawatch/migrawatch)")
	cases := []struct {
		rules *Rules
		path  string
		want  bool
	}{
		{star, "/ar/news/x-20240216", true},
		{star, "/ar/search?q=migration", false},
		{star, "/ar/search/help", true},
		{star, "/ar/search/help/more", false},
		{star, "/ar/news/x?print=1", false},
		{star, "/private/a", false},
		{mine, "/private/a", true}, // our group replaces the * group
		{mine, "/fr/sport/", false},
		{mine, "/fr/actualite/societe/x", true},
	}
	for _, c := range cases {
		if got := c.rules.Allowed(c.path); got != c.want {
			t.Errorf("Allowed(%q) = %v, want %v", c.path, got, c.want)
		}
	}
	if !ParseRobots([]byte("User-agent: *\nDisallow:\n"), "x").Allowed("/anything") {
		t.Error("an empty Disallow allows everything")
	}
}

func TestRobotsCache_StatusRulesAndCaching(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var calls atomic.Int32
	status, body, ferr := 200, []byte(robotsTxt), error(nil)
	c := NewRobotsCache(func(_ context.Context, url string) (int, []byte, error) {
		calls.Add(1)
		if url != "https://2m.ma/robots.txt" {
			t.Errorf("fetched %s", url)
		}
		return status, body, ferr
	}, "MigraWatch", time.Hour, func() time.Time { return now })
	ctx := context.Background()
	if ok, _ := c.Allowed(ctx, "https://2m.ma/fr/sport/x"); ok {
		t.Error("disallowed path allowed")
	}
	if ok, _ := c.Allowed(ctx, "https://2m.ma/ar/news/a-b-c"); !ok {
		t.Error("allowed path refused")
	}
	if calls.Load() != 1 {
		t.Errorf("robots.txt fetched %d times within its TTL, want 1", calls.Load())
	}
	// Unreachable robots.txt: the whole site is off limits until it answers.
	now = now.Add(2 * time.Hour)
	ferr = errors.New("connection reset")
	if ok, _ := c.Allowed(ctx, "https://2m.ma/ar/news/a-b-c"); ok {
		t.Error("an unreachable robots.txt must disallow the site (RFC 9309)")
	}
	// Missing robots.txt (404): everything is allowed.
	now = now.Add(2 * time.Hour)
	ferr, status = nil, 404
	if ok, _ := c.Allowed(ctx, "https://2m.ma/fr/sport/x"); !ok {
		t.Error("a missing robots.txt allows everything")
	}
}

func TestPacer_SpacesRequestsPerHost(t *testing.T) {
	now := time.Unix(0, 0)
	p := NewPacer(5*time.Second, func() time.Time { return now })
	if d := p.Reserve("2m.ma"); d != 0 {
		t.Fatalf("first request waits %v", d)
	}
	if d := p.Reserve("2m.ma"); d != 5*time.Second {
		t.Fatalf("second request waits %v, want 5s", d)
	}
	if d := p.Reserve("www.mapnews.ma"); d != 0 {
		t.Fatalf("another host waits %v", d)
	}
	now = now.Add(20 * time.Second)
	if d := p.Reserve("2m.ma"); d != 0 {
		t.Fatalf("after a pause the host waits %v", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Wait(ctx, "2m.ma"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait on a cancelled context = %v", err)
	}
}

// TestReader_UnreachableRobotsIsNotReportedAsDisallowed pins the fix: a
// robots.txt that cannot be read (no answer, or a server error) keeps the
// site off limits, but says so, instead of "robots.txt disallows this URL".
func TestReader_UnreachableRobotsIsNotReportedAsDisallowed(t *testing.T) {
	for _, tt := range []struct {
		name   string
		status int
		err    error
		want   error
	}{
		{"no answer", 0, errors.New("dial tcp 192.0.2.1:443: connect: connection refused"), feed.ErrRobotsUnreachable},
		{"server error", 503, nil, feed.ErrRobotsUnreachable},
		{"disallowed", 200, nil, feed.ErrDisallowed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			robots := NewRobotsCache(func(context.Context, string) (int, []byte, error) {
				return tt.status, []byte(robotsTxt), tt.err
			}, "MigraWatch", time.Hour, nil)
			r := &Reader{Robots: robots}
			err := r.Allowed(context.Background(), "https://2m.ma/fr/sport/x")
			if !errors.Is(err, tt.want) {
				t.Fatalf("Allowed = %v, want %v", err, tt.want)
			}
			if tt.want == feed.ErrRobotsUnreachable {
				if errors.Is(err, feed.ErrDisallowed) || strings.Contains(err.Error(), feed.ErrDisallowed.Error()) {
					t.Errorf("an unreachable robots.txt reported as disallowing: %v", err)
				}
				if got := feed.Classify(err); got != feed.ClassRobotsUnreachable {
					t.Errorf("classified %s", got)
				}
				if _, err := r.ReadArticle(context.Background(), "https://2m.ma/ar/news/a-b-c"); !errors.Is(err, feed.ErrRobotsUnreachable) {
					t.Errorf("an allowed path of an unreachable site read anyway: %v", err)
				}
			}
		})
	}
}

// TestRobotsVia_StatusesThroughTheFetcher reads robots.txt the way the
// binary does, through the feed fetcher: a 404 allows everything, a 503
// keeps the site off limits as unreachable, a 200 applies its rules.
func TestRobotsVia_StatusesThroughTheFetcher(t *testing.T) {
	status := http.StatusNotFound
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/robots.txt" {
			t.Errorf("fetched %s", r.URL.Path)
		}
		if status != http.StatusOK {
			http.Error(w, "no", status)
			return
		}
		_, _ = w.Write([]byte(robotsTxt))
	}))
	defer srv.Close()
	f := feed.NewFetcher(feed.Options{AllowPrivateAddresses: true})
	for _, tt := range []struct {
		status  int
		path    string
		allowed bool
		err     error
	}{
		{http.StatusNotFound, "/fr/sport/x", true, nil},
		{http.StatusServiceUnavailable, "/ar/news/a", false, feed.ErrRobotsUnreachable},
		{http.StatusOK, "/fr/sport/x", false, nil},
		{http.StatusOK, "/ar/news/a-b-c", true, nil},
	} {
		status = tt.status
		c := NewRobotsCache(RobotsVia(f), "MigraWatch", time.Hour, nil)
		ok, err := c.Allowed(context.Background(), srv.URL+tt.path)
		if ok != tt.allowed || !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
			t.Errorf("robots.txt answering %d, %s: allowed %v (%v), want %v (%v)", tt.status, tt.path, ok, err, tt.allowed, tt.err)
		}
	}
}
