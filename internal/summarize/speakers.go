package summarize

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/migrawatch/migrawatch/internal/news"
)

// Capitalized words that do not start a name.
var notNames = words("the a an in on at but and it this that those these he she they we i his her their our " +
	"le la les l' un une des du de il elle ils elles pour selon dans avec sur mais et alors apres avant depuis " +
	"ce cette ces son sa ses leur meanwhile however also after before last since as if when while for from " +
	"with some many about around over under despite although even correction there here what who why how " +
	"monday tuesday wednesday thursday friday saturday sunday january february march april may june july " +
	"august september october november december lundi mardi mercredi jeudi vendredi samedi dimanche janvier " +
	"fevrier mars avril mai juin juillet aout septembre octobre novembre decembre lire aujourd'hui hier " +
	"ni sans car or donc puis ainsi enfin toujours plus pas tout tous cela ca on nous vous je tu quand comme " +
	"au aux par si c'est c'etait qu'il mr ms mrs sir dr lady lord me m mme mlle")

// Words that join the parts of a name (Charles de Gaulle, Ursula von der Leyen).
var nameParticles = words("de du des van von der den al el bin ben da di y la le")

// Conjunctions and adverbs stripped from the start of a subject.
var leadingJunk = words("but and so yet also meanwhile however then mais et puis ainsi alors donc or enfin")

// Words that open a clause, not a role: "Ebrahim Raisi, has said ...".
var notRoleStart = words("has have had is was are were will would could can may might should did does do " +
	"as like who which that when while est sont ont avait avaient sera etait qui que comme lors")

// Days and time words that may stand between a verb and its subject.
var timeWords = words("lundi mardi mercredi jeudi vendredi samedi dimanche hier aujourd'hui mardi " +
	"monday tuesday wednesday thursday friday saturday sunday yesterday today")

// Quantifiers that open no identifiable speaker.
var quantifiers = words("d'autres certains certaines plusieurs beaucoup others some many most several few")

// Adverbs that may stand between a subject and its verb ("The UN also noted").
var trailingAdverbs = words("also then now still further later already previously recently earlier " +
	"ainsi aussi alors encore deja egalement ensuite pourtant meme")

// Words after which a subject noun phrase stops (English and French).
var npStops = words("in on at after before during of about as when while to from with last this yesterday today " +
	"tonight earlier later outside inside who which that where whose told " +
	"dans lors a au aux apres avant pendant qui que dont ou hier aujourd'hui ce cette en sur devant auprès aupres")

// registerLatinNames records the people an English or French article names:
// runs of capitalized words, with the role given next to them.
func (qf *quoteFinder) registerLatinNames() {
	for _, ts := range qf.toks {
		for j := 0; j < len(ts); {
			if ts[j].kind != tkWord || !(isCapitalized(ts[j].text) || honorifics[ts[j].f]) {
				j++
				continue
			}
			e := j
			for e < len(ts) && ts[e].kind == tkWord && (isCapitalized(ts[e].text) || honorifics[ts[e].f] ||
				(nameParticles[ts[e].f] && e > j && e+1 < len(ts) && isCapitalized(ts[e+1].text) && ts[e+1].kind == tkWord)) {
				e++
				if strings.HasSuffix(ts[e-1].f, "'s") {
					break
				}
			}
			run := ts[j:e]
			if e-j < 2 {
				if p := qf.personBySurname(ts[j].f, ts[j].start); p != nil {
					if r := qf.roleBefore(ts, j); r != "" {
						p.aliases = append(p.aliases, r)
					}
				}
				j = e
				continue
			}
			if sp := qf.nameSpeaker(run, "", ts[j].start, false); sp != nil && sp.person && len(sp.name) > 0 {
				role := qf.roleNear(ts, j, e)
				qf.addPerson(sp.name, role, sp.gender, ts[j].start)
			}
			j = e
		}
	}
}

// roleNear finds the role written next to a name at ts[j:e]: lower-case words
// just before it ("coach Andy Robinson") or an apposition after it
// ("Zach Goldstein, a volunteer with ...,"), or before it ("le ministre, Bernard Cazeneuve,").
func (qf *quoteFinder) roleNear(ts []tok, j, e int) string {
	// Role words inside the run itself (Home Secretary Charles Clarke).
	var inRun []string
	for x := j; x < e; x++ {
		if roleWordIn(ts[x].f) {
			for y := j; y <= x; y++ {
				inRun = append(inRun, ts[y].text)
			}
		}
	}
	if r := qf.roleBefore(ts, j); r != "" {
		return r + strings.Join(append([]string{""}, inRun...), " ")
	}
	if len(inRun) > 0 {
		return strings.Join(inRun, " ")
	}
	if e+1 < len(ts) && ts[e].kind == tkPunct && ts[e].text == "," {
		c := e + 1
		for c < len(ts) && !(ts[c].kind == tkPunct && (ts[c].text == "," || ts[c].text == "." || ts[c].text == "-" || ts[c].text == "—" || ts[c].text == ";")) && ts[c].kind != tkQuote {
			c++
		}
		seg := ts[e+1 : c]
		if len(seg) > 0 && len(seg) <= 14 && (determiners[seg[0].f] || roleWordIn(seg[0].f)) && hasLetter(seg[0].text) {
			if _, ok := frCue(seg[0].f); !ok && !enVerbs[seg[0].f] && seg[0].f != "qui" && seg[0].f != "who" {
				return joinToks(qf.text, seg)
			}
		}
	}
	if j >= 2 && ts[j-1].kind == tkPunct && ts[j-1].text == "," {
		c := j - 2
		for c >= 0 && ts[c].kind == tkWord {
			c--
		}
		seg := ts[c+1 : j-1]
		if len(seg) > 1 && determiners[seg[0].f] && anyRole(seg) {
			return joinToks(qf.text, seg)
		}
	}
	return ""
}

