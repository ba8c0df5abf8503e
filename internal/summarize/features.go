package summarize

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/migrawatch/migrawatch/internal/news"
)

// Windows of sentences searched for candidate speakers and for the last
// cued speaker.
const (
	sentencesBefore = 2
	lastCuedWindow  = 8
)

var kindNames = map[int]string{entPerson: "person", entOrg: "org", entRole: "role", entPlace: "place", entUnknown: "unknown"}

var tierLetters = map[int]string{tierSay: "s", tierSpeech: "p", tierOpinion: "o"}

var cueKindNames = map[int]string{cueVerb: "v", cueGerund: "g", cueInfin: "i", cuePrep: "p", cueColon: "c", cueNoun: "n"}

// cueSubject finds the entity a cue points at, by the word order each
// language uses: after an Arabic verb (قال الوزير); before a French or
// English verb (X a déclaré, X said), or after it when a quote comes first
// («...», a déclaré X; "...", said X); after a preposition (selon X); the
// sentence's first name before a colon. A pronoun or a bare verb names no
// one: candidates get features for what it may refer to instead.
func (a *article) cueSubject(si, ci int) *entity {
	c := a.cues[si][ci]
	ts := a.sents[si].toks
	switch c.kind {
	case cuePrep:
		return a.subjectAfter(si, c.end, 1)
	case cueColon:
		return a.clauseSubject(si, c.k)
	case cueGerund:
		return a.clauseSubject(si, c.k)
	case cueNoun:
		// "عن المسؤول قوله": the object of عن is the speaker.
		if ms := a.mt.bySen[si]; len(ms) > 0 {
			for x := len(ms) - 1; x >= 0; x-- {
				if ms[x].t1 <= c.k && c.k-ms[x].t1 <= 1 {
					return ms[x].ent
				}
			}
		}
		return nil
	}
	if c.pronoun {
		return nil
	}
	if a.lang == news.Arabic {
		if e := a.subjectAfter(si, c.end, 3); e != nil {
			return e
		}
		return mentionBefore(a.mt.bySen[si], c.k, 2)
	}
	if quoteJustBefore(ts, c.k) {
		if e := a.subjectAfter(si, c.end, maxInvertedGap); e != nil {
			return e
		}
	}
	if e := a.appositionSubject(si, c.k); e != nil {
		return e
	}
	return mentionBefore(a.mt.bySen[si], c.k, 4)
}

// maxInvertedGap is how far after an inverted verb its subject may stand
// («...», a réagi, à la sortie du tribunal, la mère d'Alexia).
const maxInvertedGap = 9

// quoteJustBefore reports whether a quote ends within two tokens before k.
func quoteJustBefore(ts []tok, k int) bool {
	for j := k - 1; j >= 0 && j >= k-3; j-- {
		if ts[j].kind == tkQuote {
			return true
		}
		if ts[j].kind == tkWord && !isAux(ts[j].f) {
			return false
		}
	}
	return false
}

// isAux reports whether f is an auxiliary or an inverted one (a, a-t-il,
// avait, has): words between a quote and its verb.
func isAux(f string) bool {
	base, _, _ := splitInverted(f)
	switch base {
	case "a", "ont", "avait", "avaient", "aura", "aurait", "has", "had", "have", "est", "was":
		return true
	}
	return false
}

// subjectAfter returns the entity of the first mention within gap tokens
// after token k that is not the object of a preposition (told reporters, à
// l'AFP).
func (a *article) subjectAfter(si, k, gap int) *entity {
	for _, m := range a.mt.bySen[si] {
		if m.t0 < k || m.t0-k > gap || m.ent.kind == entPlace || m.possessive {
			continue
		}
		if m.object {
			continue
		}
		return m.ent
	}
	return nil
}

// isObjectMarker reports whether t is a preposition before an object; for
// French and English it reads the written word, since folding makes "à"
// (a preposition) and "a" (has) one.
func (a *article) isObjectMarker(t tok) bool {
	if a.lang == news.Arabic {
		return a.lx.objMarkers[t.f]
	}
	w := strings.ToLower(strings.ReplaceAll(t.text, "’", "'"))
	return a.lx.rawObjMarkers[w] || a.lx.rawObjMarkers[elidedArticle(w)]
}

// clauseSubject is the subject of the clause a colon or a gerund belongs
// to: the first name of the sentence when it stands at its start (after a
// conjunction or an adverb at most), nil when the sentence opens with a
// pronoun.
func (a *article) clauseSubject(si, k int) *entity {
	ts := a.sents[si].toks
	for j := 0; j < k && j < 4; j++ {
		if ts[j].kind != tkWord {
			continue
		}
		if _, ok := a.lx.pronouns[ts[j].f]; ok {
			return nil
		}
		break
	}
	ms := a.mt.bySen[si]
	if len(ms) > 0 && ms[0].t1 <= k && ms[0].t0 <= 4 && ms[0].ent.kind != entPlace {
		return ms[0].ent
	}
	if a.lang == news.Arabic {
		return mentionBefore(ms, k, 12)
	}
	return nil
}

