package summarize

import (
	"strings"
	"unicode"
)

// latinFinder finds the mentions of a French or English article.
type latinFinder struct {
	d   *doc
	lx  *lexicon
	sh  *shared
	mt  *mentionTable
	cap map[string]bool // folded words seen capitalized inside a sentence
	low map[string]bool // folded words seen in lower case
	// pending holds a role phrase written before a name it describes.
	pending map[pendingKey]string
}

type pendingKey struct{ sent, tok int }

// findLatinMentions builds the mention table of a French or English article.
func findLatinMentions(d *doc, lx *lexicon, sh *shared) *mentionTable {
	lf := &latinFinder{d: d, lx: lx, sh: sh, mt: &mentionTable{lx: lx}, cap: map[string]bool{}, low: map[string]bool{}, pending: map[pendingKey]string{}}
	for _, s := range d.sents {
		for k, t := range s.toks {
			if t.kind != tkWord {
				continue
			}
			if isCapitalized(t.text) {
				if k > 0 && !(s.toks[k-1].kind == tkPunct && strings.ContainsAny(s.toks[k-1].text, ".:!?")) {
					lf.cap[t.f] = true
				}
			} else {
				lf.low[t.f] = true
			}
		}
	}
	for si := range d.sents {
		lf.sentence(si)
	}
	return lf.mt
}

// sentence finds the name runs and role phrases of sentence si.
func (lf *latinFinder) sentence(si int) {
	ts := lf.d.sents[si].toks
	for k := 0; k < len(ts); {
		if ts[k].kind == tkQuote && lf.pseudonym(ts, k) {
			ws := splitFolded(ts[k].f)
			ent := lf.mt.index[strings.Join(ws, " ")]
			if ent == nil {
				ent = lf.mt.add(&entity{kind: entPerson, name: strings.TrimSpace(ts[k].text), words: ws})
			}
			lf.mt.mention(lf.d, ent, mName, si, k, k+1)
		}
		if ts[k].kind != tkWord {
			k++
			continue
		}
		if e := lf.nameRun(si, k); e > k {
			if !lf.modifier(ts, k, e) {
				lf.nameMention(si, k, e)
			}
			k = e
			continue
		}
		if e := lf.rolePhrase(ts, k); e > k {
			lf.roleMention(si, k, e)
			k = e
			continue
		}
		k++
	}
}

// nameRun returns the end of the run of capitalized words starting at k (k
// when none starts there): names, with particles (de, van, bin) between
// capitalized words and honorifics in front.
func (lf *latinFinder) nameRun(si, k int) int {
	ts := lf.d.sents[si].toks
	atStart := k == 0 || isSentenceStart(ts, k)
	if !lf.nameWord(ts, k, atStart) && !lf.isHonorific(ts[k]) {
		return k
	}
	if atStart && k+1 < len(ts) && lf.adverbLike(ts[k]) && !lf.lx.isRole(ts[k+1].f) {
		return k // "Soon Kareem": the name starts at the next word
	}
	e := k
	for e < len(ts) && ts[e].kind == tkWord {
		t := ts[e]
		switch {
		case lf.isHonorific(t) && e == k:
		case isCapitalized(t.text) && !(e > k && lf.lx.notNames[t.f] && !lf.cap[t.f]):
		case lf.lx.particles[t.f] && e > k && e+1 < len(ts) && ts[e+1].kind == tkWord && isCapitalized(ts[e+1].text):
		case orgLinks[t.f] && e > k && e+1 < len(ts) && ts[e+1].kind == tkWord && isCapitalized(ts[e+1].text) && lf.hasOrgHead(ts[k:e]):
			// Bank of England, Conseil de l'Europe
		default:
			return trimRun(ts, k, e, lf.lx)
		}
		e++
	}
	return trimRun(ts, k, e, lf.lx)
}

// orgLinks join the words of a body's name (National Council of Resistance).
var orgLinks = map[string]bool{"of": true, "for": true, "on": true, "de": true, "du": true, "des": true, "pour": true}

func (lf *latinFinder) hasOrgHead(ts []tok) bool {
	for _, t := range ts {
		if lf.lx.orgHeads[t.f] {
			return true
		}
	}
	return false
}