// roleBefore reads lower-case role words just before a name ("coach Andy
// Robinson", "le policier Hayard").
func (qf *quoteFinder) roleBefore(ts []tok, j int) string {
	b := j
	for b > 0 && ts[b-1].kind == tkWord && !isCapitalized(ts[b-1].text) && !enVerbs[ts[b-1].f] && !determiners[ts[b-1].f] && !npStops[ts[b-1].f] && j-b < 5 {
		if _, ok := frCue(ts[b-1].f); ok {
			break
		}
		b--
	}
	if b < j && anyRole(ts[b:j]) {
		return joinToks(qf.text, ts[b:j])
	}
	return ""
}

func anyRole(ts []tok) bool {
	for _, t := range ts {
		if roleWordIn(t.f) {
			return true
		}
	}
	return false
}

// roleWordIn reports whether a folded word is a role word, alone or as the
// last part of a compound (co-chairman) or an elided article (l'avocat).
func roleWordIn(f string) bool {
	if roleWords[f] {
		return true
	}
	if i := strings.LastIndexAny(f, "-'"); i >= 0 && roleWords[f[i+1:]] {
		return true
	}
	return roleWords[strings.TrimPrefix(f, "ال")] || roleWords["ال"+f]
}

func (qf *quoteFinder) addPerson(name, role string, gender, pos int) *person {
	fw := foldWords(name)
	for _, p := range qf.persons {
		if strings.Join(p.tokens, " ") == strings.Join(fw, " ") {
			if p.role == "" {
				p.role = role
			}
			if p.gender == genderUnknown {
				p.gender = gender
			}
			return p
		}
	}
	p := &person{name: name, tokens: fw, role: role, gender: gender, pos: pos}
	qf.persons = append(qf.persons, p)
	return p
}

// lawyerTitle marks the people the article calls "Me" (Maître, the title of
// French lawyers), so "l'avocat" or "son avocate" can refer to them.
func (qf *quoteFinder) lawyerTitle(name string, pos int) {
	for _, p := range qf.persons {
		if p.name == name {
			p.aliases = append(p.aliases, "avocat avocate")
		}
	}
}

// personBySurname finds the first person named before pos whose name ends
// with (or contains) the folded word w.
func (qf *quoteFinder) personBySurname(w string, pos int) *person {
	if len(w) < 2 {
		return nil
	}
	var best *person
	for _, p := range qf.persons {
		if p.pos > pos || len(p.tokens) < 2 {
			continue
		}
		if p.tokens[len(p.tokens)-1] == w {
			return p
		}
		if best == nil {
			for _, t := range p.tokens {
				if t == w {
					best = p
				}
			}
		}
	}
	return best
}

// personByRole finds the one person whose role contains all the role words of ts.
func (qf *quoteFinder) personByRole(ts []string, pos int) *person {
	var keys []string
	for _, t := range ts {
		if roleWordIn(t) {
			k := t
			if i := strings.LastIndexAny(k, "-'"); i >= 0 {
				k = k[i+1:]
			}
			keys = append(keys, strings.TrimPrefix(k, "ال"))
		}
	}
	if len(keys) == 0 {
		return nil
	}
	var found *person
	for _, p := range qf.persons {
		if p.pos > pos || (p.role == "" && len(p.aliases) == 0) {
			continue
		}
		rw := foldWords(p.role + " " + strings.Join(p.aliases, " "))
		ok := true
		for _, k := range keys {
			hit := false
			for _, w := range rw {
				w = strings.TrimPrefix(w, "ال")
				if i := strings.LastIndexAny(w, "-'"); i >= 0 {
					w = w[i+1:]
				}
				if w == k {
					hit = true
					break
				}
			}
			if !hit {
				ok = false
				break
			}
		}
		if ok {
			if found != nil && found.name != p.name {
				if found.tokens[len(found.tokens)-1] == p.tokens[len(p.tokens)-1] {
					// The same role and family name under two given names (a
					// slip of the article): one person, as named last.
					found = p
					continue
				}
				return qf.mostRecent(keys, pos)
			}
			found = p
		}
	}
	return found
}

// mostRecent picks, among people holding a role, the one named last in the
// three sentences before pos.
func (qf *quoteFinder) mostRecent(keys []string, pos int) *person {
	si := qf.sentenceAt(pos)
	for j := si; j >= 0 && j >= si-3; j-- {
		ts := qf.toks[j]
		for x := len(ts) - 1; x >= 0; x-- {
			t := ts[x]
			if t.start >= pos || t.kind != tkWord || !isCapitalized(t.text) {
				continue
			}
			p := qf.personBySurname(t.f, t.start)
			if p == nil {
				continue
			}
			rw := strings.Join(foldWords(p.role+" "+strings.Join(p.aliases, " ")), " ")
			ok := true
			for _, k := range keys {
				if !strings.Contains(" "+rw+" ", " "+k+" ") && !strings.Contains(rw, "'"+k) {
					ok = false
				}
			}
			if ok {
				return p
			}
		}
	}
	return nil
}