// mentionBefore returns the entity of the last mention ending within gap
// tokens before token k that is not the object of a preposition.
func mentionBefore(ms []*mention, k, gap int) *entity {
	for x := len(ms) - 1; x >= 0; x-- {
		m := ms[x]
		if m.t1 <= k && k-m.t1 <= gap && m.ent.kind != entPlace && !m.object {
			return m.ent
		}
	}
	return nil
}

// lastPersonBefore is the person or described speaker most recently
// mentioned before byte pos whose gender does not contradict g.
func (a *article) lastPersonBefore(si, pos, g int) *entity {
	for s := si; s >= 0 && s >= si-lastCuedWindow; s-- {
		ms := a.mt.bySen[s]
		for x := len(ms) - 1; x >= 0; x-- {
			m := ms[x]
			if m.start >= pos || !(m.ent.kind == entPerson || m.ent.kind == entRole) {
				continue
			}
			if g == genderUnknown || m.ent.gender == genderUnknown || m.ent.gender == g {
				return m.ent
			}
		}
	}
	return nil
}

// lastCued is the subject of the last cue before token k of sentence si,
// and how many sentences back it was.
func (a *article) lastCued(si, k int) (*entity, int) {
	for s := si; s >= 0 && s >= si-lastCuedWindow; s-- {
		for ci := len(a.cues[s]) - 1; ci >= 0; ci-- {
			if s == si && a.cues[s][ci].k >= k {
				continue
			}
			if e := a.subjs[s][ci]; e != nil {
				return e, si - s
			}
		}
	}
	return nil, 0
}

func bucket(n int, bounds ...int) string {
	for _, b := range bounds {
		if n <= b {
			return "<=" + strconv.Itoa(b)
		}
	}
	return ">" + strconv.Itoa(bounds[len(bounds)-1])
}

// nullFeatures describes a quoted span on its own: what makes it someone's
// words or a title, a slogan, a scare quote.
func (a *article) nullFeatures(si, k int, as *aside) []string {
	ts := a.sents[si].toks
	q := ts[k].text
	f := []string{"n:bias", "n:words" + bucket(wordCount(q), 8, 12, 20, 40)}
	if k > 1 && a.isTitleWord(ts[k-2]) {
		f = append(f, "n:titleword")
	}
	if r := firstLetter(q); unicode.IsLower(r) {
		f = append(f, "n:lowerstart")
	}
	if strings.ContainsRune(".!?…؟", lastNonSpaceRune(q)) {
		f = append(f, "n:terminal")
	}
	if a.firstPerson(q) {
		f = append(f, "n:firstperson")
	}
	if titleCased(q) {
		f = append(f, "n:titlecase")
	}
	words := 0
	for _, t := range ts {
		if t.kind == tkWord {
			words++
		}
	}
	f = append(f, "n:sentwords"+bucket(words, 0, 3, 8))
	if as != nil {
		f = append(f, "n:aside")
	}
	for _, c := range a.cues[si] {
		f = append(f, "n:cue"+cueKindNames[c.kind]+tierLetters[c.tier])
	}
	if si > 0 && len(a.cues[si-1]) > 0 {
		f = append(f, "n:prevcue")
	}
	if k > 0 && ts[k-1].kind == tkPunct && ts[k-1].text == "(" {
		f = append(f, "n:paren")
	}
	return f
}

func firstLetter(s string) rune {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return r
		}
	}
	return 0
}

func (a *article) isTitleWord(t tok) bool {
	if t.kind != tkWord {
		return false
	}
	if a.lang == news.Arabic {
		_, ok := arLookup(t.f, a.lx.titleWords)
		return ok
	}
	return a.lx.titleWords[t.f] || a.lx.documents[t.f]
}

func (a *article) firstPerson(q string) bool {
	for _, w := range splitFolded(fold(q)) {
		if a.lx.firstPerson[w] || a.lx.firstPerson[elidedArticle(w)] {
			return true
		}
	}
	return false
}

// titleCased reports whether most words of a Latin quote are capitalized.
func titleCased(q string) bool {
	caps, n := 0, 0
	for _, w := range strings.Fields(q) {
		r := firstLetter(w)
		if r == 0 || r > unicode.MaxLatin1 && !unicode.Is(unicode.Latin, r) {
			continue
		}
		n++
		if unicode.IsUpper(r) {
			caps++
		}
	}
	return n >= 3 && caps*10 >= n*6
}

// maxApposition is the longest apposition skipped between a subject and
// its verb ("Louis Laugier, the prefect of Savoie, said").
const maxApposition = 14

// appositionSubject finds the name before an apposition that ends with a
// comma right before the verb at k.
func (a *article) appositionSubject(si, k int) *entity {
	ts := a.sents[si].toks
	if k == 0 || ts[k-1].kind != tkPunct || ts[k-1].text != "," {
		return nil
	}
	for c := k - 2; c >= 0 && c >= k-maxApposition; c-- {
		if ts[c].kind == tkPunct && ts[c].text == "," {
			return mentionBefore(a.mt.bySen[si], c, 0)
		}
		if ts[c].kind == tkQuote {
			return nil
		}
	}
	return nil
}
