package alert

import (
	"net/url"
	"slices"
	"strings"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/textproc"
)

// Document is an article prepared for matching: its words, normalized and
// compared the way query words are, with their positions, for the title and
// the text separately; its source id and host; its language. Build it once
// per article with NewDocument and match it against any number of alerts.
type Document struct {
	title, body field
	sourceID    string
	hosts       []string // the link's host and its parent domains
	speakers    []string // what speaker: values it matches (documentSpeakers)
	lang        string
	// anchors are every index key present in the document, each once:
	// word keys, title word keys (marked), source and language keys.
	anchors []string
	// states are the word states of title and text (see field.states),
	// sorted and unique: prefix anchors are looked up by their beginnings.
	states []string
}

// field is the words of the title or of the text.
type field struct {
	// keys maps the compared form of each word (StripClitics of the
	// normalized word) to its positions in the field, ascending.
	keys map[string][]int32
	// states are every form a word passes through while its clitics are
	// stripped (the normalized word first), sorted and unique: a prefix
	// matches when one of them starts with it.
	states []string
}

// NewDocument prepares article a for matching: Title and Text are tokenized
// with textproc.Words, FeedID is the source id, Link gives the host, Lang
// the language.
func NewDocument(a news.Article) *Document {
	d := &Document{
		sourceID: strings.ToLower(a.FeedID),
		lang:     a.Lang,
		hosts:    hostsOf(a.Link),
	}
	cache := make(map[string]*wordForms, 512)
	d.title = newField(textproc.Words(a.Title), cache, 1)
	d.body = newField(textproc.Words(a.Text), cache, 2)

	seen := make(map[string]struct{}, len(d.body.keys)+len(d.title.keys))
	add := func(k string) {
		if _, ok := seen[k]; !ok {
			seen[k] = struct{}{}
			d.anchors = append(d.anchors, k)
		}
	}
	for k := range d.title.keys {
		add(k)
		add(titleMark + k)
	}
	for k := range d.body.keys {
		add(k)
	}
	d.states = mergeUnique(d.title.states, d.body.states)
	if d.sourceID != "" {
		add(sourceAnchor(d.sourceID))
	}
	for _, h := range d.hosts {
		add(sourceAnchor(h))
	}
	if d.lang != "" {
		add(langAnchor(d.lang))
	}
	d.speakers = documentSpeakers(a)
	for _, k := range d.speakers {
		add(speakerAnchor(k))
	}
	return d
}

// wordForms is what a word contributes to a field.
type wordForms struct {
	key string
	// stripped are the states after the word itself (none for a word
	// without clitics, which is most of them).
	stripped []string
	field    int // the last field that took the states
}

func formsOf(w string, cache map[string]*wordForms) *wordForms {
	if f, ok := cache[w]; ok {
		return f
	}
	f := &wordForms{key: wordKey(w)}
	for s := w; s != f.key; {
		next, ok := stripOneClitic(s)
		if !ok {
			break
		}
		s = next
		f.stripped = append(f.stripped, s)
	}
	cache[w] = f
	return f
}

func newField(words []string, cache map[string]*wordForms, fieldID int) field {
	f := field{keys: make(map[string][]int32, len(words))}
	for i, w := range words {
		wf := formsOf(w, cache)
		if wf.field != fieldID {
			wf.field = fieldID
			f.states = append(f.states, w)
			f.states = append(f.states, wf.stripped...)
		}
		f.keys[wf.key] = append(f.keys[wf.key], int32(i))
	}
	slices.Sort(f.states)
	f.states = slices.Compact(f.states)
	return f
}

// mergeUnique merges two sorted lists of unique strings.
func mergeUnique(a, b []string) []string {
	out := make([]string, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i] < b[j]:
			out = append(out, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i, j = i+1, j+1
		}
	}
	return out
}

// hasPrefix reports whether a word of the field starts with prefix.
func (f *field) hasPrefix(prefix string) bool {
	i, _ := slices.BinarySearch(f.states, prefix)
	return i < len(f.states) && strings.HasPrefix(f.states[i], prefix)
}

// hasPhrase reports whether keys occur at consecutive positions.
func (f *field) hasPhrase(keys []string) bool {
	var small [8][]int32
	lists := small[:0]
	if len(keys) > len(small) {
		lists = make([][]int32, 0, len(keys))
	}
	lists = lists[:len(keys)]
	for i, k := range keys {
		l, ok := f.keys[k]
		if !ok {
			return false
		}
		lists[i] = l
	}
	for _, start := range lists[0] {
		ok := true
		for i := 1; i < len(lists); i++ {
			if _, found := slices.BinarySearch(lists[i], start+int32(i)); !found {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// hostsOf is the host of link without "www." and its parent domains down to
// two labels: news.example.co.ma gives news.example.co.ma, example.co.ma, co.ma.
func hostsOf(link string) []string {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil {
		return nil
	}
	h := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	var hosts []string
	for h != "" && strings.Contains(h, ".") {
		hosts = append(hosts, h)
		_, h, _ = strings.Cut(h, ".")
	}
	return hosts
}

// Index keys other than words start with a byte no word contains.
const (
	prefixMark = "\x01" // marks a prefix anchor in an alert's anchor list
	sourceMark = "\x02"
	langMark   = "\x03"
	titleMark  = "\x04"
)

// maxPrefixAnchor is the longest prefix a document lists: a longer prefix
// in a query is anchored on its first maxPrefixAnchor letters.
const maxPrefixAnchor = 10

// prefixAnchor is the anchor of a prefix: its first maxPrefixAnchor letters,
// marked, and whether that is the whole prefix.
func prefixAnchor(p string) (string, bool) {
	n := 0
	for i := range p {
		if n == maxPrefixAnchor {
			return prefixMark + p[:i], false
		}
		n++
	}
	return prefixMark + p, true
}

func sourceAnchor(v string) string { return sourceMark + v }
func langAnchor(v string) string   { return langMark + v }