// latinSubjectBefore reads the subject that ends right before a verb
// (English and French subject-verb order).
func (qf *quoteFinder) latinSubjectBefore(i int, ts []tok) *speaker {
	s := len(ts)
	for s > 0 && !(ts[s-1].kind == tkQuote || (ts[s-1].kind == tkPunct && (ts[s-1].text == "." || ts[s-1].text == ";" || ts[s-1].text == ":" || ts[s-1].text == "(" || ts[s-1].text == ")"))) {
		s--
	}
	ts = ts[s:]
	segs := splitComma(ts)
	// Drop relative clauses and empty segments.
	var keep [][]tok
	for _, sg := range segs {
		if len(sg) == 0 {
			continue
		}
		f := sg[0].f
		if f == "who" || f == "which" || f == "qui" || f == "dont" || f == "whose" {
			continue
		}
		keep = append(keep, sg)
	}
	if len(keep) == 0 {
		return nil
	}
	last := stripJunk(keep[len(keep)-1])
	if len(last) == 0 && len(keep[len(keep)-1]) > 0 {
		// "X ... and called it", "..., mais tempérait": the verb shares the
		// sentence's subject.
		if qf.subj[i] != nil {
			return qf.subj[i]
		}
		return qf.leadingSubject(i)
	}
	if len(last) == 0 || len(last) > 12 {
		return nil
	}
	// A subject does not contain a verb of its own clause ("X has said that Y"):
	// take the words after a conjunction like "that"/"que".
	for x := len(last) - 1; x >= 0; x-- {
		if last[x].f == "that" || last[x].f == "que" || last[x].f == "qu'il" || last[x].f == "qu'elle" {
			last = last[x+1:]
			break
		}
	}
	if len(last) == 0 {
		return nil
	}
	pos := last[0].start
	if len(keep) >= 2 {
		prev := stripJunk(keep[len(keep)-2])
		if len(prev) > 0 && len(prev) <= 14 {
			ls := qf.nameSpeaker(last, "", pos, true)
			ps := qf.nameSpeaker(prev, "", prev[0].start, prev[0].start != qf.sents[i].start)
			if ls == nil && ps != nil && ps.person && isNameSeg(prev) && isRoleLike(last) {
				ps.role = joinToks(qf.text, last)
				qf.addPerson(ps.name, ps.role, ps.gender, prev[0].start)
				return ps
			}
			if ls != nil && ls.person && ps == nil && isNameSeg(last) && isRoleLike(prev) {
				ls.role = joinToks(qf.text, prev)
				qf.addPerson(ls.name, ls.role, ls.gender, pos)
				return ls
			}
		}
	}
	return qf.npSpeaker(i, last, pos)
}

// leadingSubject reads the name (with its role) that opens sentence i.
func (qf *quoteFinder) leadingSubject(i int) *speaker {
	ts := qf.toks[i]
	n := 0
	for n < len(ts) && n < 8 && ts[n].kind == tkWord && (isCapitalized(ts[n].text) || honorifics[ts[n].f] || (n > 0 && nameParticles[ts[n].f])) {
		n++
	}
	if n == 0 {
		return nil
	}
	return qf.nameSpeaker(ts[:n], "", ts[0].start, false)
}

// latinSubjectAfter reads the subject that follows a verb or a preposition
// (`said coach Andy Robinson`, `a déclaré X, role`, `selon X`).
func (qf *quoteFinder) latinSubjectAfter(i int, ts []tok) *speaker {
	if len(ts) > 0 && ts[0].kind == tkQuote && wordCount(ts[0].text) <= 4 && isCapitalized(strings.TrimSpace(ts[0].text)) {
		// A pseudonym in quotes: `suggère «Oh dear God» de Brighton`.
		return &speaker{name: strings.TrimSpace(ts[0].text)}
	}
	e := 0
	for e < len(ts) && !(ts[e].kind == tkQuote || (ts[e].kind == tkPunct && (ts[e].text == "." || ts[e].text == ";" || ts[e].text == ":" || ts[e].text == "(" || ts[e].text == "?" || ts[e].text == "!"))) {
		e++
	}
	segs := splitComma(ts[:e])
	for n, sg := range segs {
		sg = cutAtStops(sg)
		if len(sg) == 0 {
			continue
		}
		f := sg[0].f
		if strings.HasPrefix(f, "celle") || strings.HasPrefix(f, "celui") {
			return qf.npSpeaker(i, sg[:1], sg[0].start)
		}
		if npStops[f] || f == "aupres" || f == "auprès" || (!isCapitalized(sg[0].text) && !determiners[f] && !honorifics[f] && pronouns[f] == 0 && f != "lui" && !roleWordIn(f)) {
			// A prepositional phrase or an adjective ("auprès de 20 Minutes",
			// "sceptique") before the subject; a subject may follow inside it
			// ("dans un communiqué le Conseil d'État").
			if timeWords[f] {
				// "expliquait mardi Laurence Duclos": a time word before the subject.
				x := 1
				for x < len(sg) && (timeWords[sg[x].f] || sg[x].f == "soir" || sg[x].f == "matin") {
					x++
				}
				if x < len(sg) {
					return qf.withApposition(i, sg[x:], segs[n+1:])
				}
			}
			{
				for x := 2; x <= 4 && x < len(sg); x++ {
					if (sg[x].f == "le" || sg[x].f == "la" || sg[x].f == "les" || strings.HasPrefix(sg[x].f, "l'")) && !determiners[sg[x-1].f] && sg[x-1].f != "de" {
						return qf.withApposition(i, sg[x:], segs[n+1:])
					}
				}
			}
			if n >= 2 {
				return nil
			}
			continue
		}
		return qf.withApposition(i, sg, segs[n+1:])
	}
	return nil
}

func (qf *quoteFinder) withApposition(i int, sg []tok, rest [][]tok) *speaker {
	pos := sg[0].start
	sp := qf.npSpeaker(i, sg, pos)
	if sp == nil {
		// A role then the name: "the chairman of Migration Watch UK, Sir Andrew Green".
		if len(rest) > 0 && isRoleLike(sg) {
			nx := cutAtStops(rest[0])
			if len(nx) > 0 {
				if ns := qf.nameSpeaker(nx, "", nx[0].start, true); ns != nil && ns.person && isNameSeg(nx) {
					ns.role = joinToks(qf.text, stripJunk(sg))
					qf.addPerson(ns.name, ns.role, ns.gender, nx[0].start)
					return ns
				}
			}
		}
		return nil
	}
	if sp.person && len(rest) > 0 {
		ap := cutAtStops(rest[0])
		if len(ap) > 0 && len(ap) <= 14 && isRoleLike(ap) && hasLetter(ap[0].text) {
			if sp.role == "" {
				sp.role = joinToks(qf.text, ap)
			}
			qf.addPerson(sp.name, sp.role, sp.gender, pos)
		}
	}
	return sp
}

