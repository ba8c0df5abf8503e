package textproc

import (
	"strings"
	"unicode/utf8"
)

// Arabic light stemming.
//
// Arabic attaches conjunctions (و ف), prepositions (ب ك ل) and the article
// (ال) to the next word, so والمهاجرين, للمهاجرين and مهاجرين are one word.
// Without a dictionary a leading و ف ب ك ل cannot always be told apart from
// the word's own first letter: وفيات (deaths) is not و + فيات (Fiat), بحار
// (seas) is not ب + حار (hot), لبنان is not ل + بنان. Stripping letters
// greedily until three remain makes such words meet. So MigraWatch strips
// only real clitic sequences, and keeps the word as it is written as a
// reading of its own (see Readings):
//
//   - the article with what may precede it: ال, وال فال, بال كال, وبال
//     وكال فبال فكال, and لل ولل فلل (ل + ال, whose alef is not written). The
//     article leaves at least 2 letters, a longer sequence at least 3, so
//     إليه (اليه) and كاليه (Calais) keep their letters;
//   - without the article, a conjunction (و ف) and/or a preposition (ب ك ل)
//     only before at least 3 letters that do not start with ال, and never
//     from a word of arabicWholeWords (words and names whose first letter is
//     one of those: وفيات, بحار, لبنان, فرنسا, كاليه ...).
//
// A word that starts with لل has two readings: ل + ال + rest (للمهاجرين) and
// ل + ال + ل... written with two lams (للاجئين, for اللاجئين). The primary
// reading is the one whose stem the lexicon knows, else the first.
//
// Then an attached pronoun (هم ها نا ...) and the accusative alef go, and
// suffixes, at most twice: ات and ه (sound feminine plural, the
// normalized ta marbuta or the pronoun "his") when 3 letters remain, ون ين
// ان (sound masculine plural, dual) when 4 remain, so that مهاجرون,
// مهاجرين, مهاجرة and مهاجرات all give مهاجر while لبنان, السودان,
// البحرين and ايران keep their ending. The nisba ending ي / ية is kept on
// purpose: it makes another word (هجرية, of the Hijri calendar, is not هجرة,
// migration; دولية, international, is not دول, countries), while دولية and
// دولي still agree once the ta marbuta goes. Common broken plurals of the news
// vocabulary (قوارب, اطفال, جثث, ضحايا ...) map to their singular through
// arabicPlurals before the suffixes go.

// arabicArticles are the clitic sequences that end with the article, longest
// first so that وبال is tried before بال and ال.
var arabicArticles = []string{"وبال", "وكال", "فبال", "فكال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال"}

// Minimum letters a clitic or a suffix leaves.
const (
	minAfterArticle  = 2 // after ال alone
	minAfterSequence = 3 // after وال بال لل ...
	minAfterBare     = 3 // after a bare و ف ب ك ل
	arabicMinStem    = 3 // after ات and ه
	arabicMinPlural  = 4 // after ون ين ان
)

func isConjunction(r rune) bool { return r == 'و' || r == 'ف' }
func isPreposition(r rune) bool { return r == 'ب' || r == 'ك' || r == 'ل' }

func startsArabic(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return r >= 0x0600 && r <= 0x06FF
}

func runeCount(s string) int { return utf8.RuneCountInString(s) }

// isWholeWord reports whether the first letter of w belongs to the word:
// w, or w without its suffixes, is listed in arabicWholeWords.
func isWholeWord(w string) bool {
	return arabicWholeWords[w] || arabicWholeStems[arabicSuffixStem(w)]
}

// arabicWholeStems are the stems of arabicWholeWords: وزارات is whole
// because وزارة is.
var arabicWholeStems = func() map[string]bool {
	m := make(map[string]bool, len(arabicWholeWords))
	for w := range arabicWholeWords {
		m[arabicSuffixStem(w)] = true
	}
	return m
}()

