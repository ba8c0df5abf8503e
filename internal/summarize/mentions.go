package summarize

import (
	"sort"
	"strings"
)

// Entity kinds: who or what a mention names.
const (
	entPerson  = iota + 1 // a named person
	entOrg                // a named body (ministry, NGO, party, acronym)
	entRole               // a person or group described, never named (un manifestant, المصدر)
	entPlace              // a place: never a speaker
	entUnknown            // a lone capitalized word the article never explains
)

// entity is one person, body, described role or place of an article, with
// every mention linked to it.
type entity struct {
	kind     int
	name     string   // the fullest name the article gives, as written
	words    []string // folded words of name
	role     string   // the title or function the article gives, as written
	roleHead string   // folded role noun (ministre, spokesman, وزير)
	gender   int
	ments    []*mention
}

// Mention kinds.
const (
	mName    = iota + 1 // the full name, or the name as first given
	mSurname            // a later, shorter form of a name
	mRole               // a role phrase (le ministre, the spokesman, الوزير)
	mAcronym            // an acronym of a body named in full
)

// mention is one place where the article names an entity.
type mention struct {
	ent        *entity
	kind       int
	sent       int  // sentence index
	t0, t1     int  // token range [t0, t1) in the sentence
	start, end int  // byte range in the text
	possessive bool // Macron's: the name owns something, it does not act
	object     bool // after a preposition (told reporters, in the Plaza Hotel): not a subject
}

// mentionTable is the article's people, bodies, roles and places.
type mentionTable struct {
	ents  []*entity
	ments []*mention         // in text order
	bySen [][]*mention       // per sentence, in token order
	index map[string]*entity // folded name -> entity
	lx    *lexicon
}

func (mt *mentionTable) add(e *entity) *entity {
	mt.ents = append(mt.ents, e)
	if mt.index == nil {
		mt.index = map[string]*entity{}
	}
	mt.index[strings.Join(e.words, " ")] = e
	return e
}

// mention records a mention of e in sentence si at tokens [t0, t1).
func (mt *mentionTable) mention(d *doc, e *entity, kind, si, t0, t1 int) *mention {
	ts := d.sents[si].toks
	m := &mention{ent: e, kind: kind, sent: si, t0: t0, t1: t1, start: ts[t0].start, end: ts[t1-1].end}
	e.ments = append(e.ments, m)
	mt.ments = append(mt.ments, m)
	for len(mt.bySen) <= si {
		mt.bySen = append(mt.bySen, nil)
	}
	mt.bySen[si] = append(mt.bySen[si], m)
	return m
}

// personBySurname finds the person whose name ends with (or is) the folded
// words ws: a surname or a first name alone links to the full name.
func (mt *mentionTable) personBySurname(ws []string) *entity {
	var found *entity
	for _, e := range mt.ents {
		if e.kind != entPerson || len(e.words) < len(ws) || len(e.words) == len(ws) {
			continue
		}
		if endsWith(e.words, ws) || startsWith(e.words, ws) && len(ws) == 1 && found == nil {
			if found != nil && found != e && endsWith(found.words, ws) {
				return nil // two people share the surname: say nothing
			}
			if found == nil || endsWith(e.words, ws) {
				found = e
			}
		}
	}
	return found
}

// personByRole finds the person a role description refers to, among the
// people mentioned before byte pos whose role has the same head noun: the
// one whose role holds every other word of the description (ministre de
// l'Intérieur), else the most recent.
func (mt *mentionTable) personByRole(head string, desc []string, pos int) *entity {
	var best, full *entity
	bestAt, fullAt := -1, -1
	for _, e := range mt.ents {
		if e.kind != entPerson || e.roleHead != head {
			continue
		}
		at := lastBefore(e, pos)
		if at < 0 {
			continue
		}
		if at > bestAt {
			best, bestAt = e, at
		}
		if len(desc) > 0 && roleHolds(e.role, desc) && at > fullAt {
			full, fullAt = e, at
		}
	}
	if full != nil || len(desc) > 0 {
		// A description with words of its own (رئيس المجلس الأوروبي) is the
		// person whose role holds them, or no one named yet.
		return full
	}
	return best
}

