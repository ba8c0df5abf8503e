// Package chart draws the small PNG charts the bot sends to operators, such
// as stories per day and language. It uses only the standard image packages
// and a built-in bitmap font, so it needs no system fonts or network.
package chart

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"sort"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Day is one day's story counts by language.
type Day struct {
	Date   time.Time
	Counts map[string]int
}

// palette gives each language a fixed colour so charts stay comparable.
var palette = map[string]color.RGBA{
	"ar": {0x1b, 0x9e, 0x77, 0xff},
	"fr": {0x75, 0x70, 0xb3, 0xff},
	"en": {0xd9, 0x5f, 0x02, 0xff},
}

var other = color.RGBA{0x99, 0x99, 0x99, 0xff}

const (
	width, height = 800, 400
	left, right   = 50, 20
	top, bottom   = 40, 50
)

// Key is the colour chart draws lang in, as a square emoji, so that a
// caption in the reader's language can be the chart's legend: the chart's
// bitmap font has Latin letters only, so the picture itself carries no
// words, only colours, numbers and dates.
func Key(lang string) string {
	switch lang {
	case "ar":
		return "🟩"
	case "fr":
		return "🟪"
	case "en":
		return "🟧"
	}
	return "⬜"
}

// StoriesPerDay draws stacked bars of stories per day, one colour per
// language, with the y scale and the dates under the bars written with
// dateLayout (a time layout such as "02/01" or "Jan 2"). It has no title
// and no words: Key gives each language's colour for a caption.
func StoriesPerDay(days []Day, dateLayout string) ([]byte, error) {
	if len(days) == 0 {
		return nil, fmt.Errorf("chart: no days to draw")
	}
	if dateLayout == "" {
		dateLayout = "01-02"
	}
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)

	langs := languages(days)
	maxTotal := 1
	for _, d := range days {
		t := 0
		for _, n := range d.Counts {
			t += n
		}
		maxTotal = max(maxTotal, t)
	}
	plotW, plotH := width-left-right, height-top-bottom
	axis := color.RGBA{0x33, 0x33, 0x33, 0xff}
	fill(img, image.Rect(left, top, left+1, top+plotH), axis)
	fill(img, image.Rect(left, top+plotH, left+plotW, top+plotH+1), axis)
	text(img, 4, top+8, fmt.Sprint(maxTotal), axis)
	text(img, 4, top+plotH, "0", axis)

	slot := plotW / len(days)
	barW := max(1, slot*3/4)
	labelEvery := max(1, len(days)/8)
	for i, d := range days {
		x := left + 2 + i*slot
		y := top + plotH
		for _, l := range langs {
			n := d.Counts[l]
			if n <= 0 {
				continue
			}
			h := n * plotH / maxTotal
			c, ok := palette[l]
			if !ok {
				c = other
			}
			fill(img, image.Rect(x, y-h, x+barW, y), c)
			y -= h
		}
		if i%labelEvery == 0 {
			text(img, x, top+plotH+16, d.Date.Format(dateLayout), axis)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	return buf.Bytes(), nil
}

func languages(days []Day) []string {
	set := map[string]bool{}
	for _, d := range days {
		for l := range d.Counts {
			set[l] = true
		}
	}
	out := make([]string, 0, len(set))
	for l := range set {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

func fill(img *image.RGBA, r image.Rectangle, c color.Color) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}

func text(img *image.RGBA, x, y int, s string, c color.Color) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}