// pseudonym reports whether the quoted span at k is a name in quotes next
// to a speech verb (suggère « Citoyen42 », «Disillusioned2» écrit): one or
// two words, capitalized.
func (lf *latinFinder) pseudonym(ts []tok, k int) bool {
	words := strings.Fields(ts[k].text)
	if len(words) == 0 || len(words) > 2 || !isCapitalized(words[0]) || len(splitFolded(ts[k].f)) == 0 {
		return false
	}
	verb := func(j int) bool {
		return j >= 0 && j < len(ts) && ts[j].kind == tkWord && lf.lx.verbs[ts[j].f].tier != tierNone
	}
	return verb(k-1) || verb(k+1)
}

// modifier reports whether the one-word run [k, e) modifies the noun after
// it (Russian hackers, Yellow Vest movement) rather than naming someone: a
// lower-case word follows that is neither a verb nor a word a subject is
// followed by.
func (lf *latinFinder) modifier(ts []tok, k, e int) bool {
	if e-k != 1 || e >= len(ts) || ts[e].kind != tkWord || isCapitalized(ts[e].text) {
		return false
	}
	if _, ok := lf.sh.givenNames[ts[k].f]; ok {
		return false
	}
	next := ts[e].f
	return lf.lx.verbs[next].tier == tierNone && !lf.lx.phraseStops[next] && !lf.lx.notNames[next]
}

// adverbLike reports whether a capitalized word opening a sentence is an
// adverb or a word the article writes in lower case elsewhere.
func (lf *latinFinder) adverbLike(t tok) bool {
	if lf.knownName(t.f) {
		return false
	}
	return strings.HasSuffix(t.f, "ly") && len(t.f) > 4 || strings.HasSuffix(t.f, "ment") && len(t.f) > 6 ||
		lf.low[t.f] && !lf.cap[t.f]
}

// trimRun drops particles left at the end of a run.
func trimRun(ts []tok, k, e int, lx *lexicon) int {
	for e > k && lx.particles[ts[e-1].f] {
		e--
	}
	return e
}

func isSentenceStart(ts []tok, k int) bool {
	for j := k - 1; j >= 0; j-- {
		if ts[j].kind == tkWord || ts[j].kind == tkQuote {
			return false
		}
		if strings.ContainsAny(ts[j].text, ".:!?—-–•") {
			return true
		}
	}
	return true
}

// nameWord reports whether token k can start a name: capitalized, not a
// function word, and at a sentence start only when the article writes the
// word capitalized elsewhere too, or knows it as a given name or place.
func (lf *latinFinder) nameWord(ts []tok, k int, atStart bool) bool {
	t := ts[k]
	if t.kind != tkWord || !isCapitalized(t.text) || lf.lx.notNames[t.f] || lf.lx.isRole(t.f) && !isAllCaps(t.text) {
		return false
	}
	if lf.lx.verbs[t.f].tier != tierNone {
		return false
	}
	if atStart && !lf.cap[t.f] && !lf.knownName(t.f) && !(k+1 < len(ts) && isCapitalized(ts[k+1].text) && ts[k+1].kind == tkWord) {
		// A capitalized word opening a sentence, never written capitalized
		// elsewhere and standing alone, is an ordinary word.
		return false
	}
	return unicode.IsLetter(firstRune(t.text))
}

func (lf *latinFinder) knownName(f string) bool {
	_, given := lf.sh.givenNames[f]
	return given || lf.sh.places[f] || lf.mt.personBySurname([]string{f}) != nil
}

func (lf *latinFinder) isHonorific(t tok) bool {
	_, ok := lf.lx.honorifics[strings.TrimSuffix(t.f, ".")]
	return ok && t.kind == tkWord
}

func isAllCaps(w string) bool {
	n := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n >= 2
}

