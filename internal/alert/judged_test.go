package alert

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/textproc"
)

// judgedDocs are the articles the judged query sets are measured on: the
// labelled corpus articles, the seed article, and every item of the real
// feeds in testdata/feeds, parsed by the feed parser the pipeline uses
// (language detected, text from the item's content or description).
func judgedDocs(tb testing.TB) []news.Article {
	tb.Helper()
	arts := loadCorpus(tb)
	files, err := filepath.Glob(filepath.Join("testdata", "feeds", "*.xml"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no feeds in testdata: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".xml")
		p, err := feed.Parse(b, "", news.Source{ID: name})
		if err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		for i, it := range p.Items {
			text := it.Content
			if text == "" {
				text = it.Description
			}
			it.Key = fmt.Sprintf("%s#%d", name, i)
			// The language as the pipeline finds it: detected, the feed's
			// declaration a hint.
			hint := strings.ToLower(it.Language)
			if len(hint) > 2 {
				hint = hint[:2]
			}
			lang := textproc.DetectLanguage(it.Title+"\n"+text, hint)
			arts = append(arts, news.Article{Item: it, Lang: lang, Text: text})
		}
	}
	return arts
}

// judgedQuery is one query of a judged set: the forms of the query word a
// reader expects it to find (normalized words, clitics and elisions
// aside), the forms it must not find, and whether the query is held out
// from tuning the stemmer (measured and reported, never looked at while
// choosing rules).
type judgedQuery struct {
	query    string
	heldOut  bool
	expected []string
	rejected []string
	docs     []string // documented queries: the keys of the articles expected
}

// loadJudged reads a judged set: one query a line, "query | dev or held |
// expected forms | rejected forms".
func loadJudged(tb testing.TB, name string) []judgedQuery {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", "judged", name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []judgedQuery
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "|")
		for len(parts) < 4 {
			parts = append(parts, "")
		}
		q := judgedQuery{query: strings.TrimSpace(parts[0]), heldOut: strings.TrimSpace(parts[1]) == "held"}
		q.expected = strings.Fields(parts[2])
		q.rejected = strings.Fields(parts[3])
		out = append(out, q)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// docForms is the set of readings of every word of an article (title and
// text): what a judged form is looked up in.
func docForms(a news.Article) map[string]bool {
	m := map[string]bool{}
	for _, w := range textproc.Words(a.Title + "\n" + a.Text) {
		for _, r := range textproc.Readings(w) {
			m[r] = true
		}
	}
	return m
}

// TestJudged_Dump prints, for the queries of JUDGE (a judged set file), the
// word forms of the corpus a judge must look at: the forms that contain the
// query's first letters and the forms the matcher finds. It is a tool for
// writing the judged sets, run by hand.
func TestJudged_Dump(t *testing.T) {
	name := os.Getenv("JUDGE")
	if name == "" {
		t.Skip("set JUDGE=<file in testdata/judged> to list the forms to judge")
	}
	arts := judgedDocs(t)
	docs := make([]*Document, len(arts))
	forms := make([]map[string]bool, len(arts))
	for i, a := range arts {
		docs[i] = NewDocument(a)
		forms[i] = docForms(a)
	}
	for _, jq := range loadJudged(t, name) {
		q := mustParse(t, jq.query)
		w := textproc.Reading(textproc.Words(jq.query)[0])
		rs := []rune(w)
		core := string(rs[:max(3, min(len(rs), len(rs)-2))])
		count := map[string]int{}
		matched := map[string]bool{}
		for i := range arts {
			m := q.Matches(docs[i])
			for f := range forms[i] {
				if strings.Contains(f, core) || m && slices.Contains(textproc.Stems(arts[i].Lang, f, nil), textproc.Stem(arts[i].Lang, w)) {
					count[f]++
					if m && slices.Contains(textproc.Stems(arts[i].Lang, f, nil), textproc.Stem(arts[i].Lang, w)) {
						matched[f] = true
					}
				}
			}
		}
		keys := make([]string, 0, len(count))
		for f := range count {
			keys = append(keys, f)
		}
		sort.Strings(keys)
		var b strings.Builder
		for _, f := range keys {
			mark := ""
			if matched[f] {
				mark = "*"
			}
			fmt.Fprintf(&b, " %s%s(%d)", mark, f, count[f])
		}
		fmt.Printf("%s:%s\n", jq.query, b.String())
	}
}

