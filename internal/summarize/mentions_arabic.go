package summarize

import (
	"strings"
)

// arabicFinder finds the mentions of an Arabic article.
type arabicFinder struct {
	d     *doc
	lx    *lexicon
	sh    *shared
	mt    *mentionTable
	heads map[string]bool
	// from is where the role phrase before the name being read starts
	// (-1 if none): the mention covers both, "الوزير X".
	from int
}

// maxArabicName is the longest run of words read as one Arabic name.
const maxArabicName = 4

// maxArabicPhrase bounds a role or body phrase after its head noun.
const maxArabicPhrase = 10

// findArabicMentions builds the mention table of an Arabic article.
func findArabicMentions(d *doc, lx *lexicon, sh *shared) *mentionTable {
	af := &arabicFinder{d: d, lx: lx, sh: sh, mt: &mentionTable{lx: lx}, from: -1}
	for si := range d.sents {
		af.sentence(si)
	}
	return af.mt
}

// arStems gives the readings of a folded Arabic word without its leading
// clitics: the word, without و or ف, and without the article (ال، لل، بال).
func arStems(f string) []string {
	out := []string{f}
	base := f
	for _, p := range []string{"و", "ف"} {
		if strings.HasPrefix(f, p) && len(f) > len(p)+4 {
			base = f[len(p):]
			out = append(out, base)
			break
		}
	}
	for _, p := range []string{"ال", "بال", "لل", "كال"} {
		if strings.HasPrefix(base, p) && len(base) > len(p)+4 {
			out = append(out, base[len(p):])
			if p == "لل" || p == "بال" || p == "كال" {
				out = append(out, "ال"+base[len(p):])
			}
		}
	}
	return out
}

// arLookup reports whether any reading of f is in set.
func arLookup[V int | bool](f string, set map[string]V) (V, bool) {
	for _, s := range arStems(f) {
		if v, ok := set[s]; ok {
			return v, true
		}
	}
	var zero V
	return zero, false
}

// arMatched returns the reading of f found in set, and whether one was.
func arMatched[V int | bool](f string, set map[string]V) (string, bool) {
	for _, s := range arStems(f) {
		if _, ok := set[s]; ok {
			return s, true
		}
	}
	return "", false
}

// arDropConjunction drops the و or ف glued to the first word of a phrase
// when the word read without it is the one the lexicon knows (وقال, not
// وزارة).
func arDropConjunction(text, f string, set map[string]bool) string {
	if set[f] {
		return text
	}
	for _, p := range []string{"و", "ف"} {
		if strings.HasPrefix(f, p) && strings.HasPrefix(text, p) {
			if _, ok := arMatched(f[len(p):], set); ok {
				return text[len(p):]
			}
		}
	}
	return text
}

func arDefinite(f string) bool {
	for _, p := range []string{"ال", "وال", "فال", "بال", "لل", "كال"} {
		if strings.HasPrefix(f, p) && len(f) > len(p)+2 {
			return true
		}
	}
	return false
}

// sentence finds the names, roles, bodies and places of sentence si.
func (af *arabicFinder) sentence(si int) {
	ts := af.d.sents[si].toks
	for k := 0; k < len(ts); {
		if ts[k].kind != tkWord {
			k++
			continue
		}
		if e := af.phrase(si, k); e > k {
			k = e
			continue
		}
		if e := af.name(si, k, "", genderUnknown); e > k {
			k = e
			continue
		}
		k++
	}
}

