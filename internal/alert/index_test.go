package alert

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/migrawatch/migrawatch/internal/news"
)

// naiveMatch evaluates every alert's tree on d: what the index must equal.
func naiveMatch(alerts []news.Alert, queries []*Query, d *Document) []news.AlertMatch {
	var out []news.AlertMatch
	for i, q := range queries {
		if q.Matches(d) {
			a := alerts[i]
			out = append(out, news.AlertMatch{ChatID: a.ChatID, AlertID: a.ID, Query: a.Query})
		}
	}
	sortMatches(out)
	return out
}

// mixedArticle builds a random article from pieces of corpus articles, with
// a random source and language, so fields and phrases meet new neighbours.
func mixedArticle(rng *rand.Rand, arts []news.Article) news.Article {
	pick := func() news.Article { return arts[rng.IntN(len(arts))] }
	var text []string
	for range 1 + rng.IntN(4) {
		ws := strings.Fields(pick().Text)
		start := rng.IntN(max(1, len(ws)-40))
		text = append(text, strings.Join(ws[start:min(len(ws), start+10+rng.IntN(60))], " "))
	}
	src := pick()
	return news.Article{
		Item: news.Item{FeedID: src.FeedID, Link: src.Link, Title: pick().Title},
		Lang: news.Languages[rng.IntN(3)],
		Text: strings.Join(text, ". "),
	}
}

func TestIndex_MatchesExactlyLikeEvaluatingEveryAlert(t *testing.T) {
	arts := loadCorpus(t)
	rng := rand.New(rand.NewPCG(1, 2))
	gen := &queryGen{rng: rng, v: buildVocabulary(arts)}
	// Documents and queries drawn from the same corpus, so many match.
	var (
		alerts  []news.Alert
		queries []*Query
	)
	x := NewIndex()
	for i := range 3000 {
		s, q := gen.query()
		a := news.Alert{ID: fmt.Sprintf("a%04d", i), ChatID: int64(1 + rng.IntN(200)), Query: s}
		if err := x.Add(a); err != nil {
			t.Fatalf("Add(%q): %v", s, err)
		}
		alerts, queries = append(alerts, a), append(queries, q)
	}
	docs := make([]news.Article, 0, 2*len(arts)+200)
	docs = append(docs, arts...)
	for range 200 {
		docs = append(docs, mixedArticle(rng, arts))
	}
	total := 0
	for _, a := range docs {
		d := NewDocument(a)
		got, want := sorted(x.Match(d)), naiveMatch(alerts, queries, d)
		if !slices.Equal(got, want) {
			t.Fatalf("article %q: index found %d alerts, evaluating every alert %d\nonly index: %v\nonly naive: %v",
				a.Title, len(got), len(want), diff(got, want), diff(want, got))
		}
		total += len(got)
	}
	if total == 0 {
		t.Fatal("no alert matched any article: the property says nothing")
	}
	t.Logf("%d matches over %d articles and %d alerts", total, len(docs), len(alerts))
}

func diff(a, b []news.AlertMatch) []news.AlertMatch {
	var out []news.AlertMatch
	for _, m := range a {
		if !slices.Contains(b, m) {
			out = append(out, m)
		}
	}
	return out
}

