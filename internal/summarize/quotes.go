package summarize

import (
	"sort"
	"strings"
	"unicode"

	"github.com/migrawatch/migrawatch/internal/news"
)

// maxCueDistance is how many tokens before a quote its cue may stand.
const maxCueDistance = 60

// minQuoteWords is the shortest quote shown; shorter quoted phrases are
// scare quotes, names or slogans far more often than someone's words.
const minQuoteWords = 6

// speaker is who said something, as far as the article tells.
type speaker struct {
	name   string
	role   string
	gender int
	person bool // a named person rather than a body or an unnamed role
}

// person is someone the article names.
type person struct {
	name    string
	tokens  []string // folded
	role    string
	aliases []string // other roles the article gives the person
	gender  int
	pos     int
}

// quoteFinder attributes the quoted spans of one article to their speakers.
type quoteFinder struct {
	text    string
	lang    string
	spans   []span
	sents   []sentence
	toks    [][]tok
	persons []*person
	bodies  []speaker
	subj    []*speaker // per sentence: who speaks (or acts) in it, when known
	docSpk  *speaker   // who last spoke "in a statement" (a document's author)
	docSent int        // the sentence where docSpk spoke
	out     []news.Quote
	seen    map[string]bool
}

// extractQuotes finds the direct quotes of text with their speakers.
func extractQuotes(text, lang string, spans []span, sents []sentence) []news.Quote {
	if len(spans) == 0 {
		return nil
	}
	qf := &quoteFinder{text: text, lang: lang, seen: map[string]bool{}, spans: spans, sents: sents}
	qf.toks = make([][]tok, len(qf.sents))
	cache := map[string]string{}
	for i, s := range qf.sents {
		qf.toks[i] = tokenizeCached(text, s, qf.spans, cache)
	}
	qf.subj = make([]*speaker, len(qf.sents))
	if lang != news.Arabic {
		qf.registerLatinNames()
	}
	for i := range qf.sents {
		qf.sentence(i)
	}
	return qf.out
}

// sentence attributes the quotes of sentence i and records who speaks in it.
func (qf *quoteFinder) sentence(i int) {
	ts := qf.toks[i]
	if sp, ok := qf.firstSpeechSubject(i); ok {
		qf.subj[i] = sp
	} else if sp, ok := qf.initialPerson(i); ok {
		qf.subj[i] = sp
	} else if sp, ok := qf.initialRole(i); ok && qf.lang != news.Arabic {
		qf.subj[i] = sp
	} else if sp := qf.pronounSubject(i); sp != nil {
		qf.subj[i] = sp
	}
	for x, t := range ts {
		if t.kind != tkWord || !isDocument(t.f) {
			continue
		}
		// A document introduced here ("in a statement", "dans un communiqué",
		// "في بيانها"): its author is this sentence's speaker, if any.
		fresh := strings.HasPrefix(t.f, "بيان") || strings.HasPrefix(t.f, "وبيان")
		for y := x - 1; y >= 0 && y >= x-2; y-- {
			if f := ts[y].f; f == "a" || f == "an" || f == "un" || f == "une" || f == "في" {
				fresh = true
			}
		}
		if fresh {
			qf.docSpk, qf.docSent = qf.subj[i], i
		}
		break
	}
	for k, t := range ts {
		if t.kind != tkQuote {
			continue
		}
		qf.quote(i, k)
	}
}

