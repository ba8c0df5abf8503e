package textproc

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

type goldArticle struct {
	ID       string `json:"id"`
	Language string `json:"language"`
	Title    string `json:"title"`
	Text     string `json:"text"`
}

func loadGold(tb testing.TB) []goldArticle {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "gold", "*.json"))
	if err != nil {
		tb.Fatal(err)
	}
	if len(paths) != 42 {
		tb.Fatalf("gold set: %d articles, want 42", len(paths))
	}
	out := make([]goldArticle, 0, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		var g goldArticle
		if err := json.Unmarshal(b, &g); err != nil {
			tb.Fatalf("%s: %v", p, err)
		}
		out = append(out, g)
	}
	return out
}

func TestDetectLanguage_Gold(t *testing.T) {
	for _, g := range loadGold(t) {
		// No hint, and a wrong hint: the text must win either way.
		for _, hint := range []string{"", "ar", "fr", "en"} {
			if got := DetectLanguage(g.Title+"\n"+g.Text, hint); got != g.Language {
				t.Errorf("%s (hint %q): got %q, want %q", g.ID, hint, got, g.Language)
			}
		}
		// Titles alone are short; with the right hint they must not be misread.
		if got := DetectLanguage(g.Title, g.Language); got != g.Language {
			t.Errorf("%s title %q (hint %s): got %q", g.ID, g.Title, g.Language, got)
		}
	}
}

func TestDetectLanguage(t *testing.T) {
	tests := []struct {
		name, text, hint, want string
	}{
		{"arabic script decides", "المهاجرون", "fr", "ar"},
		{"arabic with latin brand", "رئيسة بعثة المنظمة الدولية للهجرة لـ 2M.ma", "", "ar"},
		{"french sentence", "Les migrants sont arrivés dans la nuit à Calais avec leurs enfants.", "", "fr"},
		{"english sentence", "The migrants arrived at the border with their children overnight.", "", "en"},
		{"french beats wrong hint", "Les demandeurs d'asile attendent une réponse de la préfecture depuis des mois.", "en", "fr"},
		{"short latin uses hint", "Frontex", "fr", "fr"},
		{"short latin without hint", "Frontex", "", ""},
		{"unsupported hint ignored", "Frontex", "sv", ""},
		{"empty uses hint", "", "ar", "ar"},
		{"digits only", "2024 - 15", "en", "en"},
		{"urdu is not arabic", "پاکستان ان دہشت گرد گروہوں کے خلاف کارروائی کرے جن کے خلاف ہم چاہتے ہیں", "ar", ""},
		{"persian is not arabic", "مهاجران افغان در ایران با مشکلات زیادی روبرو هستند و دولت ایران آنها را اخراج می‌کند", "", ""},
		{"swedish is neither", "Regeringen vill skärpa reglerna för arbetskraftsinvandring i Sverige", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DetectLanguage(tt.text, tt.hint); got != tt.want {
				t.Errorf("DetectLanguage(%q, %q) = %q, want %q", tt.text, tt.hint, got, tt.want)
			}
		})
	}
}
