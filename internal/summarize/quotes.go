package summarize

import (
	"slices"
	"strings"
	"unicode"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/textproc"
)

// minQuoteWords is the shortest quote shown; shorter quoted phrases are
// scare quotes, names or slogans far more often than someone's words.
const minQuoteWords = 6

// part is a stretch of a quoted span shown as one quote: the span itself,
// or each side of a French aside, or each paragraph of a long quote.
type part struct{ start, end int }

// instance is one quoted span to attribute: its parts, the features of "no
// speaker" and its candidate speakers with their features.
type instance struct {
	span  int
	sent  int
	parts []part
	null  []string
	cands []candidate
	// context names how the quote's sentence points at its speaker (a
	// subject, a pronoun, no cue...), for the features of the previous
	// quote's speaker, which are added while decoding.
	context string
}

// candidate is one entity that may have said an instance's words.
type candidate struct {
	ent   *entity
	feats []string
}

// article is a doc with what quote attribution needs: lexicons, mentions
// and each sentence's cues and cue subjects.
type article struct {
	*doc
	lx     *lexicon
	sh     *shared
	mt     *mentionTable
	cues   [][]cue
	subjs  [][]*entity     // per sentence, the subject of each cue (nil if none)
	speaks map[*entity]int // how many cues of the article have the entity as subject
}

// newArticle prepares d for quote attribution; it returns nil when the
// lexicons cannot be read (a build defect the tests catch).
func newArticle(d *doc) *article {
	lxs, sh, err := lexicons()
	if err != nil {
		return nil
	}
	a := &article{doc: d.clauses(lxs[d.lang]), lx: lxs[d.lang], sh: sh}
	d = a.doc
	if d.lang == news.Arabic {
		a.mt = findArabicMentions(d, a.lx, sh)
	} else {
		a.mt = findLatinMentions(d, a.lx, sh)
	}
	for len(a.mt.bySen) < len(d.sents) {
		a.mt.bySen = append(a.mt.bySen, nil)
	}
	a.mt.mergeSurnames()
	a.markObjects()
	a.registerAsides()
	a.cues = make([][]cue, len(d.sents))
	a.subjs = make([][]*entity, len(d.sents))
	for si, s := range d.sents {
		a.cues[si] = findCues(s.toks, d.lang, a.lx)
		a.subjs[si] = make([]*entity, len(a.cues[si]))
		for ci := range a.cues[si] {
			a.subjs[si][ci] = a.cueSubject(si, ci)
			if e := a.subjs[si][ci]; e != nil && a.anaphoric(si, e) {
				// "واستدرك المصدر نفسه", "le texte ajoute": the same source
				// or its document speaks on, as a pronoun would.
				a.subjs[si][ci] = nil
				a.cues[si][ci].pronoun = true
			}
		}
	}
	a.describedSubjects()
	a.inferGenders()
	a.speaks = map[*entity]int{}
	for _, ss := range a.subjs {
		for _, e := range ss {
			if e != nil {
				a.speaks[e]++
			}
		}
	}
	return a
}

// quotes attributes the quoted spans of d with the shipped model and
// returns the quotes whose speaker it is sure enough of, and how many
// others it left out for want of a sure speaker.
func quotes(d *doc) ([]news.Quote, int) {
	m, err := speakerModel()
	if err != nil {
		return nil, 0
	}
	sq, unconfirmed := m.shown(d, -1)
	return plainQuotes(sq), unconfirmed
}

// attribute returns the quotes of d whose best speaker has at least the
// probability threshold (the model's threshold for the language and kind
// of cue when threshold < 0).
func (m *Model) attribute(d *doc, threshold float64) []news.Quote {
	sq, _ := m.shown(d, threshold)
	return plainQuotes(sq)
}

func plainQuotes(sq []shownQuote) []news.Quote {
	out := make([]news.Quote, len(sq))
	for i, q := range sq {
		out[i] = q.Quote
	}
	return out
}

// shownQuote is a quote with the kind of cue its speaker was chosen by.
type shownQuote struct {
	news.Quote
	group string
}

