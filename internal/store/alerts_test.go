package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
)

func newAlertStore(t *testing.T) *store.Store {
	t.Helper()
	rdb, prefix := storetest.Redis(t)
	return store.New(rdb, prefix)
}

func TestAlerts_AddListRemoveWithLimit(t *testing.T) {
	ctx := context.Background()
	s := newAlertStore(t)
	for i := range 3 {
		added, err := s.AddAlert(ctx, news.Alert{ID: fmt.Sprintf("id%d", i), ChatID: 42, Query: fmt.Sprintf("q%d", i)}, 3)
		if err != nil || !added {
			t.Fatalf("AddAlert %d = %v, %v", i, added, err)
		}
	}
	if added, err := s.AddAlert(ctx, news.Alert{ID: "id1", ChatID: 42, Query: "other"}, 3); err != nil || added {
		t.Fatalf("AddAlert of an existing id = %v, %v; want false, nil", added, err)
	}
	if _, err := s.AddAlert(ctx, news.Alert{ID: "id9", ChatID: 42, Query: "q9"}, 3); !errors.Is(err, store.ErrAlertLimit) {
		t.Fatalf("fourth alert: err = %v, want ErrAlertLimit", err)
	}
	if _, err := s.AddAlert(ctx, news.Alert{ChatID: 42, Query: "no id"}, 3); err == nil {
		t.Fatal("AddAlert without id succeeded")
	}
	got, err := s.ChatAlerts(ctx, 42)
	if err != nil {
		t.Fatal(err)
	}
	want := []news.Alert{{ID: "id0", ChatID: 42, Query: "q0"}, {ID: "id1", ChatID: 42, Query: "q1"}, {ID: "id2", ChatID: 42, Query: "q2"}}
	if !slices.Equal(got, want) {
		t.Fatalf("ChatAlerts = %v, want %v", got, want)
	}
	if removed, err := s.RemoveAlert(ctx, 42, "id1"); err != nil || !removed {
		t.Fatalf("RemoveAlert = %v, %v", removed, err)
	}
	if removed, err := s.RemoveAlert(ctx, 42, "id1"); err != nil || removed {
		t.Fatalf("second RemoveAlert = %v, %v; want false", removed, err)
	}
	// Room again for one more.
	if added, err := s.AddAlert(ctx, news.Alert{ID: "id9", ChatID: 42, Query: "q9"}, 3); err != nil || !added {
		t.Fatalf("AddAlert after a removal = %v, %v", added, err)
	}
}