// phrase records a role or body phrase starting at k (an honorific, a role
// noun or a body's head noun) and the name that follows it; it returns the
// end of what it read, k when nothing starts there.
func (af *arabicFinder) phrase(si, k int) int {
	ts := af.d.sents[si].toks
	if g, ok := arLookup(ts[k].f, af.lx.honorifics); ok {
		if e := af.name(si, k+1, "", g); e > k+1 {
			return e
		}
		return k
	}
	_, isRole := arLookup(ts[k].f, af.lx.roles)
	_, isOrg := arLookup(ts[k].f, af.lx.orgHeads)
	if !isRole && !isOrg {
		return k
	}
	if k > 0 && ts[k-1].kind == tkWord {
		if _, ok := arLookup(ts[k-1].f, af.lx.attributionNs); ok {
			return k + 1 // an adjective: تصريح صحفي، الندوة الصحفية
		}
	}
	e := af.phraseEnd(ts, k+1)
	role := joinToks(af.d.text, ts[k:e])
	n := e
	if n < len(ts) && ts[n].kind == tkPunct && (ts[n].text == "،" || ts[n].text == ",") {
		n++
	}
	g := genderUnknown
	for n < len(ts) {
		hg, ok := arLookup(ts[n].f, af.lx.honorifics)
		if !ok {
			break
		}
		g, n = hg, n+1
	}
	if rg, _ := arLookup(ts[k].f, af.lx.roles); isRole && rg != genderPlural {
		if g == genderUnknown {
			g = rg
		}
		af.from = k
		ne := af.name(si, n, role, g)
		af.from = -1
		if ne > n {
			return ne
		}
	}
	af.roleMention(si, k, e, isOrg && !isRole)
	return e
}

// phraseHeads is the set of words that head a role or body phrase.
func (af *arabicFinder) phraseHeads() map[string]bool {
	if af.heads == nil {
		af.heads = map[string]bool{}
		for w := range af.lx.roles {
			af.heads[w] = true
		}
		for w := range af.lx.orgHeads {
			af.heads[w] = true
		}
		for w := range af.lx.honorifics {
			af.heads[w] = true
		}
	}
	return af.heads
}

// phraseEnd extends a role or body phrase from i: definite words, words
// glued to a preposition and the article (للهجرة، بالمغرب), nouns in a
// construct chain, places, and في or ب before a definite word or a place.
func (af *arabicFinder) phraseEnd(ts []tok, i int) int {
	start := i
	for i < len(ts) && i-start < maxArabicPhrase && ts[i].kind == tkWord {
		f := ts[i].f
		next := ""
		if i+1 < len(ts) && ts[i+1].kind == tkWord {
			next = ts[i+1].f
		}
		switch {
		case af.isVerb(f) || strings.HasPrefix(f, "وال") || af.lx.speechNouns[f] || i > start && af.isNameStart(f):
			return i
		case f == "في" || f == "ب" || f == "باسم":
			if next == "" || !(arDefinite(next) || af.isPlace(next)) {
				return i
			}
			i += 2
			continue
		case af.lx.notNames[f] || len([]rune(f)) <= 1:
			return i
		case strings.HasPrefix(f, "ل") && af.lx.mediaNouns[f[len("ل"):]]:
			return i // "لوكالة فرانس برس": who the speaker talks to
		case arDefinite(f) || af.isPlace(f) || strings.HasPrefix(f, "ل") && i > start:
		case i == start && (strings.HasSuffix(f, "ي") || strings.HasSuffix(f, "يه")) && !af.isNameStart(f):
			// an adjective after an indefinite head: مصدر أمني، مسؤول أمريكي
		case next != "" && (arDefinite(next) || af.isPlace(next)) && !af.isNameStart(f):
		default:
			return i
		}
		i++
	}
	return i
}

func (af *arabicFinder) isTitle(f string) bool {
	_, ok := arLookup(f, af.lx.honorifics)
	return ok
}

func (af *arabicFinder) isVerb(f string) bool {
	_, ok := arVerb(f, af.lx)
	return ok
}

func (af *arabicFinder) isPlace(f string) bool {
	_, ok := arLookup(f, af.sh.places)
	return ok
}

func (af *arabicFinder) isNameStart(f string) bool {
	_, ok := arLookup(f, af.sh.givenNames)
	return ok
}