// TestJudged_DumpDocumented prints, for each documented query, the
// articles it matches and the articles it does not match whose words start
// like one of its words, with the words in question: what a judge reads.
func TestJudged_DumpDocumented(t *testing.T) {
	if os.Getenv("DOCUMENTED") == "" {
		t.Skip("set DOCUMENTED=1 to list the articles to judge")
	}
	arts := judgedDocs(t)
	for _, jq := range loadJudged(t, "documented.txt") {
		q := mustParse(t, jq.query)
		var cores []string
		for _, w := range textproc.Words(jq.query) {
			if len(w) < 3 || strings.Contains("or title source lang hespress com", w) {
				continue
			}
			rs := []rune(textproc.Reading(w))
			cores = append(cores, string(rs[:max(3, min(len(rs), len(rs)-2))]))
		}
		fmt.Printf("## %s\n", jq.query)
		for _, a := range arts {
			m := q.Matches(NewDocument(a))
			var hits []string
			for f := range docForms(a) {
				for _, c := range cores {
					if strings.Contains(f, c) && !slices.Contains(hits, f) {
						hits = append(hits, f)
					}
				}
			}
			if !m && len(hits) == 0 {
				continue
			}
			sort.Strings(hits)
			mark := "  "
			if m {
				mark = "M "
			}
			title := []rune(a.Title)
			fmt.Printf("%s%s [%s] %s | %s\n", mark, a.Key, a.Lang, string(title[:min(len(title), 60)]), strings.Join(hits, " "))
		}
	}
}

// score is precision and recall over (query, article) pairs.
type score struct{ tp, fp, fn int }

func (s score) precision() float64 {
	if s.tp+s.fp == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fp)
}

func (s score) recall() float64 {
	if s.tp+s.fn == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fn)
}

func (s *score) add(o score) { s.tp, s.fp, s.fn = s.tp+o.tp, s.fp+o.fp, s.fn+o.fn }

func (s score) String() string {
	return fmt.Sprintf("precision %.3f recall %.3f (tp %d fp %d fn %d)", s.precision(), s.recall(), s.tp, s.fp, s.fn)
}

