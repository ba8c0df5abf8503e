package textproc

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/migrawatch/migrawatch/internal/summarize/summarizetest"
)

// fuzzSeeds are short texts with every kind of character the normalizer and
// the splitter treat specially, plus the opening of the seed article.
func fuzzSeeds(f *testing.F) {
	f.Helper()
	for _, s := range []string{
		"", ".", "...", "M.", "U.S. ", "« Oui. » Non.", "\"Go.\" Then", "3.5 3,5",
		"الهِجْرَةُ؟ نعم۔ لا،", "\u200f\u202aأكادير\u202c", "ﻻجئ", "Œuvre Straße İstanbul",
		"l'asile d’un qu'il", "a\u0301\u0301b", "\xff\xfe invalid utf8 \xc3", "\n\n\r\n",
		"ǅ ǈ ﬁ ẞ ℌ Å", "٠١٢٣ ۴۵۶", "ـــــ", "«»“”‘’", "x.\u00a0» y",
	} {
		f.Add(s, "ar")
		f.Add(s, "fr")
	}
	b, err := summarizetest.ReadSeed("2m-iom-agadir.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b[:2000]), "ar")
	f.Add(strings.Repeat("كلمة، وكلمة ", 80)+".", "ar")
}

func FuzzNormalize(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, s, _ string) {
		n := Normalize(s)
		if utf8.ValidString(s) && !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8", s, n)
		}
		if again := Normalize(n); again != n {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, n, again)
		}
		for _, w := range Words(s) {
			if w == "" || Normalize(w) != w {
				t.Fatalf("Words(%q) gave %q, not a normalized word", s, w)
			}
		}
	})
}

func FuzzSentences(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, text, lang string) {
		ss := Sentences(text, lang)
		checkOffsets(t, text, ss)
		_ = DetectLanguage(text, lang)
		for _, s := range ss {
			_ = Terms(lang, s.Text)
		}
	})
}
