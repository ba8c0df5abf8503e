package alert

import (
	"cmp"
	"errors"
	"fmt"
	"math/bits"
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
	mu sync.RWMutex
	tables
}

// tables is the content of an Index, swapped as a whole by Load.
//
// Alerts with the same query (the same tree once normalized: many chats
// follow "migrants" or "الهجرة") share one group, evaluated once per
// article for all of its subscribers. Groups are numbered densely by slot
// (free slots are listed in free) so that postings are plain slot lists and
// matching keeps its per-group counters in a slice: the hot loop reads
// contiguous memory. Index keys (words, title words, sources, languages)
// are interned as term ids, so that an article's terms are looked up once
// and an alert's tree is evaluated on an array of term stamps instead of
// hashing strings.
type tables struct {
	chats  map[int64]map[string]*entry
	alerts int
	// byShape finds the group of a query tree (see shapeKey).
	byShape map[string]int32
	groups  []*group   // by slot; nil for a free slot
	meta    []slotMeta // by slot
	// first is, by slot, what Match reports for the group's first alert
	// (most groups have one): reporting reads this contiguous slice.
	first []news.AlertMatch
	free  []int32
	// terms interns index keys; termKeys, termRefs, post and vpost are by
	// term id (free ids are listed in freeTerms).
	terms     map[string]int32
	termKeys  []string
	termRefs  []int32
	post      [][]int32 // slots of the groups anchored on the term
	vpost     [][]int32 // slots of the groups the term rules out
	freeTerms []int32
	vetoes    int // postings in vpost
	// prefixes holds the prefix anchors, keyed by the unmarked prefix, and
	// every beginning of them (MinPrefixLen letters or more), so that a
	// document walks each word's beginnings only while some prefix alert
	// could still match.
	prefixes map[string]*prefixNode
}

// slotMeta is what the matching loop needs of a group, packed in a byte so
// that the counters and the metadata of 100,000 groups stay in cache: the
// low bits are need (distinct anchors to find before evaluating; 0 for a
// free slot), then the flags below.
type slotMeta uint8

const (
	needBits  slotMeta = 0x0f
	metaExact slotMeta = 0x10 // finding the anchors is a match: nothing to evaluate
	metaMore  slotMeta = 0x20 // the group has more than one alert
)

func (m slotMeta) need() uint8 { return uint8(m & needBits) }

// slotMetaOf is the metadata of g.
func slotMetaOf(g *group) slotMeta {
	m := slotMeta(g.need) & needBits
	if g.exact {
		m |= metaExact
	}
	if len(g.subs) > 1 {
		m |= metaMore
	}
	return m
}

// entry is one alert of one chat.
type entry struct {
	alert news.Alert
	query *Query
	slot  int32 // its group
}

// group is one distinct query tree and the alerts that share it.
type group struct {
	shape   string
	query   *Query
	anchors []string
	// need is how many distinct anchors a document must contain before
	// the query is worth evaluating: 1 (any of them), or 2 for an AND with
	// two anchored children (both must be there).
	need uint8
	// exact is true when containing the anchors (and none of the vetoes)
	// is the same as matching: a plain word, source or language, an OR of
	// them, an AND of two, with or without negated ones.
	exact bool
	// vetoes are anchors that rule the query out (its negated words).
	vetoes []string
	// prog is the tree with its terms interned, evaluated when not exact.
	prog *cnode
	// refs are the term ids the group holds a reference on.
	refs []int32
	// subs are what Match reports for each alert of the group, in the
	// order they were added.
	subs []news.AlertMatch
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{tables: newTables()}
}

func newTables() tables {
	return tables{
		chats:    make(map[int64]map[string]*entry),
		byShape:  make(map[string]int32),
		terms:    make(map[string]int32),
		prefixes: make(map[string]*prefixNode),
	}
}

// Len is the number of alerts in the index.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.alerts
}

// compiled is an alert parsed and planned, ready to insert.
type compiled struct {
	alert   news.Alert
	query   *Query
	shape   string
	anchors []string
	need    uint8
	exact   bool
	vetoes  []string
}

