package bot

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/page"
)

// realErrors makes the errors the poller meets, as the fetcher, the parser
// and the page reader return them, keyed by the reason they mean.
func realErrors(t *testing.T) map[string]error {
	t.Helper()
	ctx := context.Background()
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
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	open := feed.NewFetcher(feed.Options{AllowPrivateAddresses: true, Timeout: 300 * time.Millisecond, MaxBodyBytes: 1024})
	guarded := feed.NewFetcher(feed.Options{})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/rss"
	ln.Close()

	out := map[string]error{}
	fetch := func(f *feed.Fetcher, u string) error {
		_, err := f.Check(ctx, u)
		if err == nil {
			t.Fatalf("%s: no error", u)
		}
		return err
	}
	out["reason_status"] = fetch(open, srv.URL+"/gone")
	out["reason_timeout"] = fetch(open, srv.URL+"/slow")
	out["reason_too_large"] = fetch(open, srv.URL+"/big")
	out["reason_malformed"] = fetch(open, srv.URL+"/broken")
	out["reason_not_feed"] = fetch(open, srv.URL+"/html")
	out["reason_network"] = fetch(open, closed)
	out["reason_private"] = fetch(guarded, srv.URL+"/gone")
	out["reason_bad_url"] = fetch(open, "ftp://example.org/rss")
	out["reason_robots"] = fmt.Errorf("poll: %s: %w", srv.URL, page.ErrDisallowed)
	out["reason_no_articles"] = fmt.Errorf("poll: %s: %w", srv.URL, page.ErrNoArticles)
	return out
}

func TestErrorReason_ReadsTheRealErrorsInThreeLanguages(t *testing.T) {
	for key, err := range realErrors(t) {
		for _, lang := range news.Languages {
			got, ok := errorReason(lang, err.Error())
			want := tr(lang, key)
			if key == "reason_status" {
				want = tr(lang, key, "code", 404)
			}
			if !ok || got != want {
				t.Errorf("%s, %s: %q gives %q (%v), want %q", lang, key, err, got, ok, want)
			}
		}
	}
	if _, ok := errorReason("en", "something nobody expected"); ok {
		t.Error("an unknown error was given a reason")
	}
	if got := errorHTML("fr", "quelque chose <d’imprévu>", 100); got != "<code>quelque chose &lt;d’imprévu&gt;</code>" {
		t.Errorf("unknown error shown as %q", got)
	}
}

func TestStatus_FeedErrorsInTheChatsLanguage(t *testing.T) {
	errs := realErrors(t)
	for _, tt := range []struct {
		user news.User
		want []string
	}{
		{alice, []string{"le site a répondu par l’erreur 404", "le site est injoignable"}},
		{bob, []string{"the site answered with error 404", "the site cannot be reached"}},
		{amina, []string{"أجاب الموقع بالخطأ 404", "تعذر الوصول إلى الموقع"}},
	} {
		t.Run(tt.user.LanguageCode, func(t *testing.T) {
			h := newHarness(t, withAdminChats(tt.user.ID))
			ctx := context.Background()
			now := h.clock.Now()
			for id, err := range map[string]error{"gone-feed": errs["reason_status"], "down-feed": errs["reason_network"]} {
				if err := h.st.RegisterFeed(ctx, news.Source{ID: id, Name: id, URL: "https://" + id + ".example/rss"}); err != nil {
					t.Fatal(err)
				}
				if err := h.st.RecordPoll(ctx, id, news.PollRecord{At: now, NextPoll: now.Add(time.Hour), Errors: 2, Err: err.Error()}); err != nil {
					t.Fatal(err)
				}
				if _, err := h.st.Subscribe(ctx, tt.user.ID, id); err != nil {
					t.Fatal(err)
				}
			}
			got := h.send(tt.user.ID, tt.user, "/status")
			if len(got) != 2 {
				t.Fatalf("got %d messages, want the status and the operator view", len(got))
			}
			for _, m := range got {
				wantText(t, m, tt.want...)
				for _, english := range []string{"HTTP status", "connection refused", "dial tcp"} {
					if strings.Contains(m.Text, english) {
						t.Errorf("raw English error %q shown: %q", english, m.Text)
					}
				}
			}
		})
	}
	if !errors.Is(errs["reason_private"], feed.ErrPrivateAddress) {
		t.Errorf("the guarded fetch failed otherwise: %v", errs["reason_private"])
	}
}