// personByKind finds the person mentioned last before byte pos whose role
// a description headed by head covers as a kind (le policier for le
// commissaire X, the lawyer for Me X). It is a candidate the model weighs,
// not a link: a kind is looser than the same noun.
func (mt *mentionTable) personByKind(head string, pos int) *entity {
	var best *entity
	bestAt := -1
	for _, e := range mt.ents {
		if e.kind != entPerson || !mt.lx.covers(head, e.roleHead) {
			continue
		}
		if at := lastBefore(e, pos); at > bestAt {
			best, bestAt = e, at
		}
	}
	return best
}

// lastBefore is the byte offset of e's last mention before pos, -1 if none.
func lastBefore(e *entity, pos int) int {
	at := -1
	for _, m := range e.ments {
		if m.start < pos && m.start > at {
			at = m.start
		}
	}
	return at
}

// roleHolds reports whether every word of desc (folded, articles aside) is
// in role.
func roleHolds(role string, desc []string) bool {
	have := map[string]bool{}
	for _, w := range splitFolded(fold(role)) {
		have[bareWord(w)] = true
	}
	for _, w := range desc {
		if !have[bareWord(w)] {
			return false
		}
	}
	return true
}

// bareWord strips an Arabic article or a French elision from a folded word.
func bareWord(w string) string {
	if t, ok := strings.CutPrefix(w, "ال"); ok && len(t) > 2 {
		return t
	}
	return elided(w)
}

func endsWith(ws, tail []string) bool {
	if len(tail) > len(ws) {
		return false
	}
	off := len(ws) - len(tail)
	for i, w := range tail {
		if ws[off+i] != w {
			return false
		}
	}
	return true
}

func startsWith(ws, head []string) bool {
	if len(head) > len(ws) {
		return false
	}
	for i, w := range head {
		if ws[i] != w {
			return false
		}
	}
	return true
}

// foldedWords returns the folded words of a token run.
func foldedWords(ts []tok) []string {
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		if t.kind == tkWord {
			out = append(out, t.f)
		}
	}
	return out
}

// contentWords are the words of a role description other than its head and
// short function words.
func contentWords(ws []string, head string) []string {
	var out []string
	for _, w := range ws {
		b := bareWord(w)
		if b == head || len([]rune(b)) <= 3 || w == head {
			continue
		}
		out = append(out, w)
	}
	return out
}

// mergeSurnames links the mentions of a lone word to the one person whose
// full name ends with it, when the article gives the full name only later
// ("Balde ... Alpha Balde"): one entity for one person.
func (mt *mentionTable) mergeSurnames() {
	var keep []*entity
	for _, e := range mt.ents {
		if len(e.words) == 1 && (e.kind == entUnknown || e.kind == entPerson) {
			if p := mt.personBySurname(e.words); p != nil && p != e {
				for _, m := range e.ments {
					m.ent, m.kind = p, mSurname
					p.ments = append(p.ments, m)
				}
				if p.gender == genderUnknown {
					p.gender = e.gender
				}
				if p.role == "" {
					p.role, p.roleHead = e.role, e.roleHead
				}
				mt.index[strings.Join(e.words, " ")] = p
				continue
			}
		}
		keep = append(keep, e)
	}
	mt.ents = keep
	for _, e := range mt.ents {
		sort.SliceStable(e.ments, func(i, j int) bool { return e.ments[i].start < e.ments[j].start })
	}
}

// describedByHead finds the described speaker (an unnamed role) with the
// role noun head mentioned last before byte pos.
func (mt *mentionTable) describedByHead(head string, pos int) *entity {
	var best *entity
	bestAt := -1
	for _, e := range mt.ents {
		if e.kind != entRole || e.roleHead != head {
			continue
		}
		for _, m := range e.ments {
			if m.start < pos && m.start > bestAt {
				best, bestAt = e, m.start
			}
		}
	}
	return best
}