func TestAlerts_ChatAlertsSortByCreationID(t *testing.T) {
	ctx := context.Background()
	s := newAlertStore(t)
	// Ids of the same length sort as strings; shorter ones first.
	for _, id := range []string{"m0b", "zz", "m0a", "a00c"} {
		if _, err := s.AddAlert(ctx, news.Alert{ID: id, ChatID: 1, Query: id}, 20); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.ChatAlerts(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range got {
		ids = append(ids, a.ID)
	}
	if want := []string{"zz", "m0a", "m0b", "a00c"}; !slices.Equal(ids, want) {
		t.Fatalf("order %v, want %v", ids, want)
	}
}

func TestAlerts_AllAlertsScansEveryChat(t *testing.T) {
	ctx := context.Background()
	s := newAlertStore(t)
	for _, chat := range []int64{-1001234567890, 7, 42} {
		for i := range 2 {
			if _, err := s.AddAlert(ctx, news.Alert{ID: fmt.Sprint(i), ChatID: chat, Query: fmt.Sprintf("q%d-%d", chat, i)}, 20); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A chat's other keys are not alerts.
	if err := s.SaveChat(ctx, news.Chat{ID: 99, Kind: news.ChatPrivate, UILang: "fr", Status: news.StatusActive}); err != nil {
		t.Fatal(err)
	}
	all, err := s.AllAlerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 6 || all[0].ChatID != -1001234567890 || all[5].ChatID != 42 || all[5].Query != "q42-1" {
		t.Fatalf("AllAlerts = %v", all)
	}
}

func TestAlerts_WatchSeesChangesFromAnotherClient(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rdb, prefix := storetest.Redis(t)
	a, b := store.New(rdb, prefix), store.New(rdb, prefix)
	other := store.New(rdb, prefix+"other:")
	changes, err := a.WatchAlerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.AddAlert(ctx, news.Alert{ID: "x", ChatID: 5, Query: "x"}, 20); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddAlert(ctx, news.Alert{ID: "1", ChatID: 77, Query: "migrants"}, 20); err != nil {
		t.Fatal(err)
	}
	if _, err := b.RemoveAlert(ctx, 77, "1"); err != nil {
		t.Fatal(err)
	}
	if err := b.NotifyAlertsChanged(ctx, 78); err != nil {
		t.Fatal(err)
	}
	// Notices may come in any order (on a Cluster pub/sub promises none
	// across nodes); each change must come, and nothing from another prefix.
	want := []int64{77, 77, 78}
	var got []int64
	for range want {
		select {
		case c := <-changes:
			got = append(got, c)
		case <-time.After(5 * time.Second):
			t.Fatalf("change notices %v, want %v", got, want)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("change notices %v, want %v (another prefix must not leak in)", got, want)
	}
	cancel()
	select {
	case _, ok := <-changes:
		for ok {
			_, ok = <-changes
		}
	case <-time.After(5 * time.Second):
		t.Fatal("changes not closed after cancel")
	}
}

func TestRecent_KeepsNewestBoundedAndFresh(t *testing.T) {
	ctx := context.Background()
	s := newAlertStore(t)
	now := time.Now()
	long := strings.Repeat("é", 20000) // 40,000 bytes: capped to valid UTF-8
	for i := range 5 {
		a := news.Article{
			Item: news.Item{FeedID: "2m-ar", Key: fmt.Sprint(i), Link: fmt.Sprintf("https://2m.ma/%d", i), Title: fmt.Sprintf("t%d", i),
				Published: now.Add(-time.Hour).UTC().Truncate(time.Second)},
			Lang: "ar", SourceName: "2M", Text: "texte " + long,
		}
		if err := s.RecordRecent(ctx, a, now); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Recent(ctx, now, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Title != "t4" || got[2].Title != "t2" {
		t.Fatalf("Recent(3) titles = %v", titles(got))
	}
	a := got[0]
	if a.FeedID != "2m-ar" || a.Link != "https://2m.ma/4" || a.Lang != "ar" || a.SourceName != "2M" || a.Key != "4" ||
		!a.Published.Equal(now.Add(-time.Hour).UTC().Truncate(time.Second)) {
		t.Fatalf("round trip lost fields: %+v", a.Item)
	}
	if len(a.Text) > 16<<10 || !strings.HasPrefix(a.Text, "texte é") || !strings.HasSuffix(a.Text, "é") {
		t.Fatalf("text kept %d bytes, ends %q", len(a.Text), a.Text[len(a.Text)-4:])
	}
	// Three days later nothing is recent any more.
	old, err := s.Recent(ctx, now.Add(store.RecentMaxAge+time.Minute), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(old) != 0 {
		t.Fatalf("articles older than %v still recent: %v", store.RecentMaxAge, titles(old))
	}
}

func TestRecent_CappedInCount(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a few thousand entries")
	}
	ctx := context.Background()
	rdb, prefix := storetest.Redis(t)
	s := store.New(rdb, prefix)
	now := time.Now()
	for i := range store.RecentMaxItems + 500 {
		if err := s.RecordRecent(ctx, news.Article{Item: news.Item{Key: fmt.Sprint(i), Title: fmt.Sprint(i)}}, now); err != nil {
			t.Fatal(err)
		}
	}
	n, err := rdb.XLen(ctx, prefix+"alerts:recent").Result()
	if err != nil {
		t.Fatal(err)
	}
	// MAXLEN ~ trims whole macro nodes: a little over the cap, never far.
	if n < store.RecentMaxItems || n > store.RecentMaxItems+200 {
		t.Fatalf("stream holds %d entries, want about %d", n, store.RecentMaxItems)
	}
	got, err := s.Recent(ctx, now, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != store.RecentMaxItems || got[0].Title != fmt.Sprint(store.RecentMaxItems+499) {
		t.Fatalf("Recent returned %d, newest %q", len(got), got[0].Title)
	}
}

func titles(as []news.Article) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Title)
	}
	return out
}
