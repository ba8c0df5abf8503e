package textproc

import (
	"unicode"
	"unicode/utf8"
)

// QuoteSpan is a stretch of text between quotation marks: the opening mark
// at [Open, Start), the quoted words at [Start, End) and the closing mark at
// [End, Close), all byte offsets into the text given to QuoteSpans.
type QuoteSpan struct {
	Open, Start, End, Close int
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

// QuoteSpans pairs the quotation marks of text (« », “ ”, „ “, ‹ ›, and
// ASCII " paired by the spaces around them, a short quote nested in a
// longer one kept inside it). A quote left open at the end of a paragraph
// continues when the next paragraph opens with a mark of the same family
// (the convention for quotes running over several paragraphs) and otherwise
// ends with its paragraph. Spans come in text order and never overlap.
func QuoteSpans(text string) []QuoteSpan {
	var out []QuoteSpan
	p := quotePairer{text: text}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == '\n' {
			var sp QuoteSpan
			var ok bool
			i, sp, ok = p.lineBreak(i)
			if ok {
				out = append(out, sp)
			}
			continue
		}
		if sp, ok := p.mark(r, i, size); ok {
			out = append(out, sp)
		}
		i += size
	}
	return out
}

// quotePairer is the state of QuoteSpans between marks.
type quotePairer struct {
	text   string
	open   bool
	nested bool // an ASCII quote opened inside the running one
	fam    int
	cur    QuoteSpan
}

// lineBreak handles a newline at i and returns where to go on: an open quote
// continues past the break when the next paragraph re-opens it, and ends at
// the break otherwise (a quote left open, as writers often do).
func (p *quotePairer) lineBreak(i int) (int, QuoteSpan, bool) {
	if !p.open {
		return i + 1, QuoteSpan{}, false
	}
	j := i
	for j < len(p.text) && (p.text[j] == '\n' || p.text[j] == ' ' || p.text[j] == '\t' || p.text[j] == '\r') {
		j++
	}
	if j < len(p.text) {
		nr, ns := utf8.DecodeRuneInString(p.text[j:])
		if markFamily(nr) == p.fam && isOpeningMark(nr) {
			return j + ns, QuoteSpan{}, false
		}
	}
	p.open, p.nested = false, false
	end := i
	for end > p.cur.Start && (p.text[end-1] == ' ' || p.text[end-1] == '\r') {
		end--
	}
	if end <= p.cur.Start {
		return i + 1, QuoteSpan{}, false
	}
	p.cur.End, p.cur.Close = end, end
	return i + 1, p.cur, true
}

// mark handles quotation mark r at i; it returns a span when r closes one.
func (p *quotePairer) mark(r rune, i, size int) (QuoteSpan, bool) {
	f := markFamily(r)
	if f == famNone {
		return QuoteSpan{}, false
	}
	prev, next := runeBefore(p.text, i), runeAt(p.text, i+size)
	if !p.open {
		if !isOpeningMark(r) || f == famASCII && !isOpenContext(prev) && isCloseContext(next) {
			// A stray closing-looking mark does not open a quote.
			return QuoteSpan{}, false
		}
		p.open, p.fam = true, f
		p.cur = QuoteSpan{Open: i, Start: i + size}
		return QuoteSpan{}, false
	}
	if !closesFamily(r, f, p.fam) {
		return QuoteSpan{}, false
	}
	if p.fam == famASCII && unicode.IsSpace(prev) && (unicode.IsLetter(next) || unicode.IsDigit(next)) {
		// " after a space and before a word opens a stretch inside the
		// running quote (a nested title, or a paragraph joined to the
		// previous one): the quote goes on.
		p.nested = true
		return QuoteSpan{}, false
	}
	if p.nested && p.fam == famASCII && wordFollows(p.text, i+size) && p.closesLater(i+size) {
		// The nested stretch ends here, a word goes on after it (الفيلم
		// "علوش" للمسابقة), and the running quote closes later in the
		// paragraph. A mark followed by punctuation closes the running
		// quote itself: "..." de "gilet jaune", étaient "...".
		p.nested = false
		return QuoteSpan{}, false
	}
	p.nested = false
	p.cur.End, p.cur.Close = i, i+size
	p.open = false
	return p.cur, true
}

// wordFollows reports whether a space and a letter or digit follow byte i.
func wordFollows(text string, i int) bool {
	r := runeAt(text, i)
	if r != ' ' {
		return false
	}
	n := runeAt(text, i+1)
	return unicode.IsLetter(n) || unicode.IsDigit(n)
}

// closesLater reports whether an ASCII closing mark follows from i before
// the end of the paragraph.
func (p *quotePairer) closesLater(i int) bool {
	for j := i; j < len(p.text); {
		r, size := utf8.DecodeRuneInString(p.text[j:])
		if r == '\n' {
			return false
		}
		if markFamily(r) == famASCII && !unicode.IsSpace(runeBefore(p.text, j)) {
			return true
		}
		j += size
	}
	return false
}

func runeBefore(text string, i int) rune {
	if i <= 0 {
		return 0
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return r
}

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

// IsQuoteMark reports whether r is a quotation mark QuoteSpans pairs.
func IsQuoteMark(r rune) bool { return markFamily(r) != famNone }

func isOpeningMark(r rune) bool {
	switch r {
	case '«', '“', '„', '‹', '"', '″':
		return true
	}
	return false
}

// closesFamily reports whether mark r (of family f) closes a quote opened in family open.
func closesFamily(r rune, f, open int) bool {
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
