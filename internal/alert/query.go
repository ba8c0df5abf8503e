// Package alert is MigraWatch's keyword alert engine: a Google-style query
// language over Arabic, French and English news (words, "exact phrases",
// implicit AND, OR, -negation, parentheses, word* prefixes and the fields
// title:, source: and lang:), and an index that matches one article against
// every chat's alerts at once.
//
// Words are compared after textproc's normalization and light stemming
// (the ones relevance uses): a plain word matches its inflections (migrant
// and migrants; réfugié, réfugiée, réfugiés; مهاجر, مهاجرين, المهاجرين;
// قارب and قوارب) through textproc.Stem, and a word in quotation marks
// matches its exact form (clitics and elisions aside). An article's word
// is compared through every reading textproc.Readings gives it, the word as
// written included, so the stems of both sides meet only when the article
// word really carries the query word: كاليه does not meet إليه, nor فيات
// الوفيات. Latin words are stemmed in the article's language, so each query
// is compiled once per language (see Index).
//
// The index keeps, for each alert, anchor terms grouped in parts: an
// article must have an anchor of every part before the alert is worth
// evaluating (an AND has up to four parts, its most selective children, an
// OR group's anchors standing for one part; a phrase's words are parts;
// anything else is one part of all its anchors). Each posting carries its
// part, and an article's count for an alert is a bit per part. An article
// looks up its own terms (words, title words, word beginnings, source,
// language) by fingerprint and evaluates only the alerts found there; for
// the common shapes (words, OR groups of words, prefixes, sources and
// languages, ANDed, with or without excluded words) finding the parts
// decides the match without evaluating the tree.
// So the cost of matching grows with the number of alerts that could match,
// not with the number of alerts. Alerts whose queries are the same once
// normalized (many chats follow the same word) share one entry, found and
// evaluated once per article for all of them; the other trees are
// evaluated on the article's terms interned as integers.
package alert

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/textproc"
)

// Limits on one query and on the alerts of one chat. They keep a single
// alert cheap to evaluate and the index small.
const (
	// MaxQueryLen is the longest query, in characters.
	MaxQueryLen = 256
	// MaxTerms is the most words, phrases, prefixes and field filters in one query.
	MaxTerms = 20
	// MaxDepth is the deepest nesting of parentheses.
	MaxDepth = 5
	// MaxAlertsPerChat is how many alerts one chat may keep.
	MaxAlertsPerChat = 20
	// MinPrefixLen is the fewest letters before a '*'.
	MinPrefixLen = 3
)

// Error codes of ParseError. The bot turns each into a sentence in the
// chat's language, quoting ParseError.Near.
const (
	// CodeEmpty: the query has no words.
	CodeEmpty = "empty"
	// CodeTooLong: the query is longer than MaxQueryLen; Pos is where the excess starts.
	CodeTooLong = "too_long"
	// CodeTooManyTerms: more than MaxTerms terms; Pos and Near are the first one too many.
	CodeTooManyTerms = "too_many_terms"
	// CodeTooDeep: parentheses nested deeper than MaxDepth; Pos is the opening one too many.
	CodeTooDeep = "too_deep"
	// CodeUnclosedParen: a '(' is never closed; Pos is that '(' and Near the
	// last token of the query (the closing parenthesis is missing after it).
	CodeUnclosedParen = "unclosed_paren"
	// CodeUnexpectedParen: a ')' closes nothing; Pos is that ')' and Near the token before it.
	CodeUnexpectedParen = "unexpected_paren"
	// CodeUnclosedQuote: a quotation mark is never closed; Pos is the opening mark.
	CodeUnclosedQuote = "unclosed_quote"
	// CodeEmptyPhrase: quotation marks with no word between them.
	CodeEmptyPhrase = "empty_phrase"
	// CodeEmptyGroup: parentheses with nothing between them.
	CodeEmptyGroup = "empty_group"
	// CodeMissingOperand: OR, NOT, '-' or a field with nothing to apply to;
	// Pos and Near are the operator.
	CodeMissingOperand = "missing_operand"
	// CodeShortPrefix: fewer than MinPrefixLen letters before '*'.
	CodeShortPrefix = "short_prefix"
	// CodeBadWildcard: '*' elsewhere than at the end of a single word.
	CodeBadWildcard = "bad_wildcard"
	// CodeUnknownField: a name followed by ':' that is not title, source or lang.
	CodeUnknownField = "unknown_field"
	// CodeBadLang: lang: followed by something other than ar, fr or en.
	CodeBadLang = "bad_lang"
	// CodeBadSource: source: followed by something that is neither a source id nor a host name.
	CodeBadSource = "bad_source"
	// CodeNegationOnly: the query (or one side of an OR) only excludes
	// words, so nothing says what to match; Pos is the negation.
	CodeNegationOnly = "negation_only"
)