// shown is attribute keeping each quote's threshold group; it also counts
// the quoted spans given a speaker below the threshold (the quotes left
// out).
func (m *Model) shown(d *doc, threshold float64) ([]shownQuote, int) {
	a := newArticle(d)
	if a == nil {
		return nil, 0
	}
	var out []shownQuote
	var unsure []string
	seen := map[string]bool{}
	var prev *entity
	prevSent := -1
	ins := a.instances()
	for _, in := range ins {
		in = withPrevious(in, prev, prevSent)
		ent, p := m.best(d.lang, in)
		if ent != nil {
			prev, prevSent = ent, in.sent
		}
		group := thresholdGroup(in.context)
		if ent == nil {
			continue
		}
		if p < threshold || threshold < 0 && p < m.threshold(d.lang, group) {
			for _, pt := range in.parts {
				unsure = append(unsure, strings.Join(splitFolded(fold(d.text[pt.start:pt.end])), " "))
			}
			continue
		}
		for _, pt := range in.parts {
			t := d.text[pt.start:pt.end]
			key := strings.Join(splitFolded(fold(t)), " ")
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, shownQuote{news.Quote{Text: t, Speaker: ent.name, Role: ent.role, Confidence: round3(p)}, group})
		}
	}
	out = pullQuotes(d.text, ins, out, seen)
	n := 0
	for _, key := range unsure {
		if !seen[key] {
			seen[key] = true
			n++
		}
	}
	return out, n
}

// pullQuotes adds the quoted spans that repeat part of a shown quote (a
// pull quote or a subheading in someone's words) with that quote's speaker
// and confidence, in text order.
func pullQuotes(text string, ins []instance, out []shownQuote, seen map[string]bool) []shownQuote {
	if len(out) == 0 {
		return out
	}
	full := make([]string, len(out))
	for i, q := range out {
		full[i] = " " + strings.Join(splitFolded(fold(q.Text)), " ") + " "
	}
	var pulled []shownQuote
	for _, in := range ins {
		for _, pt := range in.parts {
			t := text[pt.start:pt.end]
			key := strings.Join(splitFolded(fold(t)), " ")
			if seen[key] {
				continue
			}
			for i, f := range full {
				if strings.Contains(f, " "+key+" ") {
					seen[key] = true
					q := out[i]
					q.Text = t
					pulled = append(pulled, q)
					break
				}
			}
		}
	}
	if len(pulled) == 0 {
		return out
	}
	all := append(out, pulled...)
	slices.SortStableFunc(all, func(x, y shownQuote) int { return strings.Index(text, x.Text) - strings.Index(text, y.Text) })
	return all
}

func round3(p float64) float64 { return float64(int(p*1000+0.5)) / 1000 }

// instances lists the quoted spans of at least minQuoteWords words with
// their candidates and features.
func (a *article) instances() []instance {
	var out []instance
	var ch speakerChain
	for si, s := range a.sents {
		for k, t := range s.toks {
			if t.kind != tkQuote {
				continue
			}
			parts, incise := a.parts(a.spans[t.q])
			if len(parts) == 0 || a.titled(s.toks, k) {
				continue
			}
			in := instance{span: t.q, sent: si, parts: parts}
			in.context = a.cueContext(si, k, incise)
			in.null = append(a.nullFeatures(si, k, incise), "n:ctx="+in.context)
			if near := a.nearestCue(si, k); near >= 0 {
				c := a.cues[si][near]
				in.null = append(in.null, "n:ctx="+in.context+"&near"+bucket(wordsBetween(s.toks, c.k, k), 0, 2, 6))
			}
			in.cands = a.candidates(si, k, incise, in.context)
			ch.mark(&in)
			ch.advance(a, si, k, incise)
			out = append(out, in)
		}
	}
	return out
}

// speakerChain follows who is speaking from quote to quote without the
// model: the subject of a quote's cue or aside becomes the speaker, and a
// pronoun, a bare verb or no cue keeps the one before (he added, وأضاف).
type speakerChain struct {
	cur  *entity
	sent int
}

// mark adds a feature to the candidate the chain holds for in.
func (ch *speakerChain) mark(in *instance) {
	if ch.cur == nil || in.sent-ch.sent > maxPreviousGap {
		return
	}
	for i, c := range in.cands {
		if c.ent == ch.cur {
			in.cands[i].feats = append(c.feats, "c:chain", "c:chain&"+in.context)
		}
	}
}

