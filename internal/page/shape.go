package page

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"github.com/migrawatch/migrawatch/internal/textproc"
)

// A shape describes a link's path the way a site's URL scheme does: what
// kind of segment sits at each depth, and what the last one is.
type shape struct {
	segments []string // decoded path segments, without the empty trailing one
	last     segment  // the last segment, analysed
	slash    bool     // the path ends with a slash
	dated    bool     // a date in the path: /2024/02/16/, -19-03-2018-, -20240216
	longID   bool     // a number of four digits or more (not a year) anywhere in the path
	// coarse is the shape as a key: one token per segment, literals
	// generalised, so that articles of different sections share it.
	coarse string
}

// segClass is what the last segment of a path is.
type segClass int

const (
	segNone   segClass = iota // no last segment: the site root
	segWord                   // one or two words: a section, tag or service ("sport", "mentions-legales")
	segWordN                  // words ending with a small number: a taxonomy counter ("mode-and-beaute-53", "rabat-2")
	segID                     // a number of four digits or more, alone or with at most two words ("1053073", "emploi-1051422")
	segSlugID                 // a descriptive slug and a long number ("six-morts-...-364692_109", "...-2251")
	segSlug                   // a descriptive slug of three words or more
)

type segment struct {
	class segClass
	ext   string   // lower-cased suffix without the dot: "html", "php", ""
	words []string // normalized words of the segment (digits left out)
}

// descriptive reports whether the segment names one document by its title.
func (s segment) descriptive() bool { return s.class == segSlug || s.class == segSlugID }

// analyse computes the shape of u's path.
func analyse(u *url.URL) shape {
	p := u.Path
	sh := shape{slash: strings.HasSuffix(p, "/") && p != "/"}
	for _, s := range strings.Split(strings.Trim(p, "/"), "/") {
		if s != "" {
			sh.segments = append(sh.segments, s)
		}
	}
	sh.dated = datedPath.MatchString(p) || datedSegment.MatchString(p)
	tokens := make([]string, 0, len(sh.segments)+1)
	for i, s := range sh.segments {
		for _, n := range digitRuns.FindAllString(s, -1) {
			if len(n) >= 4 && !isYear(n) {
				sh.longID = true
			}
		}
		if i == len(sh.segments)-1 {
			sh.last = classify(s)
			tokens = append(tokens, "last:"+sh.last.key())
			continue
		}
		tokens = append(tokens, inner(s))
	}
	if sh.slash {
		tokens = append(tokens, "/")
	}
	sh.coarse = strings.Join(tokens, " ")
	return sh
}

// inner is the coarse token of a segment that is not the last: numbers by
// their kind, anything else generalised (sections differ, the scheme does not).
func inner(s string) string {
	switch {
	case isDigits(s) && isYear(s):
		return "Y"
	case isDigits(s) && len(s) <= 2:
		return "m"
	case isDigits(s) && len(s) >= 4:
		return "#"
	case isDigits(s):
		return "n"
	}
	return "*"
}

// key names the segment's kind and suffix. An id with words and a slug
// with an id are one kind: a title-derived address with a number, however
// long the title.
func (s segment) key() string {
	kind := [...]string{"none", "word", "wordn", "id", "wordsid", "slug"}[s.class]
	if s.class == segID && len(s.words) > 0 {
		kind = "wordsid"
	}
	return kind + "." + s.ext
}

var (
	// datedPath matches a date in the directories of a path: /2024/02/ or /2024-02-16/.
	datedPath = regexp.MustCompile(`/(19|20)\d\d[/-](0?[1-9]|1[0-2])([/-]|$)`)
	// datedSegment matches a date written in a slug: 19-03-2018, 2018-03-19, 20180319.
	datedSegment = regexp.MustCompile(`(^|[^\d])(((0?[1-9]|[12]\d|3[01])[-_.](0?[1-9]|1[0-2])[-_.](19|20)\d\d)|((19|20)\d\d[-_.](0?[1-9]|1[0-2])[-_.](0?[1-9]|[12]\d|3[01]))|((19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])))([^\d]|$)`)
	digitRuns    = regexp.MustCompile(`\d+`)
)

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func isYear(s string) bool {
	return len(s) == 4 && (strings.HasPrefix(s, "19") || strings.HasPrefix(s, "20"))
}

// classify tells what a path's last segment is.
func classify(s string) segment {
	seg := segment{ext: extension(s)}
	name := s
	if seg.ext != "" {
		name = s[:len(s)-len(seg.ext)-1]
	}
	var long, small, trailingSmall bool
	var words []string
	for _, t := range strings.FieldsFunc(name, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	}) {
		trailingSmall = false
		hasLetter := strings.IndexFunc(t, unicode.IsLetter) >= 0
		for _, n := range digitRuns.FindAllString(t, -1) {
			switch {
			case len(n) >= 4 && !isYear(n):
				long = true
			case len(n) < 4 && !hasLetter:
				small, trailingSmall = true, true
			}
		}
		if hasLetter {
			words = append(words, textproc.Words(strings.Trim(t, "0123456789"))...)
		}
	}
	seg.words = words
	switch n := len(words); {
	case name == "":
		seg.class = segNone
	case long && n >= 3:
		seg.class = segSlugID
	case long:
		seg.class = segID
	case n >= 3 && trailingSmall:
		seg.class = segWordN
	case n >= 3:
		seg.class = segSlug
	case small && n > 0:
		seg.class = segWordN
	default:
		seg.class = segWord
	}
	return seg
}

// extension is the lower-cased suffix of a page name, "" when none; only
// short alphanumeric suffixes count (".html", ".php", ".aspx"), so that a
// dot inside a title is not one.
func extension(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i < 0 || i == len(name)-1 || len(name)-i-1 > 5 {
		return ""
	}
	ext := strings.ToLower(name[i+1:])
	for _, r := range ext {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			return ""
		}
	}
	if isDigits(ext) {
		return ""
	}
	return ext
}

func lastSegment(p string) string {
	p = strings.TrimRight(p, "/")
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}