// nameMention classifies the run [k, e) of sentence si and records it: a
// role written before a name (Interior Minister Matteo Salvini) becomes the
// person's role; a lone surname links to the full name given before.
func (lf *latinFinder) nameMention(si, k, e int) {
	ts := lf.d.sents[si].toks
	gender, honorRole := genderUnknown, ""
	for k < e && lf.isHonorific(ts[k]) {
		gender = lf.lx.honorifics[strings.TrimSuffix(ts[k].f, ".")]
		if r := lf.lx.honorRoles[ts[k].f]; r != "" {
			honorRole = r
		}
		k++
	}
	if k == e {
		return
	}
	roleEnd := k
	for x := k; x < e; x++ {
		if lf.lx.isRole(ts[x].f) || lf.lx.isRole(strings.TrimSuffix(ts[x].f, "s")) {
			roleEnd = x + 1
		}
	}
	role := ""
	if roleEnd > k && roleEnd < e {
		role = joinToks(lf.d.text, ts[k:roleEnd])
		k = roleEnd
	} else if roleEnd == e {
		lf.roleMention(si, k, e)
		return
	}
	if role == "" {
		role = lf.roleBefore(ts, k)
	}
	if role == "" {
		role = lf.pending[pendingKey{si, k}]
	}
	lf.linkName(si, k, e, role, gender)
	if ms := lf.mt.ments; honorRole != "" && len(ms) > 0 && ms[len(ms)-1].ent.roleHead == "" {
		// Me X is a lawyer: "l'avocat" later stands for X. The role is
		// not printed, the article did not write it.
		ms[len(ms)-1].ent.roleHead = roleNoun(honorRole)
	}
}

// linkName records the name [k, e) of sentence si as a mention of the entity
// it names, creating the entity when it is new.
func (lf *latinFinder) linkName(si, k, e int, role string, gender int) {
	ts := lf.d.sents[si].toks
	ws := foldedWords(ts[k:e])
	possessive := false
	if last, ok := strings.CutSuffix(ws[len(ws)-1], "'s"); ok && last != "" {
		ws[len(ws)-1], possessive = last, true
	}
	key := strings.Join(ws, " ")
	mt := lf.mt
	if ent := mt.index[key]; ent != nil {
		lf.addRole(ent, role, ts, e)
		mt.mention(lf.d, ent, mName, si, k, e).possessive = possessive
		return
	}
	if ent := mt.personBySurname(ws); ent != nil && !lf.sh.places[key] {
		lf.addRole(ent, role, ts, e)
		mt.mention(lf.d, ent, mSurname, si, k, e).possessive = possessive
		return
	}
	name := joinToks(lf.d.text, ts[k:e])
	if possessive {
		name = strings.TrimRight(name[:len(name)-len("s")], "'’")
	}
	ent := &entity{kind: lf.kindOf(ts[k:e], ws, role != "" || gender != genderUnknown), name: name, words: ws, gender: gender}
	if g, ok := lf.sh.givenNames[ws[0]]; ok && ent.gender == genderUnknown && ent.kind == entPerson {
		ent.gender = g
	}
	mt.add(ent)
	lf.addRole(ent, role, ts, e)
	mt.mention(lf.d, ent, mName, si, k, e).possessive = possessive
}

// kindOf tells a person from a body, a place or a word the article never
// explains.
func (lf *latinFinder) kindOf(run []tok, ws []string, titled bool) int {
	key := strings.Join(ws, " ")
	switch {
	case lf.sh.places[key], len(ws) > 1 && lf.lx.placeHeads[ws[0]]:
		return entPlace
	case titled:
		return entPerson
	}
	for _, w := range ws {
		if lf.lx.orgHeads[w] {
			return entOrg
		}
	}
	if len(run) == 1 && isAllCaps(run[0].text) {
		return entOrg
	}
	if _, ok := lf.sh.givenNames[ws[0]]; ok {
		return entPerson
	}
	if len(ws) >= 2 {
		return entPerson
	}
	return entUnknown
}

// addRole gives a person the role written after the name ("X, porte-parole
// de Y,") unless it already has one.
func (lf *latinFinder) addRole(ent *entity, role string, ts []tok, e int) {
	if role == "" && e+1 < len(ts) && ts[e].kind == tkPunct && ts[e].text == "," {
		if re := lf.rolePhrase(ts, e+1); re > e+1 {
			role = joinToks(lf.d.text, ts[e+1:re])
		}
	}
	if role == "" || ent.role != "" {
		return
	}
	if ent.kind == entUnknown {
		ent.kind = entPerson
	}
	ent.role = role
	ent.roleHead = lf.roleHead(role)
}

