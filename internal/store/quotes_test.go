package store

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
)

var quoteLimits = news.ArchiveLimits{Retention: 90 * 24 * time.Hour, PerSpeaker: 100, PerWord: 128}

func saveTestQuote(t *testing.T, s *Store, sid, qid string, at, now time.Time, words ...string) string {
	t.Helper()
	q := news.ArchivedQuote{ID: qid, SpeakerID: sid, Speaker: "Laura Palatini", Text: "text " + qid,
		Link: "https://example.org/" + qid, Source: "2M.ma", Lang: news.English, Topics: []string{"migration"}, At: at}
	ix := news.QuoteIndexing{Names: []news.SpeakerName{{ID: sid, Words: []string{"laura", "palatini"}}}, Words: words}
	got, added, err := s.SaveQuote(context.Background(), q, ix, quoteLimits, now)
	if err != nil || !added {
		t.Fatalf("SaveQuote %s/%s: added %v, %v", sid, qid, added, err)
	}
	return got
}

// hashTag is the part of a key Redis Cluster hashes: between the first {
// and the next }.
func hashTag(key string) string {
	open := strings.IndexByte(key, '{')
	if open < 0 {
		return key
	}
	end := strings.IndexByte(key[open+1:], '}')
	if end <= 0 {
		return key
	}
	return key[open+1 : open+1+end]
}

func TestQuotes_KeysOfOneOperationShareASlot(t *testing.T) {
	s := New(nil, "mw:")
	sameSlot := func(what string, keys ...string) {
		t.Helper()
		for _, k := range keys[1:] {
			if hashTag(k) != hashTag(keys[0]) {
				t.Errorf("%s: %s and %s are in different slots", what, keys[0], k)
			}
		}
	}
	sameSlot("a speaker's quotes", s.quoteKey("AbC-_012345"), s.quoteTimeKey("AbC-_012345"))
	sameSlot("the name index", s.quoteNameKeys()...)
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	sameSlot("the week's voices", s.voicesTempKey(), s.voicesKey(day, "ar", ""), s.voicesKey(day.AddDate(0, 0, -6), "fr", "migration"))
	if hashTag(s.quoteTapKey(-100123, 7, "AbC-_012345")) != hashTag(s.chatKeySet(-100123).hash) {
		t.Error("a chat's button marks are not in the chat's slot")
	}
	if hashTag(s.quoteWordKey("ceuta")) != "ceuta" {
		t.Errorf("word key %s", s.quoteWordKey("ceuta"))
	}
}

func TestQuotes_KeysExpireWithTheirNewestQuote(t *testing.T) {
	rdb, prefix := storetest.Redis(t)
	s := New(rdb, prefix)
	ctx := context.Background()
	now := time.Now()
	at := now.Add(-30 * 24 * time.Hour)
	saveTestQuote(t, s, "sidAAAAAAAA", "q1", at, now, "agadir", "integration")
	want := at.Add(quoteLimits.Retention).Sub(now) // 60 days
	for _, k := range []string{s.quoteKey("sidAAAAAAAA"), s.quoteTimeKey("sidAAAAAAAA"), s.quoteWordKey("agadir")} {
		ttl := rdb.PTTL(ctx, k).Val()
		if ttl < want-time.Minute || ttl > want+time.Minute {
			t.Errorf("%s lives %v, want about %v (90 days after the quote's date)", k, ttl, want)
		}
	}
	// A newer quote extends the speaker's keys.
	saveTestQuote(t, s, "sidAAAAAAAA", "q2", now, now, "agadir")
	if ttl := rdb.PTTL(ctx, s.quoteKey("sidAAAAAAAA")).Val(); ttl < quoteLimits.Retention-time.Minute {
		t.Errorf("after a new quote the speaker lives %v, want 90 days", ttl)
	}
	day := now.UTC().Truncate(24 * time.Hour)
	if ttl := rdb.PTTL(ctx, s.voicesKey(day, news.English, "migration")).Val(); ttl <= 0 || ttl > 9*24*time.Hour {
		t.Errorf("today's voices live %v, want at most 9 days", ttl)
	}
	// Saving a quote again adds nothing.
	q := news.ArchivedQuote{ID: "q2", SpeakerID: "sidAAAAAAAA", Text: "again", Lang: news.English, At: now}
	ix := news.QuoteIndexing{Names: []news.SpeakerName{{ID: "sidAAAAAAAA", Words: []string{"laura", "palatini"}}}}
	if _, added, err := s.SaveQuote(ctx, q, ix, quoteLimits, now); err != nil || added {
		t.Errorf("saving a quote twice: added %v, %v", added, err)
	}
	vs, _ := s.TopVoices(ctx, []time.Time{day}, []string{news.English}, nil, 5)
	if len(vs) != 1 || vs[0].Quotes != 1 {
		t.Errorf("today's count %+v, want 1 (q2 once)", vs)
	}
}

