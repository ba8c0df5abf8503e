package store

import (
	"context"
	"errors"
	"os"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
	"github.com/redis/go-redis/v9"
)

func newChatStore(t *testing.T) (*Store, redis.UniversalClient, string) {
	t.Helper()
	rdb, prefix := storetest.Redis(t)
	return New(rdb, prefix), rdb, prefix
}

func TestChats_SaveAndLoadFillsDefaults(t *testing.T) {
	ctx := context.Background()
	s, rdb, prefix := newChatStore(t)
	if err := s.SaveChat(ctx, news.Chat{ID: 42, Kind: news.ChatPrivate, UILang: "en", Mode: "instant", TZ: DefaultTZ, Status: "active"}); err != nil {
		t.Fatal(err)
	}
	h, err := rdb.HGetAll(ctx, prefix+"chat:{42}").Result()
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"kind": "private"}; !reflect.DeepEqual(h, want) {
		t.Errorf("stored hash = %v, want only non-default fields %v", h, want)
	}
	c, ok, err := s.Chat(ctx, 42)
	if err != nil || !ok {
		t.Fatalf("Chat = %v, %v", ok, err)
	}
	want := news.Chat{ID: 42, Kind: news.ChatPrivate, UILang: DefaultUILang, Mode: DefaultMode, TZ: DefaultTZ, Status: DefaultStatus}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("Chat = %+v, want %+v", c, want)
	}
	if _, ok, err := s.Chat(ctx, 7); ok || err != nil {
		t.Errorf("unknown chat: ok=%v err=%v", ok, err)
	}
}

