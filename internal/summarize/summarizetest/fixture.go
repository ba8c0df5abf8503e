package summarizetest

import (
	"embed"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migrawatch/migrawatch/internal/news"
)

// The seed article's fixtures, kept once for every package's tests:
//
//   - 2m-iom-agadir.txt: the headline, then the text (shared/corpus/seed);
//   - 2m-iom-agadir.expected.json: what its summary must hold;
//   - 2m-iom-agadir-article.html: its page as 2M.ma served it.
//
//go:embed testdata/2m-iom-agadir.txt testdata/2m-iom-agadir.expected.json testdata/2m-iom-agadir-article.html
var seed embed.FS

// ReadSeed returns the named fixture of the seed article.
func ReadSeed(name string) ([]byte, error) {
	return seed.ReadFile("testdata/" + name)
}

// SeedPath writes the named fixture into a directory of t's and returns its
// path, for code under test that reads files.
func SeedPath(t testing.TB, name string) string {
	t.Helper()
	b, err := ReadSeed(name)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// SeedArticle is the seed article as the pipeline understands it: item
// with the seed's headline, its Arabic text, relevant to migration, the
// lead as gist, and both quotes with their speakers as the expected
// summary has them.
func SeedArticle(t testing.TB, item news.Item) news.Article {
	t.Helper()
	raw, err := ReadSeed("2m-iom-agadir.expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var exp struct {
		Headline string `json:"headline"`
		Quotes   []struct {
			Speaker string `json:"speaker"`
			Role    string `json:"speaker_role"`
			Start   string `json:"quote_starts_with"`
			End     string `json:"quote_ends_with"`
		} `json:"quotes"`
	}
	if err := json.Unmarshal(raw, &exp); err != nil {
		t.Fatal(err)
	}
	body, err := ReadSeed("2m-iom-agadir.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := string(body)
	start := strings.Index(text, "قالت")
	lead := text[start:]
	lead = lead[:strings.Index(lead, "المجاورة.")+len("المجاورة.")]
	item.Title = exp.Headline
	a := news.Article{
		Item:       item,
		SourceName: "2M.ma",
		Lang:       "ar",
		Text:       text[start:],
		Relevance:  news.Relevance{Relevant: true, Score: 3, Matched: []string{"هجرة", "المهاجرين", "أكادير"}},
		Summary:    news.Summary{Gist: []string{lead}},
	}
	for _, q := range exp.Quotes {
		i, j := strings.Index(text, q.Start), strings.Index(text, q.End)
		if i < 0 || j < i {
			t.Fatalf("quote %q not in the seed text", q.Start)
		}
		a.Summary.Quotes = append(a.Summary.Quotes, news.Quote{Text: text[i : j+len(q.End)], Speaker: q.Speaker, Role: q.Role})
	}
	return a
}