func TestQuotes_NameIndexForgetsSpeakersPastRetention(t *testing.T) {
	rdb, prefix := storetest.Redis(t)
	s := New(rdb, prefix)
	ctx := context.Background()
	now := time.Now()
	saveTestQuote(t, s, "sidOLDOLDOL", "q1", now.Add(-80*24*time.Hour), now)
	got, err := s.FindSpeakers(ctx, nil, []string{"palatini"}, time.Time{}, 10)
	if err != nil || len(got) != 1 || got[0].ID != "sidOLDOLDOL" || !slices.Equal(got[0].Forms[0], []string{"laura", "palatini"}) {
		t.Fatalf("FindSpeakers = %+v, %v", got, err)
	}
	if got, _ := s.FindSpeakers(ctx, nil, []string{"pal*"}, time.Time{}, 10); len(got) != 1 {
		t.Errorf("prefix pal found %d speakers", len(got))
	}
	if got, _ := s.FindSpeakers(ctx, nil, []string{"pal"}, time.Time{}, 10); len(got) != 0 {
		t.Errorf("the word pal found %+v; only a prefix may", got)
	}
	// Every group must be found: the first name alone does not make a
	// Laura Lungarotti a Laura Palatini.
	lq := news.ArchivedQuote{ID: "q9", SpeakerID: "sidLUNGAROT", Speaker: "Laura Lungarotti", Text: "x", At: now}
	lix := news.QuoteIndexing{Names: []news.SpeakerName{{ID: "sidLUNGAROT", Words: []string{"laura", "lungarotti"}}}}
	if _, _, err := s.SaveQuote(ctx, lq, lix, quoteLimits, now); err != nil {
		t.Fatal(err)
	}
	both, _ := s.FindSpeakers(ctx, [][]string{{"laura"}, {"palatini"}}, nil, time.Time{}, 10)
	if len(both) != 1 || both[0].ID != "sidOLDOLDOL" {
		t.Errorf("laura AND palatini found %+v", both)
	}
	if got, _ := s.FindSpeakers(ctx, [][]string{{"laura"}}, nil, time.Time{}, 10); len(got) != 2 || got[0].ID != "sidLUNGAROT" {
		t.Errorf("laura found %+v, want both, latest quoted first", got)
	}
	// Twenty days later another speaker's quote is saved: the first one's
	// latest quote is now past the retention and it leaves the index.
	later := now.Add(20 * 24 * time.Hour)
	saveTestQuote(t, s, "sidNEWNEWNE", "q2", later, later)
	got, _ = s.FindSpeakers(ctx, nil, []string{"palatini"}, time.Time{}, 10)
	if len(got) != 1 || got[0].ID != "sidNEWNEWNE" {
		t.Fatalf("after the retention the index holds %+v", got)
	}
	n, _ := rdb.ZCard(ctx, s.quoteNamesKey()).Result()
	if n != 4 {
		t.Errorf("the name index keeps %d entries, want the 2 words of each speaker quoted lately", n)
	}
}

func TestQuotes_WordListsKeepTheNewest(t *testing.T) {
	rdb, prefix := storetest.Redis(t)
	s := New(rdb, prefix)
	ctx := context.Background()
	now := time.Now()
	lim := quoteLimits
	lim.PerWord = 3
	for i := range 5 {
		q := news.ArchivedQuote{ID: "q" + string(rune('0'+i)), SpeakerID: "sidAAAAAAAA", Text: "x", At: now.Add(time.Duration(i) * time.Minute)}
		ix := news.QuoteIndexing{Names: []news.SpeakerName{{ID: "sidAAAAAAAA", Words: []string{"x"}}}, Words: []string{"ceuta"}}
		if _, _, err := s.SaveQuote(ctx, q, ix, lim, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	ps, err := s.QuotePostings(ctx, []string{"ceuta", "melilla"}, time.Time{}, lim.PerWord)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range ps[0].Refs {
		ids = append(ids, r.ID)
	}
	if !slices.Equal(ids, []string{"q4", "q3", "q2"}) || !ps[0].Full || len(ps[1].Refs) != 0 || ps[1].Full {
		t.Errorf("postings %v full %v / %+v", ids, ps[0].Full, ps[1])
	}
}

func TestQuotes_WeeklyPostsAreClaimedOnceAndComeBackAfterTheLease(t *testing.T) {
	rdb, prefix := storetest.Redis(t)
	s := New(rdb, prefix)
	ctx := context.Background()
	now := time.Now()
	if err := s.SetWeeklyVoices(ctx, -1001, now.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.SetWeeklyVoices(ctx, -1002, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := s.ClaimWeeklyVoices(ctx, now, 10*time.Minute, 10)
	if err != nil || !slices.Equal(got, []int64{-1001}) {
		t.Fatalf("claimed %v, %v", got, err)
	}
	if got, _ := s.ClaimWeeklyVoices(ctx, now, 10*time.Minute, 10); len(got) != 0 {
		t.Errorf("claimed again within the lease: %v", got)
	}
	if got, _ := s.ClaimWeeklyVoices(ctx, now.Add(11*time.Minute), 10*time.Minute, 10); !slices.Equal(got, []int64{-1001}) {
		t.Errorf("after the lease (a poster that died) the post is due again: %v", got)
	}
	if err := s.SetWeeklyVoices(ctx, -1002, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.WeeklyVoices(ctx, -1002); ok {
		t.Error("the weekly post is still on after turning it off")
	}
	if at, ok, _ := s.WeeklyVoices(ctx, -1001); !ok || !at.After(now) {
		t.Errorf("chat -1001's next post %v %v", at, ok)
	}
}

func TestQuotes_OneAnswerPerButton(t *testing.T) {
	rdb, prefix := storetest.Redis(t)
	s := New(rdb, prefix)
	ctx := context.Background()
	first, err := s.FirstQuoteTap(ctx, -100, 7, "sidAAAAAAAA", time.Hour)
	if err != nil || !first {
		t.Fatalf("first tap: %v %v", first, err)
	}
	if again, _ := s.FirstQuoteTap(ctx, -100, 7, "sidAAAAAAAA", time.Hour); again {
		t.Error("a second tap on the same button counts as the first")
	}
	if other, _ := s.FirstQuoteTap(ctx, -100, 7, "sidBBBBBBBB", time.Hour); !other {
		t.Error("another speaker's button under the same message was refused")
	}
}
