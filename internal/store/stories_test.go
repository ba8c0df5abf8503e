package store

import (
	"context"
	"errors"
	"github.com/migrawatch/migrawatch/internal/news"
	"reflect"
	"testing"
	"time"
)

func TestStories_CreateFindJoin(t *testing.T) {
	ctx := context.Background()
	s := newDeliveryStore(t)
	now := time.UnixMilli(1_700_000_000_000)
	st := news.StoryRecord{ID: "abc", First: "map/1", Outlets: []string{"MAP"}, FirstSeen: now, Sig: []byte{1, 2, 3, 0}}
	if err := s.CreateStory(ctx, st, []string{"a1", "b2"}, 72*time.Hour); err != nil {
		t.Fatal(err)
	}
	got, err := s.StoryCandidates(ctx, []string{"zz", "b2"}, now.Add(-time.Hour), 10)
	if err != nil || len(got) != 1 || got[0].ID != "abc" || string(got[0].Sig) != string(st.Sig) || !got[0].FirstSeen.Equal(now) {
		t.Fatalf("StoryCandidates = %+v, %v", got, err)
	}
	if got, _ := s.StoryCandidates(ctx, []string{"b2"}, now.Add(time.Hour), 10); len(got) != 0 {
		t.Errorf("a story older than the window was a candidate")
	}
	for _, o := range []string{"Hespress", "Le360", "Hespress"} {
		if _, err := s.AddStoryOutlet(ctx, "abc", o); err != nil {
			t.Fatal(err)
		}
	}
	loaded, err := s.Story(ctx, "abc")
	if err != nil || !reflect.DeepEqual(loaded.Outlets, []string{"MAP", "Hespress", "Le360"}) {
		t.Fatalf("outlets = %v, %v", loaded.Outlets, err)
	}
	if _, err := s.AddStoryOutlet(ctx, "nope", "X"); !errors.Is(err, ErrNoStory) {
		t.Errorf("AddStoryOutlet on a missing story: %v", err)
	}
	if err := s.SaveStoryArticle(ctx, "abc", "map/1", []byte(`{"title":"x"}`), time.Hour); err != nil {
		t.Fatal(err)
	}
	if b, err := s.StoryArticle(ctx, "abc", "map/1"); err != nil || string(b) != `{"title":"x"}` {
		t.Errorf("StoryArticle = %q, %v", b, err)
	}
	if _, err := s.StoryArticle(ctx, "abc", "other"); !errors.Is(err, ErrNoStory) {
		t.Errorf("missing article: %v", err)
	}
	if ttl := s.rdb.TTL(ctx, s.storyKey("abc")).Val(); ttl < 71*time.Hour {
		t.Errorf("story TTL shortened to %v by a shorter article TTL", ttl)
	}
}
