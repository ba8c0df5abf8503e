package archive

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
	"github.com/migrawatch/migrawatch/internal/summarize"
)

var _ Store = (*store.Store)(nil)

// clock is a settable clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newArchive(t *testing.T, opts Options) (*Archive, *store.Store, *clock) {
	t.Helper()
	rdb, prefix := storetest.Redis(t)
	st := store.New(rdb, prefix)
	c := &clock{now: time.Now().UTC().Truncate(time.Second)}
	opts.Store, opts.Now = st, c.Now
	x, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return x, st, c
}

// article is a delivered article with its quotes.
func article(source, link, lang string, published time.Time, quotes ...news.Quote) news.Article {
	return news.Article{
		Item:       news.Item{FeedID: strings.ToLower(source), Key: link, Link: link, Title: "t " + link, Published: published},
		SourceName: source, Lang: lang,
		Relevance: news.Relevance{Relevant: true},
		Summary:   news.Summary{Quotes: quotes},
	}
}

func q(speaker, role, text string) news.Quote {
	return news.Quote{Speaker: speaker, Role: role, Text: text}
}

func record(t *testing.T, x *Archive, as ...news.Article) {
	t.Helper()
	for _, a := range as {
		if err := x.Record(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
}

func links(qs []news.ArchivedQuote) []string {
	var out []string
	for _, q := range qs {
		out = append(out, q.Link)
	}
	return out
}

func TestIdentify_TitlesCaseAndArabicSpellingDoNotMatter(t *testing.T) {
	same := [][]string{
		{"Laura Palatini", "Mme Laura Palatini", "LAURA PALATINI", "the Laura Palatini"},
		{"لورا بالاتيني", "السيدة لورا بالاتيني", "لورَا بالاتينيّ"},
		{"Fatima Amzil", "Fatima Amzil", "Mme Fatima Amzil"},
	}
	seen := map[string]string{}
	for _, group := range same {
		first, ok := Identify(group[0])
		if !ok || !ValidID(first.ID) {
			t.Fatalf("%q: no identity (%+v)", group[0], first)
		}
		for _, n := range group[1:] {
			if id, _ := Identify(n); id.ID != first.ID {
				t.Errorf("%q and %q are different identities: %v / %v", group[0], n, first.Words, id.Words)
			}
		}
		if other, dup := seen[first.ID]; dup {
			t.Errorf("%q and %q share an id", group[0], other)
		}
		seen[first.ID] = group[0]
	}
	bare, _ := Identify("Palatini")
	full, _ := Identify("Laura Palatini")
	if bare.ID == full.ID {
		t.Error("a surname alone is the same identity as the full name; it must be its own and be joined when unambiguous")
	}
	if _, ok := Identify(" — "); ok {
		t.Error("a name without words has an identity")
	}
}

func TestEntries_KeepOnlyShownQuotesWithAConfidentSpeaker(t *testing.T) {
	x, _, c := newArchive(t, Options{})
	now := c.Now()
	a := article("2M.ma", "https://2m.ma/a1", news.English, now.Add(-time.Hour),
		news.Quote{Speaker: "Laura Palatini", Text: "Integration is a long road for every city", Confidence: 0.9},
		news.Quote{Speaker: "Omar Doubtful", Text: "This quote's speaker is a guess of the summarizer", Confidence: 0.3},
		news.Quote{Speaker: "Third Speaker", Text: "A third quote is never shown in the message"},
	)
	got := x.Entries(a, now)
	if len(got) != 1 || got[0].Quote.Speaker != "Laura Palatini" {
		t.Fatalf("entries = %+v, want only Laura Palatini's quote", got)
	}
	// Unrated quotes (confidence 0) come from a summarizer that returns only
	// quotes above its threshold: they count.
	a.Summary.Quotes[1].Confidence = 0
	if got := x.Entries(a, now); len(got) != 2 || got[1].Quote.Speaker != "Omar Doubtful" {
		t.Fatalf("entries = %+v, want the unrated second quote too", got)
	}
	// The threshold is an option.
	strict, _, _ := newArchive(t, Options{MinConfidence: 0.95})
	a.Summary.Quotes[1].Confidence = 0.3
	if got := strict.Entries(a, now); len(got) != 0 {
		t.Fatalf("entries below a 0.95 threshold = %+v", got)
	}
	// An article older than the retention is not archived.
	old := article("2M.ma", "https://2m.ma/old", news.English, now.Add(-DefaultRetention-time.Hour), a.Summary.Quotes[0])
	if got := x.Entries(old, now); len(got) != 0 {
		t.Fatalf("a quote older than the retention was kept: %+v", got)
	}
}

// palatini is the test's story: three quotes of Laura Palatini in two
// outlets, and a quote of another Laura.
func palatini(now time.Time) []news.Article {
	return []news.Article{
		article("2M.ma", "https://2m.ma/p1", news.English, now.Add(-72*time.Hour),
			q("Laura Palatini", "IOM chief of mission in Morocco", "Integration of migrants is a long road for every city")),
		article("Hespress English", "https://hespress.com/p2", news.English, now.Add(-48*time.Hour),
			q("Laura Palatini", "IOM chief of mission", "The Agadir project brings local authorities and civil society together")),
		article("Hespress English", "https://hespress.com/l1", news.English, now.Add(-36*time.Hour),
			q("Laura Lungarotti", "IOM regional director", "Voluntary returns must stay voluntary and respect dignity")),
		article("2M.ma", "https://2m.ma/p3", news.English, now.Add(-24*time.Hour),
			q("Mme Laura Palatini", "", "Ceuta and Melilla need a humane approach to every crossing")),
	}
}

func TestSearch_SurnameListsOnePersonNewestFirst(t *testing.T) {
	x, _, c := newArchive(t, Options{})
	record(t, x, palatini(c.Now())...)
	ctx := context.Background()
	want := []string{"https://2m.ma/p3", "https://hespress.com/p2", "https://2m.ma/p1"}
	for _, query := range []string{"Palatini", "palatini", "Laura Palatini", "PALAT", "Mme Palatini"} {
		p, err := x.Search(ctx, query, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if !p.BySpeaker || !slices.Equal(links(p.Quotes), want) || p.Total != 3 || p.More {
			t.Errorf("%q: by speaker %v, total %d, more %v, links %v; want %v", query, p.BySpeaker, p.Total, p.More, links(p.Quotes), want)
		}
	}
	// The first name finds both Lauras.
	p, err := x.Search(ctx, "Laura", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Quotes) != 4 || len(p.Speakers) != 2 {
		t.Errorf("Laura: %d quotes of %d speakers, want 4 of 2", len(p.Quotes), len(p.Speakers))
	}
	// The speaker's own list is the same as the surname search.
	id, _ := Identify("Laura Palatini")
	sp, err := x.SpeakerQuotes(ctx, id.ID, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(links(sp.Quotes), want) {
		t.Errorf("speaker list %v, want %v", links(sp.Quotes), want)
	}
	// Pages.
	p1, _ := x.Search(ctx, "Palatini", 0, 2)
	p2, _ := x.Search(ctx, "Palatini", 2, 2)
	if !slices.Equal(append(links(p1.Quotes), links(p2.Quotes)...), want) || !p1.More || p2.More {
		t.Errorf("pages %v (more %v) + %v (more %v), want %v", links(p1.Quotes), p1.More, links(p2.Quotes), p2.More, want)
	}
	// A name nobody has falls back to the words of quotes.
	p, _ = x.Search(ctx, "Ceuta", 0, 10)
	if p.BySpeaker || !slices.Equal(links(p.Quotes), []string{"https://2m.ma/p3"}) {
		t.Errorf("Ceuta: by speaker %v, %v", p.BySpeaker, links(p.Quotes))
	}
}

func TestSearch_SurnameAloneJoinsTheOnlyPersonWithThatSurname(t *testing.T) {
	x, _, c := newArchive(t, Options{})
	now := c.Now()
	record(t, x, palatini(now)...)
	record(t, x, article("Le360", "https://le360.ma/b1", news.French, now.Add(-12*time.Hour),
		q("Palatini", "", "Nous accompagnons les communes qui accueillent les migrants")))
	ctx := context.Background()
	id, _ := Identify("Laura Palatini")
	sp, err := x.SpeakerQuotes(ctx, id.ID, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := links(sp.Quotes); len(got) != 4 || got[0] != "https://le360.ma/b1" {
		t.Fatalf("Laura Palatini's quotes %v: the surname-only quote is missing", got)
	}
	bare, _ := Identify("Palatini")
	sb, _ := x.SpeakerQuotes(ctx, bare.ID, 0, 10)
	if len(sb.Quotes) != 4 {
		t.Errorf("the surname-only speaker's button lists %d quotes, want the same 4", len(sb.Quotes))
	}
	p, _ := x.Search(ctx, "Laura Palatini", 0, 10)
	if len(p.Quotes) != 4 {
		t.Errorf("search for the full name lists %d, want 4 with the surname-only quote", len(p.Quotes))
	}
	// A second Palatini makes the surname alone ambiguous: it is no longer
	// joined to Laura, while a search for the surname shows everybody.
	record(t, x, article("Le360", "https://le360.ma/m1", news.French, now.Add(-6*time.Hour),
		q("Marco Palatini", "", "Le port de Tanger-Med a renforcé ses contrôles cette année")))
	sp, _ = x.SpeakerQuotes(ctx, id.ID, 0, 10)
	if got := links(sp.Quotes); len(got) != 3 || slices.Contains(got, "https://le360.ma/b1") {
		t.Errorf("with two Palatinis, Laura's list is %v; want her 3 quotes only", got)
	}
	p, _ = x.Search(ctx, "Palatini", 0, 10)
	if len(p.Quotes) != 5 {
		t.Errorf("search for the surname lists %d, want all 5 Palatini quotes", len(p.Quotes))
	}
}

func TestSearch_OtherScriptOnlyWhereTheArticleGivesBothForms(t *testing.T) {
	x, _, c := newArchive(t, Options{})
	now := c.Now()
	record(t, x, palatini(now)...)
	ctx := context.Background()
	// An Arabic article that names her only in Arabic stays apart: no
	// transliteration is guessed.
	arOnly := article("Hespress", "https://hespress.com/ar1", news.Arabic, now.Add(-20*time.Hour),
		q("لورا بالاتيني", "رئيسة بعثة المنظمة الدولية للهجرة", "إدماج المهاجرين أمر معقد وليس باليسير في أي مدينة"))
	arOnly.Text = "قالت لورا بالاتيني إن إدماج المهاجرين أمر معقد."
	record(t, x, arOnly)
	p, _ := x.Search(ctx, "Palatini", 0, 10)
	if len(p.Quotes) != 3 {
		t.Fatalf("Palatini lists %d quotes; the Arabic-only one must not be guessed in", len(p.Quotes))
	}
	p, _ = x.Search(ctx, "بالاتيني", 0, 10)
	if !slices.Equal(links(p.Quotes), []string{"https://hespress.com/ar1"}) {
		t.Fatalf("بالاتيني lists %v", links(p.Quotes))
	}
	// An article that writes both forms side by side links them, through
	// the real summarizer.
	text := "قالت رئيسة بعثة المنظمة الدولية للهجرة في المغرب، السيدة لورا بالاتيني (Laura Palatini)، إن المشروع مهم. " +
		"وأضافت بالاتيني قائلة \" إن إدماج المهاجرين يتطلب مشاركة جميع الفاعلين المحليين والمجتمع المدني في المدينة \"."
	both := article("2M.ma", "https://2m.ma/ar2", news.Arabic, now.Add(-10*time.Hour))
	both.Text = text
	both.Summary = summarize.Summarize("بالاتيني: الإدماج يتطلب الجميع", text, news.Arabic)
	if len(both.Summary.Quotes) == 0 || !strings.Contains(both.Summary.Quotes[0].Speaker, "بالاتيني") {
		t.Fatalf("the summarizer found no quote of بالاتيني: %+v", both.Summary.Quotes)
	}
	record(t, x, both)
	p, _ = x.Search(ctx, "Palatini", 0, 10)
	if got := links(p.Quotes); len(got) < 4 || got[0] != "https://2m.ma/ar2" {
		t.Fatalf("after an article gave both forms, Palatini lists %v; want the Arabic quote first", got)
	}
	// From then on an Arabic-only quote joins her too.
	later := article("Hespress", "https://hespress.com/ar3", news.Arabic, now.Add(-time.Hour),
		q("لورا بالاتيني", "", "نعمل مع الجماعات المحلية لتسهيل ولوج المهاجرين إلى الخدمات"))
	record(t, x, later)
	latin, _ := Identify("Laura Palatini")
	sp, _ := x.SpeakerQuotes(ctx, latin.ID, 0, 10)
	if got := links(sp.Quotes); len(got) == 0 || got[0] != "https://hespress.com/ar3" {
		t.Errorf("Laura Palatini's list %v lacks the later Arabic-only quote", got)
	}
	arabic, _ := Identify("لورا بالاتيني")
	sa, _ := x.SpeakerQuotes(ctx, arabic.ID, 0, 10)
	if len(sa.Quotes) != len(sp.Quotes) {
		t.Errorf("the Arabic form's button lists %d quotes, the Latin form's %d; want the same", len(sa.Quotes), len(sp.Quotes))
	}
}

func TestSearch_WordsOfQuotesRolesAndAllOfThem(t *testing.T) {
	x, _, c := newArchive(t, Options{PerWord: 3})
	now := c.Now()
	record(t, x, palatini(now)...)
	ctx := context.Background()
	p, _ := x.Search(ctx, "voluntary dignity", 0, 10)
	if p.BySpeaker || !slices.Equal(links(p.Quotes), []string{"https://hespress.com/l1"}) {
		t.Errorf("voluntary dignity: %v", links(p.Quotes))
	}
	// A word meets its plural, as in alerts.
	p, _ = x.Search(ctx, "return", 0, 10)
	if !slices.Equal(links(p.Quotes), []string{"https://hespress.com/l1"}) {
		t.Errorf("return (the quote says returns): %v", links(p.Quotes))
	}
	p, _ = x.Search(ctx, "regional director", 0, 10)
	if !slices.Equal(links(p.Quotes), []string{"https://hespress.com/l1"}) {
		t.Errorf("a role's words find its quotes: %v", links(p.Quotes))
	}
	p, _ = x.Search(ctx, "Ceuta Agadir", 0, 10)
	if len(p.Quotes) != 0 {
		t.Errorf("words never in one quote found %v", links(p.Quotes))
	}
	// "IOM" is in four roles, more than PerWord keeps: the newest three
	// with it are found, and with a rarer word, the check in the quotes.
	p, _ = x.Search(ctx, "IOM", 0, 10)
	if len(p.Quotes) != 3 || p.Quotes[0].Link != "https://2m.ma/p3" && p.Quotes[0].Link != "https://hespress.com/l1" {
		t.Errorf("IOM: %v", links(p.Quotes))
	}
	p, _ = x.Search(ctx, "IOM Morocco", 0, 10)
	if !slices.Equal(links(p.Quotes), []string{"https://2m.ma/p1"}) {
		t.Errorf("IOM Morocco: %v", links(p.Quotes))
	}
}

func TestArchive_BoundsOldQuotesExpireAndASpeakerStaysCapped(t *testing.T) {
	x, st, c := newArchive(t, Options{PerSpeaker: 5, Retention: 10 * 24 * time.Hour})
	ctx := context.Background()
	start := c.Now()
	for i := range 8 {
		record(t, x, article("2M.ma", "https://2m.ma/cap"+string(rune('a'+i)), news.English, start.Add(time.Duration(i-8)*time.Hour),
			q("Laura Palatini", "", "Quote number "+string(rune('a'+i))+" about integration of migrants in Agadir")))
	}
	id, _ := Identify("Laura Palatini")
	p, err := x.SpeakerQuotes(ctx, id.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 5 || len(p.Quotes) != 5 || p.Quotes[0].Link != "https://2m.ma/caph" || p.Quotes[4].Link != "https://2m.ma/capd" {
		t.Fatalf("capped at 5: total %d, %v", p.Total, links(p.Quotes))
	}
	lists, counts, _ := st.SpeakerQuotes(ctx, []string{id.ID}, time.Time{}, 100)
	if counts[0] != 5 || len(lists[0]) != 5 {
		t.Fatalf("the store keeps %d quotes (%d listed), want 5", counts[0], len(lists[0]))
	}
	// Eleven days later every quote is past the 10-day retention: none is
	// listed, none found by its words.
	c.Advance(11 * 24 * time.Hour)
	p, _ = x.SpeakerQuotes(ctx, id.ID, 0, 100)
	s, _ := x.Search(ctx, "integration", 0, 10)
	if len(p.Quotes) != 0 || len(s.Quotes) != 0 {
		t.Fatalf("expired quotes still listed: %v / %v", links(p.Quotes), links(s.Quotes))
	}
	// The next write for the speaker drops the expired ones from Redis.
	record(t, x, article("2M.ma", "https://2m.ma/fresh", news.English, c.Now(), q("Laura Palatini", "", "A fresh quote after the long silence")))
	_, counts, _ = st.SpeakerQuotes(ctx, []string{id.ID}, time.Time{}, 100)
	if counts[0] != 1 {
		t.Fatalf("after a new quote the speaker keeps %d, want only the fresh one", counts[0])
	}
}

func TestArchive_RecordingTwiceCountsOnce(t *testing.T) {
	x, _, c := newArchive(t, Options{})
	as := palatini(c.Now())
	record(t, x, as...)
	// Another replica (no memory of what was recorded) records them again.
	y, err := New(Options{Store: x.store, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	record(t, y, as...)
	vs, err := x.Voices(context.Background(), nil, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0].Quotes != 3 || vs[1].Quotes != 1 || vs[0].Quote.Link != "https://2m.ma/p3" {
		t.Fatalf("voices %+v, want Palatini 3 (latest p3) then Lungarotti 1", vs)
	}
}

func TestVoices_FollowTheChatsLanguagesAndTopics(t *testing.T) {
	x, _, c := newArchive(t, Options{})
	now := c.Now()
	record(t, x, palatini(now)...)
	off := article("Le360", "https://le360.ma/foot", news.French, now.Add(-time.Hour),
		q("Walid Regragui", "sélectionneur", "Nous jouerons chaque match comme une finale"),
		q("Walid Regragui", "sélectionneur", "Le groupe est prêt pour la Coupe d'Afrique"))
	off.Relevance.Relevant = false
	record(t, x, off)
	old := article("Le360", "https://le360.ma/old", news.French, now.Add(-9*24*time.Hour),
		q("Ancien Orateur", "", "Une déclaration vieille de neuf jours sur les migrations"))
	record(t, x, old)
	ctx := context.Background()
	names := func(vs []Voice) []string {
		var out []string
		for _, v := range vs {
			out = append(out, v.Quote.Speaker)
		}
		return out
	}
	vs, _ := x.Voices(ctx, nil, nil, 10)
	if got := names(vs); len(got) != 3 || got[0] != "Mme Laura Palatini" || !slices.Contains(got, "Walid Regragui") {
		t.Errorf("all voices of the week: %v", got)
	}
	vs, _ = x.Voices(ctx, nil, []string{"migration"}, 10)
	if got := names(vs); slices.Contains(got, "Walid Regragui") {
		t.Errorf("a migration chat's voices include a football coach: %v", got)
	}
	vs, _ = x.Voices(ctx, []string{news.French}, nil, 10)
	if got := names(vs); !slices.Equal(got, []string{"Walid Regragui"}) {
		t.Errorf("French voices: %v (a quote of nine days ago is not of this week)", got)
	}
}