func TestChats_RoundTripsEverySetting(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newChatStore(t)
	want := news.Chat{
		ID: -100123, Kind: news.ChatSupergroup, Title: "Réseau <Migrants> & co", UILang: "ar",
		Langs: []string{"ar", "fr"}, Topics: []string{"migration"}, Mode: news.ModeDigest, DigestAt: "08:30",
		TZ: "Europe/Paris", Quiet: "22:00-07:00", Paused: true, ThreadID: 17, Status: news.StatusGone, Owner: 5,
	}
	if err := s.SaveChat(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, _, err := s.Chat(ctx, want.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Chat = %+v\nwant    %+v", got, want)
	}
	// Back to defaults: the fields disappear from the hash.
	def := news.Chat{ID: want.ID, Kind: news.ChatSupergroup, Status: news.StatusActive}
	if err := s.SaveChat(ctx, def); err != nil {
		t.Fatal(err)
	}
	got, _, _ = s.Chat(ctx, want.ID)
	if got.Paused || got.Langs != nil || got.Quiet != "" || got.TZ != DefaultTZ || got.Owner != 0 {
		t.Errorf("after reset Chat = %+v", got)
	}
	if subs, _ := s.TopicSubscribers(ctx, "migration"); len(subs) != 0 {
		t.Errorf("topic subscribers after reset = %v, want none", subs)
	}
	if ch, _ := s.LinkedChannels(ctx, 5); len(ch) != 0 {
		t.Errorf("owner's channels after reset = %v, want none", ch)
	}
}

func TestChats_SubscribeKeepsBothIndexes(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newChatStore(t)
	mustSave(t, s, news.Chat{ID: 1, Kind: news.ChatPrivate})
	mustSave(t, s, news.Chat{ID: 2, Kind: news.ChatPrivate})
	for _, sub := range []struct {
		chat int64
		feed string
	}{{1, "iom"}, {1, "unhcr"}, {2, "iom"}} {
		added, err := s.Subscribe(ctx, sub.chat, sub.feed)
		if err != nil || !added {
			t.Fatalf("Subscribe(%d,%s) = %v, %v", sub.chat, sub.feed, added, err)
		}
	}
	if added, _ := s.Subscribe(ctx, 1, "iom"); added {
		t.Error("second Subscribe reported added")
	}
	if f, _ := s.ChatFeeds(ctx, 1); !slices.Equal(f, []string{"iom", "unhcr"}) {
		t.Errorf("ChatFeeds(1) = %v", f)
	}
	if subs, _ := s.FeedSubscribers(ctx, "iom"); !slices.Equal(subs, []int64{1, 2}) {
		t.Errorf("FeedSubscribers(iom) = %v", subs)
	}
	removed, err := s.Unsubscribe(ctx, 1, "iom")
	if err != nil || !removed {
		t.Fatalf("Unsubscribe = %v, %v", removed, err)
	}
	if removed, _ := s.Unsubscribe(ctx, 1, "iom"); removed {
		t.Error("second Unsubscribe reported removed")
	}
	if subs, _ := s.FeedSubscribers(ctx, "iom"); !slices.Equal(subs, []int64{2}) {
		t.Errorf("FeedSubscribers(iom) after unsubscribe = %v", subs)
	}
}

func TestChats_SetTopicsAndStatus(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newChatStore(t)
	if err := s.SetTopics(ctx, 9, []string{"migration"}); !errors.Is(err, ErrNoChat) {
		t.Errorf("SetTopics on unknown chat: %v, want ErrNoChat", err)
	}
	if err := s.SetChatStatus(ctx, 9, news.StatusGone); !errors.Is(err, ErrNoChat) {
		t.Errorf("SetChatStatus on unknown chat: %v, want ErrNoChat", err)
	}
	mustSave(t, s, news.Chat{ID: 9, Kind: news.ChatGroup, UILang: "fr"})
	if err := s.SetTopics(ctx, 9, []string{"migration", "asylum"}); err != nil {
		t.Fatal(err)
	}
	for _, topic := range []string{"migration", "asylum"} {
		if subs, _ := s.TopicSubscribers(ctx, topic); !slices.Equal(subs, []int64{9}) {
			t.Errorf("TopicSubscribers(%s) = %v", topic, subs)
		}
	}
	if err := s.SetTopics(ctx, 9, []string{"asylum"}); err != nil {
		t.Fatal(err)
	}
	if subs, _ := s.TopicSubscribers(ctx, "migration"); len(subs) != 0 {
		t.Errorf("TopicSubscribers(migration) after removal = %v", subs)
	}
	if err := s.SetChatStatus(ctx, 9, news.StatusGone); err != nil {
		t.Fatal(err)
	}
	if err := s.SetChatPaused(ctx, 9, true); err != nil {
		t.Fatal(err)
	}
	c, _, _ := s.Chat(ctx, 9)
	if c.Status != news.StatusGone || !c.Paused || c.UILang != "fr" || !slices.Equal(c.Topics, []string{"asylum"}) {
		t.Errorf("Chat = %+v", c)
	}
	if err := s.SaveChat(ctx, news.Chat{ID: 9, Topics: []string{"a,b"}}); err == nil {
		t.Error("SaveChat accepted a topic with a comma")
	}
}

func TestChats_DeleteRemovesEveryKeyAndReverseIndex(t *testing.T) {
	ctx := context.Background()
	s, rdb, prefix := newChatStore(t)
	mustSave(t, s, news.Chat{ID: 3, Kind: news.ChatChannel, Topics: []string{"migration"}, Owner: 77})
	mustSave(t, s, news.Chat{ID: 4, Kind: news.ChatPrivate, Topics: []string{"migration"}})
	mustSubscribe(t, s, 3, "iom")
	mustSubscribe(t, s, 4, "iom")
	rdb.HSet(ctx, prefix+"chat:{3}:alerts", "a1", "OIM")
	rdb.ZAdd(ctx, prefix+"digest:{3}", redis.Z{Score: 1, Member: "story1"})
	rdb.SAdd(ctx, prefix+"chat:{3}:channels", "-1009")

	if err := s.DeleteChat(ctx, 3); err != nil {
		t.Fatal(err)
	}
	keys, err := storetest.Keys(ctx, rdb, prefix+"*{3}*")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 0 {
		t.Errorf("keys of deleted chat left: %v", keys)
	}
	if subs, _ := s.FeedSubscribers(ctx, "iom"); !slices.Equal(subs, []int64{4}) {
		t.Errorf("FeedSubscribers = %v, want [4]", subs)
	}
	if subs, _ := s.TopicSubscribers(ctx, "migration"); !slices.Equal(subs, []int64{4}) {
		t.Errorf("TopicSubscribers = %v, want [4]", subs)
	}
	if ch, _ := s.LinkedChannels(ctx, 77); len(ch) != 0 {
		t.Errorf("owner still lists the deleted channel: %v", ch)
	}
	if err := s.DeleteChat(ctx, 3); err != nil {
		t.Errorf("deleting twice: %v", err)
	}
}

func TestChats_MigrateMovesEveryKey(t *testing.T) {
	ctx := context.Background()
	s, rdb, prefix := newChatStore(t)
	const from, to = -555, -1000555
	mustSave(t, s, news.Chat{ID: from, Kind: news.ChatGroup, Title: "Groupe", UILang: "fr", Topics: []string{"migration"}, Quiet: "22:00-07:00"})
	mustSubscribe(t, s, from, "iom")
	mustSubscribe(t, s, from, "u0123456789ab")
	rdb.HSet(ctx, prefix+"chat:{-555}:alerts", "a1", "OIM OR IOM")
	rdb.ZAdd(ctx, prefix+"digest:{-555}", redis.Z{Score: 10, Member: "s1"}, redis.Z{Score: 20, Member: "s2"})
	// The supergroup already wrote something of its own.
	mustSave(t, s, news.Chat{ID: to, Kind: news.ChatSupergroup, UILang: "en"})
	mustSubscribe(t, s, to, "unhcr")

	if err := s.MigrateChat(ctx, from, to); err != nil {
		t.Fatal(err)
	}
	if keys, _ := storetest.Keys(ctx, rdb, prefix+"*{-555}*"); len(keys) != 1 || keys[0] != prefix+"chat:{-555}:moved" {
		t.Errorf("keys of the old chat left: %v, want only the pointer to the new id", keys)
	}
	if got, ok, err := s.MigratedTo(ctx, from); err != nil || !ok || got != to {
		t.Errorf("MigratedTo(old) = %d, %v, %v; want %d", got, ok, err, to)
	}
	c, ok, err := s.Chat(ctx, to)
	if err != nil || !ok {
		t.Fatalf("Chat(to) = %v, %v", ok, err)
	}
	if c.Kind != news.ChatSupergroup || c.UILang != "fr" || c.Title != "Groupe" || c.Quiet != "22:00-07:00" {
		t.Errorf("migrated chat = %+v", c)
	}
	if f, _ := s.ChatFeeds(ctx, to); !slices.Equal(f, []string{"iom", "u0123456789ab", "unhcr"}) {
		t.Errorf("ChatFeeds(to) = %v", f)
	}
	for _, feed := range []string{"iom", "u0123456789ab"} {
		if subs, _ := s.FeedSubscribers(ctx, feed); !slices.Equal(subs, []int64{to}) {
			t.Errorf("FeedSubscribers(%s) = %v", feed, subs)
		}
	}
	if subs, _ := s.TopicSubscribers(ctx, "migration"); !slices.Equal(subs, []int64{to}) {
		t.Errorf("TopicSubscribers = %v", subs)
	}
	if a, _ := rdb.HGetAll(ctx, prefix+"chat:{-1000555}:alerts").Result(); a["a1"] != "OIM OR IOM" {
		t.Errorf("alerts = %v", a)
	}
	if d, _ := rdb.ZRangeWithScores(ctx, prefix+"digest:{-1000555}", 0, -1).Result(); len(d) != 2 || d[1].Score != 20 {
		t.Errorf("digest = %v", d)
	}
	// A repeated migration (the error path and the update both report it) is a no-op.
	if err := s.MigrateChat(ctx, from, to); err != nil {
		t.Fatal(err)
	}
	if c2, _, _ := s.Chat(ctx, to); !reflect.DeepEqual(c2, c) {
		t.Errorf("second migration changed the chat: %+v", c2)
	}
}

func TestChats_ListsEveryChat(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newChatStore(t)
	want := []int64{-1001, 5, 42}
	for _, id := range want {
		mustSave(t, s, news.Chat{ID: id, Kind: news.ChatPrivate})
		mustSubscribe(t, s, id, "iom") // chat:{id}:feeds must not be listed as a chat
	}
	ids, err := s.ChatIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids, want) {
		t.Errorf("ChatIDs = %v, want %v", ids, want)
	}
	var got []int64
	for c, err := range s.Chats(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, c.ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("Chats = %v, want %v", got, want)
	}
}

