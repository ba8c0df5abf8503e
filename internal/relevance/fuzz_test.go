package relevance

import (
	"math"
	"testing"

	"github.com/migrawatch/migrawatch/internal/news"
)

func FuzzScore(f *testing.F) {
	for _, g := range loadGold(f)[:6] {
		f.Add(g.Title, g.Text[:min(len(g.Text), 600)], g.Language)
	}
	f.Add("", "", "")
	f.Add("Migrants", "\xff\xfe l'asile d’un", "fr")
	f.Add("اللاجئين", "باللجوء إلى القضاء، وللاجئين", "xx")
	s, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, title, text, lang string) {
		r := s.Score(news.Article{Item: news.Item{Title: title}, Text: text, Lang: lang})
		if r.Score < 0 || math.IsNaN(r.Score) || math.IsInf(r.Score, 0) {
			t.Fatalf("score %v", r.Score)
		}
		if r.Relevant && len(r.Matched) == 0 {
			t.Fatalf("relevant without matched terms: %+v", r)
		}
		if r.Matched == nil {
			t.Fatalf("Matched is nil, want an empty list")
		}
	})
}