// nameWord reports whether token t can be part of an Arabic name.
func (af *arabicFinder) nameWord(t tok) bool {
	if t.kind != tkWord || !isArabicLetter(firstRune(t.f)) || af.lx.notNames[t.f] || af.isVerb(t.f) {
		return false
	}
	if _, ok := arLookup(t.f, af.lx.roles); ok {
		return false
	}
	if _, ok := arLookup(t.f, af.lx.orgHeads); ok {
		return false
	}
	if _, ok := arLookup(t.f, af.lx.honorifics); ok {
		return false
	}
	if strings.HasSuffix(t.text, "ه") && !strings.HasSuffix(t.f, "الله") {
		return false // a possessive suffix (منصبه), not ة
	}
	return !strings.HasSuffix(t.f, "ها") && !strings.HasSuffix(t.f, "هم")
}

// name records the Arabic name starting at k, if one does: after a title, a
// role or a speech verb, a run of name words; elsewhere a known given name
// with a family name, or a name (or surname) the article gave before. It
// returns the end of the name, k when none starts there.
func (af *arabicFinder) name(si, k int, role string, gender int) int {
	ts := af.d.sents[si].toks
	kunya := k+1 < len(ts) && arKunya[ts[k].f] && af.nameWord(ts[k+1])
	if k >= len(ts) || !af.nameWord(ts[k]) && !kunya {
		return k
	}
	e := af.nameEnd(ts, k)
	if kunya {
		e = k + 2 // أم سليم، أبو أحمد: a name of its own
	}
	for e-k > 2 && af.lx.commonWords[ts[e-1].f] {
		e-- // "عبد القادر مساهل رفض الفكرة": the name ends before a common word
	}
	ws := arNameWords(foldedWords(ts[k:e]))
	known := af.mt.index[strings.Join(ws, " ")] != nil
	if !known && !kunya && af.laterStart(ws) {
		// "لوم راموس"، "بثت إيلين": words before a known surname or a given
		// name are not part of the name; the name starts later.
		return k
	}
	known = known || af.mt.personBySurname(ws[len(ws)-1:]) != nil
	introduced := role != "" || gender != genderUnknown || k > 0 && ts[k-1].kind == tkWord && af.isVerb(ts[k-1].f)
	_, given := arLookup(ts[k].f, af.sh.givenNames)
	given = given || kunya
	glued := strings.HasPrefix(ts[k].f, "ب") || strings.HasPrefix(ts[k].f, "ل")
	afterTitle := k > 0 && ts[k-1].kind == tkWord && af.isTitle(ts[k-1].f)
	if !known && !afterTitle && (af.commonRun(ws, given, role != "" || gender != genderUnknown)) {
		return k
	}
	switch {
	case arDefinite(ts[k].f) && !known && !given:
		return k
	case glued && !known && !given && !afterTitle:
		return k // a preposition glued to a noun (بوجوب، لجريدة), not a name
	case known, introduced && !af.isPlace(ts[k].f), given && e-k >= 2:
	default:
		return k
	}
	if af.isPlace(strings.Join(foldedWords(ts[k:e]), " ")) {
		ent := af.entity(ws, joinToks(af.d.text, ts[k:e]), entPlace)
		af.mt.mention(af.d, ent, mName, si, k, e)
		return e
	}
	af.person(si, k, e, ws, role, gender)
	return e
}

// nameEnd extends a name from k: name words and particles (بن، أبو، عبد),
// a definite word only as the last word (a family name or nisba) or after
// عبد.
func (af *arabicFinder) nameEnd(ts []tok, k int) int {
	e := k
	for e < len(ts) && e-k < maxArabicName && (af.nameWord(ts[e]) || e > k && af.lx.particles[ts[e-1].f] && ts[e].kind == tkWord) {
		def := arDefinite(ts[e].f)
		if e > k && !af.lx.particles[ts[e].f] && !af.isNameStart(ts[e].f) && !def && af.notNameContinuation(ts[e].f) {
			break // a preposition, a conjunction or a verb glued on: محفوظ لجريدة، ماكرون والتي، محفوظ يحشر
		}
		if def && e > k && ts[e-1].f != "عبد" && af.isPlace(ts[e].f) {
			break
		}
		e++
		if def && e-1 > k && ts[e-2].f != "عبد" {
			break
		}
		if def && e-1 == k && !af.isNameStart(ts[k].f) {
			break // a definite first word ends the name, unless it is a given name (الباجي قايد السبسي)
		}
	}
	return e
}

