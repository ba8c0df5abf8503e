package page

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/migrawatch/migrawatch/internal/backoff"
	"github.com/migrawatch/migrawatch/internal/feed"
)

// Rules are the robots.txt rules that apply to one user agent (RFC 9309).
type Rules struct {
	rules []rule
	// all is set when the whole site is off limits (robots.txt unreachable).
	all bool
}

type rule struct {
	allow   bool
	pattern string
	re      *regexp.Regexp
}

// AllowAll is the rule set of a site without robots.txt.
var AllowAll = &Rules{}

// ParseRobots reads a robots.txt body and keeps the group for agent (the
// product token, matched case-insensitively), else the "*" group.
func ParseRobots(body []byte, agent string) *Rules {
	agent = strings.ToLower(agent)
	type group struct {
		agents []string
		rules  []rule
	}
	var groups []*group
	var cur *group
	lastWasAgent := false
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), 512*1024)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		switch k {
		case "user-agent":
			if cur == nil || !lastWasAgent {
				cur = &group{}
				groups = append(groups, cur)
			}
			cur.agents = append(cur.agents, strings.ToLower(v))
			lastWasAgent = true
		case "allow", "disallow":
			lastWasAgent = false
			if cur == nil || v == "" && k == "allow" {
				continue
			}
			if v == "" { // "Disallow:" with nothing allows everything
				continue
			}
			cur.rules = append(cur.rules, rule{allow: k == "allow", pattern: v, re: compilePattern(v)})
		default:
			lastWasAgent = false
		}
	}
	var star, mine []rule
	foundMine, foundStar := false, false
	for _, g := range groups {
		for _, a := range g.agents {
			switch {
			case a == "*":
				star = append(star, g.rules...)
				foundStar = true
			case a != "" && strings.Contains(agent, a):
				mine = append(mine, g.rules...)
				foundMine = true
			}
		}
	}
	if foundMine {
		return &Rules{rules: mine}
	}
	if foundStar {
		return &Rules{rules: star}
	}
	return AllowAll
}

// compilePattern turns a robots.txt path pattern ("*" any run, "$" end) into a
// regular expression anchored at the start of the path.
func compilePattern(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for i, part := range strings.Split(p, "*") {
		if i > 0 {
			b.WriteString(".*")
		}
		end := strings.HasSuffix(part, "$") && i == strings.Count(p, "*")
		part = strings.TrimSuffix(part, "$")
		b.WriteString(regexp.QuoteMeta(part))
		if end {
			b.WriteString("$")
		}
	}
	re, err := regexp.Compile(b.String())
	if err != nil {
		return regexp.MustCompile("^" + regexp.QuoteMeta(p))
	}
	return re
}

// Allowed reports whether path (with its query) may be fetched: the longest
// matching rule wins, and Allow wins a tie.
func (r *Rules) Allowed(path string) bool {
	if r.all {
		return false
	}
	if path == "" {
		path = "/"
	}
	best, allowed := -1, true
	for _, ru := range r.rules {
		if !ru.re.MatchString(path) {
			continue
		}
		if l := len(ru.pattern); l > best || l == best && ru.allow {
			best, allowed = l, ru.allow
		}
	}
	return allowed
}

// RobotsFetcher fetches a robots.txt URL: the HTTP status and body, or an
// error when the server could not be reached.
type RobotsFetcher func(ctx context.Context, url string) (status int, body []byte, err error)

// RobotsCache reads and caches each host's robots.txt.
type RobotsCache struct {
	fetch RobotsFetcher
	agent string
	ttl   time.Duration
	now   func() time.Time

	mu      sync.Mutex
	entries map[string]robotsEntry
}

type robotsEntry struct {
	rules   *Rules
	expires time.Time
	// unreachable, when robots.txt could not be read, says why; the whole
	// site is off limits meanwhile.
	unreachable error
}

// NewRobotsCache returns a cache that keeps each host's rules for ttl (a day
// when ttl is 0), applying the group for agent.
func NewRobotsCache(fetch RobotsFetcher, agent string, ttl time.Duration, now func() time.Time) *RobotsCache {
	if ttl <= 0 {
		ttl = 24 * time.Hour
	}
	if now == nil {
		now = time.Now
	}
	return &RobotsCache{fetch: fetch, agent: agent, ttl: ttl, now: now, entries: map[string]robotsEntry{}}
}

// Allowed reports whether rawURL may be fetched. Per RFC 9309 a robots.txt
// that is missing (4xx) allows everything; one that cannot be read (5xx,
// network) disallows the whole site until it can be read again, which is
// retried sooner than the normal expiry: then Allowed is false with an error
// matching feed.ErrRobotsUnreachable, so that nobody is told that the site
// forbids what it only failed to say.
func (c *RobotsCache) Allowed(ctx context.Context, rawURL string) (bool, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false, err
	}
	origin := u.Scheme + "://" + u.Host
	c.mu.Lock()
	e, ok := c.entries[origin]
	c.mu.Unlock()
	if !ok || c.now().After(e.expires) {
		e = c.load(ctx, origin)
		c.mu.Lock()
		c.entries[origin] = e
		c.mu.Unlock()
	}
	if e.unreachable != nil {
		return false, e.unreachable
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return e.rules.Allowed(p), nil
}

func (c *RobotsCache) load(ctx context.Context, origin string) robotsEntry {
	status, body, err := c.fetch(ctx, origin+"/robots.txt")
	switch {
	case err != nil:
		return robotsEntry{rules: &Rules{all: true}, expires: c.now().Add(c.ttl / 24),
			unreachable: fmt.Errorf("%w: %w", feed.ErrRobotsUnreachable, err)}
	case status >= 500:
		return robotsEntry{rules: &Rules{all: true}, expires: c.now().Add(c.ttl / 24),
			unreachable: fmt.Errorf("%w: HTTP status %d", feed.ErrRobotsUnreachable, status)}
	case status >= 400:
		return robotsEntry{rules: AllowAll, expires: c.now().Add(c.ttl)}
	case status >= 200 && status < 300:
		return robotsEntry{rules: ParseRobots(body, c.agent), expires: c.now().Add(c.ttl)}
	default:
		return robotsEntry{rules: AllowAll, expires: c.now().Add(c.ttl / 24)}
	}
}

// Pacer spaces requests to one host at least Every apart, across goroutines.
type Pacer struct {
	Every time.Duration
	now   func() time.Time

	mu   sync.Mutex
	next map[string]time.Time
}

// NewPacer returns a Pacer allowing one request per host every every.
func NewPacer(every time.Duration, now func() time.Time) *Pacer {
	if now == nil {
		now = time.Now
	}
	return &Pacer{Every: every, now: now, next: map[string]time.Time{}}
}

// Reserve books the next slot for host and returns how long to wait for it.
func (p *Pacer) Reserve(host string) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	slot := p.next[host]
	if slot.Before(now) {
		slot = now
	}
	p.next[host] = slot.Add(p.Every)
	return slot.Sub(now)
}

// Wait blocks until host's next slot, or ctx ends.
func (p *Pacer) Wait(ctx context.Context, host string) error {
	return backoff.System{}.Sleep(ctx, p.Reserve(host))
}
