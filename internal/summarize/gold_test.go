package summarize

import (
	"testing"
)

// goldArticle is one labelled article: the 42 development articles
// (testdata/gold) and the larger labelled set (testdata/quotes) share the
// format of shared/corpus/gold/README.md.
type goldArticle = LabelledArticle

// loadGold returns the 42 development articles.
func loadGold(tb testing.TB) []goldArticle {
	tb.Helper()
	sp, err := ReadSplits("testdata")
	if err != nil {
		tb.Fatal(err)
	}
	var out []goldArticle
	for _, a := range append(append(append([]LabelledArticle(nil), sp.Train...), sp.Dev...), sp.Test...) {
		if isOriginalGold(a.ID) {
			out = append(out, a)
		}
	}
	if len(out) != 42 {
		tb.Fatalf("%d development articles, want 42", len(out))
	}
	return out
}

// isOriginalGold reports whether id names one of the 42 development
// articles (ar-004), not the larger labelled set (ar-x004).
func isOriginalGold(id string) bool {
	return len(id) > 3 && id[3] != 'x'
}
