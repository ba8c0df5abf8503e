package feed

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const tinyRSS = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title><ttl>90</ttl>
<item><title>one</title><link>https://example.org/1</link></item></channel></rss>`

func TestFetch_SendsConditionalHeadersOnlyWhenValidatorsStored(t *testing.T) {
	var got []http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Clone())
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 16 Feb 2026 10:00:00 GMT")
		_, _ = w.Write([]byte(tinyRSS))
	}))
	defer srv.Close()
	f := testFetcher(Options{})
	ctx := context.Background()

	r1, err := f.Fetch(ctx, Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got[0]["If-None-Match"]; ok {
		t.Error("If-None-Match sent without a stored ETag")
	}
	if _, ok := got[0]["If-Modified-Since"]; ok {
		t.Error("If-Modified-Since sent without a stored Last-Modified")
	}
	if r1.Status != 200 || r1.ETag != `"v1"` || r1.LastModified == "" || !bytes.Equal(r1.Body, []byte(tinyRSS)) {
		t.Fatalf("first response %+v", r1)
	}
	if ua := got[0].Get("User-Agent"); !strings.HasPrefix(ua, "MigraWatch/") || !strings.Contains(ua, "(+https://github.com/migrawatch/migrawatch)") {
		t.Errorf("User-Agent %q", ua)
	}

	r2, err := f.Fetch(ctx, Request{URL: srv.URL, ETag: r1.ETag, LastModified: r1.LastModified})
	if err != nil {
		t.Fatal(err)
	}
	if got[1].Get("If-None-Match") != `"v1"` || got[1].Get("If-Modified-Since") != "Mon, 16 Feb 2026 10:00:00 GMT" {
		t.Errorf("conditional headers sent: %v", got[1])
	}
	if !r2.NotModified || r2.Status != 304 || len(r2.Body) != 0 {
		t.Errorf("304 not reported as a cheap success: %+v", r2)
	}
}

func TestFetch_RetryAfterSecondsAndDate(t *testing.T) {
	now := time.Date(2026, 2, 16, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, header string
		status       int
		want         time.Duration
	}{
		{"429 seconds", "120", 429, 2 * time.Minute},
		{"503 http date", now.Add(3 * time.Hour).Format(http.TimeFormat), 503, 3 * time.Hour},
		{"429 below the floor", "1", 429, time.Minute},
		{"503 past date", now.Add(-time.Hour).Format(http.TimeFormat), 503, 0},
		{"429 beyond the ceiling", "999999", 429, 24 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", tc.header)
				w.WriteHeader(tc.status)
			}))
			defer srv.Close()
			f := testFetcher(Options{Now: func() time.Time { return now }})
			_, err := f.Fetch(context.Background(), Request{URL: srv.URL})
			var se *StatusError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want StatusError", err)
			}
			if se.Code != tc.status || se.RetryAfter != tc.want || !se.Temporary() {
				t.Errorf("got %+v, want code %d retry %s", se, tc.status, tc.want)
			}
		})
	}
}

func TestFetch_PollingHints(t *testing.T) {
	for _, tc := range []struct {
		name    string
		headers map[string]string
		want    time.Duration
	}{
		{"max-age", map[string]string{"Cache-Control": "public, max-age=1800"}, 30 * time.Minute},
		{"max-age below floor", map[string]string{"Cache-Control": "max-age=5"}, time.Minute},
		{"expires", map[string]string{"Date": "Mon, 16 Feb 2026 10:00:00 GMT", "Expires": "Mon, 16 Feb 2026 12:00:00 GMT"}, 2 * time.Hour},
		{"retry-after on 200", map[string]string{"Retry-After": "600"}, 10 * time.Minute},
		{"none", map[string]string{"Cache-Control": "no-cache"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tc.headers {
					w.Header().Set(k, v)
				}
				_, _ = w.Write([]byte(tinyRSS))
			}))
			defer srv.Close()
			resp, err := testFetcher(Options{}).Fetch(context.Background(), Request{URL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			if resp.Hint != tc.want {
				t.Errorf("hint = %s, want %s", resp.Hint, tc.want)
			}
		})
	}
}