func cutAtStops(sg []tok) []tok {
	for x := 1; x < len(sg); x++ {
		if sg[x].kind == tkPunct && (sg[x].text == "-" || sg[x].text == "—" || sg[x].text == "–") {
			return sg[:x]
		}
		if sg[x].kind == tkWord && (sg[x].f == "who" || sg[x].f == "qui" || sg[x].f == "which" || sg[x].f == "dont" || sg[x].f == "when" || sg[x].f == "lors" || sg[x].f == "after" || sg[x].f == "in" || sg[x].f == "on" || sg[x].f == "during" || sg[x].f == "soulignant" || sg[x].f == "saying") {
			return sg[:x]
		}
	}
	return sg
}

func stripJunk(sg []tok) []tok {
	for len(sg) > 0 && sg[0].kind == tkWord && leadingJunk[sg[0].f] {
		sg = sg[1:]
	}
	for len(sg) > 1 && sg[len(sg)-1].kind == tkWord && trailingAdverbs[sg[len(sg)-1].f] {
		sg = sg[:len(sg)-1]
	}
	for len(sg) > 0 && sg[0].kind == tkPunct {
		sg = sg[1:]
	}
	return sg
}

// isRoleLike reports whether a segment reads as a role or description
// (starts with a determiner or a lower-case word, or holds a role word).
func isRoleLike(sg []tok) bool {
	if len(sg) == 0 || pronouns[sg[0].f] != 0 || notRoleStart[sg[0].f] {
		return false
	}
	if determiners[sg[0].f] || !isCapitalized(sg[0].text) {
		return hasLetter(sg[0].text)
	}
	return anyRole(sg)
}

// isNameSeg reports whether a segment is only a name (with a title or
// capitalized role words in front): "Sir Andrew Green", "Prime Minister X".
func isNameSeg(sg []tok) bool {
	if len(sg) == 0 || len(sg) > 6 {
		return false
	}
	for x, t := range sg {
		if t.kind != tkWord {
			return false
		}
		if isCapitalized(t.text) || honorifics[t.f] || (x > 0 && nameParticles[t.f]) {
			continue
		}
		return false
	}
	return !notNames[sg[0].f]
}

// leadingName reads a name that opens a subject followed by a description:
// "Laurence Bernabeu de l'organisation ...", "Alvaro à Madrid".
func (qf *quoteFinder) leadingName(np []tok, pos int) *speaker {
	n := 0
	for n < len(np) && np[n].kind == tkWord && (isCapitalized(np[n].text) || honorifics[np[n].f]) && !roleWordIn(np[n].f) {
		n++
	}
	if n == 0 || n == len(np) || n > 4 || notNames[np[0].f] {
		return nil
	}
	f := np[n].f
	if !(f == "de" || f == "du" || f == "of" || f == "a" || f == "à" || f == "from" || f == "at" || f == "in" || f == "en" || f == "chez") {
		return nil
	}
	s := qf.nameSpeaker(np[:n], "", pos, true)
	if s == nil || !s.person {
		return nil
	}
	if s.role == "" {
		s.role = joinToks(qf.text, np[n:])
	}
	return s
}

// npSpeaker turns an English or French subject noun phrase into a speaker:
// a pronoun, a person's name (resolved to the full name met earlier), a
// role that names someone introduced before, or a body.
func (qf *quoteFinder) npSpeaker(i int, np []tok, pos int) *speaker {
	np = stripJunk(np)
	if len(np) == 0 || len(np) > 12 {
		return nil
	}
	switch np[0].f {
	case "celle", "celle-ci", "celui", "celui-ci":
		g := genderMale
		if strings.HasPrefix(np[0].f, "celle") {
			g = genderFemale
		}
		return qf.pronoun(i, g, pos)
	}
	if len(np) == 1 {
		if g, ok := pronouns[np[0].f]; ok {
			return qf.pronoun(i, g, pos)
		}
		if np[0].f == "lui" {
			return qf.pronoun(i, genderMale, pos)
		}
	}
	for _, t := range np {
		if isDocument(t.f) {
			// "the statement", "le communiqué": its author, when the article said
			// who spoke "in a statement".
			if qf.docSpk != nil && len(np) <= 3 && i-qf.docSent <= 4 {
				return qf.docSpk
			}
			return nil
		}
		if t.kind == tkQuote {
			return nil
		}
	}
	if nonSpeakerNP(np) {
		// "selon les chiffres du ministère": figures and texts do not speak.
		return nil
	}
	if s := qf.leadingName(np, pos); s != nil {
		return s
	}
	if len(np) == 1 && np[0].kind == tkQuote && wordCount(np[0].text) <= 4 {
		return &speaker{name: strings.TrimSpace(np[0].text)}
	}
	if s := qf.nameSpeaker(np, "", pos, true); s != nil {
		return s
	}
	f0 := np[0].f
	if quantifiers[f0] || strings.HasPrefix(f0, "d'") {
		return nil
	}
	if len(np) >= 2 && (f0 == "cet" || f0 == "ce" || f0 == "cette" || f0 == "this") {
		// "cet homme robuste", "cette ancienne institutrice": someone just named.
		g := genderUnknown
		switch f0 {
		case "cet", "ce":
			g = genderMale
		case "cette":
			g = genderFemale
		}
		return qf.pronoun(i, g, pos)
	}
	definite := f0 == "the" || f0 == "le" || f0 == "la" || f0 == "les" || strings.HasPrefix(f0, "l'") || f0 == "son" || f0 == "sa" || f0 == "ses" || f0 == "leur"
	fw := make([]string, len(np))
	for x, t := range np {
		fw[x] = t.f
	}
	if anyRole(np) {
		if p := qf.personByRole(fw, pos); p != nil {
			return &speaker{name: p.name, role: p.role, gender: p.gender, person: true}
		}
		if definite {
			// "the striker", "l'avocat": someone introduced before, but not by this role.
			return nil
		}
	}
	capital := false
	for _, t := range np[1:] {
		if isCapitalized(t.text) {
			capital = true
		}
	}
	plural := f0 == "les" || f0 == "ses" || f0 == "leurs" || strings.HasSuffix(np[len(np)-1].f, "s")
	if definite && !capital && !plural {
		// "le média américain", "la compagne de l'ex-auditeur": unnamed and unresolved.
		return nil
	}
	if !definite && !determiners[f0] && !capital && !isCapitalized(np[0].text) {
		return nil
	}
	name := joinToks(qf.text, np)
	if qf.lang == news.English && (f0 == "the") && len(np) > 1 {
		name = joinToks(qf.text, np)
	}
	return &speaker{name: name}
}