func compile(a news.Alert) (*compiled, error) {
	q, err := Parse(a.Query)
	if err != nil {
		return nil, err
	}
	keys, need, ok := plan(q.root)
	if !ok {
		// Parse refuses queries without a positive term; this cannot happen.
		return nil, &ParseError{Pos: 0, Code: CodeNegationOnly, Near: a.Query}
	}
	c := &compiled{alert: a, query: q, shape: shapeKey(q.root), anchors: keys, need: need, exact: exactPlan(q.root, need)}
	if !c.exact {
		c.vetoes, c.exact = vetoPlan(q.root, keys, need)
	}
	return c, nil
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
	case opWord, opSource, opLang, opSpeaker:
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
	c, err := compile(a)
	if err != nil {
		return fmt.Errorf("alert %s of chat %d: %w", a.ID, a.ChatID, err)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.remove(a.ChatID, a.ID)
	x.insert(c)
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
	all, err := compileAll(alerts)
	x.mu.Lock()
	defer x.mu.Unlock()
	for id := range x.chats[chatID] {
		x.remove(chatID, id)
	}
	for _, c := range all {
		if c.alert.ChatID == chatID {
			x.insert(c)
		}
	}
	return err
}

// Load replaces the whole index with alerts. Alerts that do not parse are
// left out and reported in the joined error.
func (x *Index) Load(alerts []news.Alert) error {
	all, err := compileAll(alerts)
	fresh := newTables()
	for _, c := range all {
		fresh.remove(c.alert.ChatID, c.alert.ID)
		fresh.insert(c)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.tables = fresh
	return err
}

func compileAll(alerts []news.Alert) ([]*compiled, error) {
	var errs []error
	all := make([]*compiled, 0, len(alerts))
	for _, a := range alerts {
		c, err := compile(a)
		if err != nil {
			errs = append(errs, fmt.Errorf("alert %s of chat %d: %w", a.ID, a.ChatID, err))
			continue
		}
		all = append(all, c)
	}
	return all, errors.Join(errs...)
}

func (x *tables) insert(c *compiled) {
	byID := x.chats[c.alert.ChatID]
	if byID == nil {
		byID = make(map[string]*entry)
		x.chats[c.alert.ChatID] = byID
	}
	slot, ok := x.byShape[c.shape]
	if !ok {
		slot = x.newGroup(c)
	}
	g := x.groups[slot]
	g.subs = append(g.subs, news.AlertMatch{ChatID: c.alert.ChatID, AlertID: c.alert.ID, Query: c.alert.Query})
	x.meta[slot], x.first[slot] = slotMetaOf(g), g.subs[0]
	byID[c.alert.ID] = &entry{alert: c.alert, query: g.query, slot: slot}
	x.alerts++
}

// newGroup adds a group for the query of c, without subscribers.
func (x *tables) newGroup(c *compiled) int32 {
	g := &group{shape: c.shape, query: c.query, anchors: c.anchors, need: c.need, exact: c.exact, vetoes: c.vetoes}
	m := slotMetaOf(g)
	var slot int32
	if n := len(x.free); n > 0 {
		slot = x.free[n-1]
		x.free = x.free[:n-1]
		x.groups[slot], x.meta[slot], x.first[slot] = g, m, news.AlertMatch{}
	} else {
		slot = int32(len(x.groups))
		x.groups, x.meta, x.first = append(x.groups, g), append(x.meta, m), append(x.first, news.AlertMatch{})
	}
	x.byShape[g.shape] = slot
	for _, k := range g.anchors {
		if p, ok := strings.CutPrefix(k, prefixMark); ok {
			x.addPrefix(p, slot)
		} else {
			id := x.ref(g, k)
			x.post[id] = append(x.post[id], slot)
		}
	}
	for _, k := range g.vetoes {
		id := x.ref(g, k)
		x.vpost[id] = append(x.vpost[id], slot)
		x.vetoes++
	}
	if !g.exact {
		g.prog = x.compileNode(g, g.query.root, false)
	}
	return slot
}

// ref interns index key k for group g and returns its term id.
func (x *tables) ref(g *group, k string) int32 {
	id, ok := x.terms[k]
	if !ok {
		if n := len(x.freeTerms); n > 0 {
			id = x.freeTerms[n-1]
			x.freeTerms = x.freeTerms[:n-1]
			x.termKeys[id], x.termRefs[id] = k, 0
		} else {
			id = int32(len(x.termKeys))
			x.termKeys, x.termRefs = append(x.termKeys, k), append(x.termRefs, 0)
			x.post, x.vpost = append(x.post, nil), append(x.vpost, nil)
		}
		x.terms[k] = id
	}
	x.termRefs[id]++
	g.refs = append(g.refs, id)
	return id
}

func (x *tables) remove(chatID int64, alertID string) bool {
	byID := x.chats[chatID]
	e, ok := byID[alertID]
	if !ok {
		return false
	}
	delete(byID, alertID)
	if len(byID) == 0 {
		delete(x.chats, chatID)
	}
	x.alerts--
	g := x.groups[e.slot]
	if i := slices.IndexFunc(g.subs, func(m news.AlertMatch) bool { return m.ChatID == chatID && m.AlertID == alertID }); i >= 0 {
		g.subs = slices.Delete(g.subs, i, i+1)
	}
	if len(g.subs) == 0 {
		x.dropGroup(e.slot)
	} else {
		x.meta[e.slot], x.first[e.slot] = slotMetaOf(g), g.subs[0]
	}
	return true
}

// dropGroup removes the group at slot, which has no subscriber left.
func (x *tables) dropGroup(slot int32) {
	g := x.groups[slot]
	delete(x.byShape, g.shape)
	x.groups[slot], x.meta[slot], x.first[slot] = nil, 0, news.AlertMatch{}
	x.free = append(x.free, slot)
	for _, k := range g.anchors {
		if p, ok := strings.CutPrefix(k, prefixMark); ok {
			x.removePrefix(p, slot)
		} else {
			id := x.terms[k]
			x.post[id] = removeSlot(x.post[id], slot)
		}
	}
	for _, k := range g.vetoes {
		id := x.terms[k]
		x.vpost[id] = removeSlot(x.vpost[id], slot)
		x.vetoes--
	}
	for _, id := range g.refs {
		if x.termRefs[id]--; x.termRefs[id] == 0 {
			delete(x.terms, x.termKeys[id])
			x.termKeys[id], x.post[id], x.vpost[id] = "", nil, nil
			x.freeTerms = append(x.freeTerms, id)
		}
	}
}

// removeSlot removes one occurrence of slot from list.
func removeSlot(list []int32, slot int32) []int32 {
	if i := slices.Index(list, slot); i >= 0 {
		last := len(list) - 1
		list[i] = list[last]
		list = list[:last]
	}
	if len(list) == 0 {
		return nil
	}
	return list
}

// prefixNode is one beginning of the registered prefixes.
type prefixNode struct {
	below int32   // registered prefixes that start with this beginning (itself included)
	slots []int32 // groups anchored on exactly this prefix
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

func (x *tables) addPrefix(p string, slot int32) {
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

func (x *tables) removePrefix(p string, slot int32) {
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

// scratch is one Match call's working memory, reused through a pool.
type scratch struct {
	counts  []uint8 // by group slot: anchors of the group found so far
	touched []int32 // slots whose count is not zero
	matched []int32
	// stamp is, by term id, the generation of the last Match call whose
	// article contains the term: gen marks the terms of this one, with no
	// clearing between calls.
	stamp   []uint32
	gen     uint32
	present []int32  // term ids of the article
	bits    []uint64 // by group slot: matched (collect leaves it clear)
}

// vetoed is the count of a group ruled out by one of its vetoes: above any
// need, so the group is never evaluated.
const vetoed = 255

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// reset readies s for an index of groups groups and terms terms.
func (s *scratch) reset(groups, terms int) {
	if len(s.counts) < groups {
		s.counts = make([]uint8, groups+groups/4)
	}
	if len(s.stamp) < terms {
		s.stamp = make([]uint32, terms+terms/4)
	}
	s.gen++
	if s.gen == 0 {
		clear(s.stamp)
		s.gen = 1
	}
}

// has reports whether the article of this Match call contains term id.
func (s *scratch) has(id int32) bool { return s.stamp[id] == s.gen }

// Match returns the alerts that match document d: the groups in the order
// of their slots in the index, each group's alerts in the order they were
// added (deterministic for an index built the same way; sort them if an
// order matters).
func (x *Index) Match(d *Document) []news.AlertMatch {
	x.mu.RLock()
	defer x.mu.RUnlock()
	s := scratchPool.Get().(*scratch)
	s.reset(len(x.groups), len(x.termKeys))
	// Every term of the article is stamped before any group is evaluated:
	// evaluation reads the stamps.
	for _, k := range d.anchors {
		if id, ok := x.terms[k]; ok && !s.has(id) {
			s.stamp[id] = s.gen
			s.present = append(s.present, id)
		}
	}
	if x.vetoes > 0 {
		for _, id := range s.present {
			for _, slot := range x.vpost[id] {
				if s.counts[slot] == 0 {
					s.touched = append(s.touched, slot)
				}
				s.counts[slot] = vetoed
			}
		}
	}
	for _, id := range s.present {
		x.hit(s, d, x.post[id])
	}
	if len(x.prefixes) > 0 {
		prev, stop := "", 0
		for _, w := range d.states {
			stop = x.hitPrefixes(s, d, w, commonPrefixLen(prev, w), stop)
			prev = w
		}
	}
	var out []news.AlertMatch
	if len(s.matched) > 0 {
		out = x.collect(s)
	}
	for _, slot := range s.touched {
		s.counts[slot] = 0
	}
	s.touched, s.matched, s.present = s.touched[:0], s.matched[:0], s.present[:0]
	scratchPool.Put(s)
	return out
}

// collect returns what Match reports for the matched groups, in slot
// order. The slots are put in order through a bitset rather than sorted:
// scanning len(groups)/64 words costs less than sorting thousands of slots.
func (x *Index) collect(s *scratch) []news.AlertMatch {
	words := (len(x.groups) + 63) / 64
	if len(s.bits) < words {
		s.bits = make([]uint64, words+words/4)
	}
	n := len(s.matched)
	for _, slot := range s.matched {
		s.bits[slot/64] |= 1 << (slot % 64)
		if x.meta[slot]&metaMore != 0 {
			n += len(x.groups[slot].subs) - 1
		}
	}
	out := make([]news.AlertMatch, 0, n)
	for i, w := range s.bits[:words] {
		for w != 0 {
			slot := i*64 + bits.TrailingZeros64(w)
			w &= w - 1
			if x.meta[slot]&metaMore == 0 {
				out = append(out, x.first[slot])
			} else {
				out = append(out, x.groups[slot].subs...)
			}
		}
		s.bits[i] = 0
	}
	return out
}

// hitPrefixes counts the prefix anchors that word state w starts with. The
// states are sorted, so the beginnings w shares with the previous state
// (its first shared bytes) were looked up and counted already: those the
// previous state had (below prevStop) are walked through without a lookup,
// and the first it lacked ends the walk. It returns where the walk of w
// stopped: the length of its first beginning that no prefix starts with, or
// len(w)+1.
func (x *Index) hitPrefixes(s *scratch, d *Document, w string, shared, prevStop int) int {
	n := 0
	for i := range w {
		if n >= MinPrefixLen {
			if i <= shared {
				if i >= prevStop {
					return i
				}
			} else {
				node := x.prefixes[w[:i]]
				if node == nil {
					return i
				}
				x.hit(s, d, node.slots)
			}
		}
		n++
	}
	if n >= MinPrefixLen {
		if len(w) <= shared {
			if len(w) >= prevStop {
				return len(w)
			}
		} else {
			node := x.prefixes[w]
			if node == nil {
				return len(w)
			}
			x.hit(s, d, node.slots)
		}
	}
	return len(w) + 1
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

// hit counts one found anchor for each group of slots, and evaluates those
// that have all the anchors they need.
func (x *Index) hit(s *scratch, d *Document, slots []int32) {
	counts, meta := s.counts[:len(x.groups)], x.meta
	for _, slot := range slots {
		c, m := counts[slot], meta[slot]
		need := m.need()
		if c >= need {
			continue // already evaluated
		}
		if c == 0 {
			s.touched = append(s.touched, slot)
		}
		c++
		counts[slot] = c
		if c == need && (m&metaExact != 0 || s.eval(x.groups[slot].prog, d)) {
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
