package page

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
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
