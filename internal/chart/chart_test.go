package chart

import (
	"bytes"
	"image/png"
	"testing"
	"time"
)

func TestStoriesPerDay_DrawsStackedBarsInLanguageColours(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var days []Day
	for i := range 14 {
		days = append(days, Day{Date: start.AddDate(0, 0, i), Counts: map[string]int{"ar": i, "fr": 2, "en": 14 - i}})
	}
	b, err := StoriesPerDay(days, "02/01")
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if img.Bounds().Dx() != width || img.Bounds().Dy() != height {
		t.Fatalf("size %v", img.Bounds())
	}
	found := map[string]bool{}
	for y := top; y < height-bottom; y++ {
		for x := left + 2; x < width-right; x++ {
			r, g, bb, _ := img.At(x, y).RGBA()
			for l, c := range palette {
				if uint8(r>>8) == c.R && uint8(g>>8) == c.G && uint8(bb>>8) == c.B {
					found[l] = true
				}
			}
		}
	}
	for _, l := range []string{"ar", "fr", "en"} {
		if !found[l] {
			t.Errorf("no bar pixels in the colour of %s", l)
		}
	}
}

func TestStoriesPerDay_NoDaysIsAnError(t *testing.T) {
	if _, err := StoriesPerDay(nil, ""); err == nil {
		t.Fatal("want an error for an empty series")
	}
}

// TestStoriesPerDay_HasNoWords keeps the words out of the picture, where the
// bitmap font could only write English: above the plot, where a title and a
// legend would go, every pixel is white.
func TestStoriesPerDay_HasNoWords(t *testing.T) {
	days := []Day{{Date: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Counts: map[string]int{"ar": 3, "fr": 1}}}
	b, err := StoriesPerDay(days, "02/01")
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	for y := range top - 2 {
		for x := left + 2; x < width; x++ {
			if r, g, bb, _ := img.At(x, y).RGBA(); r != 0xffff || g != 0xffff || bb != 0xffff {
				t.Fatalf("pixel (%d,%d) above the plot is drawn", x, y)
			}
		}
	}
	for _, l := range []string{"ar", "fr", "en"} {
		if Key(l) == Key("xx") {
			t.Errorf("%s has no colour key of its own", l)
		}
	}
}
