package summarize

import (
	"unicode"
	"unicode/utf8"
)

// span is a quoted stretch of text: the marks at [open, start) and [end, close),
// the words between them at [start, end), all byte offsets into the text.
type span struct {
	open, start, end, close int
}

// Quotation mark families. ASCII double quotes (and the double prime some
// Arabic sites use instead) carry no direction and are paired by context.
const (
	famNone = iota
	famGuillemet
	famCurly
	famLow
	famSingleGuillemet
	famASCII
)

// runeBefore returns the rune ending at byte i (0 at the start of the text).
func runeBefore(text string, i int) rune {
	if i <= 0 {
		return 0
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return r
}

// runeAt returns the rune starting at byte i (0 at the end of the text).
func runeAt(text string, i int) rune {
	if i >= len(text) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return r
}

func isOpenContext(r rune) bool {
	return r == 0 || unicode.IsSpace(r) || r == '(' || r == '[' || r == ':' || r == '—' || r == '–' || r == '-'
}

func isCloseContext(r rune) bool {
	return r == 0 || unicode.IsSpace(r) || r == ')' || r == ']' || r == ',' || r == '.' || r == ';' ||
		r == ':' || r == '!' || r == '?' || r == '،' || r == '؛' || r == '؟' || r == '…' || r == '″' || r == '"'
}

// findSpans pairs the quotation marks of text. Directional marks pair with
// their partner; ASCII quotes pair by the spaces around them. A quote left
// open at the end of a paragraph continues when the next paragraph opens with
// a mark of the same family (the convention for quotes running over several
// paragraphs) and is dropped otherwise.
func findSpans(text string) []span {
	var out []span
	open := false
	fam := famNone
	var cur span
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == '\n' {
			if open {
				// Skip blank lines and spaces, look for a re-opening mark.
				j := i
				for j < len(text) && (text[j] == '\n' || text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
					j++
				}
				nr, ns := utf8.DecodeRuneInString(text[j:])
				if j < len(text) && markFamily(nr) == fam && isOpener(nr, fam) {
					i = j + ns
					continue
				}
				open = false
			}
			i += size
			continue
		}
		f := markFamily(r)
		if f == famNone {
			i += size
			continue
		}
		prev, next := runeBefore(text, i), runeAt(text, i+size)
		if !open {
			if isOpener(r, f) {
				if f == famASCII && !isOpenContext(prev) && isCloseContext(next) {
					// A stray closing-looking mark: not an opening.
					i += size
					continue
				}
				open, fam = true, f
				cur = span{open: i, start: i + size}
			}
			i += size
			continue
		}
		if closes(r, f, fam) {
			if fam == famASCII && unicode.IsSpace(prev) && (unicode.IsLetter(next) || unicode.IsDigit(next)) {
				// " preceded by a space and followed by a word opens a new
				// stretch inside the running quote (a paragraph joined to the
				// previous one, or a nested mark): the quote goes on.
				i += size
				continue
			}
			cur.end, cur.close = i, i+size
			out = append(out, cur)
			open = false
		}
		i += size
	}
	return out
}

func markFamily(r rune) int {
	switch r {
	case '«', '»':
		return famGuillemet
	case '“', '”':
		return famCurly
	case '„':
		return famLow
	case '‹', '›':
		return famSingleGuillemet
	case '"', '″':
		return famASCII
	}
	return famNone
}

func isOpener(r rune, _ int) bool {
	switch r {
	case '«', '“', '„', '‹', '"', '″':
		return true
	}
	return false
}

// closes reports whether mark r closes a quote opened in family open.
func closes(r rune, f, open int) bool {
	switch open {
	case famGuillemet:
		return r == '»'
	case famCurly:
		return r == '”'
	case famLow:
		return r == '“' || r == '”'
	case famSingleGuillemet:
		return r == '›'
	case famASCII:
		return f == famASCII
	}
	return false
}
