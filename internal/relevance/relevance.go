// Package relevance decides whether an article is about a topic (MigraWatch
// ships one: migration) from a lexicon of terms per language, and names the
// terms it matched. Terms are compared after textproc.Terms, so inflections,
// Arabic clitics and French elisions match; a term of several words matches
// as a phrase. The verdict rests on density and position, not on presence:
// a word mentioned in passing in a long article does not make it relevant,
// while a headline term counts several times.
package relevance

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/migrawatch/migrawatch/config"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/textproc"
)

// DefaultTopic is the topic of the embedded lexicon Default loads.
const DefaultTopic = "migration"

// ErrLexicon is wrapped by every error about a malformed lexicon.
var ErrLexicon = errors.New("invalid topic lexicon")

// Scoring holds the weights and thresholds of a lexicon (see the comments in
// config/topics/migration.yaml).
type Scoring struct {
	Threshold    float64 `yaml:"threshold"`
	MinDistinct  int     `yaml:"min_distinct"`
	MinStrong    int     `yaml:"min_strong"`
	TitleWeight  float64 `yaml:"title_weight"`
	LeadWords    int     `yaml:"lead_words"`
	LeadWeight   float64 `yaml:"lead_weight"`
	WeakWeight   float64 `yaml:"weak_weight"`
	DensityWords int     `yaml:"density_words"`
	MinWords     int     `yaml:"min_words"`
	LengthExp    float64 `yaml:"length_exponent"`
	MaxPerEntry  int     `yaml:"max_per_entry"`
}

type entryYAML struct {
	Label string   `yaml:"label"`
	Terms []string `yaml:"terms"`
}

type languageYAML struct {
	Strong   []entryYAML `yaml:"strong"`
	Weak     []entryYAML `yaml:"weak"`
	Negative []string    `yaml:"negative"`
}

type lexiconYAML struct {
	Topic     string                  `yaml:"topic"`
	Scoring   Scoring                 `yaml:"scoring"`
	Languages map[string]languageYAML `yaml:"languages"`
}

type kind uint8

const (
	strong kind = iota
	weak
	negative
)

// entry is one labelled group of terms of one kind.
type entry struct {
	id    int
	label string
	kind  kind
}

// node is a trie node over stems; entry is set where a term ends.
type node struct {
	next  map[string]*node
	entry *entry
	// cores, for an Arabic word, are the spellings the text word must
	// contain to enter this node (see arabicCore).
	cores []string
}

// language is the compiled lexicon of one language.
type language struct {
	root    *node
	entries []*entry
}

// Scorer scores articles against one topic lexicon. It is safe for
// concurrent use.
type Scorer struct {
	topic   string
	scoring Scoring
	langs   map[string]*language
}

// Default returns a Scorer for the embedded migration lexicon.
func Default() (*Scorer, error) {
	b, err := config.TopicLexicon(DefaultTopic)
	if err != nil {
		return nil, err
	}
	return New(b)
}

// New compiles a YAML lexicon (the format of config/topics/migration.yaml).
// Every problem is reported at once; a term that appears in two entries of
// one language is an error, since only one of them could ever match.
func New(lexicon []byte) (*Scorer, error) {
	var lx lexiconYAML
	dec := yaml.NewDecoder(bytes.NewReader(lexicon))
	dec.KnownFields(true)
	if err := dec.Decode(&lx); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrLexicon, err)
	}
	var problems []string
	sc := lx.Scoring
	if sc.Threshold <= 0 {
		problems = append(problems, "scoring.threshold must be positive")
	}
	if sc.TitleWeight <= 0 || sc.LeadWeight <= 0 || sc.WeakWeight <= 0 {
		problems = append(problems, "scoring.title_weight, lead_weight and weak_weight must be positive")
	}
	if sc.DensityWords <= 0 || sc.MinWords <= 0 {
		problems = append(problems, "scoring.density_words and min_words must be positive")
	}
	if sc.LengthExp <= 0 || sc.LengthExp > 1 {
		problems = append(problems, "scoring.length_exponent must be in (0, 1]")
	}
	if sc.MinStrong < 1 || sc.MinDistinct < 1 {
		problems = append(problems, "scoring.min_strong and min_distinct must be at least 1")
	}
	if sc.MaxPerEntry <= 0 {
		problems = append(problems, "scoring.max_per_entry must be positive")
	}
	if len(lx.Languages) == 0 {
		problems = append(problems, "languages: none defined")
	}
	s := &Scorer{topic: lx.Topic, scoring: sc, langs: make(map[string]*language)}
	for _, code := range slices.Sorted(maps.Keys(lx.Languages)) {
		lang, errs := compile(code, lx.Languages[code])
		problems = append(problems, errs...)
		s.langs[code] = lang
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%w: %s", ErrLexicon, strings.Join(problems, "; "))
	}
	return s, nil
}