// ParseError is a query the parser refuses: where (Pos, in characters from
// the start of the query), what (Code, one of the Code constants) and the
// piece of the query it is about (Near).
type ParseError struct {
	Pos  int
	Code string
	Near string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("alert query: %s at character %d near %q", e.Code, e.Pos, e.Near)
}

// Field names.
const (
	fieldTitle  = "title"
	fieldSource = "source"
	fieldLang   = "lang"
)

// op is the kind of a query node.
type op uint8

const (
	opWord   op = iota + 1 // one word
	opPrefix               // word*
	opPhrase               // adjacent words
	opAnd
	opOr
	opNot
	opTitle  // restricts the words below it to the title
	opSource // source id or host
	opLang   // article language
	// opSpeaker is a quoted speaker's name or title (speaker.go).
	opSpeaker
)

// node is one node of a parsed query.
type node struct {
	op op
	// words holds, for opWord and opPrefix one, for opPhrase several,
	// normalized words.
	words []string
	// exact is true for words in quotation marks: they match their exact
	// form, not their inflections.
	exact bool
	// keys are the words as compared, in the trees of Query.langs (empty
	// in Query.root): their stems in the language of the tree, or for exact
	// words their primary reading marked with exactMark (see wordKeys); for
	// a prefix, see prefixKey. For opSource and opLang keys[0] is the value.
	keys []string
	kids []*node
	pos  int
}

// Query is a parsed alert query.
type Query struct {
	root *node
	// langs are root with its word keys resolved for articles of each
	// language slot (see langSlot): Latin words stem differently in French
	// and in English.
	langs [langSlots]*node
}

// Language slots: the articles whose Latin words stem alike. Arabic-script
// words stem alike in every slot; Latin words are stemmed in French and
// English articles and compared as written in the others (Arabic ones
// included).
const (
	slotPlain = iota
	slotFr
	slotEn
	langSlots
)

// slotLangs is the language code each slot stems with.
var slotLangs = [langSlots]string{slotPlain: "", slotFr: news.French, slotEn: news.English}

// langSlot is the slot of articles in language lang.
func langSlot(lang string) int {
	switch lang {
	case news.French:
		return slotFr
	case news.English:
		return slotEn
	}
	return slotPlain
}

// Parse parses an alert query. Errors are *ParseError.
func Parse(query string) (*Query, error) {
	return parse(query, MaxQueryLen, MaxDepth)
}

// parse is Parse with the length and depth limits as parameters: the
// canonical form of a query may be a little longer and deeper than what the
// user wrote (normalization expands some ligatures; an OR inside an AND
// gains parentheses).
func parse(query string, maxLen, maxDepth int) (*Query, error) {
	rs := []rune(query)
	if len(rs) > maxLen {
		return nil, &ParseError{Pos: maxLen, Code: CodeTooLong, Near: nearText(rs[maxLen:])}
	}
	toks, perr := lex(rs)
	if perr != nil {
		return nil, perr
	}
	p := &parser{toks: toks, maxDepth: maxDepth}
	root, perr := p.parseAnd(0)
	if perr != nil {
		return nil, perr
	}
	if t := p.peek(); t.kind == tokRParen {
		return nil, &ParseError{Pos: t.pos, Code: CodeUnexpectedParen, Near: p.before(t)}
	}
	if root == nil {
		return nil, &ParseError{Pos: 0, Code: CodeEmpty, Near: nearText(rs)}
	}
	if n := negationOnly(root); n != nil {
		return nil, &ParseError{Pos: n.pos, Code: CodeNegationOnly, Near: p.nearPos(n.pos)}
	}
	q := &Query{root: root}
	for slot := range q.langs {
		q.langs[slot] = resolve(root, slot)
	}
	return q, nil
}

