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
//
// A query's words have different stems in French and in English articles
// (and none in the others), so the index keeps one set of tables per
// language slot, each with every alert compiled for that slot's articles;
// an article is matched against the tables of its language only.
type Index struct {
	mu    sync.RWMutex
	parts [langSlots]*tables
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
	// progs is, by slot, the group's compiled tree (nil when the anchors
	// decide): the matching loop reads it without touching the group.
	progs []*cnode
	// subs is, by slot, what Match reports for every alert of the group
	// (the group's subs), read without touching the group.
	subs [][]news.AlertMatch
	// first is, by slot, what Match reports for the group's first alert
	// (most groups have one): reporting reads this contiguous slice.
	first []news.AlertMatch
	free  []int32
	// terms interns index keys; termKeys, termRefs, post and vpost are by
	// term id (free ids are listed in freeTerms).
	terms     map[termKey]int32
	termKeys  []string
	termRefs  []int32
	post      [][]int32 // postings (see posting) of the groups anchored on the term
	vpost     [][]int32 // slots of the groups the term rules out
	freeTerms []int32
	vetoes    int // postings in vpost
	// prefixes is a trie of the prefix anchors (unmarked), byte by byte,
	// so that a document walks each word's bytes once, and only while some
	// prefix alert could still match.
	prefixes *prefixNode
}

// slotMeta is what the matching loop needs of a group, packed in a byte so
// that the counters and the metadata of 100,000 groups stay in cache: the
// low bits are need (the bits of the parts whose anchors must be found
// before evaluating, see plan; 0 for a free slot), then the flags below.
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
	root    *node // the query's tree for the tables' language slot
	anchors []anchorRef
	// need is the bits of the parts a document must contain an anchor of
	// before the query is worth evaluating (see plan).
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
	x := &Index{}
	x.parts = newParts()
	return x
}

func newParts() [langSlots]*tables {
	var parts [langSlots]*tables
	for i := range parts {
		parts[i] = newTables()
	}
	return parts
}

func newTables() *tables {
	return &tables{
		chats:    make(map[int64]map[string]*entry),
		byShape:  make(map[string]int32),
		terms:    make(map[termKey]int32),
		prefixes: &prefixNode{},
	}
}

// Len is the number of alerts in the index.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.parts[0].alerts
}

// compiled is an alert parsed and planned for each language slot, ready to
// insert.
type compiled struct {
	alert news.Alert
	query *Query
	plans [langSlots]slotPlan
}

// slotPlan is how the tables of one language slot find a query.
type slotPlan struct {
	root    *node
	shape   string
	anchors []anchorRef
	need    uint8 // the bits of the parts an article must have (see plan)
	exact   bool
	vetoes  []string
}

// anchorRef is an anchor of a query and the part of the query it stands
// for (a bit index, 0 to maxParts-1): finding one anchor of every part
// planned is what makes a query worth evaluating.
type anchorRef struct {
	key  string
	part uint8
}

// maxParts is how many parts of an AND (or words of a phrase) the index
// counts for one query: the bits of slotMeta's need.
const maxParts = 4