// quote attributes one quoted span (token k of sentence i).
func (qf *quoteFinder) quote(i, k int) {
	ts := qf.toks[i]
	sp := qf.spans[ts[k].q]
	if qf.isTitle(ts, k) {
		return
	}
	type part struct{ start, end int }
	parts := []part{{sp.start, sp.end}}
	var inciseSpk *speaker
	if qf.lang == news.French {
		if a, b, c, d, spk, ok := qf.incise(sp); ok {
			parts = []part{{a, b}, {c, d}}
			inciseSpk = spk
		}
	}
	var spk *speaker
	if inciseSpk != nil {
		spk = inciseSpk
	} else {
		var found bool
		spk, found = qf.after(i, k)
		if !found {
			spk, found = qf.before(i, k)
		}
		if !found && k > 0 && ts[k-1].kind == tkPunct && ts[k-1].text == ":" {
			// "X ...: « »": the sentence's subject introduces the quote.
			spk = qf.colonSubject(i)
			found = spk != nil
		}
		if !found {
			spk = qf.standalone(i, k)
		}
	}
	if spk == nil || spk.name == "" {
		return
	}
	emitted := false
	for _, p := range parts {
		t := strings.TrimSpace(qf.text[p.start:p.end])
		if wordCount(t) < minQuoteWords {
			continue
		}
		emitted = true
		key := strings.Join(foldWords(t), " ")
		if qf.seen[key] {
			continue
		}
		qf.seen[key] = true
		qf.out = append(qf.out, news.Quote{Text: t, Speaker: spk.name, Role: spk.role})
	}
	if spk.person || emitted {
		if qf.subj[i] == nil {
			qf.subj[i] = spk
		}
	}
}

// colonSubject is the subject that opens a sentence ending in a colon before
// a quote: a name, a role met before, a pseudonym in quotes, or a noun phrase
// closed by its verb ("Un habitant de Valence s'immisce dans le débat :").
func (qf *quoteFinder) colonSubject(i int) *speaker {
	if qf.subj[i] != nil {
		return qf.subj[i]
	}
	if qf.lang == news.Arabic {
		return nil
	}
	ts := qf.toks[i]
	if len(ts) > 1 && ts[0].kind == tkQuote && wordCount(ts[0].text) <= 3 && ts[1].kind == tkWord && !isCapitalized(ts[1].text) {
		return &speaker{name: strings.TrimSpace(ts[0].text)}
	}
	if s := qf.leadingSubject(i); s != nil {
		return s
	}
	if s, ok := qf.initialRole(i); ok {
		return s
	}
	if len(ts) > 2 && determiners[ts[0].f] {
		for e := 1; e < len(ts) && e <= 8; e++ {
			t := ts[e]
			if t.kind != tkWord {
				return nil
			}
			if t.f == "se" || strings.HasPrefix(t.f, "s'") || frAux[t.f] || t.f == "est" || t.f == "sont" || t.f == "is" || t.f == "was" || t.f == "has" {
				return qf.npSpeaker(i, ts[:e], ts[0].start)
			}
		}
	}
	return nil
}

// initialRole resolves a sentence that opens with a role met before ("L'historien
// exhorte ...", "The home secretary said ...") to that person.
func (qf *quoteFinder) initialRole(i int) (*speaker, bool) {
	ts := qf.toks[i]
	if len(ts) < 2 || ts[0].kind != tkWord {
		return nil, false
	}
	var fw []string
	for x := 0; x < len(ts) && x < 4 && ts[x].kind == tkWord; x++ {
		fw = append(fw, ts[x].f)
		if roleWordIn(ts[x].f) {
			if !(determiners[ts[0].f] || strings.HasPrefix(ts[0].f, "l'")) {
				return nil, false
			}
			if p := qf.personByRole(fw, ts[0].start); p != nil {
				return &speaker{name: p.name, role: p.role, gender: p.gender, person: true}, true
			}
			return nil, false
		}
	}
	return nil, false
}

// isTitle reports whether the span at token k names a work, a project or a
// campaign ("a report entitled", "فيلم", "مشروع") rather than quoting anyone.
func (qf *quoteFinder) isTitle(ts []tok, k int) bool {
	for j := k - 1; j >= 0 && j >= k-2; j-- {
		if ts[j].kind == tkPunct && ts[j].text != ":" {
			continue
		}
		if ts[j].kind != tkWord {
			return false
		}
		f := ts[j].f
		if titleWordsBefore[f] {
			return true
		}
		if qf.lang == news.Arabic {
			for _, v := range arVariants(f) {
				if titleWordsBefore[v] || titleWordsBefore[strings.TrimPrefix(v, "ال")] {
					return true
				}
			}
		}
		return false
	}
	return false
}