func compile(code string, ly languageYAML) (*language, []string) {
	lang := &language{root: &node{}}
	var problems []string
	seen := make(map[string]*entry)
	add := func(e *entry, term string) {
		words, stems := terms(code, term)
		if len(stems) == 0 {
			problems = append(problems, fmt.Sprintf("languages.%s: term %q has no words", code, term))
			return
		}
		key := strings.Join(stems, " ")
		if prev, ok := seen[key]; ok {
			// Spellings that stem alike within one entry are harmless.
			if prev != e {
				problems = append(problems, fmt.Sprintf("languages.%s: term %q (%s) already in entry %q", code, term, key, prev.label))
			}
			return
		}
		seen[key] = e
		n := lang.root
		for i, st := range stems {
			if n.next == nil {
				n.next = make(map[string]*node)
			}
			child, ok := n.next[st]
			if !ok {
				child = &node{}
				n.next[st] = child
			}
			if core := arabicCore(words[i]); core != "" && !slices.Contains(child.cores, core) {
				child.cores = append(child.cores, core)
			}
			n = child
		}
		n.entry = e
	}
	group := func(k kind, entries []entryYAML, section string) {
		for _, ey := range entries {
			if strings.TrimSpace(ey.Label) == "" || strings.ContainsAny(ey.Label, " \t\n#") {
				problems = append(problems, fmt.Sprintf("languages.%s.%s: label %q must be one word (use _)", code, section, ey.Label))
			}
			if len(ey.Terms) == 0 {
				problems = append(problems, fmt.Sprintf("languages.%s.%s: entry %q has no terms", code, section, ey.Label))
			}
			e := &entry{id: len(lang.entries), label: ey.Label, kind: k}
			lang.entries = append(lang.entries, e)
			for _, t := range ey.Terms {
				add(e, t)
			}
		}
	}
	group(strong, ly.Strong, "strong")
	group(weak, ly.Weak, "weak")
	neg := &entry{id: len(lang.entries), label: "-", kind: negative}
	lang.entries = append(lang.entries, neg)
	for _, t := range ly.Negative {
		add(neg, t)
	}
	if len(ly.Strong) == 0 {
		problems = append(problems, fmt.Sprintf("languages.%s: no strong terms", code))
	}
	return lang, problems
}

// Topic returns the topic name the lexicon declares (e.g. "migration").
func (s *Scorer) Topic() string { return s.topic }

// Languages returns the language codes the lexicon covers, sorted.
func (s *Scorer) Languages() []string {
	return slices.Sorted(maps.Keys(s.langs))
}

// hit is one match of a lexicon entry.
type hit struct {
	entry   *entry
	weight  float64 // position weight: title, lead or body
	inTitle bool
}

// match appends the leftmost-longest lexicon terms found in stems, weighted by
// position: title, lead or body.
func (l *language) match(words, stems []string, sc Scoring, inTitle bool, hits []hit) []hit {
	for i := 0; i < len(stems); {
		n := l.root
		var found *entry
		length := 0
		for j := i; j < len(stems); j++ {
			child := n.next[stems[j]]
			if child == nil || !hasCore(words[j], child.cores) {
				break
			}
			n = child
			if n.entry != nil {
				found, length = n.entry, j-i+1
			}
		}
		if found == nil {
			i++
			continue
		}
		w := 1.0
		switch {
		case inTitle:
			w = sc.TitleWeight
		case i < sc.LeadWords:
			w = sc.LeadWeight
		}
		hits = append(hits, hit{entry: found, weight: w, inTitle: inTitle})
		i += length
	}
	return hits
}

