package alert

import "slices"

// Matches reports whether the query matches the document. It evaluates the
// whole tree; the index calls it only for candidate alerts.
func (q *Query) Matches(d *Document) bool {
	return eval(q.langs[d.slot], d, false)
}

func eval(n *node, d *Document, titleOnly bool) bool {
	switch n.op {
	case opWord:
		if _, ok := d.title.keys[n.keys[0]]; ok {
			return true
		}
		if titleOnly {
			return false
		}
		_, ok := d.body.keys[n.keys[0]]
		return ok
	case opPrefix:
		return d.title.hasPrefix(n.keys[0]) || !titleOnly && d.body.hasPrefix(n.keys[0])
	case opPhrase:
		return d.title.hasPhrase(n.keys) || !titleOnly && d.body.hasPhrase(n.keys)
	case opSource:
		v := n.keys[0]
		return d.sourceID == v || slices.Contains(d.hosts, v)
	case opLang:
		return d.lang == n.keys[0]
	case opSpeaker:
		_, ok := slices.BinarySearch(d.speakers, n.keys[0])
		return ok
	case opTitle:
		return eval(n.kids[0], d, true)
	case opNot:
		return !eval(n.kids[0], d, titleOnly)
	case opAnd:
		for _, k := range n.kids {
			if !eval(k, d, titleOnly) {
				return false
			}
		}
		return true
	case opOr:
		for _, k := range n.kids {
			if eval(k, d, titleOnly) {
				return true
			}
		}
		return false
	}
	return false
}

// anchors returns index keys of which at least one occurs in every document
// n matches, and a cost estimate (lower is more selective), or ok false when
// n can match without any positive term (a negation). inTitle is true under
// title:, where words anchor on their title keys.
func anchors(n *node, inTitle bool) (keys []string, cost float64, ok bool) {
	switch n.op {
	case opWord:
		return []string{wordAnchor(n.keys[0], inTitle)}, wordCost(n.keys[0]), true
	case opPhrase:
		best := 0
		for i, k := range n.keys {
			if wordCost(k) < wordCost(n.keys[best]) {
				best = i
			}
		}
		return []string{wordAnchor(n.keys[best], inTitle)}, wordCost(n.keys[best]) / 2, true
	case opPrefix:
		a, _ := prefixAnchor(n.keys[0])
		return []string{a}, 3, true
	case opSource:
		return []string{sourceAnchor(n.keys[0])}, 8, true
	case opLang:
		return []string{langAnchor(n.keys[0])}, 50, true
	case opSpeaker:
		return []string{speakerAnchor(n.keys[0])}, 2, true
	case opTitle:
		return anchors(n.kids[0], true)
	case opNot:
		return nil, 0, false
	case opAnd:
		for _, k := range n.kids {
			kk, c, kok := anchors(k, inTitle)
			if kok && (!ok || c < cost) {
				keys, cost, ok = kk, c, true
			}
		}
		return keys, cost, ok
	case opOr:
		for _, k := range n.kids {
			kk, c, kok := anchors(k, inTitle)
			if !kok {
				return nil, 0, false
			}
			keys = append(keys, kk...)
			cost += c
		}
		slices.Sort(keys)
		return slices.Compact(keys), cost, true
	}
	return nil, 0, false
}

func wordAnchor(key string, inTitle bool) string {
	if inTitle {
		return titleMark + key
	}
	return key
}

// wordCost guesses how common a word is from its length: short words
// (articles, prepositions, common verbs) are in most articles.
func wordCost(k string) float64 {
	n := 0
	for range k {
		n++
	}
	switch {
	case n <= 2:
		return 6
	case n == 3:
		return 3
	case n == 4:
		return 2
	}
	return 1 + 4/float64(n)
}