// after looks for a cue right after the quote: `", she said`, `», a déclaré X`, `"، قال`.
// found is true when a cue is there, even if its speaker cannot be named.
func (qf *quoteFinder) after(i, k int) (*speaker, bool) {
	ts := qf.toks[i]
	j := k + 1
	for j < len(ts) && ts[j].kind == tkPunct && (ts[j].text == "," || ts[j].text == "،" || ts[j].text == "—" || ts[j].text == "–" || ts[j].text == "-") {
		j++
	}
	end := j
	for end < len(ts) && (ts[end].kind != tkQuote || (end > j && wordCount(ts[end].text) <= 4)) {
		end++
	}
	rest := ts[j:end]
	if len(rest) == 0 {
		return nil, false
	}
	switch qf.lang {
	case news.Arabic:
		if c, ok := arCue(rest[0].f); ok && c.kind == cueVerb {
			return qf.arSubject(i, rest[1:], c.gender, rest[0].start), true
		}
		return nil, false
	case news.French:
		v := 0
		for v < len(rest) && frAux[rest[v].f] {
			v++
		}
		if v < len(rest) {
			if g, ok := frCue(rest[v].f); ok {
				if g != genderUnknown {
					return qf.pronoun(i, g, rest[v].start), true
				}
				return qf.latinSubjectAfter(i, rest[v+1:]), true
			}
			if frPreps[rest[v].f] {
				return qf.latinSubjectAfter(i, rest[v+1:]), true
			}
		}
		return nil, false
	default:
		if len(rest) > 1 && enPreps[rest[0].f] && rest[1].f == "to" {
			return qf.latinSubjectAfter(i, rest[2:]), true
		}
		if enVerbs[rest[0].f] && rest[0].f != "told" {
			return qf.latinSubjectAfter(i, rest[1:]), true
		}
		// Subject then verb: `," Authenti-corp's CEO, Cynthia Musselman, told ...`.
		for v := 1; v < len(rest) && v <= 14; v++ {
			if rest[v].kind == tkPunct && (rest[v].text == "." || rest[v].text == ";" || rest[v].text == ":") {
				break
			}
			if enVerbs[rest[v].f] {
				return qf.latinSubjectBefore(i, rest[:v]), true
			}
		}
		return nil, false
	}
}

