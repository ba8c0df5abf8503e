package textproc

import (
	"strings"
	"testing"

	"github.com/migrawatch/migrawatch/internal/summarize/summarizetest"
)

func benchText(b *testing.B) string {
	b.Helper()
	var sb strings.Builder
	for _, g := range loadGold(b) {
		sb.WriteString(g.Title)
		sb.WriteString("\n")
		sb.WriteString(g.Text)
		sb.WriteString("\n\n")
	}
	seed, err := summarizetest.ReadSeed("2m-iom-agadir.txt")
	if err != nil {
		b.Fatal(err)
	}
	sb.Write(seed)
	return sb.String()
}

// BenchmarkBaselineLowerFields is the floor the others are compared with:
// strings.ToLower and strings.Fields over the same text.
func BenchmarkBaselineLowerFields(b *testing.B) {
	text := benchText(b)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		_ = strings.Fields(strings.ToLower(text))
	}
}

func BenchmarkNormalize(b *testing.B) {
	text := benchText(b)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		_ = Normalize(text)
	}
}

func BenchmarkTerms(b *testing.B) {
	gold := loadGold(b)
	var n int64
	for _, g := range gold {
		n += int64(len(g.Text))
	}
	b.SetBytes(n)
	for b.Loop() {
		for _, g := range gold {
			_ = Terms(g.Language, g.Text)
		}
	}
}

func BenchmarkSentences(b *testing.B) {
	gold := loadGold(b)
	var n int64
	for _, g := range gold {
		n += int64(len(g.Text))
	}
	b.SetBytes(n)
	for b.Loop() {
		for _, g := range gold {
			_ = Sentences(g.Text, g.Language)
		}
	}
}

func BenchmarkDetectLanguage(b *testing.B) {
	gold := loadGold(b)
	for b.Loop() {
		for _, g := range gold {
			_ = DetectLanguage(g.Text, "")
		}
	}
}