// TestJudged_OneWordQueries measures single-word alerts against what a
// reader expects them to find (testdata/judged/one-word.txt): a word finds
// its inflections, and only them. Targets: recall >= .90, precision >= .95,
// on the dev queries and on the held-out ones alike. Every form the matcher
// finds must have been judged, so a change of the stemmer that finds a new
// form fails here until someone has judged it.
func TestJudged_OneWordQueries(t *testing.T) {
	arts := judgedDocs(t)
	docs := make([]*Document, len(arts))
	forms := make([]map[string]bool, len(arts))
	for i, a := range arts {
		docs[i] = NewDocument(a)
		forms[i] = docForms(a)
	}
	sets := map[bool]*score{false: {}, true: {}}
	for _, jq := range loadJudged(t, "one-word.txt") {
		q := mustParse(t, jq.query)
		x := NewIndex()
		if err := x.Add(news.Alert{ID: "q", ChatID: 1, Query: jq.query}); err != nil {
			t.Fatal(err)
		}
		w := textproc.Words(jq.query)[0]
		var s score
		var misses, extras []string
		for i, a := range arts {
			matched := q.Matches(docs[i])
			if got := len(x.Match(docs[i])) == 1; got != matched {
				t.Fatalf("%q on %s: index %v, direct %v", jq.query, a.Key, got, matched)
			}
			expected := false
			for _, f := range jq.expected {
				expected = expected || forms[i][f]
			}
			if matched {
				// Every word that made the match must have a judged reading.
				lang := slotLangs[docs[i].slot]
				stem := textproc.Stem(lang, w)
				for f := range forms[i] {
					if !slices.Contains(textproc.Stems(lang, f, nil), stem) {
						continue
					}
					judged := false
					for _, r := range textproc.Readings(f) {
						judged = judged || slices.Contains(jq.expected, r) || slices.Contains(jq.rejected, r)
					}
					if !judged {
						t.Errorf("%q finds the form %q in %s, which nobody judged: add it to one-word.txt", jq.query, f, a.Key)
					}
				}
			}
			switch {
			case matched && expected:
				s.tp++
			case matched:
				s.fp++
				extras = append(extras, a.Key)
			case expected:
				s.fn++
				misses = append(misses, a.Key)
			}
		}
		if len(misses)+len(extras) > 0 {
			t.Logf("%s: misses %v, extras %v", jq.query, misses, extras)
		}
		sets[jq.heldOut].add(s)
	}
	var all score
	all.add(*sets[false])
	all.add(*sets[true])
	t.Logf("one-word queries, dev: %v", *sets[false])
	t.Logf("one-word queries, held out: %v", *sets[true])
	t.Logf("one-word queries, all: %v", all)
	for name, s := range map[string]score{"dev": *sets[false], "held out": *sets[true]} {
		if s.tp+s.fn == 0 {
			continue
		}
		if s.precision() < 0.95 || s.recall() < 0.90 {
			t.Errorf("one-word queries (%s): %v, want precision >= .95 and recall >= .90", name, s)
		}
	}
}

// TestJudged_DocumentedQueries measures the queries the README and /help
// document (places, bodies, Arabic clitics, French elisions, phrases, OR
// groups, exclusions, prefixes, fields) against the articles a reader
// expects (testdata/judged/documented.txt). Targets: precision >= .99 and
// recall >= .98 over all of them.
func TestJudged_DocumentedQueries(t *testing.T) {
	arts := judgedDocs(t)
	docs := make([]*Document, len(arts))
	for i, a := range arts {
		docs[i] = NewDocument(a)
	}
	sets := map[bool]*score{false: {}, true: {}}
	queries := loadJudged(t, "documented.txt")
	x := NewIndex()
	for i, jq := range queries {
		if err := x.Add(news.Alert{ID: fmt.Sprint(i), ChatID: 1, Query: jq.query}); err != nil {
			t.Fatal(err)
		}
	}
	matchedBy := make([]map[string]bool, len(queries))
	for i := range matchedBy {
		matchedBy[i] = map[string]bool{}
	}
	for di, d := range docs {
		for _, m := range x.Match(d) {
			var qi int
			fmt.Sscan(m.AlertID, &qi)
			matchedBy[qi][arts[di].Key] = true
		}
	}
	for qi, jq := range queries {
		q := mustParse(t, jq.query)
		var s score
		for i, a := range arts {
			matched := q.Matches(docs[i])
			if matched != matchedBy[qi][a.Key] {
				t.Fatalf("%q on %s: index %v, direct %v", jq.query, a.Key, matchedBy[qi][a.Key], matched)
			}
			expected := slices.Contains(jq.expected, a.Key)
			switch {
			case matched && expected:
				s.tp++
			case matched:
				s.fp++
				t.Logf("%s: unexpected %s", jq.query, a.Key)
			case expected:
				s.fn++
				t.Logf("%s: missed %s", jq.query, a.Key)
			}
		}
		sets[jq.heldOut].add(s)
	}
	var all score
	all.add(*sets[false])
	all.add(*sets[true])
	t.Logf("documented queries, dev: %v", *sets[false])
	t.Logf("documented queries, held out: %v", *sets[true])
	t.Logf("documented queries, all: %v", all)
	if all.precision() < 0.99 || all.recall() < 0.98 {
		t.Errorf("documented queries: %v, want precision >= .99 and recall >= .98", all)
	}
}
