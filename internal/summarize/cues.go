package summarize

import (
	"strings"

	"github.com/migrawatch/migrawatch/internal/news"
)

// Cue kinds: how a word of the sentence points at a speaker.
const (
	cueVerb   = iota + 1 // a finite speech verb: its subject speaks
	cueGerund            // adding, ajoutant, مضيفا: the clause's subject speaks
	cueInfin             // an infinitive (a tenu à préciser)
	cuePrep              // according to X, selon X, حسب X: X speaks
	cueColon             // "X: «...»"
	cueNoun              // a noun of saying after its speaker (عن المسؤول قوله)
)

// cue is one speech cue of a sentence.
type cue struct {
	k, end       int // token range of the cue
	kind         int
	tier         int
	gender       int  // the gender the verb or its pronoun marks
	pronoun      bool // the subject is a pronoun (dit-il, he said, elle a déclaré)
	continuation bool
}

// Inverted subject pronouns glued to a French verb (dit-il, a-t-elle).
var invertedPronouns = []struct {
	suffix string
	gender int
}{
	{"-t-il", genderMale}, {"-t-elle", genderFemale}, {"-t-ils", genderPlural}, {"-t-elles", genderPlural},
	{"-t-on", genderUnknown}, {"-il", genderMale}, {"-elle", genderFemale}, {"-ils", genderPlural},
	{"-elles", genderPlural}, {"-on", genderUnknown},
}

// splitInverted splits "explique-t-elle" into "explique" and the pronoun's
// gender; ok is false for a word without an inverted pronoun.
func splitInverted(f string) (string, int, bool) {
	for _, p := range invertedPronouns {
		if base, ok := strings.CutSuffix(f, p.suffix); ok && base != "" {
			return base, p.gender, true
		}
	}
	return f, genderUnknown, false
}

// findCues lists the speech cues of a sentence's tokens.
func findCues(ts []tok, lang string, lx *lexicon) []cue {
	var out []cue
	for k := 0; k < len(ts); k++ {
		t := ts[k]
		if t.kind == tkPunct && t.text == ":" && k+1 < len(ts) && ts[k+1].kind == tkQuote {
			out = append(out, cue{k: k, end: k + 1, kind: cueColon, tier: tierSay})
			continue
		}
		if t.kind != tkWord {
			continue
		}
		if e, ok := prepAt(ts, k, lang, lx); ok {
			out = append(out, cue{k: k, end: e, kind: cuePrep, tier: tierSay})
			k = e - 1
			continue
		}
		if c, ok := verbAt(ts, k, lang, lx); ok {
			out = append(out, c)
		} else if _, ok := arLookup(t.f, lx.speechNouns); ok && lang == news.Arabic {
			out = append(out, cue{k: k, end: k + 1, kind: cueNoun, tier: tierSay})
		}
	}
	return out
}

// prepAt matches an attribution preposition at k and returns its end.
func prepAt(ts []tok, k int, lang string, lx *lexicon) (int, bool) {
	f := ts[k].f
	if lang == news.Arabic {
		if _, ok := arLookup(f, lx.preps); ok {
			return k + 1, true
		}
	} else if lx.preps[f] && f != "pour" {
		return k + 1, true
	} else if f == "pour" && k+1 < len(ts) && ts[k+1].kind == tkWord && k+2 < len(ts) && ts[k+2].kind == tkPunct && ts[k+2].text == "," {
		// "Pour Me Comte, « ... »": pour and a name closed by a comma.
		return k + 1, true
	}
	for _, ph := range lx.prepPhrases {
		if phraseAt(ts, k, ph, lang) {
			return k + len(ph), true
		}
	}
	return k, false
}

func phraseAt(ts []tok, k int, ph []string, lang string) bool {
	if k+len(ph) > len(ts) {
		return false
	}
	for x, w := range ph {
		t := ts[k+x]
		if t.kind != tkWord {
			return false
		}
		if t.f != w && !(lang == news.Arabic && x == 0 && strings.TrimPrefix(t.f, "و") == w) {
			return false
		}
	}
	return true
}

// verbAt matches a speech verb at k: a form of the lexicon, with a glued
// conjunction (وقال) in Arabic or an inverted pronoun (dit-il) or reflexive
// (s'exclame) in French; a form right after a determiner is a noun (le juge).
func verbAt(ts []tok, k int, lang string, lx *lexicon) (cue, bool) {
	f := ts[k].f
	c := cue{k: k, end: k + 1}
	var vf verbForm
	ok := false
	if lang == news.Arabic {
		// The word, or the word without a glued و or ف; never without the
		// article: المتحدثة is a noun, not the participle متحدثة.
		vf, ok = arVerb(f, lx)
	} else {
		base, g, inv := splitInverted(f)
		base = strings.TrimPrefix(strings.TrimPrefix(base, "s'"), "se ")
		if vf, ok = lx.verbs[base]; ok && inv {
			c.pronoun, c.gender = true, g
		}
		if ok && k > 0 && ts[k-1].kind == tkWord && (lx.determiners[ts[k-1].f] || lx.nounMarkers[ts[k-1].f]) {
			// "le juge", "in protests": a noun, not a verb.
			return cue{}, false
		}
	}
	if !ok {
		return cue{}, false
	}
	c.tier, c.continuation = vf.tier, vf.continuation
	if !c.pronoun {
		c.gender = vf.gender
	}
	switch vf.kind {
	case formGerund:
		c.kind = cueGerund
	case formInfinitive:
		c.kind = cueInfin
	default:
		c.kind = cueVerb
	}
	if lang != news.Arabic && !c.pronoun {
		c.pronoun, c.gender = pronounSubject(ts, k, lx, c.gender)
	}
	return c, true
}

// pronounSubject finds a pronoun subject next to a Latin verb: "il a
// déclaré", "he said", "said she", "a-t-elle ajouté".
func pronounSubject(ts []tok, k int, lx *lexicon, g int) (bool, int) {
	for b := k - 1; b >= 0 && b >= k-3; b-- {
		t := ts[b]
		if t.kind != tkWord {
			break
		}
		if pg, ok := lx.pronouns[t.f]; ok && lx.subjPronouns[t.f] {
			return true, pg
		}
		if _, pg, inv := splitInverted(t.f); inv {
			return true, pg
		}
	}
	if k+1 < len(ts) && ts[k+1].kind == tkWord {
		if pg, ok := lx.pronouns[ts[k+1].f]; ok && lx.subjPronouns[ts[k+1].f] {
			return true, pg
		}
	}
	return false, g
}

// Object pronouns glued to an Arabic verb (أخبرني، أبلغهم).
var arObjectSuffixes = []string{"ني", "نا", "ه", "ها", "هم", "كم"}

// arVerb looks an Arabic word up as a speech verb: as written, without a
// glued و or ف, and without an object pronoun; never without the article
// (المتحدثة is a noun, not the participle متحدثة).
func arVerb(f string, lx *lexicon) (verbForm, bool) {
	for _, s := range []string{f, strings.TrimPrefix(f, "و"), strings.TrimPrefix(f, "ف")} {
		if vf, ok := lx.verbs[s]; ok {
			return vf, true
		}
		for _, suf := range arObjectSuffixes {
			if b, ok := strings.CutSuffix(s, suf); ok && len(b) >= 6 {
				if vf, ok := lx.verbs[b]; ok && vf.kind == formFinite {
					return vf, true
				}
			}
		}
	}
	return verbForm{}, false
}
