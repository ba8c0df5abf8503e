package summarize

import (
	"strings"

	"github.com/migrawatch/migrawatch/internal/news"
	"slices"
	"sort"
)

// candidates gathers the entities that may have said the quote at token k
// of sentence si: those named in its sentence, the two before and the one
// after, earlier in its paragraph and in the paragraph before, the subject
// of the last cue, and the speaker an aside names; each with its features.
func (a *article) candidates(si, k int, as *aside, context string) []candidate {
	pos := a.sents[si].toks[k].start
	var ents []*entity
	add := func(e *entity) {
		if e != nil && e.kind != entPlace && !slices.Contains(ents, e) {
			ents = append(ents, e)
		}
	}
	for _, s := range a.window(si) {
		for _, m := range a.mt.bySen[s] {
			if a.plausible(m, si) {
				add(m.ent)
			}
		}
	}
	last, lastDist := a.lastCued(si, k)
	add(last)
	var asideEnt, asidePro *entity
	if as != nil {
		if !as.pronoun {
			asideEnt = a.asideEntity(as, pos)
		}
		if asideEnt == nil {
			// A pronoun, or a description the article does not name here
			// ("poursuit l'ancienne présidente"): who was speaking before.
			asidePro = a.lastPersonBefore(si, pos, as.gender)
		}
		add(asideEnt)
		add(asidePro)
	}
	ctx := candContext{si: si, k: k, last: last, lastDist: lastDist, asideEnt: asideEnt, asidePro: asidePro}
	ctx.nearBefore, ctx.nearAfter = a.nearestMentions(si, k)
	ctx.nearCue = a.nearestCue(si, k)
	ctx.recent = a.lastPersonBefore(si, pos, genderUnknown)
	ctx.descRef = a.descriptionReferent(si, ctx.nearCue)
	add(ctx.descRef)
	if ctx.nearCue >= 0 {
		ctx.recentAgree = a.lastPersonBefore(si, pos, a.cues[si][ctx.nearCue].gender)
	}
	add(ctx.recent)
	add(ctx.recentAgree)
	out := make([]candidate, 0, len(ents))
	for _, e := range ents {
		out = append(out, candidate{ent: e, feats: inContext(a.candFeatures(e, ctx), context)})
	}
	return out
}

// window lists the sentences searched for candidates around sentence si.
func (a *article) window(si int) []int {
	para := a.sents[si].para
	var out []int
	for s := si - 1; s >= 0; s-- {
		p := a.sents[s].para
		if si-s > sentencesBefore && p < para-1 {
			break
		}
		out = append(out, s)
	}
	out = append(out, si)
	if si+1 < len(a.sents) {
		out = append(out, si+1)
	}
	sort.Ints(out)
	return out
}

// candContext is what every candidate of one quote shares.
type candContext struct {
	si, k                 int
	last                  *entity
	lastDist              int
	asideEnt, asidePro    *entity
	nearBefore, nearAfter *entity
	nearCue               int     // index of the cue nearest the quote, -1 if none
	recent, recentAgree   *entity // the last person named before the quote; the last whose gender fits the cue
	descRef               *entity // the person a definite description as subject may stand for
}

// nearestCue is the index of the cue of sentence si nearest token k.
func (a *article) nearestCue(si, k int) int {
	near := -1
	for ci, c := range a.cues[si] {
		if near < 0 || abs(c.k-k) < abs(a.cues[si][near].k-k) {
			near = ci
		}
	}
	return near
}

// nearestMentions are the entities named closest before and after the quote
// in its sentence.
func (a *article) nearestMentions(si, k int) (before, after *entity) {
	for _, m := range a.mt.bySen[si] {
		if m.ent.kind == entPlace {
			continue
		}
		if m.t1 <= k {
			before = m.ent
		} else if after == nil && m.t0 > k {
			after = m.ent
		}
	}
	return before, after
}