func compile(a news.Alert) (*compiled, error) {
	q, err := Parse(a.Query)
	if err != nil {
		return nil, err
	}
	c := &compiled{alert: a, query: q}
	for slot, root := range q.langs {
		p, ok := plan(root)
		if !ok {
			// Parse refuses queries without a positive term; this cannot happen.
			return nil, &ParseError{Pos: 0, Code: CodeNegationOnly, Near: a.Query}
		}
		p.root, p.shape = root, shapeKey(root)
		c.plans[slot] = p
	}
	return c, nil
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

// exactPart reports whether a document contains one of n's anchors exactly
// when n matches: an exact leaf, or an OR of exact leaves.
func exactPart(n *node) bool {
	if n.op != opOr {
		return exactLeaf(n)
	}
	for _, k := range n.kids {
		if !exactLeaf(k) {
			return false
		}
	}
	return true
}

// plan chooses the anchors of a query and what finding them means.
//
// An AND is cut into its parts (each child with anchors: a word, a group
// of ORed words, a phrase ...): up to maxParts of the most selective ones
// are planned, each with its own bit, and an article is worth evaluating
// once it has an anchor of every planned part. When every positive child is
// planned and is an exact part, and the negated children are plain words,
// sources or languages, finding the parts is a match: the negated words
// are vetoes, which rule the query out before anything is counted. A phrase
// plans its words the same way (positions are still compared). Anything
// else needs one of anchors(root).
func plan(root *node) (p slotPlan, ok bool) {
	type part struct {
		keys  []string
		cost  float64
		exact bool
	}
	var parts []part
	exact := true
	switch root.op {
	case opAnd:
		for _, k := range root.kids {
			if k.op == opNot {
				if leaf := k.kids[0]; exactLeaf(leaf) && leaf.op != opPrefix {
					kk, _, _ := anchors(leaf, false)
					p.vetoes = append(p.vetoes, kk...)
				} else {
					exact = false
				}
				continue
			}
			kk, c, kok := anchors(k, false)
			if !kok {
				exact = false
				continue
			}
			parts = append(parts, part{kk, c, exactPart(k)})
		}
	case opPhrase:
		exact = false
		for _, k := range root.keys {
			parts = append(parts, part{[]string{k}, wordCost(k), false})
		}
	}
	if len(parts) > 0 {
		slices.SortStableFunc(parts, func(a, b part) int { return cmp.Compare(a.cost, b.cost) })
		if len(parts) > maxParts {
			parts, exact = parts[:maxParts], false
		}
		for i, pt := range parts {
			exact = exact && pt.exact
			for _, k := range pt.keys {
				p.anchors = append(p.anchors, anchorRef{k, uint8(i)})
			}
			p.need |= 1 << i
		}
		p.exact = exact
		return p, true
	}
	keys, _, ok := anchors(root, false)
	for _, k := range keys {
		p.anchors = append(p.anchors, anchorRef{k, 0})
	}
	p.vetoes = nil
	p.need, p.exact = 1, exactPart(root)
	return p, ok
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
	for slot, t := range x.parts {
		t.remove(a.ChatID, a.ID)
		t.insert(c, slot)
	}
	return nil
}

// Remove removes the alert alertID of chat chatID, reporting whether it was there.
func (x *Index) Remove(chatID int64, alertID string) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	removed := false
	for _, t := range x.parts {
		removed = t.remove(chatID, alertID)
	}
	return removed
}

// ReplaceChat makes alerts the whole set of chat chatID's alerts (none
// removes them all). Alerts that do not parse are left out and reported in
// the joined error; the others are in the index either way.
func (x *Index) ReplaceChat(chatID int64, alerts []news.Alert) error {
	all, err := compileAll(alerts)
	x.mu.Lock()
	defer x.mu.Unlock()
	for slot, t := range x.parts {
		for id := range t.chats[chatID] {
			t.remove(chatID, id)
		}
		for _, c := range all {
			if c.alert.ChatID == chatID {
				t.insert(c, slot)
			}
		}
	}
	return err
}