// nameSpeaker reads a person's name from the end of a token run ("Home
// Secretary Charles Clarke", "Me Antoine Comte", "the UN's Stevanovi"). It
// returns nil when the run ends in no name. A single capitalized word is
// resolved to the full name met earlier, or kept as a body's name (CPS).
func (qf *quoteFinder) nameSpeaker(run []tok, role string, pos int, lone bool) *speaker {
	if len(run) == 0 {
		return nil
	}
	gender := genderUnknown
	e := len(run)
	b := e
	for b > 0 {
		t := run[b-1]
		if t.kind != tkWord {
			break
		}
		if honorifics[t.f] || honorifics[t.f+"."] {
			gender = honorificGender(t.f)
			if t.f == "me" && qf.lang == news.French {
				defer func() {
					if b < e {
						qf.lawyerTitle(joinToks(qf.text, run[b:e]), pos)
					}
				}()
			}
			break
		}
		if isCapitalized(t.text) && !roleWordIn(t.f) && !notNames[t.f] {
			if strings.HasSuffix(t.f, "'s") && b < e {
				break
			}
			b--
			continue
		}
		if nameParticles[t.f] && b < e && b-1 > 0 && isCapitalized(run[b-2].text) && !roleWordIn(run[b-2].f) {
			b--
			continue
		}
		break
	}
	if b == e {
		return nil
	}
	nameToks := run[b:e]
	if latinVerbIn(nameToks) {
		return nil
	}
	// A name right after "of"/"de" belongs to a body: "le cabinet de Michel Sapin".
	if b > 0 && gender == genderUnknown {
		pf := run[b-1].f
		if pf == "of" || pf == "de" || pf == "du" || pf == "des" || pf == "d'" || pf == "at" || pf == "from" || pf == "for" {
			return nil
		}
	}
	if b > 0 && gender == genderUnknown && determiners[run[b-1].f] {
		return nil
	}
	if b > 0 && gender == genderUnknown && determiners[run[0].f] && !anyRole(run[:b]) {
		// "the Department of Homeland Security": a body, handled by the caller.
		return nil
	}
	for _, t := range nameToks {
		if len(t.text) > 1 && strings.ToUpper(t.text) == t.text && utf8.RuneCountInString(t.text) > 1 && len(nameToks) > 1 {
			return nil
		}
	}
	if b > 0 && role == "" {
		rs := run[:b]
		if honorifics[run[b-1].f] {
			rs = run[:b-1]
		}
		if len(rs) > 0 && anyRole(rs) {
			role = joinToks(qf.text, stripJunk(rs))
		}
	}
	name := joinToks(qf.text, nameToks)
	if len(nameToks) == 1 {
		if p := qf.personBySurname(nameToks[0].f, pos); p != nil {
			if role == "" {
				role = p.role
			}
			if gender == genderUnknown {
				gender = p.gender
			}
			return &speaker{name: p.name, role: role, gender: gender, person: true}
		}
		if gender != genderUnknown {
			return &speaker{name: name, role: role, gender: gender, person: true}
		}
		if notNames[nameToks[0].f] || !lone || strings.HasPrefix(nameToks[0].f, "d'") || strings.HasPrefix(nameToks[0].f, "l'") || strings.HasPrefix(nameToks[0].f, "qu'") {
			return nil
		}
		// A lone capitalized word: a single-name person (Oumar) or a body (CPS).
		person := strings.ToUpper(name) != name
		if person {
			qf.addPerson(name, role, gender, pos)
		}
		return &speaker{name: name, role: role, gender: gender, person: person}
	}
	if len(nameToks) > 4 {
		return nil
	}
	p := qf.addPerson(name, role, gender, pos)
	if p.role != "" && role == "" {
		role = p.role
	}
	return &speaker{name: name, role: role, gender: p.gender, person: true}
}

func honorificGender(f string) int {
	switch strings.TrimSuffix(f, ".") {
	case "mr", "sir", "lord", "m":
		return genderMale
	case "ms", "mrs", "miss", "lady", "mme", "mlle":
		return genderFemale
	case "السيده", "الدكتوره", "الاستاذه":
		return genderFemale
	case "السيد":
		return genderMale
	}
	return genderUnknown
}

// Arabic words that end the subject of a speech verb.
var arStops = words("ان إن بان بانه بانها انه انها انهم اني الي علي خلال عقب بعد قبل امس اليوم يوم صباح مساء " +
	"الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت الاحد عندما حين بينما لدي لي له لها لنا لهم مع " +
	"قائلا قائله مضيفا مضيفه مؤكدا مؤكده مشيرا مشيره موضحا موضحه بالقول ايضا كذلك مجددا مرارا " +
	"ردا اثناء تعليقا وهو وهي حول ضمن اثر حيث الذي التي الذين للصحفيين للصحافيين للصحافه للاعلام")

