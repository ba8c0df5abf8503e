package alert

import (
	"errors"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/migrawatch/migrawatch/internal/news"
)

var fuzzQueries = []string{
	`أكادير (OIM OR IOM OR "المنظمة الدولية للهجرة") -football`,
	`title:(migrants OR réfugiés) lang:fr -source:le360.ma`,
	`"droit d'asile" NOT (football OR transfert*)`,
	`((a OR b) (c OR -d))`,
	`مهاج* -«كرة القدم»`,
	`source:https://www.hespress.com/x migrants`,
	`a OR`, `(((`, `"`, `-`, `*`, `title:`, `x:y`, `lang:`, `NOT NOT a`, `a -(-b)`,
	"\u200fمهاجرين\u200e", "ـــ", "l'", `« »`, `a | b || c AND d && e`,
}

func FuzzParse(f *testing.F) {
	for _, q := range fuzzQueries {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %T is not a *ParseError", s, err)
			}
			if n := utf8.RuneCountInString(s); pe.Pos < 0 || pe.Pos > n {
				t.Fatalf("Parse(%q): Pos %d outside 0..%d", s, pe.Pos, n)
			}
			if pe.Code == "" {
				t.Fatalf("Parse(%q): empty code", s)
			}
			return
		}
		canon := q.String()
		again, err := parse(canon, 8*MaxQueryLen, 4*MaxDepth)
		if err != nil {
			t.Fatalf("Parse(%q) ok, but its canonical form %q fails: %v", s, canon, err)
		}
		if again.String() != canon {
			t.Fatalf("canonical form not stable: %q -> %q -> %q", s, canon, again.String())
		}
		for slot, root := range q.langs {
			if _, _, ok := anchors(root, false); !ok {
				t.Fatalf("Parse(%q) accepted a query without anchors (slot %d)", s, slot)
			}
		}
	})
}

// FuzzIndex checks, for any query and article text, that the index finds
// exactly what evaluating the query directly finds.
func FuzzIndex(f *testing.F) {
	for i, q := range fuzzQueries {
		f.Add(q, "المنظمة الدولية للهجرة بأكادير: والمهاجرين. Migrants et réfugiés, droit d'asile", i%3 == 0)
	}
	f.Add("migra*", "la migration", true)
	f.Fuzz(func(t *testing.T, query, text string, inTitle bool) {
		q, err := Parse(query)
		if err != nil {
			return
		}
		a := article("", text)
		if inTitle {
			a = article(text, "")
		}
		d := NewDocument(a)
		x := NewIndex()
		// Two chats share the query: one group serves both.
		alerts := []news.Alert{{ID: "f", ChatID: 1, Query: query}, {ID: "g", ChatID: 2, Query: query}}
		for _, a := range alerts {
			if err := x.Add(a); err != nil {
				t.Fatalf("Add(%q): %v", query, err)
			}
		}
		got := sorted(x.Match(d))
		want := naiveMatch(alerts, []*Query{q, q}, d)
		if !slices.Equal(got, want) {
			t.Fatalf("query %q text %q: index %v, direct %v", query, text, got, want)
		}
	})
}
