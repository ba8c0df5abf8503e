package textproc

import (
	"slices"
	"strings"
	"testing"
)

func TestQuoteSpans_PairsMarksOfEveryStyle(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"guillemets", "Il a dit « bonjour à tous » hier.", []string{" bonjour à tous "}},
		{"curly", "He said “hello there” and left.", []string{"hello there"}},
		{"low-high", "Er sagte „guten Tag“ heute.", []string{"guten Tag"}},
		{"single guillemets", "Il a dit ‹ non › hier.", []string{" non "}},
		{"ascii with inner spaces (seed)", `قائلة " من خلال اعتماد نهج." "دعم إدماج"، يعد`, []string{" من خلال اعتماد نهج.", "دعم إدماج"}},
		{"ascii continuation after a full stop", `"We lost the game. "But he responded well," said Robinson.`, []string{`We lost the game. "But he responded well,`}},
		{"across paragraphs when reopened", "\"First part of it.\n\n\"Second part.\" Then.", []string{"First part of it.\n\n\"Second part."}},
		{"left open, it ends with its paragraph", "\"Never closed here\n\nNext paragraph.", []string{"Never closed here"}},
		{"double prime as a quote mark", `لموقع "اليوم 24″ المغربي إن "حياة" تعمل`, []string{"اليوم 24", "حياة"}},
		{"a short title nested in an ascii quote", `"كان من باب المستحيل وصول الفيلم "علوش" للمسابقة الرسمية". وأضاف`, []string{`كان من باب المستحيل وصول الفيلم "علوش" للمسابقة الرسمية`}},
		{"several ascii quotes in one sentence", `"que je ne qualifierais pas de "gilet jaune", étaient "animés par la volonté".`, []string{`que je ne qualifierais pas de "gilet jaune`, "animés par la volonté"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, s := range QuoteSpans(tc.text) {
				got = append(got, tc.text[s.Start:s.End])
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSentencesAround_KeepsQuotesWhole(t *testing.T) {
	text := `« C'est un dossier vide. Je suis sidéré », a dit l'avocat. Il est parti.` + "\n\n" +
		`"We lost. We will win," he said. Then he left.` + "\n" + `Ils ont ajouté.« Si Macron ne s'explique pas, tout change », a estimé Marine Le Pen.`
	ss := SentencesAround(text, QuoteSpans(text))
	want := []string{
		`« C'est un dossier vide. Je suis sidéré », a dit l'avocat.`, "Il est parti.",
		`"We lost. We will win," he said.`, "Then he left.",
		"Ils ont ajouté.", `« Si Macron ne s'explique pas, tout change », a estimé Marine Le Pen.`,
	}
	if got := sentenceTexts(ss); !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	checkOffsets(t, text, ss)
}

func TestSentences_SplitsWhereAPageLostTheSpace(t *testing.T) {
	text := "Une cellule de crise sera activée.La tour Eiffel sera fermée. Les U.S.A. et M.Dupont restent. وقال الوزير ذلك.وأضاف أمس."
	got := sentenceTexts(Sentences(text, "fr"))
	want := []string{"Une cellule de crise sera activée.", "La tour Eiffel sera fermée.", "Les U.S.A. et M.Dupont restent.", "وقال الوزير ذلك.", "وأضاف أمس."}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// FuzzQuoteSpans checks that spans stay inside the text, in order, without
// overlap, whatever marks a text holds.
func FuzzQuoteSpans(f *testing.F) {
	for _, s := range []string{`"a "b" c"`, "« x » “y” „z“ ‹w›", "\"open\n\n\"again\" done", "\"\"\"\n\"«»“”", `قال: ""، وأضاف "`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		last := 0
		for _, s := range QuoteSpans(text) {
			if !(last <= s.Open && s.Open < s.Start && s.Start <= s.End && s.End <= s.Close && s.Close <= len(text)) {
				t.Fatalf("span %+v out of order (previous end %d, len %d)", s, last, len(text))
			}
			last = s.Close
		}
		ss := SentencesAround(text, QuoteSpans(text))
		prev := 0
		for _, s := range ss {
			if s.Start < prev || text[s.Start:s.End] != s.Text || strings.TrimSpace(s.Text) == "" {
				t.Fatalf("sentence %+v broken", s)
			}
			prev = s.End
		}
	})
}
