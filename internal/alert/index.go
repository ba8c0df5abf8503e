package alert

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
)

// Index holds every chat's alerts compiled for matching. It is safe for
// concurrent use: matching takes a read lock, changes a write lock.
type Index struct {
	mu     sync.RWMutex
	chats  map[int64]map[string]*entry
	alerts int
	// Alerts are numbered densely by slot (free slots are listed in free)
	// so that postings are plain slot lists and matching keeps its
	// per-alert counters in a slice: the hot loop reads contiguous memory.
	post map[string][]int32 // anchor key -> slots of the alerts anchored there
	// prefixes holds the prefix anchors, keyed by the unmarked prefix, and
	// every beginning of them (MinPrefixLen letters or more), so that a
	// document walks each word's beginnings only while some prefix alert
	// could still match.
	prefixes map[string]*prefixNode
	// vpost lists, for an anchor key, the alerts that it rules out.
	vpost map[string][]int32
	// matchOf is, by slot, what Match reports for the alert.
	matchOf []news.AlertMatch
	slots   []*entry
	meta    []slotMeta
	free    []int32
}

// slotMeta is what the matching loop needs of an alert before evaluating it.
type slotMeta struct {
	need  uint8 // distinct anchors to find before evaluating (0: free slot)
	exact bool  // finding them is a match: nothing to evaluate
}

// entry is one compiled alert.
type entry struct {
	alert   news.Alert
	query   *Query
	anchors []string
	// need is how many distinct anchors a document must contain before
	// the alert is worth evaluating: 1 (any of them), or 2 for an AND with
	// two anchored children (both must be there).
	need uint8
	// exact is true when containing the anchors (and none of the vetoes)
	// is the same as matching: a plain word, source or language, an OR of
	// them, an AND of two, with or without negated ones.
	exact bool
	// vetoes are anchors that rule the alert out (its negated words).
	vetoes []string
	slot   int32
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{
		chats:    make(map[int64]map[string]*entry),
		post:     make(map[string][]int32),
		prefixes: make(map[string]*prefixNode),
		vpost:    make(map[string][]int32),
	}
}

// Len is the number of alerts in the index.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.alerts
}

func compile(a news.Alert) (*entry, error) {
	q, err := Parse(a.Query)
	if err != nil {
		return nil, err
	}
	keys, need, ok := plan(q.root)
	if !ok {
		// Parse refuses queries without a positive term; this cannot happen.
		return nil, &ParseError{Pos: 0, Code: CodeNegationOnly, Near: a.Query}
	}
	e := &entry{alert: a, query: q, anchors: keys, need: need, exact: exactPlan(q.root, need)}
	if !e.exact {
		e.vetoes, e.exact = vetoPlan(q.root, keys, need)
	}
	return e, nil
}

// vetoPlan handles an AND of exact leaves and negated ones (migrants
// -football): when the positive leaves are exactly the anchors plan chose,
// the negated leaves' anchors are vetoes, and an alert whose anchors are
// all found and none of its vetoes is a match without evaluation.
func vetoPlan(root *node, keys []string, need uint8) (vetoes []string, ok bool) {
	if root.op != opAnd {
		return nil, false
	}
	var pos []string
	for _, k := range root.kids {
		switch {
		case k.op == opNot && exactLeaf(k.kids[0]) && k.kids[0].op != opPrefix:
			kk, _, _ := anchors(k.kids[0], false)
			vetoes = append(vetoes, kk...)
		case exactLeaf(k):
			kk, _, _ := anchors(k, false)
			pos = append(pos, kk...)
		default:
			return nil, false
		}
	}
	slices.Sort(pos)
	pos = slices.Compact(pos)
	if len(vetoes) == 0 || len(pos) != int(need) || len(keys) != int(need) {
		return nil, false
	}
	for _, k := range keys {
		if !slices.Contains(pos, k) {
			return nil, false
		}
	}
	return vetoes, true
}

// exactLeaf reports whether a document contains n's anchor exactly when n
// matches: a word, a word under title:, a prefix of up to maxPrefixAnchor
// letters, a source, a language.
func exactLeaf(n *node) bool {
	switch n.op {
	case opWord, opSource, opLang:
		return true
	case opPrefix:
		_, whole := prefixAnchor(n.keys[0])
		return whole
	case opTitle:
		return n.kids[0].op == opWord
	}
	return false
}

// exactPlan reports whether the anchors plan chose for root decide the match.
func exactPlan(root *node, need uint8) bool {
	switch {
	case exactLeaf(root):
		return true
	case root.op == opOr:
		for _, k := range root.kids {
			if !exactLeaf(k) {
				return false
			}
		}
		return true
	case root.op == opAnd && need == 2 && len(root.kids) == 2:
		return exactLeaf(root.kids[0]) && exactLeaf(root.kids[1])
	}
	return false
}

