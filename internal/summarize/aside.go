package summarize

import (
	"strings"

	"github.com/migrawatch/migrawatch/internal/news"

	"github.com/migrawatch/migrawatch/internal/textproc"
)

// aside is a French incise inside a quote («A, explique le médecin. B»): its
// byte range and the speaker it names, by pronoun gender or by words.
type aside struct {
	start, end int
	gender     int
	pronoun    bool
	subject    []string // folded words of the named subject
	subjStart  int      // byte range of the subject's words
	subjEnd    int
	tier       int
}

// findAside looks inside the quoted stretch [start, end) for an aside: a
// comma, a speech verb with an inverted pronoun or a subject after it, up to
// the next full stop or comma, with quoted words on both sides.
func (a *article) findAside(start, end int) *aside {
	tz := &tokenizer{text: a.text, cache: map[string]string{}}
	ts := tz.tokens(start, end)
	for c := 1; c+1 < len(ts); c++ {
		if ts[c].kind != tkPunct || ts[c].text != "," {
			continue
		}
		v := c + 1
		if ts[v].kind != tkWord {
			continue
		}
		cu, ok := verbAt(ts, v, a.lang, a.lx)
		if !ok || cu.kind != cueVerb {
			continue
		}
		e := v + 1
		for e < len(ts) && !(ts[e].kind == tkPunct && (ts[e].text == "." || ts[e].text == "," || ts[e].text == ";")) {
			e++
		}
		if e >= len(ts)-1 || e-v > 8 {
			continue
		}
		as := &aside{start: ts[c].start, end: ts[e].end, gender: cu.gender, pronoun: cu.pronoun, tier: cu.tier}
		if !cu.pronoun && e > v+1 {
			as.subject = foldedWords(ts[v+1 : e])
			as.subjStart, as.subjEnd = ts[v+1].start, ts[e-1].end
			for _, w := range as.subject {
				if g := a.lx.roles[elided(w)]; g != genderUnknown {
					as.gender = g
					break
				}
			}
		}
		return as
	}
	return nil
}

// asideEntity finds the entity an aside names: a name or surname, a role
// given to a person, or a described speaker; nil for a pronoun.
func (a *article) asideEntity(as *aside, pos int) *entity {
	ws := as.subject
	for len(ws) > 0 && (a.lx.determiners[ws[0]] || a.lx.isHonorific(strings.TrimSuffix(ws[0], ".")) || ws[0] == "me" || ws[0] == "m.") {
		ws = ws[1:]
	}
	if len(ws) == 0 {
		return nil
	}
	if e := a.mt.index[strings.Join(ws, " ")]; e != nil {
		return e
	}
	if e := a.mt.personBySurname(ws); e != nil {
		return e
	}
	for _, w := range ws {
		if a.lx.isRole(elided(w)) {
			if p := a.mt.personByRole(elided(w), nil, pos); p != nil {
				return p
			}
		}
	}
	for _, e := range a.mt.ents {
		if len(e.words) > 0 && endsWith(ws, e.words[len(e.words)-1:]) && e.kind == entPerson {
			return e
		}
	}
	return nil
}

// innerCue finds, inside the quoted stretch [start, end), a speech verb
// followed by an opening quotation mark (an unclosed quote followed by a
// second one: "A ... مضيفا "B"); it returns where the verb starts and where
// the second quote's words start, or (start, start) when there is none.
func (a *article) innerCue(start, end int) (int, int) {
	tz := &tokenizer{text: a.text, cache: map[string]string{}}
	ts := tz.tokens(start, end)
	for j := 2; j+3 < len(ts); j++ {
		if ts[j].kind != tkPunct || !textproc.IsQuoteMark(firstRune(ts[j].text)) {
			continue
		}
		for v := j - 1; v >= j-2 && v >= 1; v-- {
			if _, ok := verbAt(ts, v, a.lang, a.lx); ok && ts[v].kind == tkWord {
				return ts[v].start, ts[j].end
			}
		}
	}
	return start, start
}

// registerAsides adds to the mention table the speakers that French asides
// name inside quotes («A, raconte Carles, B»): people the article may name
// nowhere else, and whom later pronouns refer to.
func (a *article) registerAsides() {
	if a.lang != news.French {
		return
	}
	for si, s := range a.sents {
		for k, t := range s.toks {
			if t.kind != tkQuote {
				continue
			}
			sp := a.spans[t.q]
			as := a.findAside(sp.Start, sp.End)
			if as == nil || as.pronoun {
				continue
			}
			e := a.asideEntity(as, sp.Open)
			if e == nil {
				e = a.asideNewEntity(as)
			}
			if e == nil {
				continue
			}
			m := &mention{ent: e, kind: mName, sent: si, t0: k, t1: k + 1, start: as.start, end: as.end}
			e.ments = append(e.ments, m)
			a.mt.ments = append(a.mt.ments, m)
			a.mt.bySen[si] = append(a.mt.bySen[si], m)
		}
	}
}

// tz tokenizes text[start:end] with no quoted spans.
func tz(text string, start, end int) []tok {
	t := &tokenizer{text: text, cache: map[string]string{}}
	return t.tokens(start, end)
}

// asideNewEntity makes the speaker an aside names and the article does not
// know yet: a person for a capitalized name, a described speaker otherwise.
func (a *article) asideNewEntity(as *aside) *entity {
	words := as.subject
	b := 0
	for b < len(words) && (a.lx.determiners[words[b]] || a.lx.isHonorific(strings.TrimSuffix(words[b], "."))) {
		b++
	}
	if b == len(words) || len(words)-b > maxDescribedWords {
		return nil
	}
	kind := entRole
	sub := tz(a.text, as.subjStart, as.subjEnd)
	name := joinToks(a.text, sub[b:])
	if capitalWord(name) {
		kind = entPerson
	}
	e := &entity{kind: kind, name: name, words: words[b:], gender: as.gender}
	return a.mt.add(e)
}