// Media words after ل that end a subject ("لبي بي سي", "لموقع القناة الثانية").
var arMediaAfterLam = []string{"بي", "موقع", "الموقع", "صحيفه", "وكاله", "قناه", "اذاعه", "جريده", "مجله", "تلفزيون", "وسائل", "ـ"}

// Arabic common nouns that open an unnamed speaker ("مصدر أمني", "أحد الشبان").
var arCommonHeads = words("مصدر مصادر دبلوماسي مسؤول مسؤوله مسؤولون شاهد خبير احد احدي ناشط ناشطه ممثل متحدث " +
	"باحث عضو مواطن لاجئ مهاجر شاب شابه امراه رجل طالب طالبه سكان مراقبون محللون قيادي")

// arSubject reads the subject after an Arabic speech verb (verb-subject order):
// a name, a role and a name in either order, or a body. An empty subject
// (the verb alone carries the person) refers back to the previous speaker.
func (qf *quoteFinder) arSubject(i int, ts []tok, gender, pos int) *speaker {
	if len(ts) > 0 && ts[0].kind == tkWord {
		if g, ok := pronouns[ts[0].f]; ok {
			return qf.pronoun(i, g, pos)
		}
		if arClauseParticles[ts[0].f] {
			// "وقال لقد تراجع عدد المهاجرين": a clause, not a subject.
			return nil
		}
	}
	var np []tok
	for x, t := range ts {
		if t.kind == tkQuote {
			if len(np) == 0 || wordCount(t.text) > 3 {
				break
			}
			np = append(np, tok{text: t.text, f: t.f, kind: tkWord, start: t.start, end: t.end})
			continue
		}
		if t.kind == tkPunct && t.text != "،" && t.text != "," {
			break
		}
		if t.kind == tkWord && arStopWord(t.f) && !arAliAt(ts, x) {
			break
		}
		if t.kind == tkWord && t.f == "من" && len(np) > 0 && !arNearWords[np[len(np)-1].f] {
			// "وحذر الخبير X من تفاقم الأزمة": the verb's complement.
			break
		}
		if t.kind == tkWord && t.f == "في" && x+1 < len(ts) && arStopWord("في"+ts[x+1].f) {
			break
		}
		if t.kind == tkWord && (isDocument(t.f) || t.f == "نفسه" || t.f == "نفسها" || t.f == "ذاته") && len(np) <= 1 {
			if isDocument(t.f) {
				if qf.docSpk != nil && i-qf.docSent <= 4 {
					return qf.docSpk
				}
				return nil
			}
			// "المصدر نفسه": the same speaker as before, person or body.
			return qf.sameSpeaker(i)
		}
		if t.kind == tkWord && len(np) == 0 && strings.HasSuffix(t.f, "تان") {
			// A dual subject ("المنظمتان") names no one in particular.
			return nil
		}
		np = append(np, t)
		if len(np) > arLongSubject {
			break
		}
	}
	if len(np) > arLongSubject {
		// A long subject ("وذكرت المفوضية الأوروبية في صفتها راعية
		// المعاهدات ..."): a name at its end would be a guess, and the body
		// is the words before its first preposition.
		cut := slices.IndexFunc(np, func(t tok) bool { return arPrepositions[t.f] })
		if cut < 1 {
			return nil
		}
		np = np[:cut]
	}
	segs := splitComma(np)
	var nameSeg, roleSeg []tok
	var other []tok
	for n, sg := range segs {
		if n > 2 {
			break
		}
		g := 0
		for len(sg) > 0 && honorifics[sg[0].f] {
			if hg := honorificGender(sg[0].f); hg != genderUnknown {
				g = hg
			}
			sg = sg[1:]
		}
		if g != 0 && gender == genderUnknown {
			gender = g
		}
		if len(sg) == 0 {
			continue
		}
		if n > 0 && arStopWord(sg[0].f) {
			break
		}
		if nameSeg != nil && roleSeg == nil && (roleWordIn(sg[0].f) || strings.HasPrefix(sg[0].f, "ال")) {
			// "فاطمة أمزيل، نائبة رئيس المجلس البلدي": the role after the name.
			roleSeg = sg
			continue
		}
		if arIsName(sg) {
			if nameSeg == nil {
				nameSeg = sg
			}
			continue
		}
		if arCommonHeads[sg[0].f] {
			if r, nm := arSplitRoleName(sg); nm != nil && len(r) > 1 && strings.HasPrefix(r[len(r)-1].f, "ال") {
				if nameSeg == nil {
					nameSeg, roleSeg = nm, r
				}
				continue
			}
			if roleSeg == nil && other == nil {
				other = arTrimObject(sg)
			}
			continue
		}
		if r, nm := arSplitRoleName(sg); nm != nil {
			if nameSeg == nil {
				nameSeg, roleSeg = nm, r
			}
			continue
		}
		if roleSeg == nil && other == nil {
			if roleWordIn(sg[0].f) || strings.HasPrefix(sg[0].f, "ال") || strings.HasPrefix(sg[0].f, "وال") {
				roleSeg = sg
				if strings.HasPrefix(sg[0].f, "ال") || strings.HasPrefix(sg[0].f, "وال") {
					// A definite body ("المفوضية الوضع"): drop the verb's object.
					roleSeg = arTrimObject(sg)
				}
			} else {
				other = sg
			}
		}
	}
	if nameSeg == nil && roleSeg == nil && other == nil {
		return qf.pronoun(i, gender, pos)
	}
	if nameSeg != nil {
		name := joinToks(qf.text, nameSeg)
		role := joinToks(qf.text, roleSeg)
		if len(nameSeg) == 1 {
			if full := qf.arFullName(nameSeg[0].f, pos); full != "" {
				name = full
			}
		}
		p := qf.addPerson(name, role, gender, pos)
		if p.role == "" {
			p.role = role
		}
		return &speaker{name: p.name, role: p.role, gender: p.gender, person: true}
	}
	if roleSeg != nil {
		fw := make([]string, len(roleSeg))
		for x, t := range roleSeg {
			fw[x] = t.f
		}
		if roleWordIn(roleSeg[0].f) {
			if p := qf.arPersonByRole(fw, pos); p != nil {
				return &speaker{name: p.name, role: p.role, gender: p.gender, person: true}
			}
			if qf.arContinues(i, pos) {
				// "وتابع الوزير السابق": a verb that continues a speech,
				// with a description instead of a name, goes on with the last speaker.
				if s := qf.pronoun(i, gender, pos); s != nil && s.person {
					return s
				}
			}
			return nil
		}
		if b := qf.arBody(fw); b != nil {
			return b
		}
		s := speaker{name: joinToks(qf.text, roleSeg)}
		qf.bodies = append(qf.bodies, s)
		return &s
	}
	if len(other) > 0 && arCommonHeads[other[0].f] {
		s := speaker{name: joinToks(qf.text, other)}
		qf.bodies = append(qf.bodies, s)
		return &s
	}
	return nil
}

