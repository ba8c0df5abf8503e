package textproc

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
)

// Arabic light stemming.
//
// Arabic attaches conjunctions (و ف), prepositions (ب ك ل) and the article
// (ال) to the next word, so والمهاجرين, للمهاجرين and مهاجرين are one word.
// Without a dictionary a leading و ف ب ك ل cannot be told apart from a root
// letter (لاجئ starts with a root lam; للاجئين is ل + ال + لاجئين with one lam
// written). MigraWatch therefore strips greedily and the same way on both
// sides of every comparison: while the word starts with ال or with one of
// و ف ب ك ل, and at least three letters remain, that prefix goes. So
// لاجئين, اللاجئين, للاجئين and وللاجئين all reduce to the same form. The cost
// is a few collisions between unrelated words whose first root letter is one
// of those letters (بحار and حار; the name الباجي and لاجئ): callers that must
// avoid them also compare the unstemmed word (the relevance scorer does).
//
// Suffixes then go, at most twice and only while three letters remain:
// ات ون ين ان ه (sound plurals, dual, and ه, the normalized ta marbuta or the
// pronoun "his"). مهاجرون, مهاجرين, مهاجرة and مهاجرات all give مهاجر. The
// nisba ending ي / ية is kept on purpose: it makes another word (هجرية, of
// the Hijri calendar, is not هجرة, migration; دولية, international, is not
// دول, countries), while دولية and دولي still agree once the ta marbuta goes.

var arabicSuffixes = []string{"ات", "ون", "ين", "ان", "ه"}

const arabicMinStem = 3

// StripClitics removes the Arabic clitic prefixes (وال بال كال فال لل ال و ف
// ب ك ل, in any sequence) of a normalized word. A prefix is removed only when
// at least 3 letters remain, and the article ال only when at least 2 remain.
// Words that are not Arabic are returned unchanged.
func StripClitics(word string) string {
	if !startsArabic(word) {
		return word
	}
	for {
		switch {
		case strings.HasPrefix(word, "ال") && runeCount(word) >= 2+2:
			word = word[len("ال"):]
		case startsWithClitic(word) && runeCount(word) >= 1+arabicMinStem:
			_, size := utf8.DecodeRuneInString(word)
			word = word[size:]
		default:
			return word
		}
	}
}

func startsWithClitic(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	switch r {
	case 'و', 'ف', 'ب', 'ك', 'ل':
		return true
	}
	return false
}

func startsArabic(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return r >= 0x0600 && r <= 0x06FF
}

func runeCount(s string) int { return utf8.RuneCountInString(s) }

// stemArabic strips clitics, then up to two plural, dual or feminine
// suffixes, keeping at least 3 letters.
func stemArabic(word string) string {
	word = StripClitics(word)
	for range 2 {
		changed := false
		for _, suf := range arabicSuffixes {
			if strings.HasSuffix(word, suf) && runeCount(word)-runeCount(suf) >= arabicMinStem {
				word = word[:len(word)-len(suf)]
				changed = true
				break
			}
		}
		if !changed {
			break
		}
	}
	return word
}

// Stem returns the light stem of a normalized word. Arabic-script words get
// the Arabic light stemmer whatever lang says (Arabic names appear in French
// and English text too); Latin words get the Snowball stemmer of lang when
// lang is "fr" or "en"; anything else is returned unchanged.
func Stem(lang, word string) string {
	if word == "" {
		return word
	}
	if startsArabic(word) {
		return stemArabic(word)
	}
	r, _ := utf8.DecodeRuneInString(word)
	if r >= 0x0600 {
		return word
	}
	switch lang {
	case "fr":
		return frenchStems.get(word, func(w string) string { return french.Stem(frenchFeminine(w), false) })
	case "en":
		return englishStems.get(word, func(w string) string { return english.Stem(w, false) })
	}
	return word
}

// stemCache remembers Snowball stems: news vocabulary is small next to the
// number of words read, and Snowball is the costliest step of Terms. It
// forgets everything when full, which bounds its memory.
type stemCache struct {
	mu    sync.RWMutex
	stems map[string]string
}

const stemCacheSize = 1 << 16

var frenchStems, englishStems stemCache

func (c *stemCache) get(word string, stem func(string) string) string {
	c.mu.RLock()
	s, ok := c.stems[word]
	c.mu.RUnlock()
	if ok {
		return s
	}
	s = stem(word)
	c.mu.Lock()
	if c.stems == nil || len(c.stems) >= stemCacheSize {
		c.stems = make(map[string]string, 1024)
	}
	c.stems[strings.Clone(word)] = s
	c.mu.Unlock()
	return s
}

// frenchFeminine brings two accent-folded endings back to the singular
// masculine before the Snowball stemmer, which expects é and treats the
// plural -ers late: refugiee(s) (réfugiée(s)) would not stem like refugie,
// nor etrangers like etranger.
func frenchFeminine(word string) string {
	if len(word) <= 4 {
		return word
	}
	w := strings.TrimSuffix(word, "s")
	switch {
	case strings.HasSuffix(w, "ee"):
		return w[:len(w)-1]
	case strings.HasSuffix(word, "ers"):
		return w
	}
	return word
}

// Terms returns the stems of the words of s: Words, then Stem with lang.
func Terms(lang, s string) []string {
	ws := Words(s)
	for i, w := range ws {
		ws[i] = Stem(lang, w)
	}
	return ws
}
