package page

import (
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/migrawatch/migrawatch/internal/textproc"
)

// anchorText is one text a link is known by on the page, and how much it
// looks like the headline: a heading's text beats the visible text of the
// link, which beats its title attribute, which beats an image's alt text
// or the words next to an empty link.
type anchorText struct {
	text string
	rank int
}

const (
	rankNearby = iota
	rankAlt
	rankTitle
	rankText
	rankHeading
)

// textsOf lists what an anchor says about its target.
func textsOf(a *goquery.Selection) []anchorText {
	var out []anchorText
	add := func(s string, rank int) {
		if s = clean(s); s != "" {
			out = append(out, anchorText{s, rank})
		}
	}
	// A heading inside the link (a card: kicker, headline, date) or around
	// it is the headline; the rest of the card is not.
	heads := a.Find("h1, h2, h3, h4, h5, h6")
	if heads.Length() > 0 {
		best := ""
		heads.Each(func(_ int, h *goquery.Selection) {
			if t := clean(h.Text()); utf8.RuneCountInString(t) > utf8.RuneCountInString(best) {
				best = t
			}
		})
		add(best, rankHeading)
	} else if inHeading(a) {
		add(a.Text(), rankHeading)
	} else {
		add(a.Text(), rankText)
	}
	if t, ok := a.Attr("title"); ok {
		add(t, rankTitle)
	}
	if t, ok := a.Find("img[alt]").Attr("alt"); ok {
		add(t, rankAlt)
	}
	if len(out) == 0 {
		// An empty link laid over a card: the card's own words name it.
		if p := a.Parent(); p.Length() > 0 {
			if t := clean(p.Text()); utf8.RuneCountInString(t) <= 200 {
				add(t, rankNearby)
			}
		}
	}
	return out
}

func inHeading(a *goquery.Selection) bool {
	for n := a.Get(0).Parent; n != nil; n = n.Parent {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.Data {
		case "h1", "h2", "h3", "h4", "h5", "h6":
			return true
		case "div", "li", "article", "section", "td", "p":
			return false
		}
	}
	return false
}

func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

// headline reports whether text reads like a headline: a few words, not a
// label ("Société", "المزيد") nor a whole paragraph.
func headline(text string) bool {
	n := utf8.RuneCountInString(text)
	return n >= 15 && n <= 300 && len(textproc.Words(text)) >= 3
}

// title is the best text the link is known by: the highest-ranked
// headline-like text, else the longest text of the highest rank.
func (c *candidate) title() string {
	best, bestRank, bestHead := "", -1, false
	for _, t := range c.texts {
		h := headline(t.text)
		better := h && !bestHead ||
			h == bestHead && (t.rank > bestRank ||
				t.rank == bestRank && utf8.RuneCountInString(t.text) > utf8.RuneCountInString(best))
		if better {
			best, bestRank, bestHead = t.text, t.rank, h
		}
	}
	return best
}

// words is the number of words of the link's title.
func (c *candidate) words() int { return len(textproc.Words(c.title())) }

// hasText reports whether the page names the link at all.
func (c *candidate) hasText() bool { return c.title() != "" }

// label reports whether the link reads as the name of its target rather
// than a headline: a few words, every one of them spelt in the path
// ("Communiqués de Presse" -> /communiques-de-presse/). Section, tag and
// archive links look like that; a headline says more than its address.
func (c *candidate) label() bool {
	words := textproc.Words(c.title())
	if len(words) == 0 || len(words) > 4 {
		return false
	}
	inPath := map[string]bool{}
	for _, s := range c.shape.segments {
		for _, w := range textproc.Words(strings.NewReplacer("-", " ", "_", " ", "+", " ", ".", " ").Replace(s)) {
			inPath[w] = true
		}
	}
	for _, w := range words {
		if utf8.RuneCountInString(w) > 1 && !inPath[w] {
			return false
		}
	}
	return true
}
