package subscribe

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
)

// The store and the fetcher are what the bot hands over.
var (
	_ Store   = (*store.Store)(nil)
	_ Feeds   = (*store.Store)(nil)
	_ Offers  = (*store.Store)(nil)
	_ Checker = (*feed.Fetcher)(nil)
	_ Pages   = (*feed.Fetcher)(nil)
)

// site serves a real feed and a real listing page, counting the requests
// and keeping the conditional headers each feed request sent.
type site struct {
	*httptest.Server
	feedGets  atomic.Int64
	pageGets  atomic.Int64
	mu        sync.Mutex
	ifNone    []string
	notModify string // the ETag answered with 304
	delay     time.Duration
}

func newSite(t *testing.T) *site {
	t.Helper()
	rss, err := os.ReadFile("../feed/testdata/lemonde-migrants-nodecl-fr.xml")
	if err != nil {
		t.Fatal(err)
	}
	listing, err := os.ReadFile("../page/testdata/2m-ar-listing.html")
	if err != nil {
		t.Fatal(err)
	}
	s := &site{}
	mux := http.NewServeMux()
	mux.HandleFunc("/rss.xml", func(w http.ResponseWriter, r *http.Request) {
		s.feedGets.Add(1)
		s.mu.Lock()
		s.ifNone = append(s.ifNone, r.Header.Get("If-None-Match"))
		etag, delay := s.notModify, s.delay
		s.mu.Unlock()
		time.Sleep(delay) // a slow site, so that subscribers overlap
		if etag != "" && r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write(rss)
	})
	mux.HandleFunc("/ar/", func(w http.ResponseWriter, r *http.Request) {
		s.pageGets.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(listing)
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func newSubscriptions(t *testing.T, opts Options) (*Subscriptions, *store.Store) {
	t.Helper()
	rdb, prefix := storetest.Redis(t)
	st := store.New(rdb, prefix)
	f := feed.NewFetcher(feed.Options{AllowPrivateAddresses: true})
	opts.Store, opts.Feeds, opts.Offers, opts.Checker, opts.Pages = st, st, st, f, f
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s, st
}

func TestAdd_TwoHundredChatsFollowingOneFeedFetchItOnce(t *testing.T) {
	srv := newSite(t)
	subs, st := newSubscriptions(t, Options{})
	ctx := context.Background()
	u := srv.URL + "/rss.xml"
	var id string
	for chat := int64(1); chat <= 200; chat++ {
		res, err := subs.Add(ctx, chat, u)
		if err != nil {
			t.Fatalf("chat %d: %v", chat, err)
		}
		if res.Outcome != Added {
			t.Fatalf("chat %d: outcome %v, want Added", chat, res.Outcome)
		}
		if id == "" {
			id = res.Source.ID
		} else if res.Source.ID != id || res.Source.Name == "" {
			t.Fatalf("chat %d follows %+v, the first chat %s", chat, res.Source, id)
		}
	}
	if n := srv.feedGets.Load(); n != 1 {
		t.Errorf("200 chats subscribing to one registered, healthy feed fetched it %d times, want 1", n)
	}
	for _, chat := range []int64{1, 100, 200} {
		feeds, err := st.ChatFeeds(ctx, chat)
		if err != nil || len(feeds) != 1 || feeds[0] != id {
			t.Errorf("chat %d follows %v (%v), want [%s]", chat, feeds, err, id)
		}
	}
	if res, err := subs.Add(ctx, 7, u); err != nil || res.Outcome != Already {
		t.Errorf("subscribing again: %v, %v; want Already", res.Outcome, err)
	}
}

// The chats of a big group following a link shared there all at once: the
// feed is new, and fetched once for all of them.
func TestAdd_TwoHundredChatsAtOnceShareOneFetch(t *testing.T) {
	srv := newSite(t)
	srv.delay = 200 * time.Millisecond
	subs, st := newSubscriptions(t, Options{})
	ctx := context.Background()
	u := srv.URL + "/rss.xml"
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for chat := int64(1); chat <= 200; chat++ {
		wg.Go(func() {
			res, err := subs.Add(ctx, chat, u)
			if err == nil && res.Outcome != Added {
				err = fmt.Errorf("chat %d: outcome %v, want Added", chat, res.Outcome)
			}
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := srv.feedGets.Load(); n != 1 {
		t.Errorf("200 chats subscribing at once fetched the feed %d times, want 1", n)
	}
	subscribers, err := st.FeedSubscribers(ctx, feed.SourceID(u))
	if err != nil || len(subscribers) != 200 {
		t.Errorf("%d subscribers (%v), want 200", len(subscribers), err)
	}
}

func TestAdd_FailingRegisteredFeedIsCheckedWithItsValidators(t *testing.T) {
	srv := newSite(t)
	subs, st := newSubscriptions(t, Options{})
	ctx := context.Background()
	u := srv.URL + "/rss.xml"
	first, err := subs.Add(ctx, 1, u)
	if err != nil || first.Outcome != Added {
		t.Fatal(first.Outcome, err)
	}
	now := time.Now()
	// Polled once with validators, then failing.
	if err := st.RecordPoll(ctx, first.Source.ID, news.PollRecord{At: now, NextPoll: now, OK: true, SetValidators: true, ETag: `"v7"`}); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordPoll(ctx, first.Source.ID, news.PollRecord{At: now, NextPoll: now, Errors: 2, Err: "HTTP status 503"}); err != nil {
		t.Fatal(err)
	}
	srv.mu.Lock()
	srv.notModify = `"v7"`
	srv.mu.Unlock()
	res, err := subs.Add(ctx, 2, u)
	if err != nil || res.Outcome != Added || res.Source.ID != first.Source.ID {
		t.Fatalf("second chat: %+v, %v", res, err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.ifNone) != 2 || srv.ifNone[0] != "" || srv.ifNone[1] != `"v7"` {
		t.Errorf("If-None-Match sent: %q; want none on the first check, the stored ETag on the second", srv.ifNone)
	}
}

func TestAdd_FullChatIsToldBeforeAnyFetch(t *testing.T) {
	srv := newSite(t)
	subs, st := newSubscriptions(t, Options{MaxFeeds: 2, Catalog: []news.Source{{ID: "iom-en", URL: "https://www.iom.int/rss/news"}}})
	ctx := context.Background()
	for _, id := range []string{"a", "b"} {
		if _, err := st.Subscribe(ctx, 9, id); err != nil {
			t.Fatal(err)
		}
	}
	for _, input := range []string{srv.URL + "/rss.xml", "iom-en", "https://www.iom.int/rss/news"} {
		res, err := subs.Add(ctx, 9, input)
		if err != nil || res.Outcome != TooMany {
			t.Errorf("%s: %v, %v; want TooMany", input, res.Outcome, err)
		}
	}
	if n := srv.feedGets.Load(); n != 0 {
		t.Errorf("a full chat's /subscribe fetched the feed %d times", n)
	}
}

func TestAdd_ListingPageIsOfferedThenWatched(t *testing.T) {
	srv := newSite(t)
	subs, st := newSubscriptions(t, Options{})
	ctx := context.Background()
	u := srv.URL + "/ar/"
	res, err := subs.Add(ctx, 3, u)
	if err != nil || res.Outcome != Offered || res.OfferID == "" || len(res.Articles) == 0 {
		t.Fatalf("listing page: %+v, %v; want an offer with articles", res, err)
	}
	if feeds, _ := st.ChatFeeds(ctx, 3); len(feeds) != 0 {
		t.Fatalf("an offer subscribed the chat: %v", feeds)
	}
	if _, err := subs.Watch(ctx, 4, res.OfferID); !errors.Is(err, ErrOfferExpired) {
		t.Errorf("another chat watched the offer: %v", err)
	}
	w, err := subs.Watch(ctx, 3, res.OfferID)
	if err != nil || w.Outcome != Added || w.Source.Kind != news.KindPage || len(w.Articles) == 0 {
		t.Fatalf("watch: %+v, %v", w, err)
	}
	state, ok, err := st.Feed(ctx, w.Source.ID)
	if err != nil || !ok || state.Source.Kind != news.KindPage {
		t.Errorf("watched page registered as %+v (%v, %v)", state.Source, ok, err)
	}
	if again, err := subs.Watch(ctx, 3, res.OfferID); err != nil || again.Outcome != Already {
		t.Errorf("watching again: %v, %v; want Already", again.Outcome, err)
	}
}

func TestAdd_BadInputAndUnreadableSourcesAreSourceErrors(t *testing.T) {
	srv := newSite(t)
	subs, _ := newSubscriptions(t, Options{})
	ctx := context.Background()
	for _, tt := range []struct {
		input string
		want  feed.Class
	}{
		{"not a url", feed.ClassBadURL},
		{srv.URL + "/missing.xml", feed.ClassStatus},
	} {
		_, err := subs.Add(ctx, 5, tt.input)
		var se *SourceError
		if !errors.As(err, &se) || feed.Classify(err) != tt.want {
			t.Errorf("%s: %v (%T), want a SourceError of class %s", tt.input, err, err, tt.want)
		}
	}
}

func TestWebURL(t *testing.T) {
	cases := map[string]string{
		"https://example.org/feed":     "https://example.org/feed",
		"example.org/rss":              "https://example.org/rss",
		"http://example.org":           "http://example.org",
		"ftp://example.org":            "",
		"javascript:alert(1)":          "",
		"https://u:p@example.org/feed": "",
		"https:///feed":                "",
		"not a url":                    "",
		"/etc/passwd":                  "",
	}
	for in, want := range cases {
		got, ok := WebURL(in)
		if got != want || ok != (want != "") {
			t.Errorf("WebURL(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// countingStore counts the reads of a chat's feeds.
type countingStore struct {
	*store.Store
	reads atomic.Int64
}

func (c *countingStore) ChatFeeds(ctx context.Context, chat int64) ([]string, error) {
	c.reads.Add(1)
	return c.Store.ChatFeeds(ctx, chat)
}

func TestAdd_ReadsTheChatsFeedsOnce(t *testing.T) {
	srv := newSite(t)
	rdb, prefix := storetest.Redis(t)
	st := &countingStore{Store: store.New(rdb, prefix)}
	f := feed.NewFetcher(feed.Options{AllowPrivateAddresses: true})
	subs, err := New(Options{Store: st, Feeds: st, Offers: st, Checker: f, Pages: f,
		Catalog: []news.Source{{ID: "iom-en", URL: "https://www.iom.int/rss/news"}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, input := range []string{srv.URL + "/rss.xml", "iom-en", srv.URL + "/rss.xml"} {
		before := st.reads.Load()
		if _, err := subs.Add(ctx, 11, input); err != nil {
			t.Fatal(err)
		}
		if n := st.reads.Load() - before; n != 1 {
			t.Errorf("/subscribe %s read the chat's feeds %d times, want once", input, n)
		}
	}
	before := st.reads.Load()
	if _, err := subs.AddAll(ctx, 12, []string{srv.URL + "/rss.xml", "https://www.iom.int/rss/news", "not a url"}); err != nil {
		t.Fatal(err)
	}
	if n := st.reads.Load() - before; n != 1 {
		t.Errorf("an import of three read the chat's feeds %d times, want once", n)
	}
}