// resolve returns a copy of n with the keys of its words computed for
// articles of language slot slot.
func resolve(n *node, slot int) *node {
	c := *n
	switch n.op {
	case opWord, opPhrase:
		c.keys = wordKeys(n.words, n.exact, slot)
	case opPrefix, opSource, opLang, opSpeaker:
	default:
		c.kids = make([]*node, len(n.kids))
		for i, k := range n.kids {
			c.kids[i] = resolve(k, slot)
		}
	}
	return &c
}

// exactMark marks the index key of an exact word form: exact forms and
// stems are different keys of one article word.
const exactMark = "\x05"

// wordKeys are the keys of words in the articles of slot: their stems in
// the slot's language, or exactMark and their primary reading.
func wordKeys(words []string, exact bool, slot int) []string {
	keys := make([]string, len(words))
	for i, w := range words {
		if exact {
			keys[i] = exactKey(w)
		} else {
			keys[i] = textproc.Stem(slotLangs[slot], w)
		}
	}
	return keys
}

func exactKey(w string) string { return exactMark + textproc.Reading(w) }

type parser struct {
	toks     []token
	i        int
	terms    int
	maxDepth int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// before is the text of the token just before t, or t's own text.
func (p *parser) before(t token) string {
	for k := len(p.toks) - 1; k >= 0; k-- {
		if p.toks[k].pos < t.pos {
			return tokenText(p.toks[k])
		}
	}
	return tokenText(t)
}

// nearPos is the text of the token at rune position pos.
func (p *parser) nearPos(pos int) string {
	for k, t := range p.toks {
		if t.pos == pos {
			if t.kind == tokNot && k+1 < len(p.toks) && p.toks[k+1].kind != tokEOF {
				return tokenText(t) + tokenTextSep(t, p.toks[k+1])
			}
			return tokenText(t)
		}
	}
	return ""
}

func tokenTextSep(a, b token) string {
	if a.text == "-" && b.pos == a.end {
		return tokenText(b)
	}
	return " " + tokenText(b)
}

func tokenText(t token) string {
	switch t.kind {
	case tokPhrase:
		return `"` + t.text + `"`
	case tokField:
		return t.text + ":"
	case tokEOF:
		return ""
	}
	return t.text
}

// parseAnd parses a sequence of OR-expressions (implicit AND) until ')' or
// the end. Like Google, OR binds tighter than the implicit AND:
// "a b OR c" is a AND (b OR c).
func (p *parser) parseAnd(depth int) (*node, *ParseError) {
	var kids []*node
	for {
		t := p.peek()
		switch t.kind {
		case tokEOF, tokRParen:
			return andOf(kids), nil
		case tokAnd:
			p.next()
			if k := p.peek().kind; k == tokEOF || k == tokRParen || k == tokOr || k == tokAnd {
				return nil, &ParseError{Pos: t.pos, Code: CodeMissingOperand, Near: t.text}
			}
			continue
		case tokOr:
			return nil, &ParseError{Pos: t.pos, Code: CodeMissingOperand, Near: t.text}
		}
		n, err := p.parseOr(depth)
		if err != nil {
			return nil, err
		}
		if n != nil {
			kids = append(kids, n)
		}
	}
}

func andOf(kids []*node) *node {
	switch len(kids) {
	case 0:
		return nil
	case 1:
		return kids[0]
	}
	var flat []*node
	for _, k := range kids {
		if k.op == opAnd {
			flat = append(flat, k.kids...)
		} else {
			flat = append(flat, k)
		}
	}
	return &node{op: opAnd, kids: flat, pos: flat[0].pos}
}

// parseOr parses unary ('OR' unary)*. It returns nil when the operand was
// only punctuation (which carries no word) and no OR followed.
func (p *parser) parseOr(depth int) (*node, *ParseError) {
	first, err := p.parseUnary(depth)
	if err != nil {
		return nil, err
	}
	kids := []*node{}
	if first != nil {
		kids = append(kids, first)
	}
	for p.peek().kind == tokOr {
		orTok := p.next()
		if len(kids) == 0 {
			return nil, &ParseError{Pos: orTok.pos, Code: CodeMissingOperand, Near: orTok.text}
		}
		if k := p.peek().kind; k == tokEOF || k == tokRParen || k == tokOr || k == tokAnd {
			return nil, &ParseError{Pos: orTok.pos, Code: CodeMissingOperand, Near: orTok.text}
		}
		n, err := p.parseUnary(depth)
		if err != nil {
			return nil, err
		}
		if n == nil {
			return nil, &ParseError{Pos: orTok.pos, Code: CodeMissingOperand, Near: orTok.text}
		}
		kids = append(kids, n)
	}
	switch len(kids) {
	case 0:
		return nil, nil
	case 1:
		return kids[0], nil
	}
	var flat []*node
	for _, k := range kids {
		if k.op == opOr {
			flat = append(flat, k.kids...)
		} else {
			flat = append(flat, k)
		}
	}
	return &node{op: opOr, kids: flat, pos: flat[0].pos}, nil
}

// operandFollows reports whether the next token can start an operand.
func (p *parser) operandFollows() bool {
	switch p.peek().kind {
	case tokEOF, tokRParen, tokOr, tokAnd:
		return false
	}
	return true
}

func (p *parser) parseUnary(depth int) (*node, *ParseError) {
	t := p.next()
	switch t.kind {
	case tokNot:
		if !p.operandFollows() {
			return nil, &ParseError{Pos: t.pos, Code: CodeMissingOperand, Near: t.text}
		}
		kid, err := p.parseUnary(depth)
		if err != nil {
			return nil, err
		}
		if kid == nil {
			return nil, &ParseError{Pos: t.pos, Code: CodeMissingOperand, Near: t.text}
		}
		return &node{op: opNot, kids: []*node{kid}, pos: t.pos}, nil
	case tokField:
		if !p.operandFollows() {
			return nil, &ParseError{Pos: t.pos, Code: CodeMissingOperand, Near: t.text + ":"}
		}
		switch t.text {
		case fieldTitle:
			kid, err := p.parseUnary(depth)
			if err != nil {
				return nil, err
			}
			if kid == nil {
				return nil, &ParseError{Pos: t.pos, Code: CodeMissingOperand, Near: t.text + ":"}
			}
			return &node{op: opTitle, kids: []*node{kid}, pos: t.pos}, nil
		default:
			return p.fieldValue(t)
		}
	case tokLParen:
		if depth+1 > p.maxDepth {
			return nil, &ParseError{Pos: t.pos, Code: CodeTooDeep, Near: "("}
		}
		inner, err := p.parseAnd(depth + 1)
		if err != nil {
			return nil, err
		}
		closing := p.next()
		if closing.kind != tokRParen {
			return nil, &ParseError{Pos: t.pos, Code: CodeUnclosedParen, Near: p.before(closing)}
		}
		if inner == nil {
			return nil, &ParseError{Pos: t.pos, Code: CodeEmptyGroup, Near: "()"}
		}
		return inner, nil
	case tokPhrase:
		ws := textproc.Words(t.text)
		if len(ws) == 0 {
			return nil, &ParseError{Pos: t.pos, Code: CodeEmptyPhrase, Near: tokenText(t)}
		}
		return p.term(wordsNode(ws, true, t.pos), t)
	case tokWord:
		return p.word(t)
	}
	// tokRParen, tokOr, tokAnd, tokEOF cannot start an operand; callers
	// check before, so this is a missing operand.
	return nil, &ParseError{Pos: t.pos, Code: CodeMissingOperand, Near: tokenText(t)}
}

// term counts one term against MaxTerms.
func (p *parser) term(n *node, t token) (*node, *ParseError) {
	p.terms++
	if p.terms > MaxTerms {
		return nil, &ParseError{Pos: t.pos, Code: CodeTooManyTerms, Near: tokenText(t)}
	}
	return n, nil
}

func (p *parser) word(t token) (*node, *ParseError) {
	raw := t.text
	if raw == "-" {
		return nil, &ParseError{Pos: t.pos, Code: CodeMissingOperand, Near: raw}
	}
	if star := strings.IndexByte(raw, '*'); star >= 0 {
		if star != len(raw)-1 {
			return nil, &ParseError{Pos: t.pos + utf8.RuneCountInString(raw[:star]), Code: CodeBadWildcard, Near: raw}
		}
		ws := textproc.Words(raw[:star])
		if len(ws) > 1 {
			return nil, &ParseError{Pos: t.pos, Code: CodeBadWildcard, Near: raw}
		}
		if len(ws) == 0 {
			return nil, &ParseError{Pos: t.pos, Code: CodeShortPrefix, Near: raw}
		}
		// The word must end right before the star: "asile.*" is not a prefix.
		if last := textproc.Words(raw[:star] + "x"); len(last) != 1 {
			return nil, &ParseError{Pos: t.pos, Code: CodeBadWildcard, Near: raw}
		}
		key := prefixKey(ws[0])
		if utf8.RuneCountInString(ws[0]) < MinPrefixLen {
			return nil, &ParseError{Pos: t.pos, Code: CodeShortPrefix, Near: raw}
		}
		return p.term(&node{op: opPrefix, words: ws, keys: []string{key}, pos: t.pos}, t)
	}
	ws := textproc.Words(raw)
	if len(ws) == 0 {
		// Punctuation alone ("," or "…") says nothing.
		return nil, nil
	}
	return p.term(wordsNode(ws, false, t.pos), t)
}

// wordsNode is a word node for one word and a phrase node for several
// (a hyphenated or dotted token such as covid-19 is a phrase). exact is
// true for words in quotation marks.
func wordsNode(ws []string, exact bool, pos int) *node {
	if len(ws) == 1 {
		return &node{op: opWord, words: ws, exact: exact, pos: pos}
	}
	return &node{op: opPhrase, words: ws, exact: exact, pos: pos}
}

func (p *parser) fieldValue(field token) (*node, *ParseError) {
	v := p.next()
	if v.kind != tokWord && v.kind != tokPhrase {
		return nil, &ParseError{Pos: field.pos, Code: CodeMissingOperand, Near: field.text + ":"}
	}
	switch field.text {
	case fieldSpeaker:
		return p.speakerValue(field, v)
	case fieldLang:
		lang := strings.ToLower(strings.TrimSpace(v.text))
		switch lang {
		case "arabic", "arabe", "العربيه", "عربي", "عربيه":
			lang = news.Arabic
		case "french", "francais", "français", "الفرنسيه", "فرنسي", "فرنسيه":
			lang = news.French
		case "english", "anglais", "الانجليزيه", "انجليزي", "انجليزيه", "الانكليزيه":
			lang = news.English
		}
		if lang != news.Arabic && lang != news.French && lang != news.English {
			return nil, &ParseError{Pos: v.pos, Code: CodeBadLang, Near: tokenText(v)}
		}
		return p.term(&node{op: opLang, keys: []string{lang}, pos: field.pos}, v)
	default:
		src, ok := sourceValue(v.text)
		if !ok {
			return nil, &ParseError{Pos: v.pos, Code: CodeBadSource, Near: tokenText(v)}
		}
		return p.term(&node{op: opSource, keys: []string{src}, pos: field.pos}, v)
	}
}

// sourceValue turns what follows source: into a catalog id or a host name:
// lower-cased, without scheme, "www." and path.
func sourceValue(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimPrefix(s, "www.")
	s = strings.Trim(s, ".")
	if s == "" || len(s) > 100 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_') {
			return "", false
		}
	}
	return s, true
}