// notNameContinuation reports whether a word cannot go on a name: a
// preposition or the conjunction glued to a definite or common word
// (لجريدة، بالمغرب، والتي), or a common word or verb (يحشر); a surname
// that only starts like one (بناني، لطفي، وهبي) goes on.
func (af *arabicFinder) notNameContinuation(f string) bool {
	if af.lx.commonWords[f] {
		return true
	}
	for _, p := range []string{"ل", "ب", "و", "ف"} {
		rest, ok := strings.CutPrefix(f, p)
		if ok && (strings.HasPrefix(rest, "ال") || af.lx.commonWords[rest] || af.lx.notNames[rest]) {
			return true
		}
	}
	return false
}

// arNameWords drops the conjunction glued to a name's first word.
func arNameWords(ws []string) []string {
	if len(ws) > 0 && strings.HasPrefix(ws[0], "و") && len(ws[0]) > len("و")+4 {
		out := append([]string{ws[0][len("و"):]}, ws[1:]...)
		return out
	}
	return ws
}

// person links the name [k, e) of sentence si to the person it names: the
// same name given before, the full name of a surname, or a new person.
func (af *arabicFinder) person(si, k, e int, ws []string, role string, gender int) {
	ts := af.d.sents[si].toks
	if role == "" {
		role = af.roleAfter(ts, e)
	}
	ent := af.mt.index[strings.Join(ws, " ")]
	kind := mName
	if ent == nil {
		if p := af.mt.personBySurname(ws); p != nil {
			ent, kind = p, mSurname
		}
	}
	if ent == nil {
		name := joinToks(af.d.text, ts[k:e])
		if strings.HasPrefix(ts[k].f, "و") && len(ws[0]) < len(ts[k].f) && strings.HasPrefix(name, "و") {
			name = name[len("و"):]
		}
		ent = af.entity(ws, name, entPerson)
	}
	if ent.role == "" && role != "" {
		ent.role = role
		ent.roleHead = af.roleHead(role)
	}
	if ent.gender == genderUnknown {
		ent.gender = gender
		if g, ok := arLookup(ws[0], af.sh.givenNames); ok && gender == genderUnknown {
			ent.gender = g
		}
	}
	if af.from >= 0 && af.from < k {
		k = af.from
	}
	af.mt.mention(af.d, ent, kind, si, k, e)
}

func (af *arabicFinder) entity(ws []string, name string, kind int) *entity {
	if ent := af.mt.index[strings.Join(ws, " ")]; ent != nil {
		return ent
	}
	return af.mt.add(&entity{kind: kind, name: name, words: ws})
}

// roleAfter reads a role written after a name: "فاطمة أمزيل، نائبة رئيس ...".
func (af *arabicFinder) roleAfter(ts []tok, e int) string {
	if e < len(ts) && ts[e].kind == tkWord && arDefinite(ts[e].f) {
		// "اغاتا كوليكوفسكا المتحدثة باسم الشرطة": no comma before the role.
		if _, ok := arLookup(ts[e].f, af.lx.roles); ok {
			return joinToks(af.d.text, ts[e:af.phraseEnd(ts, e+1)])
		}
		return ""
	}
	if e+1 >= len(ts) || ts[e].kind != tkPunct || (ts[e].text != "،" && ts[e].text != ",") {
		return ""
	}
	if _, ok := arLookup(ts[e+1].f, af.lx.roles); !ok {
		return ""
	}
	return joinToks(af.d.text, ts[e+1:af.phraseEnd(ts, e+2)])
}