// plan chooses the anchors of a query. An AND of several parts that each
// have a single anchor, or a phrase of several words, needs two of those
// anchors in a document (the two most selective); anything else needs any
// one of anchors(root).
func plan(root *node) (keys []string, need uint8, ok bool) {
	type single struct {
		key  string
		cost float64
	}
	var singles []single
	switch root.op {
	case opAnd:
		for _, k := range root.kids {
			if kk, c, kok := anchors(k, false); kok && len(kk) == 1 {
				singles = append(singles, single{kk[0], c})
			}
		}
	case opPhrase:
		for _, k := range root.keys {
			singles = append(singles, single{k, wordCost(k)})
		}
	}
	slices.SortStableFunc(singles, func(a, b single) int { return cmp.Compare(a.cost, b.cost) })
	for i := 1; i < len(singles); i++ {
		if singles[i].key != singles[0].key {
			return []string{singles[0].key, singles[i].key}, 2, true
		}
	}
	keys, _, ok = anchors(root, false)
	return keys, 1, ok
}

// Add compiles alert a and adds it, replacing an alert with the same chat
// and id. A query that does not parse is refused with its *ParseError.
func (x *Index) Add(a news.Alert) error {
	e, err := compile(a)
	if err != nil {
		return fmt.Errorf("alert %s of chat %d: %w", a.ID, a.ChatID, err)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.remove(a.ChatID, a.ID)
	x.insert(e)
	return nil
}

// Remove removes the alert alertID of chat chatID, reporting whether it was there.
func (x *Index) Remove(chatID int64, alertID string) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.remove(chatID, alertID)
}

// ReplaceChat makes alerts the whole set of chat chatID's alerts (none
// removes them all). Alerts that do not parse are left out and reported in
// the joined error; the others are in the index either way.
func (x *Index) ReplaceChat(chatID int64, alerts []news.Alert) error {
	entries, err := compileAll(alerts)
	x.mu.Lock()
	defer x.mu.Unlock()
	for id := range x.chats[chatID] {
		x.remove(chatID, id)
	}
	for _, e := range entries {
		if e.alert.ChatID == chatID {
			x.insert(e)
		}
	}
	return err
}