// normalizeFieldName folds a field name the way words are folded.
func normalizeFieldName(s string) string { return textproc.Normalize(s) }

// prefixKey is the form a prefix is compared with: its primary reading
// (clitics stripped the way textproc strips them from whole words) when that
// keeps MinPrefixLen letters, else the prefix as written. Article words are
// compared through all their readings, so either form finds them.
func prefixKey(w string) string {
	if r := textproc.Reading(w); utf8.RuneCountInString(r) >= MinPrefixLen {
		return r
	}
	return w
}

// negationOnly returns the node that makes q match without any positive
// term (a NOT alone, an AND of NOTs, an OR with such a side), or nil when
// every match of q needs at least one positive term.
func negationOnly(n *node) *node {
	switch n.op {
	case opNot:
		return n
	case opTitle:
		return negationOnly(n.kids[0])
	case opAnd:
		for _, k := range n.kids {
			if negationOnly(k) == nil {
				return nil
			}
		}
		return negationOnly(n.kids[0])
	case opOr:
		for _, k := range n.kids {
			if bad := negationOnly(k); bad != nil {
				return bad
			}
		}
	}
	return nil
}

// String is the canonical form of the query: normalized words (exact ones
// in quotation marks), explicit parentheses around every OR inside an AND,
// fields in their English names. Two queries that match alike have the
// same String, and parsing it again gives the same query (it may exceed
// MaxQueryLen or MaxDepth slightly). It is for comparing queries: people
// are shown the query as they typed it.
func (q *Query) String() string {
	var b strings.Builder
	writeNode(&b, q.root, false)
	return b.String()
}