func TestFetch_BodyCap(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 2048)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/chunked" {
			w.(http.Flusher).Flush() // no Content-Length: the cap must hold while streaming
		}
		_, _ = w.Write(big)
	}))
	defer srv.Close()
	f := testFetcher(Options{MaxBodyBytes: 1024})
	for _, path := range []string{"/announced", "/chunked"} {
		_, err := f.Fetch(context.Background(), Request{URL: srv.URL + path})
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "1024") {
			t.Errorf("%s: err = %v, want ErrTooLarge naming the limit", path, err)
		}
	}
	if resp, err := testFetcher(Options{MaxBodyBytes: 2048}).Fetch(context.Background(), Request{URL: srv.URL + "/chunked"}); err != nil || len(resp.Body) != 2048 {
		t.Errorf("body exactly at the cap refused: %v", err)
	}
	if DefaultMaxBodyBytes != 5<<20 {
		t.Error("default cap is not 5 MiB")
	}
}

func TestFetch_Redirects(t *testing.T) {
	var hops atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		hops.Add(1)
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/chain/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/chain/"), "%d", &n)
		if n == 0 {
			_, _ = w.Write([]byte(tinyRSS))
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/chain/%d", n-1), http.StatusMovedPermanently)
	})
	mux.HandleFunc("/to-ftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://example.org/feed", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := testFetcher(Options{})
	ctx := context.Background()

	_, err := f.Fetch(ctx, Request{URL: srv.URL + "/loop"})
	if !errors.Is(err, ErrTooManyRedirects) {
		t.Fatalf("loop: err = %v", err)
	}
	if n := hops.Load(); n != 6 {
		t.Errorf("loop: %d requests, want 6 (the first and 5 redirects)", n)
	}
	resp, err := f.Fetch(ctx, Request{URL: srv.URL + "/chain/5"})
	if err != nil {
		t.Fatalf("5 redirects must be followed: %v", err)
	}
	if !strings.HasSuffix(resp.URL, "/chain/0") {
		t.Errorf("final URL %s", resp.URL)
	}
	if _, err := f.Fetch(ctx, Request{URL: srv.URL + "/chain/6"}); !errors.Is(err, ErrTooManyRedirects) {
		t.Errorf("6 redirects: err = %v", err)
	}
	if _, err := f.Fetch(ctx, Request{URL: srv.URL + "/to-ftp"}); !errors.Is(err, ErrBadURL) {
		t.Errorf("redirect to ftp: err = %v", err)
	}
}

func TestFetch_Gzip(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			t.Errorf("gzip not offered: %q", r.Header.Get("Accept-Encoding"))
		}
		w.Header().Set("Content-Encoding", "gzip")
		gz := gzip.NewWriter(w)
		_, _ = gz.Write([]byte(tinyRSS))
		_ = gz.Close()
	}))
	defer srv.Close()
	resp, err := testFetcher(Options{}).Fetch(context.Background(), Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != tinyRSS {
		t.Errorf("body not decompressed: %q", resp.Body[:min(40, len(resp.Body))])
	}
	// A gzip bomb is capped on the decompressed size.
	bomb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		gz := gzip.NewWriter(w)
		_, _ = gz.Write(bytes.Repeat([]byte{' '}, 1<<20))
		_ = gz.Close()
	}))
	defer bomb.Close()
	if _, err := testFetcher(Options{MaxBodyBytes: 64 << 10}).Fetch(context.Background(), Request{URL: bomb.URL}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("gzip bomb: err = %v", err)
	}
}

func TestFetch_HeaderTimeout(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	f := testFetcher(Options{HeaderTimeout: 50 * time.Millisecond})
	start := time.Now()
	_, err := f.Fetch(context.Background(), Request{URL: srv.URL})
	if err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("err = %v after %s", err, time.Since(start))
	}
	f2 := testFetcher(Options{Timeout: 50 * time.Millisecond})
	if _, err := f2.Fetch(context.Background(), Request{URL: srv.URL}); err == nil {
		t.Fatal("whole-request timeout not enforced")
	}
}