// before looks for the cue before the quote in the same sentence:
// `X said: "`, `Pour X, « »`, `وقال X: "`, `X said it was "..."`.
func (qf *quoteFinder) before(i, k int) (*speaker, bool) {
	ts := qf.toks[i]
	switch qf.lang {
	case news.Arabic:
		for v := k - 1; v >= 0 && v >= k-maxCueDistance; v-- {
			if ts[v].kind != tkWord {
				continue
			}
			c, ok := arCue(ts[v].f)
			if !ok {
				// "على لسان X": X speaks.
				if ts[v].f == "لسان" && v > 0 && ts[v-1].f == "علي" {
					return qf.arSubject(i, ts[v+1:k], genderUnknown, ts[v].start), true
				}
				continue
			}
			switch c.kind {
			case cueParticiple:
				// The participle's subject is the sentence's: find the main verb.
				for u := v - 1; u >= 0; u-- {
					if ts[u].kind != tkWord {
						continue
					}
					if c2, ok := arCue(ts[u].f); ok && c2.kind == cueVerb {
						return qf.arSubject(i, ts[u+1:v], c2.gender, ts[u].start), true
					}
				}
				return qf.pronoun(i, c.gender, ts[v].start), true
			case cuePrep:
				seg := ts[v+1 : k]
				for x, t := range seg {
					if t.kind == tkPunct {
						seg = seg[:x]
						break
					}
				}
				return qf.arSubject(i, seg, genderUnknown, ts[v].start), true
			default:
				// "غير أن X وصف ...": a subject before the verb, after أن/إن.
				for u := v - 1; u >= 0 && u >= v-10; u-- {
					if ts[u].kind == tkQuote || (ts[u].kind == tkPunct && ts[u].text != "،" && ts[u].text != ",") {
						break
					}
					if ts[u].f == "ان" || ts[u].f == "لكن" {
						if u+1 < v {
							if s := qf.arSubject(i, ts[u+1:v], c.gender, ts[u].start); s != nil && s.person {
								return s, true
							}
						}
						break
					}
				}
				// "وكانت X قد اتهمت": the subject comes before the verb.
				if v > 0 && ts[v-1].f == "قد" {
					for u := v - 2; u >= 0; u-- {
						if strings.HasSuffix(ts[u].f, "كانت") || strings.HasSuffix(ts[u].f, "كان") {
							return qf.arSubject(i, ts[u+1:v-1], c.gender, ts[u].start), true
						}
					}
				}
				return qf.arSubject(i, ts[v+1:k], c.gender, ts[v].start), true
			}
		}
		return nil, false
	default:
		// Prepositional attribution opening the sentence: "Pour X, « ... »", "Selon X, ...".
		if len(ts) > 2 && (ts[0].f == "pour" || frPreps[ts[0].f] || (ts[0].f == "according" && ts[1].f == "to")) {
			s := 1
			if ts[0].f == "according" {
				s = 2
			}
			for c := s; c < k; c++ {
				if ts[c].kind == tkPunct && ts[c].text == "," {
					if ts[0].f == "pour" && !qf.looksLikeSpeaker(ts[s:c]) {
						break
					}
					return qf.latinSubjectAfter(i, ts[s:c]), true
				}
			}
		}
		for v := k - 1; v >= 0 && v >= k-maxCueDistance; v-- {
			t := ts[v]
			if t.kind == tkQuote {
				// An earlier quote's cue belongs to it; look no further back
				// unless the quotes share the verb ("X said: "A" and "B"").
				continue
			}
			if t.kind != tkWord {
				continue
			}
			if qf.lang == news.French {
				if frParticiple(t.f) {
					// "..., soulignant que « »": the sentence's speaker goes on.
					if qf.subj[i] != nil {
						return qf.subj[i], true
					}
					if i > 0 && qf.subj[i-1] != nil && clauseEmpty(ts[:v]) {
						return qf.subj[i-1], true
					}
					continue
				}
				if g, ok := frCue(t.f); ok {
					if qf.cueOfEarlierQuote(ts, v) {
						return nil, false
					}
					if g != genderUnknown {
						return qf.pronoun(i, g, t.start), true
					}
					if s := qf.latinSubjectBefore(i, trimAux(ts[:v])); s != nil {
						return s, true
					}
					if clauseEmpty(ts[:v]) {
						// A verb opening its clause ("Et d'ajouter : « »"): the last speaker.
						return qf.pronoun(i, genderUnknown, t.start), true
					}
					return nil, true
				}
				if frPreps[t.f] {
					return qf.latinSubjectAfter(i, ts[v+1:k]), true
				}
				continue
			}
			if enVerbs[t.f] {
				if qf.cueOfEarlierQuote(ts, v) {
					return nil, false
				}
				if strings.HasSuffix(t.f, "ing") {
					if qf.subj[i] != nil {
						return qf.subj[i], true
					}
					// "..., arguing that ...": the sentence's subject speaks.
					return qf.leadingSubject(i), true
				}
				return qf.latinSubjectBefore(i, ts[:v]), true
			}
			if t.f == "according" && v+1 < k && ts[v+1].f == "to" {
				return qf.latinSubjectAfter(i, ts[v+2:k]), true
			}
		}
		return nil, false
	}
}

// clauseEmpty reports whether nothing but conjunctions stands between the
// start of the clause (sentence start, quote, colon) and the end of ts.
func clauseEmpty(ts []tok) bool {
	for x := len(ts) - 1; x >= 0; x-- {
		t := ts[x]
		if t.kind == tkQuote || (t.kind == tkPunct && (t.text == ":" || t.text == ".")) {
			return true
		}
		if t.kind == tkWord && !leadingJunk[t.f] && !frAux[t.f] {
			return false
		}
	}
	return true
}