// Load replaces the whole index with alerts. Alerts that do not parse are
// left out and reported in the joined error.
func (x *Index) Load(alerts []news.Alert) error {
	all, err := compileAll(alerts)
	fresh := newParts()
	for slot, t := range fresh {
		for _, c := range all {
			t.remove(c.alert.ChatID, c.alert.ID)
			t.insert(c, slot)
		}
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.parts = fresh
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

func (x *tables) insert(c *compiled, langSlot int) {
	byID := x.chats[c.alert.ChatID]
	if byID == nil {
		byID = make(map[string]*entry)
		x.chats[c.alert.ChatID] = byID
	}
	p := &c.plans[langSlot]
	slot, ok := x.byShape[p.shape]
	if !ok {
		slot = x.newGroup(c.query, p)
	}
	g := x.groups[slot]
	g.subs = append(g.subs, news.AlertMatch{ChatID: c.alert.ChatID, AlertID: c.alert.ID, Query: c.alert.Query})
	x.meta[slot], x.first[slot], x.subs[slot] = slotMetaOf(g), g.subs[0], g.subs
	byID[c.alert.ID] = &entry{alert: c.alert, query: g.query, slot: slot}
	x.alerts++
}

// newGroup adds a group for query q planned as p, without subscribers.
func (x *tables) newGroup(q *Query, p *slotPlan) int32 {
	g := &group{shape: p.shape, query: q, root: p.root, anchors: p.anchors, need: p.need, exact: p.exact, vetoes: p.vetoes}
	m := slotMetaOf(g)
	var slot int32
	if n := len(x.free); n > 0 {
		slot = x.free[n-1]
		x.free = x.free[:n-1]
		x.groups[slot], x.meta[slot], x.first[slot], x.progs[slot], x.subs[slot] = g, m, news.AlertMatch{}, nil, nil
	} else {
		slot = int32(len(x.groups))
		x.groups, x.meta, x.first = append(x.groups, g), append(x.meta, m), append(x.first, news.AlertMatch{})
		x.progs, x.subs = append(x.progs, nil), append(x.subs, nil)
	}
	x.byShape[g.shape] = slot
	for _, a := range g.anchors {
		e := posting(slot, a.part)
		if p, ok := strings.CutPrefix(a.key, prefixMark); ok {
			x.addPrefix(p, e)
		} else {
			id := x.ref(g, a.key)
			x.post[id] = append(x.post[id], e)
		}
	}
	for _, k := range g.vetoes {
		id := x.ref(g, k)
		x.vpost[id] = append(x.vpost[id], slot)
		x.vetoes++
	}
	if !g.exact {
		g.prog = x.compileNode(g, g.root, false)
		x.progs[slot] = g.prog
	}
	return slot
}

// ref interns index key k for group g and returns its term id.
func (x *tables) ref(g *group, k string) int32 {
	fk := fingerprint(k)
	id, ok := x.terms[fk]
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
		x.terms[fk] = id
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
		x.meta[e.slot], x.first[e.slot], x.subs[e.slot] = slotMetaOf(g), g.subs[0], g.subs
	}
	return true
}

// dropGroup removes the group at slot, which has no subscriber left.
func (x *tables) dropGroup(slot int32) {
	g := x.groups[slot]
	delete(x.byShape, g.shape)
	x.groups[slot], x.meta[slot], x.first[slot], x.progs[slot], x.subs[slot] = nil, 0, news.AlertMatch{}, nil, nil
	x.free = append(x.free, slot)
	for _, a := range g.anchors {
		e := posting(slot, a.part)
		if p, ok := strings.CutPrefix(a.key, prefixMark); ok {
			x.removePrefix(p, e)
		} else {
			id := x.terms[fingerprint(a.key)]
			x.post[id] = removeSlot(x.post[id], e)
		}
	}
	for _, k := range g.vetoes {
		id := x.terms[fingerprint(k)]
		x.vpost[id] = removeSlot(x.vpost[id], slot)
		x.vetoes--
	}
	for _, id := range g.refs {
		if x.termRefs[id]--; x.termRefs[id] == 0 {
			delete(x.terms, fingerprint(x.termKeys[id]))
			x.termKeys[id], x.post[id], x.vpost[id] = "", nil, nil
			x.freeTerms = append(x.freeTerms, id)
		}
	}
}

// posting is the entry of a posting list for part part of the group at
// slot: the slot, and the part in its low bits.
func posting(slot int32, part uint8) int32 { return slot<<2 | int32(part) }

// removeSlot removes one occurrence of slot (a group slot, or a posting)
// from list.
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

// prefixNode is a node of the trie of registered prefixes: the prefix
// spelled by the bytes on the way to it.
type prefixNode struct {
	below int32   // registered prefixes that start with this node's bytes (its own included)
	slots []int32 // postings of the groups anchored on exactly this prefix
	kids  []prefixKid
	// table indexes kids by byte once there are more than a few (near
	// the root, where every word passes).
	table *[256]*prefixNode
}

type prefixKid struct {
	b    byte
	node *prefixNode
}

// kid is the child of n for byte b, or nil.
func (n *prefixNode) kid(b byte) *prefixNode {
	if n.table != nil {
		return n.table[b]
	}
	for i := range n.kids {
		if n.kids[i].b == b {
			return n.kids[i].node
		}
	}
	return nil
}

// tableKids is how many kids a node holds before it indexes them by byte.
const tableKids = 8

func (n *prefixNode) addKid(b byte, k *prefixNode) {
	n.kids = append(n.kids, prefixKid{b, k})
	if n.table != nil {
		n.table[b] = k
	} else if len(n.kids) > tableKids {
		n.table = new([256]*prefixNode)
		for _, kid := range n.kids {
			n.table[kid.b] = kid.node
		}
	}
}

func (x *tables) addPrefix(p string, e int32) {
	n := x.prefixes
	n.below++
	for i := 0; i < len(p); i++ {
		k := n.kid(p[i])
		if k == nil {
			k = &prefixNode{}
			n.addKid(p[i], k)
		}
		n = k
		n.below++
	}
	n.slots = append(n.slots, e)
}

func (x *tables) removePrefix(p string, e int32) {
	path := make([]*prefixNode, 0, len(p)+1)
	n := x.prefixes
	path = append(path, n)
	for i := 0; i < len(p) && n != nil; i++ {
		n = n.kid(p[i])
		path = append(path, n)
	}
	if n == nil {
		return
	}
	if i := slices.Index(n.slots, e); i >= 0 {
		n.slots = slices.Delete(n.slots, i, i+1)
	}
	for depth := len(path) - 1; depth >= 0; depth-- {
		node := path[depth]
		node.below--
		if node.below <= 0 && depth > 0 {
			parent := path[depth-1]
			parent.kids = slices.DeleteFunc(parent.kids, func(k prefixKid) bool { return k.node == node })
			if parent.table != nil {
				parent.table[p[depth-1]] = nil
			}
		}
	}
}

// scratch is one Match call's working memory, reused through a pool.
type scratch struct {
	counts  []uint8 // by group slot: the parts of the group found so far (see plan)
	touched []int32 // slots whose count is not zero
	matched []int32
	// stamp is, by term id, the generation of the last Match call whose
	// article contains the term: gen marks the terms of this one, with no
	// clearing between calls.
	stamp   []uint32
	gen     uint32
	present []int32  // term ids of the article
	bits    []uint64 // by group slot: matched (collect leaves it clear)
	// titlePos and bodyPos are, by term id, the positions of a word term
	// of the article (valid where stamp is gen).
	titlePos, bodyPos [][]int32
	path              []*prefixNode // hitPrefixes' walk
}

// vetoed is the count of a group ruled out by one of its vetoes: every
// part already found, and never a need, so the group is never evaluated.
const vetoed = 255

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// reset readies s for an index of groups groups and terms terms.
func (s *scratch) reset(groups, terms int) {
	if len(s.counts) < groups {
		s.counts = make([]uint8, groups+groups/4)
	}
	if len(s.stamp) < terms {
		n := terms + terms/4
		s.stamp = make([]uint32, n)
		s.titlePos, s.bodyPos = make([][]int32, n), make([][]int32, n)
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
func (ix *Index) Match(d *Document) []news.AlertMatch {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	x := ix.parts[d.slot]
	s := scratchPool.Get().(*scratch)
	s.reset(len(x.groups), len(x.termKeys))
	// Every term of the article is stamped before any group is evaluated:
	// evaluation reads the stamps.
	for i := range d.anchors {
		a := &d.anchors[i]
		if id, ok := x.terms[a.fp]; ok && !s.has(id) {
			s.stamp[id] = s.gen
			s.titlePos[id], s.bodyPos[id] = a.title, a.body
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
	if x.prefixes.below > 0 {
		x.hitPrefixes(s, d)
	}
	var out []news.AlertMatch
	if len(s.matched) > 0 {
		out = x.collect(s)
	}
	for _, slot := range s.touched {
		s.counts[slot] = 0
	}
	for _, id := range s.present {
		s.titlePos[id], s.bodyPos[id] = nil, nil // keep no article alive in the pool
	}
	s.touched, s.matched, s.present = s.touched[:0], s.matched[:0], s.present[:0]
	scratchPool.Put(s)
	return out
}

// collect returns what Match reports for the matched groups, in slot
// order. The slots are put in order through a bitset rather than sorted:
// scanning len(groups)/64 words costs less than sorting thousands of slots.
func (x *tables) collect(s *scratch) []news.AlertMatch {
	words := (len(x.groups) + 63) / 64
	if len(s.bits) < words {
		s.bits = make([]uint64, words+words/4)
	}
	n := len(s.matched)
	for _, slot := range s.matched {
		s.bits[slot/64] |= 1 << (slot % 64)
		if x.meta[slot]&metaMore != 0 {
			n += len(x.subs[slot]) - 1
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
				out = append(out, x.subs[slot]...)
			}
		}
		s.bits[i] = 0
	}
	return out
}

// hitPrefixes counts the prefix anchors that the document's word states
// start with, walking the trie along each state's bytes. The states are
// sorted, so the bytes a state shares with the previous one were walked
// already: the walk resumes from the node they reached, and stops at the
// first byte no registered prefix continues with.
func (x *tables) hitPrefixes(s *scratch, d *Document) {
	path := s.path[:0] // path[i]: the node after i+1 bytes of the previous state
	prev := ""
	for _, w := range d.states {
		shared := min(commonPrefixLen(prev, w), len(path))
		path = path[:shared]
		n := x.prefixes
		if shared > 0 {
			n = path[shared-1]
		}
		for i := shared; i < len(w); i++ {
			if n = n.kid(w[i]); n == nil {
				break
			}
			path = append(path, n)
			if len(n.slots) > 0 {
				x.hit(s, d, n.slots)
			}
		}
		prev = w
	}
	clear(path)
	s.path = path[:0]
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

// hit marks, for each posting of list, the part of its group that the
// article has, and evaluates the groups that have every part they need.
func (x *tables) hit(s *scratch, d *Document, list []int32) {
	counts, meta := s.counts[:len(x.groups)], x.meta
	for _, e := range list {
		slot, bit := e>>2, uint8(1)<<(e&3)
		c := counts[slot]
		if c&bit != 0 {
			continue // part found already, or vetoed
		}
		if c == 0 {
			s.touched = append(s.touched, slot)
		}
		c |= bit
		counts[slot] = c
		m := meta[slot]
		if c == m.need() && (m&metaExact != 0 || s.eval(x.progs[slot], d)) {
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