func arStopWord(f string) bool {
	if arStops[f] || arPrepMasdar(f) {
		return true
	}
	for _, w := range []string{"بلاغ", "تصريح", "حوار", "مقابله", "بيان", "كلمه", "رساله", "مؤتمر", "حديث", "لقاء", "اتصال", "ندوه"} {
		if strings.HasPrefix(f, "في"+w) {
			return true
		}
	}
	if strings.HasPrefix(f, "ل") && !strings.HasPrefix(f, "لل") {
		for _, m := range arMediaAfterLam {
			if strings.HasPrefix(f[len("ل"):], m) {
				return true
			}
		}
	}
	if strings.HasPrefix(f, "للموقع") || strings.HasPrefix(f, "تصريح") {
		return true
	}
	return false
}

// arIsName reports whether an Arabic segment reads as a person's name: one
// to four words, the first without the article, no role or common noun, no
// possessive suffix.
func arIsName(sg []tok) bool {
	if len(sg) == 0 || len(sg) > 4 {
		return false
	}
	for x, t := range sg {
		if arAliAt(sg, x) {
			continue
		}
		if t.kind != tkWord || roleWordIn(t.f) || arCommonHeads[t.f] || arStopWord(t.f) || arParticleStart(t.f) || arNotInName(t.f) {
			return false
		}
		if _, cue := arCue(t.f); cue {
			return false
		}
		if !isArabicLetter(firstRune(t.f)) {
			return false
		}
		if strings.HasPrefix(t.f, "ال") && (x == 0 || !(x == len(sg)-1 || sg[x-1].f == "عبد")) {
			return false
		}
		if strings.HasSuffix(t.f, "ها") || strings.HasSuffix(t.f, "هم") {
			return false
		}
	}
	return true
}

// arSplitRoleName splits "رئيسة الهلال الأحمر الجزائري سعيدة بن حبيلس" into
// the role and the trailing name, when a name ends the segment.
func arSplitRoleName(sg []tok) ([]tok, []tok) {
	e := len(sg)
	b := e
	for b > 0 {
		t := sg[b-1]
		if (t.kind != tkWord || roleWordIn(t.f) || honorifics[t.f] || arCommonHeads[t.f] || arStopWord(t.f) || arParticleStart(t.f) || arNotInName(t.f) || !isArabicLetter(firstRune(t.f))) && !arAliAt(sg, b-1) {
			break
		}
		if strings.HasSuffix(t.f, "ها") || strings.HasSuffix(t.f, "هم") {
			break
		}
		if strings.HasPrefix(t.f, "ال") {
			// A family name with the article (شوقي الطبيب) or after عبد.
			if !(b == e && b-2 >= 0 && !strings.HasPrefix(sg[b-2].f, "ال")) && !(b-2 >= 0 && sg[b-2].f == "عبد") {
				break
			}
		}
		if b-2 >= 0 && (sg[b-2].f == "في" || sg[b-2].f == "من" || sg[b-2].f == "ب" || sg[b-2].f == "باسم") {
			break
		}
		b--
	}
	// Titles just before the name (العميد، السيدة) are dropped.
	r := sg[:b]
	for len(r) > 0 && honorifics[r[len(r)-1].f] {
		r = r[:len(r)-1]
	}
	if b == e || e-b > 4 || len(r) == 0 || e-b < 2 {
		return nil, nil
	}
	if arCommonHeads[r[0].f] && len(r) > 1 && strings.HasPrefix(r[len(r)-1].f, "ال") {
		// "خبير الهجرة محمد الخشاني": a description ending in its genitive, then the name.
		return r, sg[b:e]
	}
	if !(roleWordIn(r[0].f) || strings.HasPrefix(r[0].f, "ال") || strings.HasPrefix(r[0].f, "وال")) {
		return nil, nil
	}
	return r, sg[b:e]
}