// arabicReadings appends to out the readings of a normalized Arabic word:
// the word itself first, then the word without its clitics (zero, one or
// two more). primary is the index in out of the reading Stem uses.
func arabicReadings(w string, out []string) (readings []string, primary int) {
	start := len(out)
	out = append(out, w)
	for _, p := range arabicArticles {
		rest, ok := strings.CutPrefix(w, p)
		if !ok {
			continue
		}
		min := minAfterSequence
		if p == "ال" {
			min = minAfterArticle
		}
		if runeCount(rest) < min {
			break
		}
		out = append(out, rest)
		primary = len(out) - 1
		if strings.HasSuffix(p, "لل") {
			// للاجئين: ل + ال + لاجئين, one lam of three unwritten.
			lam := "ل" + rest
			out = append(out, lam)
			if isWholeWord(lam) {
				primary = len(out) - 1
			}
		}
		return out, primary
	}
	// No article: a bare conjunction and/or preposition.
	r, size := utf8.DecodeRuneInString(w)
	if !isConjunction(r) && !isPreposition(r) || isWholeWord(w) {
		return out, start
	}
	primary = start
	rest := w[size:]
	if bareRest(rest) {
		out = append(out, rest)
		primary = len(out) - 1
	}
	if r2, size2 := utf8.DecodeRuneInString(rest); isConjunction(r) && isPreposition(r2) && !isWholeWord(rest) {
		if rest2 := rest[size2:]; bareRest(rest2) {
			out = append(out, rest2)
			primary = len(out) - 1
		}
	}
	return out, primary
}

// bareRest reports whether rest may be what a bare clitic was attached to.
func bareRest(rest string) bool {
	return runeCount(rest) >= minAfterBare && !strings.HasPrefix(rest, "ال")
}

// arabicSuffixes are the endings arabicSuffixStem removes, each with the
// letters it must leave.
var arabicSuffixes = []struct {
	suffix string
	min    int
}{
	{"ات", arabicMinStem}, {"ون", arabicMinPlural}, {"ين", arabicMinPlural}, {"ان", arabicMinPlural}, {"ه", arabicMinStem},
}

// arabicPronouns are the attached possessive pronouns removed before the
// plural endings (قواربهم, حدودها, بلادنا), each only when 4 letters remain
// so that محاكم and مساهم keep their last letters.
var arabicPronouns = []string{"هما", "هم", "هن", "ها", "كم", "كن", "نا"}

// arabicSuffixStem removes an attached pronoun and the accusative alef
// (مهاجرا, قاربا; not after ي, so سوريا does not become سوري, Syrian), maps
// a broken plural to its singular, then removes up to two plural, dual or
// feminine endings.
func arabicSuffixStem(w string) string {
	for _, p := range arabicPronouns {
		if strings.HasSuffix(w, p) && runeCount(w)-runeCount(p) >= arabicMinPlural {
			w = w[:len(w)-len(p)]
			break
		}
	}
	if rest, ok := strings.CutSuffix(w, "ا"); ok && runeCount(rest) >= arabicMinStem &&
		!strings.HasSuffix(rest, "ي") && !strings.HasSuffix(rest, "ا") {
		w = rest
	}
	if s, ok := arabicPlurals[w]; ok {
		w = s
	}
	if arabicKeepTaMarbuta[w] {
		return w
	}
	for range 2 {
		changed := false
		for _, s := range arabicSuffixes {
			if strings.HasSuffix(w, s.suffix) && runeCount(w)-runeCount(s.suffix) >= s.min {
				w = w[:len(w)-len(s.suffix)]
				changed = true
				break
			}
		}
		if !changed {
			break
		}
	}
	return w
}

// stemArabic is the stem of the primary reading of w.
func stemArabic(w string) string {
	var buf [4]string
	rs, p := arabicReadings(w, buf[:0])
	return arabicSuffixStem(rs[p])
}