// roleBefore returns a lower-case role phrase written just before a name
// ("le ministre de l'Intérieur Gérald Darmanin", "l'avocat X").
func (lf *latinFinder) roleBefore(ts []tok, k int) string {
	for b := k - 1; b >= 0 && b >= k-7; b-- {
		if ts[b].kind != tkWord {
			return ""
		}
		if lf.lx.isRole(ts[b].f) || lf.lx.isRole(elided(ts[b].f)) {
			if re := lf.rolePhrase(ts, b); re == k {
				return joinToks(lf.d.text, ts[b:k])
			}
			return ""
		}
	}
	return ""
}

// roleHead is the folded role noun of a role phrase.
func (lf *latinFinder) roleHead(role string) string {
	for _, w := range splitFolded(fold(role)) {
		for _, c := range []string{w, elided(w)} {
			if lf.lx.isRole(c) {
				return c
			}
		}
	}
	return ""
}

// capitalWord reports whether a word, past an elided article, starts with
// a capital (Castaner, l'Intérieur).
func capitalWord(w string) bool {
	if i := strings.IndexAny(w, "'’"); i > 0 && i <= 3 {
		w = w[i+len(string([]rune(w[i:])[0])):]
	}
	return isCapitalized(w)
}

// elided strips a French elided article (l'avocat -> avocat).
func elided(w string) string {
	if i := strings.IndexByte(w, '\''); i > 0 && i <= 3 {
		return w[i+1:]
	}
	return w
}

// Words that may join a role noun to its complement (ministre de
// l'Intérieur, head of the UN agency, chargé des migrations).
var roleLinks = map[string]bool{
	"de": true, "du": true, "des": true, "d'": true, "of": true, "for": true, "at": true, "in": true,
	"à": true, "au": true, "aux": true, "en": true, "pour": true, "the": true, "la": true, "le": true, "les": true, "l'": true,
	"chargé": true, "chargée": true, "général": true, "générale": true, "sur": true, "auprès": true,
}

// circumstance reports whether a Latin-script token opens a complement that
// is not part of a role or a description (avant, lors, with, during): "a
// déclaré un porte-parole avant de partir".
func (l *lexicon) circumstance(t tok) bool {
	w := strings.ToLower(strings.ReplaceAll(t.text, "’", "'"))
	return t.kind == tkWord && (l.rawObjMarkers[w] || l.rawObjMarkers[elidedArticle(w)]) && !isRoleLink(t)
}

// isRoleLink reports whether a token joins a role noun to its complement;
// it reads the written word, since folding makes "à" and "a" one.
func isRoleLink(t tok) bool {
	w := strings.ToLower(strings.ReplaceAll(t.text, "’", "'"))
	return t.kind == tkWord && (roleLinks[w] || roleLinks[elidedArticle(w)])
}

// maxRoleWords bounds a role phrase after its head noun.
const maxRoleWords = 8

// rolePhrase returns the end of the role or body phrase starting at k (k
// when none starts there): a determiner and up to two modifiers before a
// role noun or the head of a body (the top official, le ministre), or the
// noun alone; then its complement after a linking word (of the UN, de
// l'Intérieur), up to a punctuation mark, a verb or a clause word.
func (lf *latinFinder) rolePhrase(ts []tok, k int) int {
	head := -1
	if ts[k].kind == tkWord && lf.lx.determiners[ts[k].f] {
		for x := k + 1; x < len(ts) && x <= k+3; x++ {
			if ts[x].kind != tkWord || lf.lx.verbs[ts[x].f].tier != tierNone || lf.lx.phraseStops[ts[x].f] {
				break
			}
			if lf.isRoleHead(ts[x]) {
				head = x
				break
			}
		}
	} else if ts[k].kind == tkWord && lf.isRoleHead(ts[k]) {
		head = k
	} else {
		// A title-case role: "Europe Director at Amnesty International".
		for x := k; x < len(ts) && x <= k+2 && ts[x].kind == tkWord && isCapitalized(ts[x].text); x++ {
			if lf.lx.isRole(ts[x].f) && x > k {
				head = x
				break
			}
		}
	}
	if head < 0 {
		return k
	}
	e := head + 1
	if e+1 < len(ts) && lf.d.lang == "fr" && lf.adjective(ts[e]) && isRoleLink(ts[e+1]) {
		e++ // le ministre italien de l'Intérieur
	}
	if e < len(ts) && isRoleLink(ts[e]) {
		e = lf.complementEnd(ts, e, head)
	}
	return e
}