// advance moves the chain past the quote at token k of sentence si.
func (ch *speakerChain) advance(a *article, si, k int, as *aside) {
	var next *entity
	if as != nil && !as.pronoun {
		next = a.asideEntity(as, a.sents[si].toks[k].start)
	}
	if near := a.nearestCue(si, k); next == nil && near >= 0 {
		next = a.subjs[si][near]
	}
	if next == nil && (ch.cur == nil || si-ch.sent > maxPreviousGap) {
		next = a.lastPersonBefore(si, a.sents[si].toks[k].start, genderUnknown)
	}
	if next != nil {
		ch.cur = next
	}
	ch.sent = si
}

// parts cuts a quoted span into the quotes it shows: at paragraph breaks,
// and around a French aside («A, explique le médecin. B»). Parts shorter
// than minQuoteWords are dropped; so is a span that has none left.
func (a *article) parts(sp textproc.QuoteSpan) ([]part, *aside) {
	var out []part
	var in *aside
	start, stop := sp.Start, sp.End
	if sp.Close == sp.End {
		// A quote left open to the end of its paragraph: the writer's own
		// words start at the first speech verb inside it ("... 2017 مشيرة
		// الى أن ...").
		stop = a.openQuoteEnd(sp)
	}
	for _, para := range strings.Split(a.text[sp.Start:stop], "\n") {
		end := start + len(para)
		ps := []part{{start, end}}
		if in == nil && a.lang == news.French {
			if as := a.findAside(start, end); as != nil {
				in = as
				ps = []part{{start, as.start}, {as.end, end}}
			}
		}
		if len(ps) == 1 {
			if c, o := a.innerCue(start, end); c > start {
				// «A, ajoutant "B»: a speech verb and a new mark inside the
				// span start a second quote of the same speaker.
				ps = []part{{start, c}, {o, end}}
			}
		}
		for _, p := range ps {
			p = trimPart(a.text, p, len(ps) > 1)
			if wordCount(a.text[p.start:p.end]) >= minQuoteWords {
				out = append(out, p)
			}
		}
		start = end + 1
	}
	return out, in
}

// openQuoteEnd returns where the words of a quote left open end: before
// the first speech verb or gerund after its first minQuoteWords words, or
// at the end of the span.
func (a *article) openQuoteEnd(sp textproc.QuoteSpan) int {
	ts := tz(a.text, sp.Start, sp.End)
	words := 0
	for k, t := range ts {
		if t.kind != tkWord {
			continue
		}
		words++
		if words <= minQuoteWords {
			continue
		}
		if c, ok := verbAt(ts, k, a.lang, a.lx); ok && (c.kind == cueGerund || c.kind == cueVerb && c.tier == tierSay) {
			return t.start
		}
	}
	return sp.End
}

// trimPart drops spaces and quotation marks around a part, and the comma
// left where an aside was cut out («A, explique X. B» gives A).
func trimPart(text string, p part, cut bool) part {
	trim := func(r rune) bool {
		return unicode.IsSpace(r) || textproc.IsQuoteMark(r) || cut && (r == ',' || r == '،')
	}
	s := text[p.start:p.end]
	l := strings.TrimLeftFunc(s, func(r rune) bool { return unicode.IsSpace(r) || textproc.IsQuoteMark(r) })
	r := strings.TrimRightFunc(l, trim)
	p.start += len(s) - len(l)
	p.end = p.start + len(r)
	return p
}

// maxPreviousGap is how many sentences back the previous quote's speaker
// still counts as the running speaker.
const maxPreviousGap = 6

// withPrevious returns the instance with features for the candidate who
// said the previous quote, when it was close enough.
func withPrevious(in instance, prev *entity, prevSent int) instance {
	if prev == nil || in.sent-prevSent > maxPreviousGap {
		return in
	}
	cands := make([]candidate, len(in.cands))
	copy(cands, in.cands)
	for i, c := range cands {
		if c.ent == prev {
			f := append(append([]string(nil), c.feats...), "c:prev", "c:prev&"+in.context)
			if in.sent-prevSent <= 1 {
				f = append(f, "c:prev1&"+in.context)
			}
			cands[i].feats = f
		}
	}
	in.cands = cands
	return in
}