// TestChats_FootprintUnder1KB measures Redis memory per chat with default
// settings, one topic and one feed. MEMORY USAGE needs a real Redis.
func TestChats_FootprintUnder1KB(t *testing.T) {
	if os.Getenv("REDIS_URL") == "" {
		t.Skip("MEMORY USAGE needs a real Redis (REDIS_URL)")
	}
	ctx := context.Background()
	s, rdb, prefix := newChatStore(t)
	const id = 123456789
	mustSave(t, s, news.Chat{ID: id, Kind: news.ChatPrivate, Topics: []string{"migration"}})
	mustSubscribe(t, s, id, "iom")
	var total int64
	for _, k := range []string{"chat:{123456789}", "chat:{123456789}:feeds"} {
		n, err := rdb.MemoryUsage(ctx, prefix+k).Result()
		if err != nil {
			t.Fatal(err)
		}
		total += n
	}
	// One member in each shared reverse-index set: about the size of the id.
	total += 2 * int64(len(strconv.Itoa(id))+16)
	t.Logf("bytes per chat with default settings: %d", total)
	if total >= 1024 {
		t.Errorf("chat footprint %d bytes, want under 1024", total)
	}
}

func mustSave(t *testing.T, s *Store, c news.Chat) {
	t.Helper()
	if err := s.SaveChat(context.Background(), c); err != nil {
		t.Fatal(err)
	}
}