// cueOfEarlierQuote reports whether the cue word at v follows an earlier
// quote of the sentence directly (`« A », avance X. « B »`): it is that quote's.
func (qf *quoteFinder) cueOfEarlierQuote(ts []tok, v int) bool {
	u := v - 1
	for u >= 0 && ts[u].kind == tkWord && frAux[ts[u].f] {
		u--
	}
	for u >= 0 && ts[u].kind == tkPunct && (ts[u].text == "," || ts[u].text == "،") {
		u--
	}
	return u >= 0 && ts[u].kind == tkQuote
}

// standalone attributes a quote that makes up its own sentence to whoever
// spoke in one of the two sentences before it.
func (qf *quoteFinder) standalone(i, k int) *speaker {
	ts := qf.toks[i]
	for j, t := range ts {
		if j != k && t.kind == tkWord {
			return nil
		}
	}
	for n, j := range qf.window(i)[1:] {
		if s := qf.subj[j]; s != nil {
			return s
		}
		if n == 0 && qf.hasCue(j) {
			return nil
		}
		if n == 0 && qf.mentionsSomeone(j) {
			// A quote after a sentence that names one person only
			// ("..., la députée Ska Keller, pour qui ...").
			if qf.lang != news.Arabic {
				if p := qf.onePersonIn(j); p != nil {
					return &speaker{name: p.name, role: p.role, gender: p.gender, person: true}
				}
			}
			return nil
		}
	}
	return nil
}

// onePersonIn returns the only person sentence j names, if it names one.
func (qf *quoteFinder) onePersonIn(j int) *person {
	var found *person
	for _, t := range qf.toks[j] {
		if t.kind != tkWord || !isCapitalized(t.text) || notNames[t.f] {
			continue
		}
		p := qf.personBySurname(t.f, qf.sents[j].end)
		if p == nil {
			continue
		}
		if found != nil && found != p {
			return nil
		}
		found = p
	}
	return found
}

// hasCue reports whether sentence j holds a speech cue or a long quote
// (whose speaker, if unknown, must not be skipped over).
func (qf *quoteFinder) hasCue(j int) bool {
	for _, t := range qf.toks[j] {
		switch {
		case t.kind == tkQuote && wordCount(t.text) >= minQuoteWords:
			return true
		case t.kind != tkWord:
		case qf.lang == news.Arabic:
			if _, ok := arCue(t.f); ok {
				return true
			}
		case qf.lang == news.French:
			if _, ok := frCue(t.f); ok {
				return true
			}
		default:
			if enVerbs[t.f] {
				return true
			}
		}
	}
	return false
}

// mentionsSomeone reports whether sentence j names a person (so a later
// standalone quote cannot skip over it to an earlier speaker).
func (qf *quoteFinder) mentionsSomeone(j int) bool {
	if qf.lang == news.Arabic {
		return false
	}
	for _, t := range qf.toks[j] {
		if t.kind == tkWord && isCapitalized(t.text) && qf.personBySurname(t.f, qf.sents[j].end) != nil {
			return true
		}
	}
	return false
}

// firstSpeechSubject finds the subject of the first speech cue of sentence i.
func (qf *quoteFinder) firstSpeechSubject(i int) (*speaker, bool) {
	ts := qf.toks[i]
	for v, t := range ts {
		if t.kind != tkWord {
			continue
		}
		switch qf.lang {
		case news.Arabic:
			c, ok := arCue(t.f)
			if !ok || c.kind != cueVerb {
				continue
			}
			end := v + 1
			for end < len(ts) && ts[end].kind != tkQuote {
				end++
			}
			if s := qf.arSubject(i, ts[v+1:end], c.gender, t.start); s != nil {
				return s, true
			}
			return nil, false
		case news.French:
			g, ok := frCue(t.f)
			if !ok || g != genderUnknown {
				continue
			}
			if s := qf.latinSubjectBefore(i, trimAux(ts[:v])); s != nil {
				return s, true
			}
			if v > 0 && (ts[v-1].text == "," || ts[v-1].kind == tkQuote || frAux[ts[v-1].f]) {
				if s := qf.latinSubjectAfter(i, ts[v+1:]); s != nil {
					return s, true
				}
			}
		default:
			if !enVerbs[t.f] {
				continue
			}
			if strings.HasSuffix(t.f, "ing") {
				continue
			}
			if s := qf.latinSubjectBefore(i, ts[:v]); s != nil {
				return s, true
			}
			if s := qf.latinSubjectAfter(i, ts[v+1:]); s != nil && v > 0 && ts[v-1].kind == tkQuote {
				return s, true
			}
		}
	}
	return nil, false
}