func TestIndex_AddRemoveReplaceLoad(t *testing.T) {
	d := NewDocument(article("Migrants à Agadir", "L'OIM et le HCR"))
	x := NewIndex()
	add := func(chat int64, id, q string) {
		t.Helper()
		if err := x.Add(news.Alert{ID: id, ChatID: chat, Query: q}); err != nil {
			t.Fatal(err)
		}
	}
	ids := func() []string {
		var out []string
		for _, m := range sorted(x.Match(d)) {
			out = append(out, fmt.Sprintf("%d/%s", m.ChatID, m.AlertID))
		}
		return out
	}
	add(1, "a", "migrants")
	add(1, "b", "OIM OR HCR OR agadir") // three anchors, reported once
	add(2, "a", "football")
	add(2, "b", "agadir -football")
	if got, want := ids(), []string{"1/a", "1/b", "2/b"}; !slices.Equal(got, want) {
		t.Fatalf("after adds: %v, want %v", got, want)
	}
	add(2, "b", "agadir -HCR") // same id replaces
	if got, want := ids(), []string{"1/a", "1/b"}; !slices.Equal(got, want) {
		t.Fatalf("after replace: %v, want %v", got, want)
	}
	if x.Len() != 4 {
		t.Fatalf("Len = %d, want 4", x.Len())
	}
	if !x.Remove(1, "a") || x.Remove(1, "a") {
		t.Fatal("Remove should report true once, then false")
	}
	if got, want := ids(), []string{"1/b"}; !slices.Equal(got, want) {
		t.Fatalf("after remove: %v, want %v", got, want)
	}
	err := x.ReplaceChat(2, []news.Alert{{ID: "c", ChatID: 2, Query: "title:agadir"}, {ID: "d", ChatID: 2, Query: "(("}})
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("ReplaceChat with a bad query: err = %v, want a *ParseError inside", err)
	}
	if got, want := ids(), []string{"1/b", "2/c"}; !slices.Equal(got, want) {
		t.Fatalf("after ReplaceChat: %v, want %v", got, want)
	}
	if err := x.ReplaceChat(2, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := ids(), []string{"1/b"}; !slices.Equal(got, want) {
		t.Fatalf("after ReplaceChat(nil): %v, want %v", got, want)
	}
	if err := x.Load([]news.Alert{{ID: "z", ChatID: 9, Query: "hcr"}}); err != nil {
		t.Fatal(err)
	}
	if got, want := ids(), []string{"9/z"}; !slices.Equal(got, want) || x.Len() != 1 {
		t.Fatalf("after Load: %v (Len %d), want %v", got, x.Len(), want)
	}
	if err := x.Add(news.Alert{ID: "bad", ChatID: 1, Query: "-x"}); !errors.As(err, &pe) || pe.Code != CodeNegationOnly {
		t.Fatalf("Add(-x) = %v, want negation_only", err)
	}
	// Removing everything leaves no posting behind.
	x.Remove(9, "z")
	for slot, p := range x.parts {
		if p.alerts != 0 || len(p.terms) != 0 || len(p.byShape) != 0 || p.prefixes.below != 0 || len(p.prefixes.kids) != 0 || len(p.chats) != 0 {
			t.Fatalf("empty index (slot %d) still holds %d alerts, %d terms, %d groups, %d prefixes, %d chats",
				slot, p.alerts, len(p.terms), len(p.byShape), p.prefixes.below, len(p.chats))
		}
	}
}

func TestIndex_ConcurrentMatchAndChange(t *testing.T) {
	arts := loadCorpus(t)
	gen := &queryGen{rng: rand.New(rand.NewPCG(3, 4)), v: buildVocabulary(arts)}
	x := NewIndex()
	var queries []string
	for range 200 {
		s, _ := gen.query()
		queries = append(queries, s)
	}
	docs := make([]*Document, len(arts))
	for i, a := range arts {
		docs[i] = NewDocument(a)
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 300 {
				switch w {
				case 0:
					_ = x.Add(news.Alert{ID: fmt.Sprint(i % 50), ChatID: int64(i % 7), Query: queries[i%len(queries)]})
				case 1:
					x.Remove(int64(i%7), fmt.Sprint(i%50))
				default:
					for _, m := range x.Match(docs[i%len(docs)]) {
						if m.Query == "" {
							t.Errorf("match without query: %+v", m)
						}
					}
				}
			}
		})
	}
	wg.Wait()
	// Whatever the interleaving, the index still equals direct evaluation.
	var alerts []news.Alert
	var parsed []*Query
	for chat, byID := range x.parts[slotPlain].chats {
		for id, e := range byID {
			alerts = append(alerts, news.Alert{ID: id, ChatID: chat, Query: e.alert.Query})
			parsed = append(parsed, e.query)
		}
	}
	for _, d := range docs {
		if got, want := sorted(x.Match(d)), naiveMatch(alerts, parsed, d); !slices.Equal(got, want) {
			t.Fatalf("after concurrent changes: index %v, naive %v", got, want)
		}
	}
}

func TestIndex_MatchArticleAndNewID(t *testing.T) {
	x := NewIndex()
	if err := x.Add(news.Alert{ID: "1", ChatID: 5, Query: "المهاجرين أكادير"}); err != nil {
		t.Fatal(err)
	}
	m := x.MatchArticle(article("إدماج المهاجرين", "اتفاقية أكادير"))
	if len(m) != 1 || m[0] != (news.AlertMatch{ChatID: 5, AlertID: "1", Query: "المهاجرين أكادير"}) {
		t.Fatalf("MatchArticle = %+v", m)
	}
}

// sortMatches orders matches by chat, then alert id.
func sortMatches(m []news.AlertMatch) {
	slices.SortFunc(m, func(a, b news.AlertMatch) int {
		if c := cmp.Compare(a.ChatID, b.ChatID); c != 0 {
			return c
		}
		return strings.Compare(a.AlertID, b.AlertID)
	})
}

func sorted(m []news.AlertMatch) []news.AlertMatch {
	sortMatches(m)
	return m
}