// roleHead is the role noun of a role phrase, without its article.
func (af *arabicFinder) roleHead(role string) string {
	for _, w := range splitFolded(fold(role)) {
		for _, s := range arStems(w) {
			if af.lx.isRole(s) {
				return strings.TrimPrefix(s, "ال")
			}
		}
	}
	return ""
}

// roleMention records a role or body phrase [k, e) that no name follows: a
// role given to a person before links to that person; anything else is a
// described speaker or a body of its own.
func (af *arabicFinder) roleMention(si, k, e int, isOrg bool) {
	ts := af.d.sents[si].toks
	text := arDropConjunction(joinToks(af.d.text, ts[k:e]), ts[k].f, af.phraseHeads())
	head := af.roleHead(text)
	if !isOrg && head != "" && e-k <= 6 {
		if p := af.mt.personByRole(head, contentWords(foldedWords(ts[k:e]), head), ts[k].start); p != nil {
			af.mt.mention(af.d, p, mRole, si, k, e)
			return
		}
	}
	if isOrg && (e-k == 1 || e-k == 2 && strings.HasSuffix(ts[k+1].f, "ي") || e-k == 2 && strings.HasSuffix(ts[k+1].f, "يه")) {
		// "المنظمة"، "المنظمة الأممية": the body named before.
		if o := af.bodyByHead(ts[k].f, ts[k].start); o != nil {
			af.mt.mention(af.d, o, mRole, si, k, e)
			return
		}
	}
	ws := make([]string, 0, e-k)
	for _, w := range foldedWords(ts[k:e]) {
		st := arStems(w)
		ws = append(ws, st[len(st)-1])
	}
	ent := af.mt.index[strings.Join(ws, " ")]
	if ent == nil {
		kind := entRole
		if isOrg {
			kind = entOrg
		}
		g, _ := arLookup(ts[k].f, af.lx.roles)
		ent = af.mt.add(&entity{kind: kind, name: text, words: ws, roleHead: head, gender: g})
	}
	af.mt.mention(af.d, ent, mRole, si, k, e)
}

// bodyByHead finds the body named before byte pos whose name starts with
// the head noun f (الجمعية -> الجمعية الأميركية لمرض السكري).
func (af *arabicFinder) bodyByHead(f string, pos int) *entity {
	stems := arStems(f)
	head := strings.TrimPrefix(stems[len(stems)-1], "ال")
	var best *entity
	bestAt := -1
	for _, e := range af.mt.ents {
		if e.kind != entOrg || len(e.words) < 2 || strings.TrimPrefix(e.words[0], "ال") != head {
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

// commonRun reports whether a run of words is made of common words rather
// than a name: all its words are common, or, when only a verb introduces
// it, its first word is; a given name that is also a common word (أمل،
// حياة) needs a name after it.
func (af *arabicFinder) commonRun(ws []string, given, titled bool) bool {
	common := func(w string) bool { return af.lx.commonWords[w] }
	all := true
	for _, w := range ws {
		if !common(w) && !af.lx.particles[w] {
			all = false
		}
	}
	switch {
	case all:
		return true
	case given && common(ws[0]):
		return len(ws) < 2 || common(ws[1])
	case !given && !titled:
		return common(ws[0])
	}
	return false
}

// laterStart reports whether a name read from ws really starts at a later
// word: a given name, or a word from which the run ends like a person the
// article named before.
func (af *arabicFinder) laterStart(ws []string) bool {
	for j := 1; j < len(ws); j++ {
		if _, ok := af.sh.givenNames[ws[j]]; ok {
			if _, first := af.sh.givenNames[ws[0]]; !first {
				return true
			}
		}
		if p := af.mt.personBySurname(ws[j:]); p != nil && !endsWith(p.words, ws[j-1:]) {
			return true
		}
		if af.mt.index[strings.Join(ws[j:], " ")] != nil {
			return true
		}
	}
	return false
}

// arKunya are the words that open a kunya (أبو أحمد، أم سليم).
var arKunya = map[string]bool{"ابو": true, "ام": true, "ابي": true, "ابا": true}
