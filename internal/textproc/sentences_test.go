package textproc

import (
	"slices"
	"strings"
	"testing"

	"github.com/migrawatch/migrawatch/internal/summarize/summarizetest"
)

func sentenceTexts(ss []Sentence) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Text
	}
	return out
}

// checkOffsets asserts the contract every caller relies on: each sentence is
// exactly text[Start:End], in order and without overlap.
func checkOffsets(t *testing.T, text string, ss []Sentence) {
	t.Helper()
	prev := 0
	for i, s := range ss {
		if s.Start < prev || s.End < s.Start || s.End > len(text) {
			t.Fatalf("sentence %d [%d:%d] out of order or range (prev end %d, len %d)", i, s.Start, s.End, prev, len(text))
		}
		if text[s.Start:s.End] != s.Text {
			t.Fatalf("sentence %d: text[%d:%d] = %q, Text = %q", i, s.Start, s.End, text[s.Start:s.End], s.Text)
		}
		if strings.TrimSpace(s.Text) != s.Text || s.Text == "" {
			t.Fatalf("sentence %d not trimmed: %q", i, s.Text)
		}
		prev = s.End
	}
}

func TestSentences(t *testing.T) {
	tests := []struct {
		name, lang, text string
		want             []string
	}{
		{"en basic", "en", "Migrants arrived. They were tired! Where now? Nobody knows.",
			[]string{"Migrants arrived.", "They were tired!", "Where now?", "Nobody knows."}},
		{"en titles", "en", "Mr. Smith met Dr. Jones and Mrs. Brown. They talked.",
			[]string{"Mr. Smith met Dr. Jones and Mrs. Brown.", "They talked."}},
		{"en acronym and initial", "en", "The U.S. border agency and J. Doe said so. Then it rained.",
			[]string{"The U.S. border agency and J. Doe said so.", "Then it rained."}},
		{"en decimals", "en", "Arrivals rose 3.5 percent in 2023. Deaths fell.",
			[]string{"Arrivals rose 3.5 percent in 2023.", "Deaths fell."}},
		{"en quote after period", "en", `"We will not go back," she said. "It is not safe." Police watched.`,
			[]string{`"We will not go back," she said.`, `"It is not safe."`, "Police watched."}},
		{"en question inside quote continues", "en", `"Why now?" asked the minister. He left.`,
			[]string{`"Why now?" asked the minister.`, "He left."}},
		{"en ellipsis", "en", "They waited... and waited. Then... Nothing came.",
			[]string{"They waited... and waited.", "Then...", "Nothing came."}},
		{"en newline boundary", "en", "Headline without period\nBody starts here. Ends.",
			[]string{"Headline without period", "Body starts here.", "Ends."}},
		{"fr abbreviations", "fr", "M. Darmanin et Mme Dupont ont parlé. Le Dr. Martin aussi.",
			[]string{"M. Darmanin et Mme Dupont ont parlé.", "Le Dr. Martin aussi."}},
		{"fr guillemets with space", "fr", "« Nous partirons demain. » Il a quitté Calais. Fin.",
			[]string{"« Nous partirons demain. »", "Il a quitté Calais.", "Fin."}},
		{"fr guillemets with no-break space", "fr", "«\u00a0C'est la panique.\u00a0» Oumar se tait.",
			[]string{"«\u00a0C'est la panique.\u00a0»", "Oumar se tait."}},
		{"fr question then incise", "fr", "« Pourquoi ? » a-t-il demandé. Silence.",
			[]string{"« Pourquoi ? » a-t-il demandé.", "Silence."}},
		{"fr decimal comma", "fr", "Le taux atteint 3,5 %. Il baisse.",
			[]string{"Le taux atteint 3,5 %.", "Il baisse."}},
		{"fr ellipsis char", "fr", "Ils attendent… Personne ne vient.",
			[]string{"Ils attendent…", "Personne ne vient."}},
		{"ar question and full stop", "ar", "هل يعود المهاجرون؟ لا أحد يعرف. انتهى",
			[]string{"هل يعود المهاجرون؟", "لا أحد يعرف.", "انتهى"}},
		{"ar urdu-style full stop", "ar", "وصل المهاجرون۔ ثم غادروا",
			[]string{"وصل المهاجرون۔", "ثم غادروا"}},
		{"ar comma is not an end", "ar", "قالت الوزيرة، في تصريح، إن الهجرة مهمة. وأضافت ذلك.",
			[]string{"قالت الوزيرة، في تصريح، إن الهجرة مهمة.", "وأضافت ذلك."}},
		{"ar quote after period", "ar", `قالت: "نحن هنا." ثم غادرت.`,
			[]string{`قالت: "نحن هنا."`, "ثم غادرت."}},
		{"paragraphs", "fr", "Premier paragraphe.\n\nSecond paragraphe.",
			[]string{"Premier paragraphe.", "Second paragraphe."}},
		{"punctuation only lines dropped", "en", "Text.\n***\n• \nMore.",
			[]string{"Text.", "More."}},
		{"empty", "en", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss := Sentences(tt.text, tt.lang)
			checkOffsets(t, tt.text, ss)
			if got := sentenceTexts(ss); !slices.Equal(got, tt.want) {
				t.Errorf("Sentences(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestSentences_SplitsLongArabicAtClause(t *testing.T) {
	clause := "وقالت المنظمة إن عدد المهاجرين الذين وصلوا إلى السواحل الإيطالية ارتفع هذا العام بشكل كبير مقارنة بالعام الماضي"
	text := clause + "، " + clause + "، كما " + clause + "، " + clause + "."
	if n := len(strings.Fields(text)); n <= longArabicSentence {
		t.Fatalf("test sentence has %d words, want more than %d", n, longArabicSentence)
	}
	ss := Sentences(text, "ar")
	checkOffsets(t, text, ss)
	if len(ss) < 2 {
		t.Fatalf("long sentence not split: %q", sentenceTexts(ss))
	}
	for _, s := range ss {
		if n := len(strings.Fields(s.Text)); n > longArabicSentence {
			t.Errorf("clause of %d words left: %q", n, s.Text)
		}
	}
	if !strings.HasSuffix(ss[0].Text, "،") {
		t.Errorf("first clause should end at the comma: %q", ss[0].Text)
	}
	if first := strings.Fields(ss[1].Text)[0]; first != "وقالت" && first != "كما" {
		t.Errorf("second clause starts with %q, want a clause opener", first)
	}
	// The same sentence in French is not split.
	if got := Sentences(text, "fr"); len(got) != 1 {
		t.Errorf("non-Arabic text split into %d sentences", len(got))
	}
}

func TestSentences_VeryLongArabicWithoutOpenerSplitsAtComma(t *testing.T) {
	clause := "عدد المهاجرين الذين وصلوا إلى السواحل الإيطالية ارتفع هذا العام بشكل كبير مقارنة بالعام الماضي حسب المنظمة"
	text := strings.TrimSuffix(strings.Repeat(clause+"، ", 6), "، ") + "."
	ss := Sentences(text, "ar")
	checkOffsets(t, text, ss)
	if len(ss) < 2 {
		t.Fatalf("%d-word sentence not split", len(strings.Fields(text)))
	}
	for _, s := range ss {
		if n := len(strings.Fields(s.Text)); n > longArabicSentence*3/2 {
			t.Errorf("part of %d words left: %q", n, s.Text)
		}
	}
	// Just over the limit, a comma without a clause opener is no boundary.
	short := strings.TrimSuffix(strings.Repeat(clause+"، ", 4), "، ") + "."
	if n := len(strings.Fields(short)); n <= longArabicSentence || n > longArabicSentence*3/2 {
		t.Fatalf("test sentence has %d words", n)
	}
	if got := Sentences(short, "ar"); len(got) != 1 {
		t.Errorf("sentence of %d words split without a clause opener", len(strings.Fields(short)))
	}
}

func TestSentences_Seed(t *testing.T) {
	b, err := summarizetest.ReadSeed("2m-iom-agadir.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	ss := Sentences(text, "ar")
	checkOffsets(t, text, ss)
	if !strings.HasPrefix(ss[0].Text, "رئيسة بعثة المنظمة الدولية للهجرة") || !strings.HasSuffix(ss[0].Text, "مهمة") {
		t.Errorf("first sentence is not the headline line: %q", ss[0].Text)
	}
	var lead string
	for _, s := range ss {
		if strings.HasPrefix(s.Text, "قالت رئيسة بعثة") {
			lead = s.Text
		}
	}
	if !strings.HasSuffix(lead, "في المدينة والجماعات المجاورة.") {
		t.Errorf("lead sentence not found whole: %q", lead)
	}
	for _, s := range ss {
		if n := len(strings.Fields(s.Text)); n > longArabicSentence+20 {
			t.Errorf("sentence of %d words: %q", n, s.Text)
		}
	}
}
