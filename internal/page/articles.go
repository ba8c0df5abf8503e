package page

import (
	"sort"
	"strings"
)

// articles picks the article links among a page's candidates, in document
// order.
func articles(cands []*candidate) []Link {
	for _, c := range cands {
		c.shape = analyse(c.u)
	}
	sections := sectionLinks(cands)
	groups := map[string][]*candidate{}
	var order []string
	for _, c := range cands {
		if sections[c] {
			continue
		}
		if _, ok := groups[c.shape.coarse]; !ok {
			order = append(order, c.shape.coarse)
		}
		groups[c.shape.coarse] = append(groups[c.shape.coarse], c)
	}

	// The site's article shape is the shape of most headline links.
	primary, best := "", 1
	for _, k := range order {
		g := groups[k]
		if !articleLike(g[0].shape) {
			continue
		}
		if n := headlines(g); n > best {
			primary, best = k, n
		}
	}
	var sig string
	if primary != "" {
		sig = signature(groups[primary][0].shape)
	}
	accepted := map[*candidate]bool{}
	for _, k := range order {
		g := groups[k]
		switch {
		case k == primary:
			// The site's own article shape: every link of it is an article,
			// short headlines ("Trois premières mondiales") and image-only
			// teasers included.
			for _, c := range g {
				accepted[c] = true
			}
		case sig != "" && signature(g[0].shape) == sig &&
			(len(g) >= 2 || len(g[0].shape.segments) == len(groups[primary][0].shape.segments)):
			// The same kind of address in another directory (a regional
			// page, a weekly supplement, a video column): articles too, when
			// there are several of them or they sit at the articles' depth; a
			// lone link elsewhere is a page about the site or a dossier. An
			// address without id or date may be a section's, named by its
			// own words.
			named := !g[0].shape.longID && !g[0].shape.dated
			for _, c := range g {
				accepted[c] = c.hasText() && !(named && c.label())
			}
		case secondary(g, primary, groups):
			for _, c := range g {
				accepted[c] = c.hasText()
			}
		}
	}
	var out []Link
	for _, c := range cands {
		if accepted[c] {
			out = append(out, Link{URL: c.key, Text: c.title()})
		}
	}
	return out
}

// articleLike reports whether a shape can be an article's: dated, or ending
// in an id or a descriptive slug.
func articleLike(s shape) bool {
	switch s.last.class {
	case segID, segSlugID, segSlug:
		return true
	}
	return s.dated && s.last.class != segNone
}

// signature is what a site's article addresses share across sections:
// the kind of last segment, its suffix, the trailing slash, whether the
// path carries a date or a long id.
func signature(s shape) string {
	var b strings.Builder
	b.WriteString(s.last.key())
	for _, f := range []bool{s.slash, s.dated, s.longID} {
		if f {
			b.WriteString(" 1")
		} else {
			b.WriteString(" 0")
		}
	}
	return b.String()
}

// secondary reports whether a group of links of another shape than the
// site's article shape still holds articles (a video or opinion column
// with addresses of its own): titled links, several of them, headlines
// rather than labels, with dated or descriptive addresses. A number in the
// address is not enough (job ads and classifieds have ids too).
func secondary(g []*candidate, primary string, groups map[string][]*candidate) bool {
	s := g[0].shape
	if !s.dated && !s.last.descriptive() {
		return false
	}
	if primary != "" && groups[primary][0].shape.slash != s.slash {
		// A trailing slash where the site's articles have none (or the
		// reverse) marks a directory, not a document.
		return false
	}
	if headlines(g) < 2 {
		return false
	}
	var words []int
	for _, c := range g {
		if c.hasText() {
			words = append(words, c.words())
		}
	}
	sort.Ints(words)
	return len(words) > 0 && words[len(words)/2] >= 4
}

// headlines counts the links of a group known by a headline.
func headlines(g []*candidate) int {
	n := 0
	for _, c := range g {
		if headline(c.title()) {
			n++
		}
	}
	return n
}

// sectionLinks finds the links that lead to directories of other links on
// the page: a link whose last segment is a directory in another link's path
// (/actualites/sports/ beside /actualite/sports/un-titre/), or whose path
// is the beginning of two or more other links' paths.
func sectionLinks(cands []*candidate) map[*candidate]bool {
	dirs := map[string]bool{}
	for _, c := range cands {
		segs := c.shape.segments
		for i := 0; i+1 < len(segs); i++ {
			dirs[strings.ToLower(strings.TrimSpace(segs[i]))] = true
		}
	}
	paths := make([]string, 0, len(cands))
	for _, c := range cands {
		paths = append(paths, strings.ToLower(strings.TrimRight(c.u.Path, "/"))+"/")
	}
	sort.Strings(paths)
	out := map[*candidate]bool{}
	for _, c := range cands {
		segs := c.shape.segments
		if len(segs) == 0 {
			out[c] = true
			continue
		}
		last := strings.ToLower(strings.TrimSpace(segs[len(segs)-1]))
		if !isDigits(last) && dirs[last] {
			out[c] = true
			continue
		}
		p := strings.ToLower(strings.TrimRight(c.u.Path, "/")) + "/"
		i := sort.SearchStrings(paths, p)
		n := 0
		for j := i; j < len(paths) && strings.HasPrefix(paths[j], p); j++ {
			if paths[j] != p {
				n++
			}
		}
		if n >= 2 {
			out[c] = true
		}
	}
	return out
}
