package bot

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/migrawatch/migrawatch/internal/news"
)

// categoriesOf lists the CLDR plural categories whole numbers take in lang.
func categoriesOf(lang string) []string {
	set := map[string]bool{}
	for n := range 2001 {
		set[pluralCategory(lang, n)] = true
	}
	set[pluralCategory(lang, 1_000_000)] = true
	return slices.Sorted(maps.Keys(set))
}

func TestPlural_CLDRCategoriesOfEachLanguage(t *testing.T) {
	want := map[string][]string{
		news.English: {"one", "other"},
		news.French:  {"one", "other"},
		news.Arabic:  {"few", "many", "one", "other", "two", "zero"},
	}
	for lang, w := range want {
		if got := categoriesOf(lang); !slices.Equal(got, w) {
			t.Errorf("%s: categories %v, want %v", lang, got, w)
		}
	}
	for n, want := range map[int]string{0: "zero", 1: "one", 2: "two", 3: "few", 10: "few", 11: "many", 99: "many", 100: "other", 102: "other", 103: "few", 111: "many"} {
		if got := pluralCategory(news.Arabic, n); got != want {
			t.Errorf("Arabic %d: %s, want %s", n, got, want)
		}
	}
	if got := pluralCategory(news.French, 0); got != "one" {
		t.Errorf("French 0 is %s; CLDR makes it one (0 article)", got)
	}
}

// TestCatalog_EveryPluralHasItsLanguagesCategories keeps the hand-written
// forms honest: each block gives exactly the forms its language's rules
// can ask for, each with the number unless the form names it in words.
func TestCatalog_EveryPluralHasItsLanguagesCategories(t *testing.T) {
	blocks := 0
	for _, lang := range news.Languages {
		want := categoriesOf(lang)
		for key, text := range catalog[lang] {
			for _, m := range pluralRE.FindAllStringSubmatch(text, -1) {
				blocks++
				forms := pluralForms(m[2])
				if got := slices.Sorted(maps.Keys(forms)); !slices.Equal(got, want) {
					t.Errorf("%s %q {%s}: categories %v, want %v", lang, key, m[1], got, want)
				}
				if len(strings.Split(m[2], "|")) != len(forms) {
					t.Errorf("%s %q {%s}: a form is given twice or has no category", lang, key, m[1])
				}
			}
		}
	}
	if blocks < 30 {
		t.Errorf("only %d plural blocks in the catalogs", blocks)
	}
}

func TestTr_CountsAgreeInThreeLanguages(t *testing.T) {
	tests := []struct {
		lang, key string
		args      []any
		want      string
	}{
		{"en", "export_caption", []any{"n", 1}, "1 feed as OPML. Send this file to MigraWatch (or another reader) to import it."},
		{"en", "export_caption", []any{"n", 3}, "3 feeds as OPML. Send this file to MigraWatch (or another reader) to import them."},
		{"en", "page_offer", []any{"url", "u", "n", 1, "title", "t"}, "«u» has no news feed, but it lists 1 article,"},
		{"en", "testalert_result", []any{"query", "q", "count", 0, "total", 1}, "would have matched <b>0</b> of the one article of"},
		{"fr", "testalert_result", []any{"query", "q", "count", 1, "total", 0}, "aurait trouvé <b>1</b> article sur 0 paru ces"},
		{"fr", "testalert_result", []any{"query", "q", "count", 2, "total", 40}, "aurait trouvé <b>2</b> articles sur 40 parus ces"},
		{"fr", "import_summary", []any{"added", 1, "already", 0, "failed", 2}, "1 ajouté, 0 déjà suivi, 2 en échec"},
		{"fr", "page_done", []any{"name", "n", "n", 1, "newest", rawHTML("")}, "J’y ai trouvé 1 article ; le voici :"},
		{"ar", "testalert_result", []any{"query", "q", "count", 0, "total", 0}, "من أصل 0 مقال في"},
		{"ar", "testalert_result", []any{"query", "q", "count", 1, "total", 1}, "من أصل مقال واحد في"},
		{"ar", "testalert_result", []any{"query", "q", "count", 1, "total", 2}, "من أصل مقالين في"},
		{"ar", "testalert_result", []any{"query", "q", "count", 1, "total", 7}, "من أصل 7 مقالات في"},
		{"ar", "testalert_result", []any{"query", "q", "count", 1, "total", 40}, "من أصل 40 مقالًا في"},
		{"ar", "testalert_result", []any{"query", "q", "count", 1, "total", 300}, "من أصل 300 مقال في"},
		{"ar", "export_caption", []any{"n", 1}, "موجز واحد بصيغة OPML. أرسل هذا الملف إلى MigraWatch (أو إلى قارئ آخر) لاستيراده."},
	}
	for _, tt := range tests {
		if got := tr(tt.lang, tt.key, tt.args...); !strings.Contains(got, tt.want) {
			t.Errorf("%s %s %v:\n got %q\nwant %q", tt.lang, tt.key, tt.args, got, tt.want)
		}
	}
}

func TestTr_PluralWithoutAWholeNumberKeepsTheValue(t *testing.T) {
	got := tr("en", "export_caption", "n", "<many>")
	if !strings.HasPrefix(got, "&lt;many&gt; feeds as OPML") {
		t.Errorf("got %q", got)
	}
}
