package alert

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokenKind is the lexical class of a query token.
type tokenKind int

const (
	tokWord   tokenKind = iota // a bare word, possibly ending in '*'
	tokPhrase                  // text between quotation marks
	tokLParen                  // (
	tokRParen                  // )
	tokOr                      // OR or |
	tokAnd                     // AND (implicit anyway)
	tokNot                     // NOT or a leading '-'
	tokField                   // title: source: lang: (and their aliases)
	tokEOF
)

// token is one lexical unit of a query. Pos is its position in runes from
// the start of the query; End is the rune position just after it.
type token struct {
	kind tokenKind
	text string // raw text (phrase content without its marks; field name for tokField)
	pos  int
	end  int
}

// Quotation marks that open and close a phrase. Users type ASCII quotes, but
// French and Arabic keyboards give « » and phones give “ ”.
func isOpenQuote(r rune) bool {
	return r == '"' || r == '«' || r == '“' || r == '„'
}

func isCloseQuote(r rune) bool {
	return r == '"' || r == '»' || r == '”' || r == '“'
}

func isDelimiter(r rune) bool {
	return unicode.IsSpace(r) || r == '(' || r == ')' || isOpenQuote(r) || isCloseQuote(r)
}

// fieldAliases maps a normalized field name, in the three interface
// languages, to the field it selects.
var fieldAliases = map[string]string{
	"title": fieldTitle, "titre": fieldTitle, "عنوان": fieldTitle,
	"source": fieldSource, "site": fieldSource, "مصدر": fieldSource, "موقع": fieldSource,
	"lang": fieldLang, "langue": fieldLang, "language": fieldLang, "لغه": fieldLang,
	"speaker": fieldSpeaker, "orateur": fieldSpeaker, "المتحدث": fieldSpeaker, "متحدث": fieldSpeaker,
}

// lex splits q into tokens. It reports an unclosed quotation mark, and an
// unknown field name written like a field (ASCII letters and a colon).
func lex(q []rune) ([]token, *ParseError) {
	var toks []token
	i := 0
	for i < len(q) {
		r := q[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '(':
			toks = append(toks, token{kind: tokLParen, text: "(", pos: i, end: i + 1})
			i++
		case r == ')':
			toks = append(toks, token{kind: tokRParen, text: ")", pos: i, end: i + 1})
			i++
		case isOpenQuote(r):
			j := i + 1
			for j < len(q) && !isCloseQuote(q[j]) {
				j++
			}
			if j == len(q) {
				return nil, &ParseError{Pos: i, Code: CodeUnclosedQuote, Near: nearText(q[i:])}
			}
			toks = append(toks, token{kind: tokPhrase, text: string(q[i+1 : j]), pos: i, end: j + 1})
			i = j + 1
		case isCloseQuote(r):
			// A closing mark with no opening one (» typed first in RTL text):
			// it carries no meaning, skip it.
			i++
		case r == '-' && i+1 < len(q) && !unicode.IsSpace(q[i+1]) && q[i+1] != ')':
			toks = append(toks, token{kind: tokNot, text: "-", pos: i, end: i + 1})
			i++
		default:
			j := i
			for j < len(q) && !isDelimiter(q[j]) {
				j++
			}
			word := string(q[i:j])
			if colon := strings.IndexRune(word, ':'); colon > 0 {
				name := string(q[i : i+utf8.RuneCountInString(word[:colon])])
				if f, ok := lookupField(name); ok {
					nameEnd := i + utf8.RuneCountInString(name) + 1
					toks = append(toks, token{kind: tokField, text: f, pos: i, end: nameEnd})
					i = nameEnd
					continue
				}
				rest := word[colon+1:]
				if isASCIILetters(name) && !strings.HasPrefix(rest, "//") {
					return nil, &ParseError{Pos: i, Code: CodeUnknownField, Near: name + ":"}
				}
			}
			t := token{kind: tokWord, text: word, pos: i, end: j}
			switch word {
			case "OR", "|", "||":
				t.kind = tokOr
			case "AND", "&", "&&":
				t.kind = tokAnd
			case "NOT":
				t.kind = tokNot
			}
			toks = append(toks, t)
			i = j
		}
	}
	toks = append(toks, token{kind: tokEOF, pos: len(q), end: len(q)})
	return toks, nil
}

func lookupField(name string) (string, bool) {
	f, ok := fieldAliases[normalizeFieldName(name)]
	return f, ok
}

func isASCIILetters(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// nearText is a short excerpt of the query for an error message.
func nearText(rs []rune) string {
	const max = 24
	if len(rs) > max {
		return string(rs[:max]) + "…"
	}
	return string(rs)
}