// Load replaces the whole index with alerts. Alerts that do not parse are
// left out and reported in the joined error.
func (x *Index) Load(alerts []news.Alert) error {
	entries, err := compileAll(alerts)
	fresh := NewIndex()
	for _, e := range entries {
		fresh.remove(e.alert.ChatID, e.alert.ID)
		fresh.insert(e)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.chats, x.post, x.prefixes, x.alerts = fresh.chats, fresh.post, fresh.prefixes, fresh.alerts
	x.slots, x.meta, x.free = fresh.slots, fresh.meta, fresh.free
	x.vpost, x.matchOf = fresh.vpost, fresh.matchOf
	return err
}

func compileAll(alerts []news.Alert) ([]*entry, error) {
	var errs []error
	entries := make([]*entry, 0, len(alerts))
	for _, a := range alerts {
		e, err := compile(a)
		if err != nil {
			errs = append(errs, fmt.Errorf("alert %s of chat %d: %w", a.ID, a.ChatID, err))
			continue
		}
		entries = append(entries, e)
	}
	return entries, errors.Join(errs...)
}

func (x *Index) insert(e *entry) {
	byID := x.chats[e.alert.ChatID]
	if byID == nil {
		byID = make(map[string]*entry)
		x.chats[e.alert.ChatID] = byID
	}
	byID[e.alert.ID] = e
	m := slotMeta{need: e.need, exact: e.exact}
	am := news.AlertMatch{ChatID: e.alert.ChatID, AlertID: e.alert.ID, Query: e.alert.Query}
	if n := len(x.free); n > 0 {
		e.slot = x.free[n-1]
		x.free = x.free[:n-1]
		x.slots[e.slot], x.meta[e.slot], x.matchOf[e.slot] = e, m, am
	} else {
		e.slot = int32(len(x.slots))
		x.slots, x.meta, x.matchOf = append(x.slots, e), append(x.meta, m), append(x.matchOf, am)
	}
	for _, k := range e.anchors {
		if p, ok := strings.CutPrefix(k, prefixMark); ok {
			x.addPrefix(p, e.slot)
		} else {
			x.post[k] = append(x.post[k], e.slot)
		}
	}
	for _, k := range e.vetoes {
		x.vpost[k] = append(x.vpost[k], e.slot)
	}
	x.alerts++
}

func (x *Index) remove(chatID int64, alertID string) bool {
	byID := x.chats[chatID]
	e, ok := byID[alertID]
	if !ok {
		return false
	}
	delete(byID, alertID)
	x.slots[e.slot], x.meta[e.slot], x.matchOf[e.slot] = nil, slotMeta{}, news.AlertMatch{}
	x.free = append(x.free, e.slot)
	for _, k := range e.vetoes {
		removeSlot(x.vpost, k, e.slot)
	}
	if len(byID) == 0 {
		delete(x.chats, chatID)
	}
	for _, k := range e.anchors {
		if p, ok := strings.CutPrefix(k, prefixMark); ok {
			x.removePrefix(p, e.slot)
		} else {
			removeSlot(x.post, k, e.slot)
		}
	}
	x.alerts--
	return true
}

// removeSlot removes slot from the posting list of k.
func removeSlot(post map[string][]int32, k string, slot int32) {
	list := post[k]
	if i := slices.Index(list, slot); i >= 0 {
		last := len(list) - 1
		list[i] = list[last]
		list = list[:last]
	}
	if len(list) == 0 {
		delete(post, k)
	} else {
		post[k] = list
	}
}

// prefixNode is one beginning of the registered prefixes.
type prefixNode struct {
	below int32   // registered prefixes that start with this beginning (itself included)
	slots []int32 // alerts anchored on exactly this prefix
}

// beginnings calls f with every beginning of p of MinPrefixLen letters or
// more, shortest first, p itself last.
func beginnings(p string, f func(b string)) {
	n := 0
	for i := range p {
		if n >= MinPrefixLen {
			f(p[:i])
		}
		n++
	}
	if n >= MinPrefixLen {
		f(p)
	}
}

func (x *Index) addPrefix(p string, slot int32) {
	beginnings(p, func(b string) {
		node := x.prefixes[b]
		if node == nil {
			node = &prefixNode{}
			x.prefixes[b] = node
		}
		node.below++
	})
	node := x.prefixes[p]
	node.slots = append(node.slots, slot)
}

func (x *Index) removePrefix(p string, slot int32) {
	if node := x.prefixes[p]; node != nil {
		if i := slices.Index(node.slots, slot); i >= 0 {
			node.slots = slices.Delete(node.slots, i, i+1)
		}
	}
	beginnings(p, func(b string) {
		if node := x.prefixes[b]; node != nil {
			if node.below--; node.below <= 0 {
				delete(x.prefixes, b)
			}
		}
	})
}

// scratch is one Match call's per-alert counters, reused through a pool.
type scratch struct {
	counts  []uint8 // by slot: anchors of the alert found so far
	touched []int32 // slots whose count is not zero
	matched []int32
}

// vetoed is the count of an alert ruled out by one of its vetoes: above
// any need, so the alert is never evaluated.
const vetoed = 255

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// Match returns the alerts that match document d, in the order of their
// slots in the index (deterministic for an index built the same way; sort
// them if an order matters).
func (x *Index) Match(d *Document) []news.AlertMatch {
	x.mu.RLock()
	defer x.mu.RUnlock()
	s := scratchPool.Get().(*scratch)
	if len(s.counts) < len(x.slots) {
		s.counts = make([]uint8, len(x.slots)+len(x.slots)/4)
	}
	if len(x.vpost) > 0 {
		for _, k := range d.anchors {
			for _, slot := range x.vpost[k] {
				if s.counts[slot] == 0 {
					s.touched = append(s.touched, slot)
				}
				s.counts[slot] = vetoed
			}
		}
	}
	for _, k := range d.anchors {
		x.hit(s, d, x.post[k])
	}
	if len(x.prefixes) > 0 {
		prev := ""
		for _, w := range d.states {
			x.hitPrefixes(s, d, w, commonPrefixLen(prev, w))
			prev = w
		}
	}
	var out []news.AlertMatch
	if len(s.matched) > 0 {
		slices.Sort(s.matched)
		out = make([]news.AlertMatch, len(s.matched))
		for i, slot := range s.matched {
			out[i] = x.matchOf[slot]
		}
	}
	for _, slot := range s.touched {
		s.counts[slot] = 0
	}
	s.touched, s.matched = s.touched[:0], s.matched[:0]
	scratchPool.Put(s)
	return out
}

// hitPrefixes counts the prefix anchors that word state w starts with. The
// states are sorted, so the beginnings w shares with the previous state
// (its first shared bytes) were counted already and are only walked through.
func (x *Index) hitPrefixes(s *scratch, d *Document, w string, shared int) {
	n := 0
	for i := range w {
		if n >= MinPrefixLen {
			node := x.prefixes[w[:i]]
			if node == nil {
				return
			}
			if i > shared {
				x.hit(s, d, node.slots)
			}
		}
		n++
	}
	if n >= MinPrefixLen && len(w) > shared {
		if node := x.prefixes[w]; node != nil {
			x.hit(s, d, node.slots)
		}
	}
}

// commonPrefixLen is the number of leading bytes a and b share.
func commonPrefixLen(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// hit counts one found anchor for each alert of slots, and evaluates those
// that have all the anchors they need.
func (x *Index) hit(s *scratch, d *Document, slots []int32) {
	counts, meta := s.counts[:len(x.slots)], x.meta
	for _, slot := range slots {
		c, m := counts[slot], meta[slot]
		if c >= m.need {
			continue // already evaluated
		}
		if c == 0 {
			s.touched = append(s.touched, slot)
		}
		c++
		counts[slot] = c
		if c == m.need && (m.exact || x.slots[slot].query.Matches(d)) {
			s.matched = append(s.matched, slot)
		}
	}
}

// MatchArticle is Match(NewDocument(a)).
func (x *Index) MatchArticle(a news.Article) []news.AlertMatch {
	return x.Match(NewDocument(a))
}

// NewID returns a fresh alert id: the creation time in milliseconds, base
// 36, so a chat's alerts sort in the order they were made.
func NewID(now time.Time) string {
	return strconv.FormatInt(now.UnixMilli(), 36)
}