// adjective reports whether a lower-case word may be an adjective after a
// French role noun.
func (lf *latinFinder) adjective(t tok) bool {
	return t.kind == tkWord && !isCapitalized(t.text) && lf.lx.verbs[t.f].tier == tierNone &&
		!lf.lx.phraseStops[t.f] && !lf.lx.notNames[t.f]
}

// complementEnd extends a role phrase over its complement from e.
func (lf *latinFinder) complementEnd(ts []tok, e, head int) int {
	for e < len(ts) && e-head <= maxRoleWords && ts[e].kind == tkWord {
		t := ts[e]
		if lf.lx.verbs[t.f].tier != tierNone || lf.lx.phraseStops[t.f] && !isRoleLink(t) || lf.lx.circumstance(t) {
			break
		}
		if capitalWord(t.text) && !roleLinks[strings.ToLower(ts[e-1].text)] && !isCapitalized(ts[e-1].text) ||
			isCapitalized(t.text) && capitalWord(ts[e-1].text) && !isCapitalized(ts[e-1].text) {
			break // a name after the role: "le ministre de l'Intérieur Christophe Castaner"
		}
		e++
	}
	for e > head+1 && (isRoleLink(ts[e-1]) || lf.lx.determiners[ts[e-1].f]) {
		e--
	}
	return e
}

// elidedArticle returns "d'" for d'Oxfam, "l'" for l'Intérieur.
func elidedArticle(w string) string {
	if i := strings.IndexByte(w, '\''); i > 0 && i <= 3 {
		return w[:i+1]
	}
	return ""
}

func (lf *latinFinder) isRoleHead(t tok) bool {
	f := elided(t.f)
	return lf.lx.isRole(f) || lf.lx.orgHeads[f] && !isCapitalized(t.text)
}

// roleMention records the role or body phrase [k, e) of sentence si: a
// role already given to a person links to that person; a phrase followed by
// a name is that name's role (recorded with the name); anything else is a
// described speaker of its own (un manifestant, the Home Office).
func (lf *latinFinder) roleMention(si, k, e int) {
	ts := lf.d.sents[si].toks
	if e < len(ts) && lf.nameRun(si, e) > e {
		return
	}
	if e < len(ts) && ts[e].kind == tkPunct && ts[e].text == "," {
		// "Another protester, 33-year-old Emilie, declared": the role of the
		// name that follows.
		for j := e + 1; j < len(ts) && j <= e+4; j++ {
			if lf.nameRun(si, j) > j {
				lf.pending[pendingKey{si, j}] = joinToks(lf.d.text, ts[k:e])
				return
			}
		}
	}
	b := k
	for b < e && lf.lx.determiners[ts[b].f] {
		b++
	}
	if b == e {
		return
	}
	head, isOrg := "", false
	for x := b; x < e; x++ {
		f := elided(ts[x].f)
		if lf.lx.isRole(f) {
			head = f
			break
		}
		if lf.lx.orgHeads[f] {
			head, isOrg = f, true
			break
		}
	}
	indefinite := lf.lx.indefinites[ts[k].f] || k > 0 && lf.lx.indefinites[ts[k-1].f]
	if !isOrg && head != "" && e-b <= 6 && !indefinite {
		if p := lf.mt.personByRole(head, contentWords(foldedWords(ts[b:e]), head), ts[k].start); p != nil {
			lf.mt.mention(lf.d, p, mRole, si, k, e)
			return
		}
	}
	ws := foldedWords(ts[b:e])
	ent := lf.mt.index[strings.Join(ws, " ")]
	if ent == nil && !isOrg && head != "" && e-b <= 2 && !indefinite {
		// "the official" after "a Somali official close to the
		// investigation": the described speaker met before.
		ent = lf.mt.describedByHead(head, ts[k].start)
	}
	if ent == nil {
		kind := entRole
		if isOrg {
			kind = entOrg
		}
		ent = lf.mt.add(&entity{kind: kind, name: joinToks(lf.d.text, ts[b:e]), words: ws, roleHead: head, gender: lf.lx.roles[head]})
	}
	lf.mt.mention(lf.d, ent, mRole, si, k, e)
}
