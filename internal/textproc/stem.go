package textproc

import "unicode/utf8"

// Readings returns the ways a normalized word can be read once its clitics
// are told apart: the word as written first, then, for an Arabic word, the
// word without a real clitic sequence (see arabic.go; at most three more).
// Latin words have one reading. Matching a word against a text compares
// the query's stem with the stems of every reading of the text's word, so
// that a word whose first letter only looks like a clitic still meets itself.
func Readings(word string) []string {
	if !startsArabic(word) {
		return []string{word}
	}
	rs, _ := arabicReadings(word, make([]string, 0, 4))
	return rs
}

// Stem returns the light stem of a normalized word: its inflections (plural,
// dual, feminine) removed, and for an Arabic word its clitics too. Arabic-
// script words get the Arabic stemmer whatever lang says (Arabic names
// appear in French and English text too); Latin words get the French or
// English stemmer when lang is "fr" or "en"; anything else is returned
// unchanged. Two different words must not get the same stem: the stemmer
// leaves a word alone rather than risk it (see arabic.go and latin.go).
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
		return stemFrench(word)
	case "en":
		return stemEnglish(word)
	}
	return word
}

// Stems appends to out the stems of every reading of word (see Readings),
// each once, the stem of the primary reading (Stem) among them.
func Stems(lang, word string, out []string) []string {
	if !startsArabic(word) {
		return append(out, Stem(lang, word))
	}
	var buf [4]string
	rs, _ := arabicReadings(word, buf[:0])
	start := len(out)
	for _, r := range rs {
		s := arabicSuffixStem(r)
		dup := false
		for _, o := range out[start:] {
			if o == s {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, s)
		}
	}
	return out
}

// Terms returns the stems of the words of s: Words, then Stem with lang.
func Terms(lang, s string) []string {
	ws := Words(s)
	for i, w := range ws {
		ws[i] = Stem(lang, w)
	}
	return ws
}

// Reading returns the primary reading of a normalized word (see Readings):
// for an Arabic word, the word without its clitics as Stem reads it before
// removing inflections; any other word unchanged.
func Reading(word string) string {
	if !startsArabic(word) {
		return word
	}
	var buf [4]string
	rs, p := arabicReadings(word, buf[:0])
	return rs[p]
}

// StemReading returns the stem of one reading (see Readings) as it is:
// inflections removed, no clitic looked for. Stems is StemReading of every
// reading of a word.
func StemReading(lang, reading string) string {
	if startsArabic(reading) {
		return arabicSuffixStem(reading)
	}
	return Stem(lang, reading)
}