// arFullName finds the full form of a surname met earlier in the article:
// the words before an earlier occurrence that read as given names.
func (qf *quoteFinder) arFullName(w string, pos int) string {
	for _, p := range qf.persons {
		if p.pos < pos && len(p.tokens) > 1 && p.tokens[len(p.tokens)-1] == w {
			return p.name
		}
	}
	for si, ts := range qf.toks {
		if qf.sents[si].start >= pos {
			break
		}
		for x, t := range ts {
			if t.kind != tkWord || t.f != w || t.start >= pos {
				continue
			}
			b := -1
			for l := 1; l <= 3 && x-l >= 0; l++ {
				pt := ts[x-l]
				if !arGivenName(pt) && !(l >= 2 && ts[x-l].f == "عبد") && !(strings.HasPrefix(pt.f, "ال") && x-l-1 >= 0 && ts[x-l-1].f == "عبد") {
					break
				}
				if x-l-1 < 0 || arNameBoundary(ts[x-l-1]) {
					b = x - l
				}
			}
			if b < 0 {
				continue
			}
			return joinToks(qf.text, ts[b:x+1])
		}
	}
	// A given name met earlier with the family name after it ("إيلين إرسون").
	for si, ts := range qf.toks {
		if qf.sents[si].start >= pos {
			break
		}
		for x, t := range ts {
			if t.kind != tkWord || t.f != w || t.start >= pos || x+1 >= len(ts) || x == 0 {
				continue
			}
			pt, nt := ts[x-1], ts[x+1]
			if !(roleWordIn(pt.f) || strings.HasPrefix(pt.f, "ال") || honorifics[pt.f]) {
				continue
			}
			if nt.kind != tkWord || strings.HasPrefix(nt.f, "ال") || strings.HasPrefix(nt.f, "و") || arStopWord(nt.f) || nt.f == "قد" || strings.HasSuffix(nt.f, "ها") || !isArabicLetter(firstRune(nt.f)) {
				continue
			}
			if _, ok := arCue(nt.f); ok {
				continue
			}
			return joinToks(qf.text, ts[x:x+2])
		}
	}
	return ""
}

// arPersonByRole finds the one person whose role holds every word of an
// Arabic role phrase (its first three words), articles aside.
func (qf *quoteFinder) arPersonByRole(fw []string, pos int) *person {
	if len(fw) > 3 {
		fw = fw[:3]
	}
	var found *person
	for _, p := range qf.persons {
		if p.pos > pos || p.role == "" {
			continue
		}
		rw := map[string]bool{}
		for _, w := range foldWords(p.role) {
			rw[strings.TrimPrefix(strings.TrimPrefix(w, "و"), "ال")] = true
		}
		ok := true
		for _, w := range fw {
			if !rw[strings.TrimPrefix(strings.TrimPrefix(w, "و"), "ال")] {
				ok = false
				break
			}
		}
		if ok {
			if found != nil && found.name != p.name {
				return nil
			}
			found = p
		}
	}
	return found
}

// arGivenName reports whether a word can be a given name before a surname.
func arGivenName(t tok) bool {
	f := t.f
	if t.kind != tkWord || !isArabicLetter(firstRune(f)) || strings.HasPrefix(f, "ال") || strings.HasPrefix(f, "و") ||
		honorifics[f] || roleWordIn(f) || arStopWord(f) || arCommonHeads[f] || arParticleStart(f) ||
		strings.HasSuffix(f, "ها") || strings.HasSuffix(f, "هم") {
		return false
	}
	_, cue := arCue(f)
	return !cue
}

// arNameBoundary reports whether a word can stand right before a name: a
// title, a role, a definite noun, a possessive noun or a comma.
func arNameBoundary(t tok) bool {
	if t.kind == tkPunct {
		return t.text == "،" || t.text == ","
	}
	f := t.f
	return honorifics[f] || roleWordIn(f) || strings.HasPrefix(f, "ال") || strings.HasPrefix(f, "وال") ||
		strings.HasSuffix(f, "ها") || strings.HasSuffix(f, "ه")
}

// Arabic function words, never part of a name.
var arFunction = words("عن علي في الي مع لدي عبر ضد بين ما من لا لم لن قد ان فان وان كما هذا هذه ذلك تلك كل بعض غير مجرد هو هي التي الذي الذين " +
	"اي او ثم حتي منذ عند لكن بل اذا اذ لما ليس مثل نحو حيث فقط ايضا جدا")

// arBody resolves a definite body ("المصدر الأمني", "السلطات") to the fuller
// form the article used before ("مصدر أمني غربي ...", "السلطات المحلية").
func (qf *quoteFinder) arBody(fw []string) *speaker {
	bare := make([]string, len(fw))
	for x, w := range fw {
		bare[x] = strings.TrimPrefix(strings.TrimPrefix(w, "و"), "ال")
	}
	for _, b := range qf.bodies {
		bw := foldWords(b.name)
		if len(bw) < len(bare) {
			continue
		}
		ok := true
		for x := range bare {
			if strings.TrimPrefix(bw[x], "ال") != bare[x] {
				ok = false
				break
			}
		}
		if ok {
			s := b
			return &s
		}
	}
	return nil
}

// Arabic verbs that continue what someone was saying (folded, without و/ف).
var arContinuations = words("تابع تابعت اضاف اضافت استطرد استطردت واصل واصلت استدرك استدركت ختم ختمت")

// arContinues reports whether the word at pos in sentence i is a verb that
// continues a speech (وتابع، وأضافت).
func (qf *quoteFinder) arContinues(i, pos int) bool {
	for _, t := range qf.toks[i] {
		if t.start == pos && t.kind == tkWord {
			for _, v := range arVariants(t.f) {
				if arContinuations[v] {
					return true
				}
			}
			return false
		}
	}
	return false
}

// arLongSubject is the longest Arabic subject read whole; a longer one is
// cut at its first preposition.
const arLongSubject = 16

// Words after which من belongs to the speaker ("مصدر قريب من الحكومة").
var arNearWords = words("قريب قريبه مقرب مقربه مقربون مقربين")

// Arabic prepositions that end a subject noun phrase.
var arPrepositions = words("في من عن علي الي مع لدي عبر ضد بين منذ عند حول")

// sameSpeaker resolves "المصدر نفسه" ("the same source"): whoever was last
// quoted in this sentence or the two before it, a person or a body.
func (qf *quoteFinder) sameSpeaker(i int) *speaker {
	for _, j := range qf.window(i) {
		if s := qf.quoted[j]; s != nil {
			return s
		}
	}
	return nil
}
