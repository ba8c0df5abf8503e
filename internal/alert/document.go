package alert

import (
	"hash/maphash"
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
	slot        int // langSlot(lang): which tree of a query applies
	// anchors are every index key present in the document, each once:
	// word keys, title word keys (marked), source and language keys, with
	// the positions of word keys, so that matching compares phrases on
	// term ids without hashing a word again.
	anchors []docAnchor
	// states are the readings of the words of title and text (see
	// field.states), sorted and unique: prefix anchors are looked up by
	// their beginnings.
	states []string
}

// field is the words of the title or of the text.
type field struct {
	// keys maps each key of a word (the stems of its readings, and its
	// readings marked with exactMark: see wordKeys) to its positions in
	// the field, ascending. One position has several keys.
	keys map[string][]int32
	// states are every reading of the words (textproc.Readings: the
	// normalized word first), sorted and unique: a prefix matches when one
	// of them starts with it.
	states []string
}

// NewDocument prepares article a for matching: Title and Text are tokenized
// with textproc.Words, FeedID is the source id, Link gives the host, Lang
// the language. A title the feed did not give (TitleGuessed: the first words
// of the description) is not a title: its words count as text only.
func NewDocument(a news.Article) *Document {
	d := &Document{
		sourceID: strings.ToLower(a.FeedID),
		lang:     a.Lang,
		slot:     langSlot(a.Lang),
		hosts:    hostsOf(a.Link),
	}
	cache := make(map[string]*wordForms, 512)
	lang := slotLangs[d.slot]
	if a.TitleGuessed {
		d.body = newField(lang, cache, 2, textproc.Words(a.Title), textproc.Words(a.Text))
	} else {
		d.title = newField(lang, cache, 1, textproc.Words(a.Title))
		d.body = newField(lang, cache, 2, textproc.Words(a.Text))
	}

	d.anchors = make([]docAnchor, 0, 2*len(d.title.keys)+len(d.body.keys)+len(d.hosts)+2)
	for k, pos := range d.title.keys {
		d.anchors = append(d.anchors, docAnchor{key: k, title: pos, body: d.body.keys[k]})
		d.anchors = append(d.anchors, docAnchor{key: titleMark + k, title: pos})
	}
	for k, pos := range d.body.keys {
		if _, ok := d.title.keys[k]; !ok {
			d.anchors = append(d.anchors, docAnchor{key: k, body: pos})
		}
	}
	for i := range d.anchors {
		d.anchors[i].fp = fingerprint(d.anchors[i].key)
	}
	d.states = mergeUnique(d.title.states, d.body.states)
	seen := make(map[string]bool, len(d.hosts)+1)
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			d.anchors = append(d.anchors, docAnchor{key: k, fp: fingerprint(k)})
		}
	}
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

// docAnchor is one index key of a document, with, for a word key, its
// positions in the title and in the text (a title-marked key has only
// title positions).
type docAnchor struct {
	key         string
	fp          termKey // fingerprint(key), computed once per article
	title, body []int32
}

// termKey is the fingerprint of an index key: two independent 64-bit
// hashes. The index looks terms up by fingerprint, so that matching an
// article compares 16 bytes held in the table instead of following each
// found key to its bytes; two different keys of the same fingerprint have
// a chance of 2^-128 per pair.
type termKey [2]uint64

var fingerprintSeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

func fingerprint(k string) termKey {
	return termKey{maphash.String(fingerprintSeeds[0], k), maphash.String(fingerprintSeeds[1], k)}
}

// wordForms is what a word contributes to a field.
type wordForms struct {
	// keys are the stems of its readings and its readings marked with
	// exactMark, each once.
	keys []string
	// readings are textproc.Readings of the word, the word first.
	readings []string
	field    int // the last field that took the readings
}

func formsOf(lang, w string, cache map[string]*wordForms) *wordForms {
	if f, ok := cache[w]; ok {
		return f
	}
	f := &wordForms{readings: textproc.Readings(w)}
	f.keys = textproc.Stems(lang, w, make([]string, 0, 2*len(f.readings)))
	for _, r := range f.readings {
		f.keys = append(f.keys, exactMark+r)
	}
	cache[w] = f
	return f
}

// newField indexes the words of one field, given as one or more runs of
// words; a phrase does not match across two runs.
func newField(lang string, cache map[string]*wordForms, fieldID int, runs ...[]string) field {
	n := 0
	for _, words := range runs {
		n += len(words)
	}
	f := field{keys: make(map[string][]int32, 2*n)}
	pos := int32(0)
	for _, words := range runs {
		for _, w := range words {
			wf := formsOf(lang, w, cache)
			if wf.field != fieldID {
				wf.field = fieldID
				f.states = append(f.states, wf.readings...)
			}
			for _, k := range wf.keys {
				f.keys[k] = append(f.keys[k], pos)
			}
			pos++
		}
		pos++ // a gap between runs
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
	return consecutive(lists)
}

// consecutive reports whether the position lists hold positions p, p+1,
// p+2 ... (one in each list, in order).
func consecutive(lists [][]int32) bool {
	for _, l := range lists {
		if len(l) == 0 {
			return false
		}
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