// initialPerson returns the person a sentence opens with ("Goldstein disputed
// that account.", "Anissa, 19 ans, ..."), when it opens with one.
func (qf *quoteFinder) initialPerson(i int) (*speaker, bool) {
	if qf.lang == news.Arabic {
		return qf.arInitialPerson(i)
	}
	ts := qf.toks[i]
	n := 0
	for n < len(ts) && n < 4 && ts[n].kind == tkWord && (isCapitalized(ts[n].text) || honorifics[ts[n].f]) {
		n++
	}
	if n == 0 || n == len(ts) {
		return nil, false
	}
	if s := qf.nameSpeaker(ts[:n], "", qf.sents[i].start, false); s != nil && s.person {
		return s, true
	}
	// "Anissa, 19 ans, ...": a single name with an apposition.
	if n == 1 && len(ts) > 2 && ts[1].text == "," && (unicode.IsDigit(firstRune(ts[2].text)) || pronouns[ts[2].f] != 0) {
		if s := qf.nameSpeaker(ts[:1], "", qf.sents[i].start, true); s != nil && s.person {
			return s, true
		}
	}
	return nil, false
}

// arInitialPerson reads a sentence that opens with a verb and a full name
// ("وأيد ريو فيردناند، نجم ...").
func (qf *quoteFinder) arInitialPerson(i int) (*speaker, bool) {
	ts := qf.toks[i]
	if len(ts) < 3 || ts[0].kind != tkWord || !(strings.HasPrefix(ts[0].f, "و") || strings.HasPrefix(ts[0].f, "ف")) || strings.HasPrefix(ts[0].f, "وال") {
		return nil, false
	}
	e := 1
	for e < len(ts) && e <= 4 && ts[e].kind == tkWord && !arStopWord(ts[e].f) {
		e++
	}
	if e-1 < 2 || e-1 > 3 || !arIsName(ts[1:e]) {
		return nil, false
	}
	if e < len(ts) && !(ts[e].kind == tkPunct) {
		return nil, false
	}
	g := genderMale
	if strings.HasSuffix(ts[0].f, "ت") {
		g = genderFemale
	}
	name := joinToks(qf.text, ts[1:e])
	p := qf.addPerson(name, "", g, ts[1].start)
	return &speaker{name: p.name, role: p.role, gender: p.gender, person: true}, true
}

// pronoun resolves a subject pronoun (or an Arabic verb with no subject) to
// the most recent person who spoke or acted in this or the previous two
// sentences, whose gender does not contradict it.
func (qf *quoteFinder) pronoun(i, g, pos int) *speaker {
	for _, j := range qf.window(i) {
		s := qf.subj[j]
		if j == i {
			// Only a subject named before the pronoun counts.
			if s == nil || !qf.mentionedBefore(s, i, pos) {
				continue
			}
		}
		if s == nil {
			continue
		}
		if g == genderPlural {
			if s.person {
				return nil
			}
			return s
		}
		if !s.person {
			if qf.lang == news.Arabic && j >= i-1 {
				return s
			}
			return nil
		}
		if s.gender != genderUnknown && g != genderUnknown && s.gender != g {
			return nil
		}
		if qf.lang == news.English && s.gender == genderUnknown && qf.sents[j].para != qf.sents[i].para {
			// Across a paragraph, "he" or "she" may open a new voice; without
			// a known gender do not guess.
			return nil
		}
		if s.gender == genderUnknown && g != genderUnknown && g != genderPlural {
			qf.setGender(s, g)
		}
		return s
	}
	if qf.lang != news.Arabic && g != genderPlural {
		return qf.onlyPersonMentioned(i, g, pos)
	}
	return nil
}

