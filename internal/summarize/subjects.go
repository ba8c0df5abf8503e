package summarize

import (
	"sort"

	"github.com/migrawatch/migrawatch/internal/news"
)

// maxDescribedWords bounds a described speaker ("une source proche de
// l'enquête", "the 41-year-old").
const maxDescribedWords = 8

// describedSubjects gives each French or English cue left without a subject
// the noun phrase next to it, as a described speaker: «...», soupire une
// dame; "...", the clerk tells Diller; selon une source proche de
// l'enquête. The lexicon cannot list every noun a speaker may be described
// by; the word order tells where the subject stands.
func (a *article) describedSubjects() {
	if a.lang == news.Arabic {
		return
	}
	lf := &latinFinder{d: a.doc, lx: a.lx, sh: a.sh, mt: a.mt, pending: map[pendingKey]string{}}
	for si := range a.sents {
		ts := a.sents[si].toks
		for ci, c := range a.cues[si] {
			if a.subjs[si][ci] != nil || c.pronoun || !(c.kind == cueVerb || c.kind == cuePrep) {
				continue
			}
			var k, e int
			if c.kind == cuePrep || quoteJustBefore(ts, c.k) {
				k, e = a.phraseAfter(ts, c.end)
			} else {
				k, e = a.phraseBefore(ts, c.k)
			}
			if e <= k {
				continue
			}
			lf.roleMention(si, k, e)
			a.subjs[si][ci] = a.mentionAt(si, k)
			if s := a.subjs[si][ci]; s != nil && a.anaphoric(si, s) {
				a.subjs[si][ci] = nil
				a.cues[si][ci].pronoun = true
			}
		}
	}
}

// mentionAt returns the entity of the mention starting at token k of
// sentence si, keeping the sentence's mentions in token order.
func (a *article) mentionAt(si, k int) *entity {
	ms := a.mt.bySen[si]
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].t0 < ms[j].t0 })
	for _, m := range ms {
		if m.t0 == k {
			return m.ent
		}
	}
	return nil
}

// phraseAfter finds a noun phrase opened by a determiner right after token
// j, past a prepositional object (a déclaré à l'AFP un porte-parole).
func (a *article) phraseAfter(ts []tok, j int) (int, int) {
	if j < len(ts) && ts[j].kind == tkWord && a.isObjectMarker(ts[j]) {
		for x := j + 1; x < len(ts) && x <= j+4; x++ {
			if ts[x].kind == tkWord && a.lx.indefinites[ts[x].f] {
				j = x
				break
			}
		}
	}
	if j >= len(ts) || ts[j].kind != tkWord || !(a.lx.determiners[ts[j].f] || a.lx.indefinites[ts[j].f]) {
		return j, j
	}
	return j, a.phraseEnd(ts, j+1)
}

// phraseEnd extends a described speaker from i: words that are neither
// verbs nor clause words, linking words, short quoted names.
func (a *article) phraseEnd(ts []tok, i int) int {
	start := i
	for i < len(ts) && i-start < maxDescribedWords {
		t := ts[i]
		switch {
		case t.kind == tkQuote && wordCount(t.text) <= 3:
		case t.kind != tkWord:
			return i
		case a.lx.verbs[t.f].tier != tierNone, a.lx.phraseStops[t.f] && !isRoleLink(t):
			return i
		case i > start && a.lx.circumstance(t):
			// "a dit le chef de l'Etat lors d'une conférence": the
			// circumstance is not part of who spoke.
			return i
		}
		i++
	}
	return i
}

// phraseBefore finds a noun phrase opened by a determiner that ends right
// before the verb at k (past an auxiliary: "Le premier ministre s'est
// déclaré"), standing at the start of its clause.
func (a *article) phraseBefore(ts []tok, k int) (int, int) {
	e := k
	for e > 0 && e > k-2 && ts[e-1].kind == tkWord && (isAux(ts[e-1].f) || isReflexive(ts[e-1].f)) {
		e--
	}
	for b := e - 1; b >= 0 && b >= e-maxDescribedWords; b-- {
		t := ts[b]
		if t.kind != tkWord || a.lx.verbs[t.f].tier != tierNone {
			return k, k
		}
		if !(a.lx.determiners[t.f] || a.lx.indefinites[t.f]) {
			continue
		}
		if b == 0 || ts[b-1].kind == tkPunct {
			if a.phraseEnd(ts, b+1) >= e && b+1 < e {
				return b, e
			}
		}
		return k, k
	}
	return k, k
}

func isReflexive(f string) bool {
	switch f {
	case "s'est", "se", "s'etait", "s'", "itself", "himself", "herself":
		return true
	}
	return false
}
