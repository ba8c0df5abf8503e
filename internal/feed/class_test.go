package feed

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// TestClassify_RealErrors feeds Classify and ClassifyText the errors the
// fetcher and the parser really return, so that a reworded or rewrapped
// error cannot slip into the wrong class unnoticed.
func TestClassify_RealErrors(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusNotFound) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, strings.Repeat("<rss>", 1000)) })
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>a</item></channel`)
	})
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<!doctype html><html><head><title>t</title></head><body>hi</body></html>`)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/rss"
	ln.Close()

	open := testFetcher(Options{Timeout: 300 * time.Millisecond, MaxBodyBytes: 1024})
	guarded := NewFetcher(Options{})
	// A name that does not resolve, through the fetcher's own dialer.
	noDNS := testFetcher(Options{Resolver: func(context.Context, string) ([]netip.Addr, error) {
		return nil, errors.New("no such host")
	}})
	check := func(f *Fetcher, u string) error {
		_, err := f.Check(context.Background(), Request{URL: u})
		if err == nil {
			t.Fatalf("%s: no error", u)
		}
		return err
	}
	for _, tt := range []struct {
		name   string
		err    error
		want   Class
		family string
	}{
		{"404", check(open, srv.URL+"/gone"), ClassStatus, "http"},
		{"slow", check(open, srv.URL+"/slow"), ClassTimeout, "network"},
		{"too large", check(open, srv.URL+"/big"), ClassTooLarge, "other"},
		{"broken feed", check(open, srv.URL+"/broken"), ClassMalformed, "parse"},
		{"html page", check(open, srv.URL+"/html"), ClassNotAFeed, "parse"},
		{"redirect loop", check(open, srv.URL+"/loop"), ClassRedirects, "other"},
		{"refused", check(open, closed), ClassNetwork, "network"},
		{"dns", check(noDNS, "http://nowhere.test/rss"), ClassNetwork, "network"},
		{"private", check(guarded, srv.URL+"/gone"), ClassPrivate, "blocked"},
		{"bad url", check(open, "ftp://example.org/rss"), ClassBadURL, "other"},
		{"robots", fmt.Errorf("poll: %s: %w", srv.URL, ErrDisallowed), ClassRobots, "blocked"},
		{"robots unreachable", fmt.Errorf("poll: %s: %w: HTTP status 503", srv.URL, ErrRobotsUnreachable), ClassRobotsUnreachable, "network"},
		{"no articles", fmt.Errorf("poll: %s: %w", srv.URL, ErrNoArticles), ClassNoArticles, "parse"},
		{"unknown", errors.New("something nobody expected"), ClassOther, "other"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := Classify(tt.err); got != tt.want {
				t.Errorf("Classify(%q) = %s, want %s", tt.err, got, tt.want)
			}
			if got := tt.want.Family(); got != tt.family {
				t.Errorf("%s.Family() = %s, want %s", tt.want, got, tt.family)
			}
			got, _, ok := ClassifyText(tt.err.Error())
			if tt.want == ClassOther {
				if ok {
					t.Errorf("ClassifyText(%q) knows an unknown text as %s", tt.err, got)
				}
				return
			}
			if !ok || got != tt.want {
				t.Errorf("ClassifyText(%q) = %s, %v; want %s", tt.err, got, ok, tt.want)
			}
		})
	}
}

// TestClassify_DNSFailureIsNetwork pins the fix: a host name that does not
// resolve used to be counted as error_other.
func TestClassify_DNSFailureIsNetwork(t *testing.T) {
	err := fmt.Errorf("fetch http://nowhere.test/rss: %w", &net.OpError{Op: "dial", Net: "tcp",
		Err: &net.DNSError{Err: "no such host", Name: "nowhere.test", IsNotFound: true}})
	if got := Classify(err); got != ClassNetwork || got.Family() != "network" {
		t.Errorf("DNS failure classified %s (%s), want network", got, got.Family())
	}
	if got, _, _ := ClassifyText(err.Error()); got != ClassNetwork {
		t.Errorf("stored DNS failure classified %s, want network", got)
	}
}