// pronounSubject resolves a sentence whose subject is "il", "elle", "he" or
// "she" (first word, or first word after an opening adverbial) to the person
// it refers to, so a chain of such sentences keeps its referent.
func (qf *quoteFinder) pronounSubject(i int) *speaker {
	if qf.lang == news.Arabic {
		return nil
	}
	ts := qf.toks[i]
	for x := 0; x < len(ts) && x < 8; x++ {
		t := ts[x]
		if t.kind == tkQuote {
			return nil
		}
		if t.kind != tkWord {
			continue
		}
		if g, ok := pronouns[t.f]; ok && g != genderPlural && (x == 0 || ts[x-1].text == ",") {
			return qf.pronoun(i, g, t.start)
		}
		if x == 0 || ts[x-1].text == "," {
			if isCapitalized(t.text) && x > 0 {
				return nil
			}
		}
	}
	return nil
}

// window returns sentence i and the two prose sentences before it, most
// recent first. Subheadings (short lines without a full stop) are not
// sentences of the text and do not count.
func (qf *quoteFinder) window(i int) []int {
	out := []int{i}
	for j := i - 1; j >= 0 && len(out) < 3; j-- {
		if qf.isHeading(j) {
			continue
		}
		out = append(out, j)
	}
	return out
}

// isHeading reports whether sentence j is a line of its own without a
// sentence end: a subheading, a caption, a byline.
func (qf *quoteFinder) isHeading(j int) bool {
	s := qf.sents[j]
	if j > 0 && qf.sents[j-1].para == s.para {
		return false
	}
	if j+1 < len(qf.sents) && qf.sents[j+1].para == s.para {
		return false
	}
	last := lastNonSpaceRune(qf.text[s.start:s.end])
	return !strings.ContainsRune(".!?؟…:", last) && wordCount(qf.text[s.start:s.end]) < 12
}

// onlyPersonMentioned returns the one person named in this sentence (before
// pos) and the two before it, when exactly one is named there.
func (qf *quoteFinder) onlyPersonMentioned(i, g, pos int) *speaker {
	var found *person
	for _, j := range qf.window(i) {
		for _, t := range qf.tokensBefore(j, pos) {
			if t.kind != tkWord || !isCapitalized(t.text) || notNames[t.f] {
				continue
			}
			p := qf.personBySurname(t.f, t.start)
			if p == nil {
				continue
			}
			if found != nil && found != p {
				return nil
			}
			found = p
		}
	}
	if found == nil || (found.gender != genderUnknown && g != genderUnknown && found.gender != g) {
		return nil
	}
	return &speaker{name: found.name, role: found.role, gender: found.gender, person: true}
}

func (qf *quoteFinder) mentionedBefore(s *speaker, i, pos int) bool {
	name := fold(s.name)
	for _, t := range qf.tokensBefore(i, pos) {
		if t.kind == tkWord && len(t.f) > 2 && strings.Contains(name, t.f) {
			return true
		}
	}
	return false
}

// mentionReach is how many tokens before a position are searched for a
// mention, which bounds the work on pathological run-on sentences.
const mentionReach = 120

// tokensBefore returns the tokens of sentence i that start before pos, at
// most mentionReach of them.
func (qf *quoteFinder) tokensBefore(i, pos int) []tok {
	ts := qf.toks[i]
	e := sort.Search(len(ts), func(x int) bool { return ts[x].start >= pos })
	return ts[max(0, e-mentionReach):e]
}

func (qf *quoteFinder) setGender(s *speaker, g int) {
	s.gender = g
	for _, p := range qf.persons {
		if p.name == s.name && p.gender == genderUnknown {
			p.gender = g
		}
	}
}