func TestIndex_SharedQueryMatchesEveryChatAndSurvivesRemoval(t *testing.T) {
	x := NewIndex()
	alerts := []news.Alert{
		{ID: "a", ChatID: 1, Query: "migrants"},
		{ID: "b", ChatID: 2, Query: "migrants"},
		{ID: "c", ChatID: 3, Query: "Migrants"}, // same words once normalized
		{ID: "d", ChatID: 2, Query: "réfugiés"},
	}
	for _, a := range alerts {
		if err := x.Add(a); err != nil {
			t.Fatal(err)
		}
	}
	if len(x.parts[slotPlain].byShape) != 2 {
		t.Fatalf("%d query groups, want 2 (migrants, réfugiés)", len(x.parts[slotPlain].byShape))
	}
	d := NewDocument(article("Des migrants secourus", "Des réfugiés aussi."))
	want := func(ids ...string) []news.AlertMatch {
		var out []news.AlertMatch
		for _, a := range alerts {
			if slices.Contains(ids, a.ID) {
				out = append(out, news.AlertMatch{ChatID: a.ChatID, AlertID: a.ID, Query: a.Query})
			}
		}
		return sorted(out)
	}
	if got := sorted(x.Match(d)); !slices.Equal(got, want("a", "b", "c", "d")) {
		t.Fatalf("Match = %+v, want every chat's alert with its own query text", got)
	}
	if !x.Remove(1, "a") {
		t.Fatal("Remove(1, a) = false")
	}
	if got := sorted(x.Match(d)); !slices.Equal(got, want("b", "c", "d")) {
		t.Fatalf("after removing chat 1's alert: %+v", got)
	}
	// Replacing an alert with the same query keeps one group.
	if err := x.Add(news.Alert{ID: "b", ChatID: 2, Query: "migrants"}); err != nil {
		t.Fatal(err)
	}
	x.Remove(3, "c")
	if got := sorted(x.Match(d)); !slices.Equal(got, want("b", "d")) || x.Len() != 2 || len(x.parts[slotPlain].byShape) != 2 {
		t.Fatalf("after removing chat 3's alert: %+v (Len %d, %d groups)", got, x.Len(), len(x.parts[slotPlain].byShape))
	}
	x.Remove(2, "b")
	if got := sorted(x.Match(d)); !slices.Equal(got, want("d")) || len(x.parts[slotPlain].byShape) != 1 {
		t.Fatalf("after removing the last migrants alert: %+v (%d groups)", got, len(x.parts[slotPlain].byShape))
	}
}

func TestIndex_SharedQueriesMatchLikeEvaluatingEveryAlert(t *testing.T) {
	arts := loadCorpus(t)
	rng := rand.New(rand.NewPCG(5, 6))
	gen := &queryGen{rng: rng, v: buildVocabulary(arts)}
	pool := make([]string, 80)
	for i := range pool {
		pool[i], _ = gen.query()
	}
	x := NewIndex()
	live := map[[2]string]news.Alert{}
	for i := range 3000 {
		a := news.Alert{ID: fmt.Sprint(i % 400), ChatID: int64(1 + rng.IntN(30)), Query: pool[rng.IntN(len(pool))]}
		if rng.IntN(4) == 0 {
			x.Remove(a.ChatID, a.ID)
			delete(live, [2]string{fmt.Sprint(a.ChatID), a.ID})
			continue
		}
		if err := x.Add(a); err != nil {
			t.Fatalf("Add(%q): %v", a.Query, err)
		}
		live[[2]string{fmt.Sprint(a.ChatID), a.ID}] = a
	}
	var (
		alerts  []news.Alert
		queries []*Query
	)
	for _, a := range live {
		q, _ := Parse(a.Query)
		alerts, queries = append(alerts, a), append(queries, q)
	}
	if x.Len() != len(alerts) || len(x.parts[slotPlain].byShape) > len(pool) {
		t.Fatalf("Len %d with %d groups, want %d alerts in at most %d groups", x.Len(), len(x.parts[slotPlain].byShape), len(alerts), len(pool))
	}
	total := 0
	for i := range len(arts) + 100 {
		a := mixedArticle(rng, arts)
		if i < len(arts) {
			a = arts[i]
		}
		d := NewDocument(a)
		got, want := sorted(x.Match(d)), naiveMatch(alerts, queries, d)
		if !slices.Equal(got, want) {
			t.Fatalf("article %q: only index %v, only naive %v", a.Title, diff(got, want), diff(want, got))
		}
		total += len(got)
	}
	if total == 0 {
		t.Fatal("no article matched any alert: the test proves nothing")
	}
}