// nearest finds e's mention nearest the quote: in its sentence if any (the
// closest by tokens), else in the closest sentence.
func (a *article) nearest(e *entity, si, k int) (*mention, int) {
	var best *mention
	bestD := 1 << 30
	for _, m := range e.ments {
		d := abs(m.sent-si) * 1000
		if m.sent == si {
			d = min(abs(m.t0-k), abs(m.t1-k))
		} else if m.sent > si {
			d += 500
		}
		if d < bestD {
			best, bestD = m, d
		}
	}
	return best, bestD
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// candFeatures describes candidate e of the quote in ctx: what it is, where
// the article names it, and how the sentence's cues point at it.
func (a *article) candFeatures(e *entity, ctx candContext) []string {
	f := []string{"c:kind=" + kindNames[e.kind], "c:ments" + bucket(len(e.ments), 1, 3)}
	if e.kind == entPerson && len(e.words) == 1 {
		f = append(f, "c:oneword")
	}
	if e.kind == entPerson {
		if _, ok := a.sh.givenNames[strings.TrimPrefix(e.words[0], "و")]; ok {
			f = append(f, "c:givenname")
		}
	}
	if e.role != "" {
		f = append(f, "c:hasrole")
	}
	if e.kind == entRole && a.definiteDescription(e) {
		f = append(f, "c:defdesc")
	}
	if n := a.speaks[e]; n > 0 {
		f = append(f, "c:speaks"+bucket(n, 1, 3))
	}
	f = append(f, a.placeFeatures(e, ctx)...)
	f = append(f, a.cueFeatures(e, ctx)...)
	if e == ctx.last {
		f = append(f, "c:lastcued"+bucket(ctx.lastDist, 0, 1, 3))
		if len(a.cues[ctx.si]) == 0 {
			f = append(f, "c:lastcued&nocue")
		}
	}
	if e == ctx.descRef {
		// The description's own cue features, marked: the model learns how
		// often "précise l'avocat" means the lawyer named before.
		f = append(f, "c:descref")
		if a.lx.covers(a.subjs[ctx.si][ctx.nearCue].roleHead, e.roleHead) {
			f = append(f, "c:descref&kind")
		}
		for _, df := range a.cueFeatures(a.subjs[ctx.si][ctx.nearCue], ctx) {
			f = append(f, "ref:"+df)
		}
	}
	if e == ctx.asideEnt {
		f = append(f, "c:aside")
	}
	if e == ctx.asidePro {
		f = append(f, "c:asidepro")
	}
	if ctx.si > 0 && slices.Contains(a.subjs[ctx.si-1], e) {
		f = append(f, "c:prevsubj")
	}
	if ctx.si+1 < len(a.sents) && slices.Contains(a.subjs[ctx.si+1], e) {
		f = append(f, "c:nextsubj")
	}
	return f
}

// placeFeatures say where the article names e relative to the quote.
func (a *article) placeFeatures(e *entity, ctx candContext) []string {
	m, _ := a.nearest(e, ctx.si, ctx.k)
	if m == nil {
		return []string{"c:where=none"}
	}
	var f []string
	switch d := m.sent - ctx.si; {
	case d == 0:
		side, gap := "before", ctx.k-m.t1
		if m.t0 > ctx.k {
			side, gap = "after", m.t0-ctx.k-1
		}
		if m.object || m.possessive {
			side = "obj" + side
		}
		f = append(f, "c:where=same", "c:side="+side+bucket(gap, 0, 2, 6, 15),
			"c:clauses="+side+bucket(clauseBreaks(a.sents[ctx.si].toks, m, ctx.k), 0, 1, 2))
		if e == ctx.nearBefore && side == "before" || e == ctx.nearAfter && side == "after" {
			f = append(f, "c:nearest="+side)
		}
		f = append(f, "c:ents"+bucket(len(a.mt.bySen[ctx.si]), 1, 2))
	case d > 0:
		f = append(f, "c:where=next"+bucket(d, 1))
	case a.sents[m.sent].para < a.sents[ctx.si].para:
		f = append(f, "c:where=prevpara"+bucket(-d, 1, 2, 4))
	default:
		f = append(f, "c:where=prev"+bucket(-d, 1, 2, 4))
	}
	f = append(f, "c:mkind"+string(rune('0'+m.kind)))
	if m.possessive {
		f = append(f, "c:possessive")
	}
	if m.object {
		f = append(f, "c:object")
	}
	if a.topicOf(a.sents[ctx.si].para) == e {
		f = append(f, "c:topic")
	}
	if p := a.sents[ctx.si].para; p > 0 && a.topicOf(p-1) == e {
		f = append(f, "c:prevtopic")
	}
	return f
}

// cueFeatures say how the cues of the quote's sentence point at e: as the
// subject of a verb or the object of "according to", on which side of the
// quote; and, for a bare verb or a pronoun, whether e is the person it
// refers back to and agrees with it in gender.
func (a *article) cueFeatures(e *entity, ctx candContext) []string {
	var f []string
	for ci, c := range a.cues[ctx.si] {
		side := "b"
		if c.k > ctx.k {
			side = "a"
		}
		name := cueKindNames[c.kind] + tierLetters[c.tier] + side
		subj := a.subjs[ctx.si][ci]
		near := ci == ctx.nearCue
		switch {
		case subj == e:
			f = append(f, "c:subj="+name)
			if near {
				f = append(f, "c:subjnear="+name+bucket(wordsBetween(a.sents[ctx.si].toks, c.k, ctx.k), 0, 2, 5))
			}
		case subj != nil && near:
			f = append(f, "c:othersubj="+name)
		case subj == nil && near:
			f = append(f, a.bareCueFeatures(e, c, name, ctx)...)
		}
		if near {
			f = append(f, "c:gender="+agreement(a.cueGender(ctx.si, ci), e.gender))
			if c.continuation && e == ctx.last {
				f = append(f, "c:cont&last")
			}
		}
	}
	return f
}

// bareCueFeatures describe e for a cue whose subject is a pronoun or only
// the verb's ending (he said, وأضاف): is e the last speaker, the last person
// named, the last one whose gender fits?
func (a *article) bareCueFeatures(e *entity, c cue, name string, ctx candContext) []string {
	kind := "bare="
	if c.pronoun {
		kind = "pro="
	}
	var f []string
	if e == ctx.last {
		f = append(f, "c:"+kind+name+"&last")
	}
	if e == ctx.recent {
		f = append(f, "c:"+kind+name+"&recent")
	}
	if e == ctx.recentAgree {
		f = append(f, "c:"+kind+name+"&recentagree")
	}
	return f
}

// cueGender is the gender cue ci of sentence si marks, or, for a cue that
// marks none (a colon), the gender another cue with the same subject marks
// ("وقالت X، ...، في تصريح: «...»").
func (a *article) cueGender(si, ci int) int {
	cs := a.cues[si]
	if g := cs[ci].gender; g != genderUnknown || a.subjs[si][ci] == nil {
		return g
	}
	for cj := range cs {
		if cj != ci && a.subjs[si][cj] == a.subjs[si][ci] && cs[cj].gender != genderUnknown {
			return cs[cj].gender
		}
	}
	return genderUnknown
}

func agreement(cueGender, entGender int) string {
	switch {
	case cueGender == genderUnknown || entGender == genderUnknown:
		return "unknown"
	case cueGender == entGender:
		return "agree"
	}
	return "disagree"
}

// wordsBetween counts the words between tokens i and j.
func wordsBetween(ts []tok, i, j int) int {
	if i > j {
		i, j = j, i
	}
	n := 0
	for _, t := range ts[i+1 : j] {
		if t.kind == tkWord {
			n++
		}
	}
	return n
}

// inContext adds a copy of each feature marked with how the quote's
// sentence points at its speaker: a name next to the quote means much when
// the verb has no subject of its own, and little when a pronoun is the
// subject.
func inContext(f []string, context string) []string {
	n := len(f)
	for i := 0; i < n; i++ {
		f = append(f, context+"/"+f[i])
	}
	return f
}

// topicOf is the entity named first in paragraph p, as a subject (the
// person a paragraph is about).
func (a *article) topicOf(p int) *entity {
	for si, s := range a.sents {
		if s.para != p {
			continue
		}
		for _, m := range a.mt.bySen[si] {
			if !m.object && !m.possessive && m.ent.kind != entPlace {
				return m.ent
			}
		}
	}
	return nil
}

// definiteDescription reports whether a described speaker is introduced by
// a definite article (le quadragénaire, the spokesman): it usually stands
// for someone the article named before.
func (a *article) definiteDescription(e *entity) bool {
	m := e.ments[0]
	t := a.sents[m.sent].toks[m.t0]
	if a.lang == news.Arabic {
		return arDefinite(t.f)
	}
	switch t.f {
	case "le", "la", "les", "the", "ce", "cette":
		return true
	}
	return strings.HasPrefix(t.f, "l'")
}

// descriptionReferent is the named person a definite description standing
// as the cue's subject may refer to (précise l'avocat, a déclaré le Premier
// ministre, قال الوزير): the last person named before it whose gender does
// not contradict it.
func (a *article) descriptionReferent(si, near int) *entity {
	if near < 0 {
		return nil
	}
	d := a.subjs[si][near]
	if d == nil || d.kind != entRole || !a.definiteDescription(d) {
		return nil
	}
	var first *mention
	for _, m := range d.ments {
		if m.sent <= si && (first == nil || m.start > first.start) && m.sent >= si-lastCuedWindow {
			first = m
		}
	}
	if first == nil {
		return nil
	}
	if p := a.mt.personByKind(d.roleHead, first.start); p != nil {
		return p
	}
	for s := si; s >= 0 && s >= si-2*lastCuedWindow; s-- {
		ms := a.mt.bySen[s]
		for x := len(ms) - 1; x >= 0; x-- {
			m := ms[x]
			if m.start >= first.start || m.ent.kind != entPerson {
				continue
			}
			if d.gender == genderUnknown || m.ent.gender == genderUnknown || m.ent.gender == d.gender {
				return m.ent
			}
		}
	}
	return nil
}

// plausible reports whether the entity of mention m may be a candidate for
// a quote in sentence si: people, and bodies or descriptions that are named
// in the quote's sentence or the one before or that speak somewhere in the
// article. A body named in passing further away only dilutes the choice.
func (a *article) plausible(m *mention, si int) bool {
	e := m.ent
	if e.kind == entPerson || a.speaks[e] > 0 {
		return true
	}
	return m.sent == si || m.sent == si-1
}

// clauseBreaks counts the commas and semicolons between mention m and the
// quote at token k: a name several clauses away rarely introduces a quote.
func clauseBreaks(ts []tok, m *mention, k int) int {
	lo, hi := m.t1, k
	if m.t0 > k {
		lo, hi = k+1, m.t0
	}
	n := 0
	for _, t := range ts[lo:max(lo, hi)] {
		if t.kind == tkPunct && (t.text == "," || t.text == "،" || t.text == ";" || t.text == "؛") {
			n++
		}
	}
	return n
}
