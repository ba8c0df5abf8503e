package page_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/page"
	"github.com/migrawatch/migrawatch/internal/pipeline"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
	"github.com/migrawatch/migrawatch/internal/summarize"
	"github.com/migrawatch/migrawatch/internal/summarize/summarizetest"
)

// newStory is the card a listing gains between two polls.
const newStory = `<article class="news-card">
      <a href="/ar/news/national/رئيسة-بعثة-المنظمة-الدولية-للهجرة-اتفاقية-أكادير-مهمة-20240217">
        <h3 class="news-title">عنوان مؤقت في صفحة القائمة عن اتفاقية أكادير والهجرة</h3>
      </a>
    </article>
    `

func TestScheduler_PageSourceFirstPassMarksSeenThenNewLinkBecomesOneItem(t *testing.T) {
	s := newSite(t)
	rdb, prefix := storetest.Redis(t)
	st := store.New(rdb, prefix)
	ctx := context.Background()
	fetcher := feed.NewFetcher(feed.Options{AllowPrivateAddresses: true})
	fetchPage := func(ctx context.Context, u string) ([]byte, string, error) {
		r, err := fetcher.FetchPage(ctx, u)
		if err != nil {
			return nil, "", err
		}
		return r.Body, r.URL, nil
	}
	reader := &page.Reader{Fetch: fetchPage, Robots: page.NewRobotsCache(robotsFetch, "MigraWatch", 0, nil),
		Pacer: page.NewPacer(10*time.Millisecond, nil), Canonical: feed.CanonicalURL}
	var got []news.Article
	u := &pipeline.Understander{Summarize: summarize.Summarize, Pages: articleReader{reader},
		Route: func(_ context.Context, a news.Article) error { got = append(got, a); return nil }}
	now := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)
	opts := pipeline.Options{Pages: reader, Now: func() time.Time { return now }, Jitter: -1}
	src := news.Source{ID: "2m-ar-national", Name: "2M.ma", URL: s.URL + "/ar/news/national", Kind: news.KindPage, Language: "ar"}
	if err := st.RegisterFeed(ctx, src); err != nil {
		t.Fatal(err)
	}
	res := pollOnce(t, st, fetcher, u, opts, src.ID)
	if res.Err != nil {
		t.Fatalf("first poll: %v", res.Err)
	}
	if res.Items != 6 || len(got) != 0 || s.articles.Load() != 0 {
		t.Fatalf("first pass: %d items listed, %d routed, %d article pages fetched; want 6, 0, 0", res.Items, len(got), s.articles.Load())
	}

	s.listing = bytes.Replace(s.listing, []byte(`<article class="news-card">`), []byte(newStory+`<article class="news-card">`), 1)
	now = res.NextPoll.Add(time.Minute) // due again
	res = pollOnce(t, st, fetcher, u, opts, src.ID)
	if res.Err != nil {
		t.Fatalf("second poll: %v", res.Err)
	}
	if len(got) != 1 || s.articles.Load() != 1 {
		t.Fatalf("second pass routed %d articles after %d page fetches, want exactly the new one", len(got), s.articles.Load())
	}
	a := got[0]
	if !strings.Contains(a.Link, "20240217") || a.FeedID != src.ID {
		t.Errorf("item link %q feed %q", a.Link, a.FeedID)
	}
	if !strings.HasPrefix(a.Title, "رئيسة بعثة المنظمة الدولية للهجرة بالمغرب") {
		t.Errorf("title %q: the article page's headline should replace the listing's anchor text", a.Title)
	}
	if a.PublishedGuessed || a.Published.Year() != 2024 {
		t.Errorf("date %v guessed=%v, want the page's 2024-02-16", a.Published, a.PublishedGuessed)
	}
	if a.TextSource == news.TextFromFeed {
		t.Errorf("text source %q, want the page", a.TextSource)
	}
	summarizetest.CheckSeedQuotes(t, a.Summary.Quotes)
}

func TestScheduler_PageWhoseStructureBreaksIsReportedFailing(t *testing.T) {
	s := newSite(t)
	rdb, prefix := storetest.Redis(t)
	st := store.New(rdb, prefix)
	ctx := context.Background()
	fetcher := feed.NewFetcher(feed.Options{AllowPrivateAddresses: true})
	reader := &page.Reader{Canonical: feed.CanonicalURL}
	src := news.Source{ID: "p", Name: "2M.ma", URL: s.URL + "/ar/news/national", Kind: news.KindPage}
	if err := st.RegisterFeed(ctx, src); err != nil {
		t.Fatal(err)
	}
	s.listing = []byte(`<html><body><nav><a href="/ar">الرئيسية</a></nav><p>صيانة الموقع</p></body></html>`)
	res := pollOnce(t, st, fetcher, discard{}, pipeline.Options{Pages: reader}, src.ID)
	if res.Err == nil || !strings.Contains(res.Err.Error(), "no articles") {
		t.Fatalf("poll of a listing without articles: err = %v, want a clear failure", res.Err)
	}
	state, _, err := st.Feed(ctx, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if state.Errors != 1 || !strings.Contains(state.LastError, "no articles") {
		t.Fatalf("feed state errors=%d last_error=%q: the failure must be recorded for /status", state.Errors, state.LastError)
	}
}

// discard is a handler that keeps nothing.
type discard struct{}

func (discard) HandleItems(context.Context, news.Source, []news.Item) error { return nil }

// pollOnce runs a scheduler, as the binary does, until it has polled feed
// id once, and returns that poll's result.
func pollOnce(t *testing.T, st *store.Store, f *feed.Fetcher, h pipeline.Handler, opts pipeline.Options, id string) pipeline.Result {
	t.Helper()
	polled := make(chan pipeline.Result, 1)
	opts.Tick = 10 * time.Millisecond
	opts.OnPoll = func(r pipeline.Result, _ time.Duration) {
		if r.FeedID == id {
			select {
			case polled <- r:
			default:
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- pipeline.New(st, f, h, opts).Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	select {
	case r := <-polled:
		return r
	case <-time.After(10 * time.Second):
		t.Fatalf("feed %s was not polled", id)
		return pipeline.Result{}
	}
}
