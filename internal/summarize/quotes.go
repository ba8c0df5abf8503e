package summarize

import (
	"slices"
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
	quoted  []*speaker // per sentence: who was last quoted in it
	folded  string     // the folded text, when a rule needed it
	docSpk  *speaker   // who last spoke "in a statement" (a document's author)
	docSent int        // the sentence where docSpk spoke
	out     []news.Quote
	outPos  []int  // where each quote of out opens
	missed  []span // spans of 6+ words left without a speaker
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
	qf.quoted = make([]*speaker, len(qf.sents))
	if lang != news.Arabic {
		qf.registerLatinNames()
	}
	for i := range qf.sents {
		qf.sentence(i)
	}
	qf.pullQuotes()
	return qf.out
}

// pullQuotes attributes a quoted span left without a speaker (typically a
// subheading or an exergue that repeats someone's words) when its words
// are, in order, part of a quote the article attributes elsewhere: it takes
// that quote's speaker.
func (qf *quoteFinder) pullQuotes() {
	type added struct {
		q   news.Quote
		pos int
	}
	var adds []added
	if len(qf.missed) == 0 || len(qf.out) == 0 {
		return
	}
	fulls := make([]string, len(qf.out))
	for x, q := range qf.out {
		fulls[x] = " " + strings.Join(foldWords(q.Text), " ") + " "
	}
	for _, sp := range qf.missed {
		t := strings.TrimSpace(qf.text[sp.start:sp.end])
		key := strings.Join(foldWords(t), " ")
		if qf.seen[key] {
			continue
		}
		for x, q := range qf.out {
			if strings.Contains(fulls[x], " "+key+" ") {
				qf.seen[key] = true
				adds = append(adds, added{news.Quote{Text: t, Speaker: q.Speaker, Role: q.Role}, sp.open})
				break
			}
		}
	}
	for _, a := range adds {
		at := sort.SearchInts(qf.outPos, a.pos)
		qf.out = slices.Insert(qf.out, at, a.q)
		qf.outPos = slices.Insert(qf.outPos, at, a.pos)
	}
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
			if y == x-1 && ownDocument[ts[y].f] && y > 0 && (ts[y-1].f == "in" || ts[y-1].f == "dans") {
				// "In the statement, CPS said", "dans son communiqué, X": the
				// document of this sentence's speaker.
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
		colon := k > 0 && ts[k-1].kind == tkPunct && ts[k-1].text == ":"
		if spk == nil && colon && qf.lang != news.Arabic {
			// "..., comme Karim, un Tunisien de 25 ans : « »": the name whose
			// appositions run up to the colon introduces the quote.
			if s := qf.colonApposition(ts[:k-1]); s != nil {
				spk, found = s, true
			}
		}
		if !found && colon {
			// "X ...: « »": the sentence's subject introduces the quote.
			spk = qf.colonSubject(i)
			found = spk != nil
		}
		if !found {
			spk = qf.standalone(i, k)
		}
		if !found && spk == nil {
			spk = qf.namedNext(i, k)
		}
	}
	if spk == nil || spk.name == "" {
		if wordCount(qf.text[sp.start:sp.end]) >= minQuoteWords {
			qf.missed = append(qf.missed, sp)
		}
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
		qf.outPos = append(qf.outPos, p.start)
	}
	if emitted {
		qf.quoted[i] = spk
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
				if strings.HasSuffix(rest[v].f, "-on") {
					// "indique-t-on au ministère": the place speaks.
					return qf.placeSubject(rest[v+1:]), true
				}
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
				if arNonSpeaker(seg) {
					// "بحسب الأرقام الرسمية": figures do not speak.
					return nil, true
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
	lead := 0
	for j, t := range ts {
		if j != k && t.kind == tkWord {
			if j > k {
				return nil
			}
			lead++
		}
	}
	if lead > 0 && !qf.adverbialLead(ts[:k]) {
		return nil
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
			if p := qf.onePersonIn(j); p != nil {
				return &speaker{name: p.name, role: p.role, gender: p.gender, person: true}
			}
			return nil
		}
	}
	return nil
}

// onePersonIn returns the only person sentence j names, if it names one.
func (qf *quoteFinder) onePersonIn(j int) *person {
	if qf.lang == news.Arabic {
		if ps := qf.arPersonsIn(j); len(ps) == 1 {
			return ps[0]
		}
		return nil
	}
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
		return len(qf.arPersonsIn(j)) > 0
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
	if len(ts) < 3 || ts[0].kind != tkWord || !(strings.HasPrefix(ts[0].f, "و") || strings.HasPrefix(ts[0].f, "ف")) || strings.HasPrefix(ts[0].f, "وال") || arParticleStart(ts[0].f) {
		// "وقد انخفض عدد الوافدين": a particle, then a predicate, not a name.
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
	if qf.lang == news.Arabic && (g == genderMale || g == genderFemale) {
		return qf.arOnlyKunya(i, g, pos)
	}
	return nil
}

// arOnlyKunya resolves an Arabic verb without a subject ("بادرتني هي
// بالقول") to the one person of its gender named by a kunya (أم سليم، أبو
// محمد) in this sentence before pos or the two before it. A kunya counts
// only when the article uses it at least twice, since أم is also "or".
func (qf *quoteFinder) arOnlyKunya(i, g, pos int) *speaker {
	var found string
	var at int
	for _, j := range qf.window(i) {
		ts := qf.tokensBefore(j, pos)
		for x := 0; x+1 < len(ts); x++ {
			kg, ok := arKunya[strings.TrimPrefix(ts[x].f, "و")]
			if !ok || kg != g || !arGivenName(ts[x+1]) {
				continue
			}
			name := joinToks(qf.text, ts[x:x+2])
			if found != "" && fold(found) != fold(name) {
				return nil
			}
			if strings.HasPrefix(ts[x].f, "و") {
				name = strings.TrimPrefix(strings.TrimPrefix(name, "و"), "ف")
			}
			found, at = name, ts[x].start
		}
	}
	if found == "" {
		return nil
	}
	if qf.folded == "" {
		qf.folded = fold(qf.text)
	}
	if strings.Count(qf.folded, fold(found)) < 2 {
		return nil
	}
	p := qf.addPerson(found, "", g, at)
	return &speaker{name: p.name, role: p.role, gender: p.gender, person: true}
}

// Arabic kunya heads (folded): "mother of", "father of".
var arKunya = map[string]int{"ام": genderFemale, "ابو": genderMale, "ابي": genderMale, "ابا": genderMale}

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

// colonApposition reads a clause ending in a colon whose last words are a
// name and its appositions ("Certains ont renoncé, comme Karim, un
// Tunisien de 25 ans, étudiant en chimie :", "..., notamment Jane Doe, a
// nurse:"): that person introduces the quote.
func (qf *quoteFinder) colonApposition(ts []tok) *speaker {
	for x := len(ts) - 1; x >= 0; x-- {
		if ts[x].kind == tkQuote || (ts[x].kind == tkPunct && ts[x].text != ",") {
			ts = ts[x+1:]
			break
		}
	}
	segs := splitComma(ts)
	if len(segs) < 2 {
		return nil
	}
	for n := len(segs) - 1; n >= 1 && n >= len(segs)-3; n-- {
		sg := segs[n]
		if len(sg) > 0 && colonLeads[sg[0].f] {
			sg = sg[1:]
		}
		if len(sg) > 0 && isNameSeg(sg) && n < len(segs)-1 {
			s := qf.nameSpeaker(sg, "", sg[0].start, true)
			if s == nil || !s.person {
				return nil
			}
			if s.role == "" {
				s.role = joinToks(qf.text, segs[n+1])
			}
			return s
		}
		if !isRoleLike(segs[n]) || len(segs[n]) > 14 {
			return nil
		}
	}
	return nil
}

// Words that introduce an example name in a list ("comme Karim", "like X").
var colonLeads = words("comme notamment dont tel telle like including")

// placeSubject reads where an impersonal "-on" speaks from ("indique-t-on au
// ministère", "explique-t-on chez Renault"): the body at that place.
func (qf *quoteFinder) placeSubject(ts []tok) *speaker {
	for x := 0; x+1 < len(ts); x++ {
		t := ts[x]
		if t.kind == tkQuote || (t.kind == tkPunct && t.text != ",") {
			return nil
		}
		if t.kind != tkWord {
			continue
		}
		art := ""
		b := x + 1
		switch t.f {
		case "au":
			art = "le "
		case "aux":
			art = "les "
		case "chez":
		case "a":
			if f := ts[x+1].f; !(f == "la" || strings.HasPrefix(f, "l'")) {
				continue
			}
		default:
			continue
		}
		e := b
		for e < len(ts) && ts[e].kind == tkWord && (e == b || !npStops[ts[e].f] || ts[e].f == "de") {
			e++
		}
		if e == b || e-b > 8 {
			return nil
		}
		return &speaker{name: art + joinToks(qf.text, ts[b:e])}
	}
	return nil
}

// arPersonsIn returns the people met so far (with a name of two words or
// more) whose full name sentence j spells out.
func (qf *quoteFinder) arPersonsIn(j int) []*person {
	var out []*person
	ts := qf.toks[j]
	for _, p := range qf.persons {
		if len(p.tokens) < 2 || p.pos >= qf.sents[j].end {
			continue
		}
		for x := 0; x+len(p.tokens) <= len(ts); x++ {
			ok := true
			for y, w := range p.tokens {
				f := ts[x+y].f
				if y == 0 {
					f = strings.TrimPrefix(f, "و")
				}
				if ts[x+y].kind != tkWord || (f != w && ts[x+y].f != w) {
					ok = false
					break
				}
			}
			if ok {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// namedNext attributes a quote that makes up its own sentence to the person
// the next sentence of the paragraph names as its author: "« ... ». C'est
// avec cette phrase que l'historien X ouvre sa chronique", "« ... ». C'est
// ce qu'a déclaré X".
func (qf *quoteFinder) namedNext(i, k int) *speaker {
	if qf.lang != news.French || i+1 >= len(qf.sents) || qf.sents[i+1].para != qf.sents[i].para {
		return nil
	}
	for j, t := range qf.toks[i] {
		if j != k && t.kind == tkWord {
			return nil
		}
	}
	ts := qf.toks[i+1]
	if len(ts) < 4 || !(ts[0].f == "c'est" || ts[0].f == "c'etait" || ts[0].f == "telle" || ts[0].f == "tels") {
		return nil
	}
	for x := 1; x < len(ts) && x <= 12; x++ {
		t := ts[x]
		if t.kind != tkWord {
			if t.kind == tkQuote || t.text == "." || t.text == ";" {
				return nil
			}
			continue
		}
		if t.f != "que" && !strings.HasPrefix(t.f, "qu'") {
			continue
		}
		rest := ts[x+1:]
		if t.f != "que" && t.f != "qu'" {
			// "qu'a déclaré X": the verb follows the auxiliary.
			rest = ts[x:]
			v := 1
			for v < len(rest) && frAux[rest[v].f] {
				v++
			}
			if v >= len(rest) {
				return nil
			}
			if _, ok := frCue(rest[v].f); !ok {
				return nil
			}
			rest = rest[v+1:]
		}
		// The subject: words up to the end of the first run of capitalized
		// words ("la maire Anne Hidalgo", "l'historien Dominic Sandbrook").
		c := 0
		for c < len(rest) && c < 4 && rest[c].kind == tkWord && !isCapitalized(rest[c].text) {
			c++
		}
		e := c
		for e < len(rest) && rest[e].kind == tkWord && (isCapitalized(rest[e].text) || (e > c && nameParticles[rest[e].f])) {
			e++
		}
		if e == c {
			return nil
		}
		s := qf.nameSpeaker(rest[:e], "", rest[0].start, false)
		if s == nil || !s.person {
			return nil
		}
		return s
	}
	return nil
}

// Determiners that tie a document to the sentence's speaker after "in"/"dans".
var ownDocument = words("the its his her their le son sa leur")

// adverbialLead reports whether the words before a quote are only a short
// opening phrase closed by a comma, with no subject of their own
// ("Interpellé jeudi, « ... »", "Interviewed on Monday, \"...\""):
// the quote then stands for a sentence of its own.
func (qf *quoteFinder) adverbialLead(ts []tok) bool {
	if len(ts) < 2 || len(ts) > 6 || ts[len(ts)-1].text != "," {
		return false
	}
	for x, t := range ts[:len(ts)-1] {
		if t.kind != tkWord {
			return false
		}
		if x == 0 && (determiners[t.f] || pronouns[t.f] != 0 || notRoleStart[t.f] || npStops[t.f] || frPreps[t.f] || enPreps[t.f]) {
			return false
		}
		if x > 0 && isCapitalized(t.text) && !timeWords[t.f] && !notNames[t.f] {
			return false
		}
		if _, ok := frCue(t.f); ok || enVerbs[t.f] || frParticiple(t.f) {
			return false
		}
	}
	f := ts[0].f
	// A past participle opens it: interpelle, interroge, asked, questioned.
	return strings.HasSuffix(f, "e") || strings.HasSuffix(f, "ee") || strings.HasSuffix(f, "es") || strings.HasSuffix(f, "ed")
}