// incise finds a French incise inside a quote ("« A, poursuit Me Comte. B »")
// and returns the two parts and the incise's speaker.
func (qf *quoteFinder) incise(sp span) (int, int, int, int, *speaker, bool) {
	inner := tokenize(qf.text, sentence{start: sp.start, end: sp.end}, nil)
	for c := 0; c+1 < len(inner); c++ {
		if !(inner[c].kind == tkPunct && inner[c].text == ",") {
			continue
		}
		v := c + 1
		for v < len(inner) && frAux[inner[v].f] {
			v++
		}
		if v >= len(inner) || inner[v].kind != tkWord {
			continue
		}
		g, ok := frCue(inner[v].f)
		if !ok {
			continue
		}
		// The incise runs to the end of its sentence, or to the next comma
		// after an inverted pronoun ("dit-elle,").
		e := v + 1
		for e < len(inner) && !(inner[e].kind == tkPunct && (inner[e].text == "." || (g != genderUnknown && inner[e].text == ","))) {
			e++
		}
		if e >= len(inner)-1 {
			continue
		}
		var spk *speaker
		si := qf.sentenceAt(sp.open)
		if g != genderUnknown {
			spk = qf.pronoun(si, g, sp.open)
		} else {
			spk = qf.latinSubjectAfter(si, inner[v+1:e])
		}
		if spk == nil {
			return 0, 0, 0, 0, nil, false
		}
		return sp.start, inner[c].start, inner[e].end, sp.end, spk, true
	}
	return 0, 0, 0, 0, nil, false
}

func (qf *quoteFinder) sentenceAt(pos int) int {
	i := sort.Search(len(qf.sents), func(i int) bool { return qf.sents[i].end > pos })
	if i < len(qf.sents) {
		return i
	}
	return 0
}

// French auxiliaries and adverbs that may stand between a quote and its verb.
var frAux = words("se s' en a avait ont avaient aura ainsi alors encore aussi egalement donc meme pourtant toutefois " +
	"simplement timidement d'ailleurs pour sa part de son cote tout de meme")

// frParticiple reports whether w is the present participle of a speech verb
// (soulignant, ajoutant, précisant).
func frParticiple(w string) bool {
	return strings.HasSuffix(w, "ant") && len(w) > 5 && frVerbs[strings.TrimSuffix(w, "ant")+"e"]
}

// frCue looks up a French word as a speech verb. An inverted subject pronoun
// (a-t-il, dit-elle) gives its gender; otherwise the gender is unknown.
func frCue(w string) (int, bool) {
	g := genderUnknown
	base := w
	for _, suf := range []struct {
		s string
		g int
	}{{"-t-il", genderMale}, {"-t-elle", genderFemale}, {"-t-on", genderPlural}, {"-il", genderMale}, {"-elle", genderFemale}, {"-ils", genderPlural}, {"-elles", genderPlural}, {"-on", genderPlural}} {
		if strings.HasSuffix(w, suf.s) {
			base, g = strings.TrimSuffix(w, suf.s), suf.g
			break
		}
	}
	if strings.HasPrefix(base, "d'") && strings.HasSuffix(base, "er") && frVerbs[strings.TrimSuffix(strings.TrimPrefix(base, "d'"), "r")] {
		// "Et d'insister : « »": an infinitive of narration, the last speaker.
		return genderUnknown, true
	}
	if base == "a" && g != genderUnknown {
		// "a-t-il lâché": the verb follows; the pronoun decides.
		return g, true
	}
	if frVerbs[base] {
		return g, true
	}
	return 0, false
}

func trimAux(ts []tok) []tok {
	for len(ts) > 0 && ts[len(ts)-1].kind == tkWord && frAux[ts[len(ts)-1].f] {
		ts = ts[:len(ts)-1]
	}
	return ts
}

// looksLikeSpeaker reports whether a short token run can name a speaker (a
// name, a title, a determiner phrase), as opposed to "pour preuve".
func (qf *quoteFinder) looksLikeSpeaker(ts []tok) bool {
	if len(ts) == 0 || len(ts) > 12 {
		return false
	}
	f := ts[0].f
	return isCapitalized(ts[0].text) || honorifics[f] || determiners[f] || pronouns[f] != 0 || f == "lui" || f == "eux"
}

var determiners = words("the a an le la les l' un une des du son sa ses leur leurs cette cet ce ces notre")

// hasLetter reports whether s holds a letter (numeric appositions like "24" are no role).
func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