// cueContext names how the sentence of the quote at token k points at its
// speaker: an aside, a cue with a subject, a pronoun or bare verb, or none.
func (a *article) cueContext(si, k int, as *aside) string {
	if as != nil {
		return "aside"
	}
	near := a.nearestCue(si, k)
	if near < 0 {
		if len(a.sents[si].toks) == 1 {
			return "alone"
		}
		return "nocue"
	}
	c := a.cues[si][near]
	switch {
	case a.subjs[si][near] != nil:
		return "subject"
	case c.pronoun:
		return "pronoun"
	case c.continuation:
		return "continue"
	}
	return "bare"
}

// markObjects marks the mentions governed by a preposition, past up to two
// modifiers (in New York's posh Plaza Hotel, à l'AFP).
func (a *article) markObjects() {
	for si, ms := range a.mt.bySen {
		ts := a.sents[si].toks
		for _, m := range ms {
			for j := m.t0 - 1; j >= 0 && j >= m.t0-3; j-- {
				t := ts[j]
				if t.kind != tkWord {
					break
				}
				if a.isObjectMarker(t) {
					m.object = true
					break
				}
				if a.lang == news.Arabic || capitalWord(t.text) || a.lx.verbs[t.f].tier != tierNone {
					break // a name or a noun of its own stands between: "à l'Économie Bruno Le Maire"
				}
			}
		}
	}
}

// inferGenders gives a gender to the people the article shows it for: the
// verb a person is the subject of (قالت), or the only pronouns that follow
// a sentence naming one person (Isabelle said her children ...).
func (a *article) inferGenders() {
	votes := map[*entity][4]int{}
	for si := range a.sents {
		for ci, c := range a.cues[si] {
			if e := a.subjs[si][ci]; e != nil && c.gender != genderUnknown && !c.pronoun {
				v := votes[e]
				v[c.gender]++
				votes[e] = v
			}
		}
		if a.lang == news.Arabic {
			continue
		}
		var one *entity
		for _, m := range a.mt.bySen[si] {
			if m.ent.kind == entPerson || m.ent.kind == entUnknown {
				if one != nil && one != m.ent {
					one = nil
					break
				}
				one = m.ent
			}
		}
		if one == nil {
			continue
		}
		for _, t := range a.sents[si].toks {
			if g, ok := a.lx.pronouns[t.f]; ok && t.kind == tkWord && g != genderPlural {
				v := votes[one]
				v[g]++
				votes[one] = v
			}
		}
	}
	for e, v := range votes {
		if e.gender != genderUnknown || e.kind != entPerson && e.kind != entUnknown && e.kind != entRole {
			continue
		}
		switch {
		case v[genderMale] > 0 && v[genderFemale] == 0:
			e.gender = genderMale
		case v[genderFemale] > 0 && v[genderMale] == 0:
			e.gender = genderFemale
		}
	}
}

// titled reports whether the quoted span at token k is introduced as a
// title, a slogan or a name ("entitled", "intitulé", "تحت شعار", "بعنوان"):
// no one's words.
func (a *article) titled(ts []tok, k int) bool {
	return k > 0 && a.isTitleWord(ts[k-1]) || k > 1 && ts[k-1].kind == tkWord && a.lx.determiners[ts[k-1].f] && a.isTitleWord(ts[k-2])
}

// sameWords mark a description as the one met before (المصدر نفسه، la même
// source, the same source).
var sameWords = map[string]bool{"نفسه": true, "نفسها": true, "ذاته": true, "ذاتها": true, "meme": true, "same": true}

// anaphoric reports whether the mention of e in sentence si stands for
// someone met before rather than a new speaker: a description marked "the
// same", or a document (the statement, le texte, البيان) speaking for its
// author.
func (a *article) anaphoric(si int, e *entity) bool {
	if e.kind != entRole && e.kind != entOrg {
		return false
	}
	ts := a.sents[si].toks
	for _, m := range a.mt.bySen[si] {
		if m.ent != e {
			continue
		}
		if m.t1 < len(ts) && sameWords[ts[m.t1].f] || m.t0+1 < m.t1 && sameWords[ts[m.t0+1].f] {
			return true
		}
		if n := len(e.words); n > 0 && n <= 2 && a.isDocumentWord(e.words[n-1]) {
			return true
		}
	}
	return false
}

func (a *article) isDocumentWord(f string) bool {
	if a.lang == news.Arabic {
		_, ok := arLookup(f, a.lx.documents)
		return ok
	}
	return a.lx.documents[f]
}
