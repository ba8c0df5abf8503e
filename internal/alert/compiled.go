package alert

import (
	"encoding/binary"
	"strings"
)

// cnode is a query node with its terms interned in the index: words,
// sources and languages are tested against the article's term stamps,
// phrases against the positions kept by term id, and only prefixes (word
// beginnings) look at the Document itself.
type cnode struct {
	op op
	// title is true under title:, where words are the title words' terms
	// and phrases and prefixes are looked for in the title only.
	title bool
	term  int32    // opWord, opSource, opLang, opSpeaker
	terms []int32  // opPhrase: its words' terms, all needed before positions are compared
	keys  []string // opPrefix, opPhrase: as in node
	kids  []cnode
}

// compileNode interns the terms of n for group g.
func (x *tables) compileNode(g *group, n *node, inTitle bool) *cnode {
	c := &cnode{op: n.op, title: inTitle}
	switch n.op {
	case opWord:
		c.term = x.ref(g, wordAnchor(n.keys[0], inTitle))
	case opSource:
		c.term = x.ref(g, sourceAnchor(n.keys[0]))
	case opLang:
		c.term = x.ref(g, langAnchor(n.keys[0]))
	case opSpeaker:
		c.term = x.ref(g, speakerAnchor(n.keys[0]))
	case opPrefix:
		c.keys = n.keys
	case opPhrase:
		c.keys = n.keys
		for _, k := range n.keys {
			c.terms = append(c.terms, x.ref(g, wordAnchor(k, inTitle)))
		}
	case opTitle:
		return x.compileNode(g, n.kids[0], true)
	default:
		c.kids = make([]cnode, len(n.kids))
		for i, k := range n.kids {
			c.kids[i] = *x.compileNode(g, k, inTitle)
		}
	}
	return c
}

// eval is Query.Matches on the compiled tree, for the article whose terms
// s has stamped.
func (s *scratch) eval(n *cnode, d *Document) bool {
	switch n.op {
	case opWord, opSource, opLang, opSpeaker:
		return s.has(n.term)
	case opPrefix:
		return d.title.hasPrefix(n.keys[0]) || !n.title && d.body.hasPrefix(n.keys[0])
	case opPhrase:
		for _, t := range n.terms {
			if !s.has(t) {
				return false
			}
		}
		return s.hasPhrase(n.terms, n.title)
	case opNot:
		return !s.eval(&n.kids[0], d)
	case opAnd:
		for i := range n.kids {
			if !s.eval(&n.kids[i], d) {
				return false
			}
		}
		return true
	case opOr:
		for i := range n.kids {
			if s.eval(&n.kids[i], d) {
				return true
			}
		}
		return false
	}
	return false
}

// shapeKey encodes what matching reads of a query tree (operators, compared
// keys, children), so that two alerts with the same key match the same
// articles and share one group. Lengths and counts are written before
// their contents: no two trees have the same key.
func shapeKey(n *node) string {
	var b strings.Builder
	writeShape(&b, n)
	return b.String()
}

func writeShape(b *strings.Builder, n *node) {
	var buf [binary.MaxVarintLen64]byte
	b.WriteByte(byte(n.op))
	b.Write(buf[:binary.PutUvarint(buf[:], uint64(len(n.keys)))])
	for _, k := range n.keys {
		b.Write(buf[:binary.PutUvarint(buf[:], uint64(len(k)))])
		b.WriteString(k)
	}
	b.Write(buf[:binary.PutUvarint(buf[:], uint64(len(n.kids)))])
	for _, k := range n.kids {
		writeShape(b, k)
	}
}

// hasPhrase reports whether the terms of a phrase, all present in the
// article, stand at consecutive positions of its title, or (for a phrase
// not under title:) of its text. Under title: the terms are title-marked
// keys, whose positions are the title's.
func (s *scratch) hasPhrase(terms []int32, titleOnly bool) bool {
	var small [8][]int32
	lists := small[:0]
	if len(terms) > len(small) {
		lists = make([][]int32, 0, len(terms))
	}
	lists = lists[:len(terms)]
	for i, t := range terms {
		lists[i] = s.titlePos[t]
	}
	if consecutive(lists) {
		return true
	}
	if titleOnly {
		return false
	}
	for i, t := range terms {
		lists[i] = s.bodyPos[t]
	}
	return consecutive(lists)
}