func mustSubscribe(t *testing.T, s *Store, chat int64, feed string) {
	t.Helper()
	if _, err := s.Subscribe(context.Background(), chat, feed); err != nil {
		t.Fatal(err)
	}
}

func TestChats_EditTargetSurvivesSaveChat(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newChatStore(t)
	if err := s.SetEditTarget(ctx, 8, -1001); !errors.Is(err, ErrNoChat) {
		t.Errorf("SetEditTarget on unknown chat: %v", err)
	}
	mustSave(t, s, news.Chat{ID: 8, Kind: news.ChatPrivate})
	if got, err := s.EditTarget(ctx, 8); err != nil || got != 0 {
		t.Errorf("EditTarget before = %d, %v", got, err)
	}
	if err := s.SetEditTarget(ctx, 8, -1001); err != nil {
		t.Fatal(err)
	}
	mustSave(t, s, news.Chat{ID: 8, Kind: news.ChatPrivate, UILang: "ar"})
	if got, _ := s.EditTarget(ctx, 8); got != -1001 {
		t.Errorf("EditTarget after SaveChat = %d, want -1001", got)
	}
	if err := s.SetEditTarget(ctx, 8, 0); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.EditTarget(ctx, 8); got != 0 {
		t.Errorf("EditTarget after reset = %d", got)
	}
}

// TestChats_ConcurrentSavesKeepTopicIndexInStep has many writers flip one
// chat's topics at once; afterwards the topic sets agree with the chat hash.
func TestChats_ConcurrentSavesKeepTopicIndexInStep(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newChatStore(t)
	mustSave(t, s, news.Chat{ID: 11, Kind: news.ChatGroup})
	topicSets := [][]string{{"migration"}, {"asylum"}, {"migration", "asylum"}, nil}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 10 {
		wg.Go(func() {
			for j := range 4 {
				errs <- s.SaveChat(ctx, news.Chat{ID: 11, Kind: news.ChatGroup, Topics: topicSets[(i+j)%len(topicSets)]})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	c, _, _ := s.Chat(ctx, 11)
	for _, topic := range []string{"migration", "asylum"} {
		subs, _ := s.TopicSubscribers(ctx, topic)
		if in := slices.Contains(c.Topics, topic); in != (len(subs) == 1) {
			t.Errorf("topic %s: chat topics %v but subscribers %v", topic, c.Topics, subs)
		}
	}
}