// Score scores an article on its Title and Text (the feed's content or
// description when Text is empty) in the article's language, detected when
// Lang is empty or not covered by the lexicon.
//
// Each strong hit counts 1 and each weak hit weak_weight, times title_weight
// in the title or lead_weight in the first lead_words words; weak hits count
// only when the article has a strong hit too, and one entry counts at most
// max_per_entry times. Score is that sum divided by (words of text /
// density_words) ^ length_exponent, texts under min_words counting as
// min_words, so it measures how much of the article is about the topic.
// Relevant needs Score >= threshold, min_distinct different entries, and a
// strong term in the title or min_strong strong hits (one strong word in the
// text is a passing mention); a text shorter than min_words (a feed summary)
// only needs a strong term in the title. Matched lists the labels of the counted
// entries, those with strong hits first, heaviest first.
func (s *Scorer) Score(a news.Article) news.Relevance {
	text := a.Text
	if strings.TrimSpace(text) == "" {
		text = a.Content
	}
	if strings.TrimSpace(text) == "" {
		text = a.Description
	}
	code := a.Lang
	lang, ok := s.langs[code]
	if !ok {
		hint := a.Item.Language
		if len(hint) > 2 {
			hint = hint[:2]
		}
		code = textproc.DetectLanguage(a.Title+"\n"+text, strings.ToLower(hint))
		lang, ok = s.langs[code]
	}
	if !ok {
		return news.Relevance{Matched: []string{}}
	}
	sc := s.scoring
	titleWords, titleStems := terms(code, a.Title)
	hits := lang.match(titleWords, titleStems, sc, true, nil)
	textWords, textStems := terms(code, text)
	hits = lang.match(textWords, textStems, sc, false, hits)

	counts := make([]int, len(lang.entries))
	weights := make([]float64, len(lang.entries))
	strongHits, strongInTitle := 0, false
	for _, h := range hits {
		if h.entry.kind == strong {
			strongHits++
			strongInTitle = strongInTitle || h.inTitle
		}
	}
	hasStrong := strongHits > 0
	var total float64
	for _, h := range hits {
		e := h.entry
		if e.kind == negative || (e.kind == weak && !hasStrong) {
			continue
		}
		if counts[e.id] >= sc.MaxPerEntry {
			continue
		}
		counts[e.id]++
		w := h.weight
		if e.kind == weak {
			w *= sc.WeakWeight
		}
		weights[e.id] += w
		total += w
	}
	length := float64(max(len(textStems), sc.MinWords)) / float64(sc.DensityWords)
	score := total / math.Pow(length, sc.LengthExp)
	score = math.Round(score*1000) / 1000

	// Labels of strong entries first, then by weight: the first labels are
	// the ones that say what the article is about.
	type labelWeight struct {
		label  string
		strong bool
		weight float64
	}
	var byLabel []labelWeight
	distinct := 0
	for _, e := range lang.entries {
		if weights[e.id] == 0 {
			continue
		}
		distinct++
		if k := slices.IndexFunc(byLabel, func(lw labelWeight) bool { return lw.label == e.label }); k >= 0 {
			byLabel[k].weight += weights[e.id]
			byLabel[k].strong = byLabel[k].strong || e.kind == strong
			continue
		}
		byLabel = append(byLabel, labelWeight{e.label, e.kind == strong, weights[e.id]})
	}
	slices.SortStableFunc(byLabel, func(x, y labelWeight) int {
		switch {
		case x.strong != y.strong:
			if x.strong {
				return -1
			}
			return 1
		case x.weight > y.weight:
			return -1
		case x.weight < y.weight:
			return 1
		}
		return 0
	})
	matched := make([]string, len(byLabel))
	for i, lw := range byLabel {
		matched[i] = lw.label
	}
	return news.Relevance{
		Score: score,
		Relevant: score >= sc.Threshold && (distinct >= sc.MinDistinct && (strongInTitle || strongHits >= sc.MinStrong) ||
			strongInTitle && len(textStems) < sc.MinWords),
		Matched: matched,
	}
}

// terms returns the normalized words of s and their stems (textproc.Terms,
// keeping the words).
func terms(lang, s string) (words, stems []string) {
	words = textproc.Words(s)
	stems = make([]string, len(words))
	for i, w := range words {
		stems[i] = textproc.Stem(lang, w)
	}
	return words, stems
}

// Arabic light stemming reads a leading و ف ب ك ل as a clitic unless its
// lexicon knows the word (see textproc), so an unknown word whose first
// root letter is one of them can still meet another word's stem. A lexicon
// word therefore also keeps its core: the word without an explicit article
// (ال وال فال بال كال وبال) and without plural or feminine endings, e.g. لاجي
// for اللاجئين. A text word
// matches only if it has the same stem and contains one of the cores of the
// lexicon words with that stem: للاجئين and ولاجئ contain لاجي, الباجي does not.
var articles = []string{"وبال", "وال", "فال", "بال", "كال", "ال"}

var arabicEndings = []string{"ات", "ون", "ين", "ان", "ه"}

// arabicCore returns the core of a normalized Arabic lexicon word, or "" for
// a word in another script.
func arabicCore(w string) string {
	r, _ := utf8.DecodeRuneInString(w)
	if r < 0x0600 || r > 0x06FF {
		return ""
	}
	for _, a := range articles {
		if rest, ok := strings.CutPrefix(w, a); ok && utf8.RuneCountInString(rest) >= 2 {
			w = rest
			break
		}
	}
	for range 2 {
		cut := false
		for _, e := range arabicEndings {
			if rest, ok := strings.CutSuffix(w, e); ok && utf8.RuneCountInString(rest) >= 3 {
				w, cut = rest, true
				break
			}
		}
		if !cut {
			break
		}
	}
	return w
}

func hasCore(word string, cores []string) bool {
	if len(cores) == 0 {
		return true
	}
	for _, c := range cores {
		if strings.Contains(word, c) {
			return true
		}
	}
	return false
}