func writeNode(b *strings.Builder, n *node, inAnd bool) {
	switch n.op {
	case opWord:
		if n.exact {
			b.WriteByte('"')
			b.WriteString(n.words[0])
			b.WriteByte('"')
			break
		}
		b.WriteString(n.words[0])
	case opPrefix:
		b.WriteString(n.words[0])
		b.WriteByte('*')
	case opPhrase:
		if !n.exact {
			// A hyphenated word: written back with hyphens, it parses
			// again as the same phrase of inflected words.
			b.WriteString(strings.Join(n.words, "-"))
			break
		}
		b.WriteByte('"')
		b.WriteString(strings.Join(n.words, " "))
		b.WriteByte('"')
	case opSource:
		b.WriteString("source:")
		b.WriteString(n.keys[0])
	case opLang:
		b.WriteString("lang:")
		b.WriteString(n.keys[0])
	case opSpeaker:
		writeSpeaker(b, n)
	case opTitle:
		b.WriteString("title:")
		writeOperand(b, n.kids[0])
	case opNot:
		b.WriteByte('-')
		writeOperand(b, n.kids[0])
	case opAnd:
		for i, k := range n.kids {
			if i > 0 {
				b.WriteByte(' ')
			}
			writeNode(b, k, true)
		}
	case opOr:
		if inAnd {
			b.WriteByte('(')
		}
		for i, k := range n.kids {
			if i > 0 {
				b.WriteString(" OR ")
			}
			writeOperand(b, k)
		}
		if inAnd {
			b.WriteByte(')')
		}
	}
}

// writeOperand writes n where a single operand is expected (after '-',
// a field, or around OR): groups get parentheses.
func writeOperand(b *strings.Builder, n *node) {
	if n.op == opAnd || n.op == opOr {
		b.WriteByte('(')
		writeNode(b, n, false)
		b.WriteByte(')')
		return
	}
	writeNode(b, n, false)
}
