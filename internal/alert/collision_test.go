package alert

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/migrawatch/migrawatch/internal/textproc"
)

// cliticPairs returns, over the Arabic words of the corpus, every pair of
// different words that meet only because a leading letter of one was read
// as a clitic: the query word q (as a user would type it, without a
// clitic) meets the article word w through a reading of w that drops a
// bare و ف ب ك ل, which is where two different words can meet. Each pair
// is "q w".
func cliticPairs(tb testing.TB) []string {
	words := map[string]bool{}
	for _, a := range judgedDocs(tb) {
		for _, w := range textproc.Words(a.Title + "\n" + a.Text) {
			if r := []rune(w); len(r) > 0 && r[0] >= 0x0600 && r[0] <= 0x06FF {
				words[w] = true
			}
		}
	}
	// Query words: the corpus words that are their own primary reading
	// (no clitic to strip), indexed by stem.
	byStem := map[string][]string{}
	for w := range words {
		if textproc.Reading(w) == w {
			s := textproc.Stem("ar", w)
			byStem[s] = append(byStem[s], w)
		}
	}
	var pairs []string
	for w := range words {
		rs := textproc.Readings(w)
		if len(rs) < 2 || strings.HasPrefix(w, "ال") || strings.HasPrefix(w, "لل") ||
			strings.HasPrefix(w[len(string([]rune(w)[0])):], "ال") {
			continue // the article is a real clitic sequence
		}
		for _, r := range rs[1:] {
			for _, q := range byStem[textproc.StemReading("ar", r)] {
				if q != w {
					pairs = append(pairs, q+" "+w)
				}
			}
		}
	}
	sort.Strings(pairs)
	return slices.Compact(pairs)
}

func TestCollisions_Dump(t *testing.T) {
	if os.Getenv("COLLISIONS") == "" {
		t.Skip("set COLLISIONS=1 to list the pairs that meet through a bare clitic")
	}
	for _, p := range cliticPairs(t) {
		fmt.Println(p)
	}
}

// meets reports whether the alert word q finds the article word w: the
// stem of q is among the stems of the readings of w.
func meets(q, w string) bool {
	q, w = textproc.Normalize(q), textproc.Normalize(w)
	return slices.Contains(textproc.Stems("ar", w, nil), textproc.Stem("ar", q))
}

// TestCollisions_ListedPairsNeverMeet counts, on the corpus, the pairs of
// different Arabic words that meet because a leading letter of one is read
// as a clitic, and fails when a pair of testdata/judged/collisions.txt
// (different words from real text: place names, foreign names, common
// words) meets, either way round, on the corpus or as listed.
func TestCollisions_ListedPairsNeverMeet(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "judged", "collisions.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var listed [][2]string
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "|")
		if len(parts) < 2 {
			t.Fatalf("bad line %q", line)
		}
		listed = append(listed, [2]string{strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1])})
	}
	if len(listed) < 30 {
		t.Fatalf("only %d listed pairs", len(listed))
	}
	for _, p := range listed {
		if meets(p[0], p[1]) {
			t.Errorf("%s finds %s", p[0], p[1])
		}
		if meets(p[1], p[0]) {
			t.Errorf("%s finds %s", p[1], p[0])
		}
	}
	// On the corpus: every pair that meets through a clitic reading.
	pairs := cliticPairs(t)
	bad := 0
	for _, p := range pairs {
		q, w, _ := strings.Cut(p, " ")
		for _, l := range listed {
			a, b := textproc.Normalize(l[0]), textproc.Normalize(l[1])
			if textproc.Stem("ar", q) == textproc.Stem("ar", a) && slices.Contains(textproc.Readings(w), b) ||
				textproc.Stem("ar", q) == textproc.Stem("ar", b) && slices.Contains(textproc.Readings(w), a) {
				t.Errorf("listed collision back on the corpus: %s finds %s", q, w)
				bad++
			}
		}
	}
	t.Logf("corpus: %d pairs of different words meet through a clitic, %d of them listed collisions", len(pairs), bad)
}