func TestCheck_HTMLPageGivesAdvertisedFeedsAndFeedGivesFacts(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed.xml" {
			w.Header().Set("Content-Type", "text/xml; charset=windows-1256")
			w.Header().Set("ETag", `"e"`)
			b, _ := os.ReadFile("testdata/hespress-ar-windows1256-derived.xml")
			_, _ = w.Write(b)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>hi</body></html>`))
	}))
	defer srv.Close()
	f := testFetcher(Options{})
	res, err := f.Check(context.Background(), Request{URL: srv.URL + "/"})
	if !errors.Is(err, ErrNotAFeed) || res == nil {
		t.Fatalf("err = %v", err)
	}
	if len(res.FeedLinks) != 1 || res.FeedLinks[0] != srv.URL+"/feed.xml" {
		t.Fatalf("feed links %v", res.FeedLinks)
	}
	res, err = f.Check(context.Background(), Request{URL: res.FeedLinks[0]})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 200 || res.ItemCount != 10 || res.ETag != `"e"` || res.FeedType != "rss 2.0" ||
		!strings.HasPrefix(res.Encoding, "windows-1256") || len(res.Newest) != 5 {
		t.Errorf("check result %+v", res)
	}
	if !res.Newest[0].Published.After(res.Newest[4].Published) && !res.Newest[0].Published.Equal(res.Newest[4].Published) {
		t.Error("newest items not newest first")
	}
}

func TestFetchPage_ConvertsToUTF8(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		_, _ = w.Write([]byte("<html><body>r\xe9fugi\xe9s</body></html>"))
	}))
	defer srv.Close()
	resp, err := testFetcher(Options{}).FetchPage(context.Background(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(resp.Body), "réfugiés") {
		t.Errorf("body %q", resp.Body)
	}
}

// SSRF guard.

func TestAddressClass_EveryRefusedClass(t *testing.T) {
	for _, tc := range []struct{ addr, class string }{
		{"127.0.0.1", "loopback"},
		{"127.255.0.9", "loopback"},
		{"::1", "loopback"},
		{"10.1.2.3", "private"},
		{"172.16.0.1", "private"},
		{"192.168.1.1", "private"},
		{"100.64.0.1", "private (CGNAT)"},
		{"100.127.255.254", "private (CGNAT)"},
		{"fc00::1", "private"},
		{"fd12:3456::1", "private"},
		{"169.254.169.254", "link-local"},
		{"fe80::1", "link-local"},
		{"224.0.0.1", "multicast"},
		{"239.1.2.3", "multicast"},
		{"ff02::1", "multicast"},
		{"ff0e::1", "multicast"},
		{"0.0.0.0", "unspecified"},
		{"::", "unspecified"},
		{"0.1.2.3", "unspecified"},
		{"255.255.255.255", "broadcast"},
		{"::ffff:127.0.0.1", "loopback"},
		{"::ffff:10.0.0.1", "private"},
		{"::ffff:169.254.169.254", "link-local"},
		{"::127.0.0.1", "loopback (IPv4-compatible IPv6)"},
		{"64:ff9b::a9fe:a9fe", "link-local (NAT64)"},
		{"2002:7f00:1::1", "loopback (6to4)"},
		{"192.0.2.1", "documentation"},
		{"2001:db8::1", "documentation"},
		{"240.0.0.1", "reserved"},
		// Public addresses pass.
		{"93.184.216.34", ""},
		{"2606:4700::1111", ""},
		{"::ffff:8.8.8.8", ""},
		{"100.128.0.1", ""},
	} {
		if got := addressClass(netip.MustParseAddr(tc.addr)); got != tc.class {
			t.Errorf("addressClass(%s) = %q, want %q", tc.addr, got, tc.class)
		}
	}
}

// fakeResolver answers from a table, so the guard is tested on host names
// without touching DNS or the network.
func fakeResolver(table map[string]string) func(context.Context, string) ([]netip.Addr, error) {
	return func(_ context.Context, host string) ([]netip.Addr, error) {
		a, ok := table[host]
		if !ok {
			return nil, errors.New("no such host")
		}
		return []netip.Addr{netip.MustParseAddr(a)}, nil
	}
}

func TestGuard_RefusesEveryClassBeforeConnecting(t *testing.T) {
	addrs := map[string]string{
		"loopback.test": "127.0.0.1", "loopback6.test": "::1", "private.test": "10.0.0.7",
		"cgnat.test": "100.64.1.1", "ula.test": "fd00::7", "linklocal.test": "169.254.169.254",
		"linklocal6.test": "fe80::1", "multicast.test": "224.0.0.251", "multicast6.test": "ff02::fb",
		"unspecified.test": "0.0.0.0", "unspecified6.test": "::", "mapped.test": "::ffff:192.168.0.1",
	}
	f := NewFetcher(Options{Resolver: fakeResolver(addrs), ConnectTimeout: time.Second})
	ctx := context.Background()
	for host := range addrs {
		_, err := f.Fetch(ctx, Request{URL: "http://" + host + ":8080/feed"})
		var ae *AddressError
		if !errors.Is(err, ErrPrivateAddress) || !errors.As(err, &ae) {
			t.Errorf("%s: err = %v, want ErrPrivateAddress", host, err)
			continue
		}
		if !strings.Contains(err.Error(), "refusing to connect") || ae.Class == "" {
			t.Errorf("%s: unclear error %q", host, err)
		}
	}
	// Literal addresses in every spelling are refused too.
	for _, u := range []string{
		"http://127.0.0.1/", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[0:0:0:0:0:ffff:a00:1]/", "http://10.0.0.1/",
		"http://169.254.169.254/latest/meta-data/", "http://[fe80::1%25eth0]/", "http://0.0.0.0/",
		"http://localhost/", "http://feeds.localhost/", "http://2130706433/", "http://0x7f.0.0.1/", "http://0177.0.0.1/",
	} {
		if _, err := f.Fetch(ctx, Request{URL: u}); !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("%s: err = %v, want ErrPrivateAddress", u, err)
		}
	}
}

func TestGuard_RefusesSchemesAndCredentials(t *testing.T) {
	f := NewFetcher(Options{})
	for _, u := range []string{"file:///etc/passwd", "ftp://example.org/f", "gopher://x/", "http://user:pw@example.org/feed", "http:///nohost", "javascript:alert(1)"} {
		if _, err := f.Fetch(context.Background(), Request{URL: u}); !errors.Is(err, ErrBadURL) {
			t.Errorf("%s: err = %v, want ErrBadURL", u, err)
		}
	}
}

func TestGuard_LoopbackServerRefusedUnlessAllowed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(tinyRSS))
	}))
	defer srv.Close()
	if _, err := NewFetcher(Options{}).Fetch(context.Background(), Request{URL: srv.URL}); !errors.Is(err, ErrPrivateAddress) {
		t.Errorf("guard on: err = %v", err)
	}
	if _, err := NewFetcher(Options{AllowPrivateAddresses: true}).Fetch(context.Background(), Request{URL: srv.URL}); err != nil {
		t.Errorf("guard off: %v", err)
	}
	// Same through a host name that resolves to loopback: the dialer's
	// check sees the resolved address.
	f := NewFetcher(Options{Resolver: fakeResolver(map[string]string{"public.test": "127.0.0.1"})})
	port := srv.URL[strings.LastIndexByte(srv.URL, ':'):]
	if _, err := f.Fetch(context.Background(), Request{URL: "http://public.test" + port}); !errors.Is(err, ErrPrivateAddress) {
		t.Errorf("resolved loopback: err = %v", err)
	}
}

func TestGuard_AppliesToRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/literal":
			http.Redirect(w, r, "http://10.0.0.1/feed", http.StatusFound)
		case "/named":
			http.Redirect(w, r, "http://metadata.test/latest", http.StatusFound)
		default:
			_, _ = w.Write([]byte(tinyRSS))
		}
	}))
	defer srv.Close()
	f := NewFetcher(Options{Resolver: fakeResolver(map[string]string{"metadata.test": "169.254.169.254"})})
	// Let the test server itself (loopback) through, nothing else.
	f.permit = func(a netip.Addr) bool { return a == netip.MustParseAddr("127.0.0.1") }
	if _, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/ok"}); err != nil {
		t.Fatalf("permitted server: %v", err)
	}
	for _, p := range []string{"/literal", "/named"} {
		_, err := f.Fetch(context.Background(), Request{URL: srv.URL + p})
		if !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("redirect %s: err = %v, want ErrPrivateAddress", p, err)
		}
	}
}
