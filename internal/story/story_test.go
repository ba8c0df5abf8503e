package story_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/story"
)

func gold(t *testing.T) []news.Article {
	t.Helper()
	files, err := filepath.Glob("testdata/*.json")
	if err != nil || len(files) < 40 {
		t.Fatalf("gold articles: %d files, %v", len(files), err)
	}
	var out []news.Article
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var g struct {
			ID, Language, Title, Text, Outlet string
		}
		if err := json.Unmarshal(raw, &g); err != nil {
			t.Fatal(err)
		}
		out = append(out, news.Article{Item: news.Item{FeedID: g.Outlet, Key: g.ID, Title: g.Title}, Lang: g.Language, Text: g.Text, SourceName: g.Outlet})
	}
	return out
}

// reprints are the edits outlets make when they carry a wire story: a
// dateline and credit, a retitled or shortened headline, a swapped word, the
// lead cut short in the feed, typography changes.
var reprints = []struct {
	name string
	edit func(a news.Article) news.Article
}{
	{"dateline and credit", func(a news.Article) news.Article {
		credit := map[string]string{"ar": "الرباط (و م ع) - ", "fr": "Rabat (MAP) - ", "en": "RABAT (MAP) - "}[a.Lang]
		a.Text = credit + a.Text
		return a
	}},
	{"title prefix", func(a news.Article) news.Article {
		a.Title = map[string]string{"ar": "عاجل: ", "fr": "VIDEO. ", "en": "Breaking: "}[a.Lang] + a.Title
		return a
	}},
	{"title word dropped and lead word swapped", func(a news.Article) news.Article {
		w := strings.Fields(a.Title)
		if len(w) > 4 {
			w = append(w[:2], w[3:]...)
		}
		a.Title = strings.Join(w, " ")
		lw := strings.Fields(a.Text)
		lw[5] = "xyz"
		a.Text = strings.Join(lw, " ")
		return a
	}},
	{"lead cut short in the feed", func(a news.Article) news.Article {
		a.Text = "" // the feed's description: the lead's first 30 words
		return a
	}},
	{"typography", func(a news.Article) news.Article {
		r := strings.NewReplacer("\"", "«", ",", " ,", "’", "'", "ا", "أ", "é", "e", "ه", "ة")
		a.Title = strings.ToUpper(r.Replace(a.Title))
		a.Text = r.Replace(a.Text)
		return a
	}},
}

func TestSame_ReprintsWithSmallEditsMatch(t *testing.T) {
	min := 1.0
	for _, a := range gold(t) {
		a.Description = strings.Join(strings.Fields(a.Text)[:30], " ")
		orig, ok := story.SignArticle(a)
		if !ok {
			t.Fatalf("%s: no signature", a.Key)
		}
		for _, rp := range reprints {
			b := rp.edit(a)
			sig, ok := story.SignArticle(b)
			if !ok {
				t.Fatalf("%s %s: no signature", a.Key, rp.name)
			}
			sim := story.Similarity(orig, sig)
			min = moreMin(min, sim)
			if !same(orig, sig) {
				t.Errorf("%s, %s: similarity %.2f < %.2f", a.Key, rp.name, sim, story.Threshold)
			}
			if !sharesBand(orig, sig) {
				t.Errorf("%s, %s: no common band, the store would not find it", a.Key, rp.name)
			}
		}
	}
	t.Logf("lowest reprint similarity %.2f", min)
}

func TestSame_DifferentStoriesOnTheSameTopicDoNotMatch(t *testing.T) {
	arts := gold(t)
	sigs := make([]story.Signature, len(arts))
	for i, a := range arts {
		sigs[i], _ = story.SignArticle(a)
	}
	max := 0.0
	for i, a := range arts {
		sa := sigs[i]
		for k, b := range arts[i+1:] {
			sb := sigs[i+1+k]
			sim := story.Similarity(sa, sb)
			if a.Lang == b.Lang && sim > max {
				max = sim
			}
			if same(sa, sb) {
				t.Errorf("%s and %s: similarity %.2f, different stories matched", a.Key, b.Key, sim)
			}
		}
	}
	t.Logf("highest similarity between different stories %.2f", max)
	if max > story.Threshold/2 {
		t.Errorf("different stories reach %.2f: the threshold %.2f leaves too little margin", max, story.Threshold)
	}
}

func TestSign_ShortTextHasNoSignature(t *testing.T) {
	if _, ok := story.Sign("Migrants", ""); ok {
		t.Error("one word gave a signature")
	}
	if _, ok := story.Sign("Des migrants secourus au large de Lampedusa", ""); !ok {
		t.Error("a headline gave no signature")
	}
}

func TestSignature_RoundTripAndBands(t *testing.T) {
	a := gold(t)[0]
	sig, _ := story.SignArticle(a)
	back, err := story.Parse(sig.Bytes())
	if err != nil || back != sig {
		t.Fatalf("Parse(Bytes) = %v, %v", back == sig, err)
	}
	if _, err := story.Parse([]byte("short")); err == nil {
		t.Error("Parse accepted junk")
	}
	keys := sig.BandKeys()
	if len(keys) != story.Bands {
		t.Fatalf("%d bands", len(keys))
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k] {
			t.Errorf("duplicate band key %s", k)
		}
		seen[k] = true
	}
	if story.ID(a) != story.ID(a) || story.ID(a) == story.ID(gold(t)[1]) || len(story.ID(a)) != 16 {
		t.Errorf("story ids not stable and distinct: %s", story.ID(a))
	}
}

func sharesBand(a, b story.Signature) bool {
	ka, kb := a.BandKeys(), b.BandKeys()
	for i := range ka {
		if ka[i] == kb[i] {
			return true
		}
	}
	return false
}

func moreMin(a, b float64) float64 {
	if b < a {
		return b
	}
	return a
}

// same reports whether two signatures are the same story, as the router
// judges them.
func same(a, b story.Signature) bool { return story.Similarity(a, b) >= story.Threshold }
