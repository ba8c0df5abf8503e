package summarize

import (
	"encoding/json"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/summarize/summarizetest"
)

// TestSummarize_SeedAttributesItsTwoQuotesAndGivesACleanGist checks the
// article MigraWatch was built around: its two quotes go to exactly their
// two speakers with their roles, the project name in quotes is no quote, a
// quote is shown exactly when its confidence reaches Arabic's threshold,
// and the gist is the lead without page furniture.
func TestSummarize_SeedAttributesItsTwoQuotesAndGivesACleanGist(t *testing.T) {
	text, err := summarizetest.ReadSeed("2m-iom-agadir.txt")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := summarizetest.ReadSeed("2m-iom-agadir.expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		Headline string `json:"headline"`
		Quotes   []struct {
			Speaker string `json:"speaker"`
			Role    string `json:"speaker_role"`
			Starts  string `json:"quote_starts_with"`
			Ends    string `json:"quote_ends_with"`
		} `json:"quotes"`
		Boilerplate []string `json:"boilerplate_not_article_text"`
	}
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	m, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	got, _ := m.shown(newDoc(string(text), news.Arabic), 0)
	if len(got) != len(want.Quotes) {
		t.Fatalf("got %d attributed quotes, want %d: %+v", len(got), len(want.Quotes), got)
	}
	for i, w := range want.Quotes {
		q := got[i]
		if q.Speaker != w.Speaker || q.Role != w.Role {
			t.Errorf("quote %d: %q (%q), want %q (%q)", i, q.Speaker, q.Role, w.Speaker, w.Role)
		}
		if !strings.HasPrefix(q.Text, w.Starts) || !strings.HasSuffix(q.Text, w.Ends) {
			t.Errorf("quote %d: text %q, want %q ... %q", i, q.Text, w.Starts, w.Ends)
		}
		t.Logf("quote %d: %s, confidence %.3f (threshold %.3f for group %q)", i, q.Speaker, q.Confidence, m.threshold(news.Arabic, q.group), q.group)
	}
	sum := Summarize(want.Headline, string(text), news.Arabic)
	var shown []news.Quote
	for _, q := range got {
		if q.Confidence >= m.threshold(news.Arabic, q.group) {
			shown = append(shown, q.Quote)
		}
	}
	if !slices.Equal(sum.Quotes, shown) {
		t.Errorf("Summarize shows %+v, want the quotes at or above the threshold %+v", sum.Quotes, shown)
	}
	if want := len(got) - len(shown); sum.UnconfirmedQuotes != want {
		t.Errorf("Summarize counts %d unconfirmed quotes, want the %d below the threshold", sum.UnconfirmedQuotes, want)
	}
	checkSeedGist(t, string(text), sum.Gist, want.Boilerplate)
}

func checkSeedGist(t *testing.T, text string, gist, boilerplate []string) {
	t.Helper()
	if len(gist) == 0 || len(gist) > MaxGistSentences {
		t.Fatalf("gist has %d sentences", len(gist))
	}
	for _, g := range gist {
		for _, b := range boilerplate {
			if strings.Contains(g, b) {
				t.Errorf("gist sentence %q carries boilerplate %q", g, b)
			}
		}
		if !strings.Contains(text, g) {
			t.Errorf("gist sentence %q is not verbatim from the text", g)
		}
	}
	if !strings.HasPrefix(gist[0], "قالت رئيسة بعثة المنظمة الدولية للهجرة") {
		t.Errorf("gist does not open with the lead: %q", gist[0])
	}
}

func TestQuotes_CuePatterns(t *testing.T) {
	tests := []quoteCase{
		{
			name: "en cue after, inverted verb and role",
			lang: news.English,
			text: `"The chances of him playing are very slim indeed," said coach Andy Robinson.`,
			want: []news.Quote{{Text: "The chances of him playing are very slim indeed,", Speaker: "Andy Robinson", Role: "coach"}},
		},
		{
			name: "en cue after, subject then verb, apposition",
			lang: news.English,
			text: `"To prolong the suffering of vulnerable people is plain wrong," John Dalhuisen, Europe Director at Amnesty International, said.`,
			want: []news.Quote{{Text: "To prolong the suffering of vulnerable people is plain wrong,", Speaker: "John Dalhuisen", Role: "Europe Director at Amnesty International"}},
		},
		{
			name: "en cue before with colon and surname resolution",
			lang: news.English,
			text: `Tony Blair has said people are right to be concerned. Mr Blair told the radio: "We should cut the number or increase it depending on the country's needs."`,
			want: []news.Quote{{Text: "We should cut the number or increase it depending on the country's needs.", Speaker: "Tony Blair"}},
		},
		{
			name: "en continuation pronoun takes the previous speaker",
			lang: news.English,
			text: `Trevor Phillips, chairman of the Commission, called on ministers to act. "Tell that to the 44,000 doctors in the NHS and the nurses," he said.`,
			want: []news.Quote{{Text: "Tell that to the 44,000 doctors in the NHS and the nurses,", Speaker: "Trevor Phillips"}},
		},
		{
			name: "en pronoun across a paragraph with unknown gender is not guessed",
			lang: news.English,
			text: "Prime Minister Lars Rasmussen championed the law.\n\n\"Morally it is a horrible way to treat people fleeing war,\" she said.",
			want: nil,
		},
		{
			name: "en scare quotes and short phrases are not quotes",
			lang: news.English,
			text: `Sir Andrew Green said the decision was a "step in the wrong direction".`,
			want: nil,
		},
		{
			name: "en role subject resolves to the person introduced with it",
			lang: news.English,
			text: `Home Secretary Charles Clarke wants a points system. The home secretary said the aim was to "ensure we can know everybody who is in the country".`,
			want: []news.Quote{{Text: "ensure we can know everybody who is in the country", Speaker: "Charles Clarke"}},
		},
		{
			name: "en quote with no speaker is not shown",
			lang: news.English,
			text: `The weather was cold. "Nobody could have seen this coming at all this year."`,
			want: nil,
		},
		{
			name: "fr incise inside guillemets splits the quote",
			lang: news.French,
			text: `Me Antoine Comte défend l'un des mis en examen. « C'est un dossier grotesque et honteux, poursuit Me Comte. Sur les vidéos, on voit mon client qui est sur le trottoir. »`,
			want: []news.Quote{
				{Text: "C'est un dossier grotesque et honteux", Speaker: "Antoine Comte"},
				{Text: "Sur les vidéos, on voit mon client qui est sur le trottoir.", Speaker: "Antoine Comte"},
			},
		},
		{
			name: "fr inverted pronoun a-t-elle takes the previous speaker",
			lang: news.French,
			text: `Marine Gastou est professeure de mathématiques. « Je ne fais pas le même métier qu'un enseignant de province », a-t-elle souligné.`,
			want: []news.Quote{{Text: "Je ne fais pas le même métier qu'un enseignant de province", Speaker: "Marine Gastou"}},
		},
		{
			name: "fr selon before the quote",
			lang: news.French,
			text: `Selon Farid Aid, « l'idée est d'y aller tous ensemble pour être vraiment entendus ».`,
			want: []news.Quote{{Text: "l'idée est d'y aller tous ensemble pour être vraiment entendus", Speaker: "Farid Aid"}},
		},
		{
			name: "fr unnamed source keeps its wording",
			lang: news.French,
			text: `Une source au ministère de l'intérieur précisait au Monde : « Ce qui est à peu près certain, c'est qu'ils étaient sur place. »`,
			want: []news.Quote{{Text: "Ce qui est à peu près certain, c'est qu'ils étaient sur place.", Speaker: "Une source au ministère de l'intérieur"}},
		},
		{
			name: "fr title after intitulé is not a quote",
			lang: news.French,
			text: `Human Rights Watch publiait un rapport intitulé « Les mains sales de l'Europe face aux migrants ».`,
			want: nil,
		},
		{
			name: "ar cue before with role then name",
			lang: news.Arabic,
			text: `وقالت رئيسة الهلال الأحمر الجزائري سعيدة بن حبيلس إن "كل عمليات الترحيل لم تتم بطريقة أحادية بل بالتعاون الثنائي".`,
			want: []news.Quote{{Text: "كل عمليات الترحيل لم تتم بطريقة أحادية بل بالتعاون الثنائي", Speaker: "سعيدة بن حبيلس", Role: "رئيسة الهلال الأحمر الجزائري"}},
		},
		{
			name: "ar continuation verb without subject takes the previous speaker",
			lang: news.Arabic,
			text: `وقال مساهل في حوار مع الإذاعة: "من المستبعد جدا أن تفتح الجزائر مراكز لإيواء المهاجرين". وأضاف "كل ما نقوم به يتم وفق القوانين الدولية ويحترم حقوق الإنسان".`,
			want: []news.Quote{
				{Text: "من المستبعد جدا أن تفتح الجزائر مراكز لإيواء المهاجرين", Speaker: "مساهل"},
				{Text: "كل ما نقوم به يتم وفق القوانين الدولية ويحترم حقوق الإنسان", Speaker: "مساهل"},
			},
		},
		{
			name: "ar surname resolves to the full name met earlier",
			lang: news.Arabic,
			text: `أعلن وزير الخارجية عبد القادر مساهل رفض الفكرة. وقال مساهل: "نحن نعاني أصلا من نفس المشكلة ونعمل على إبعاد المهاجرين".`,
			want: []news.Quote{{Text: "نحن نعاني أصلا من نفس المشكلة ونعمل على إبعاد المهاجرين", Speaker: "عبد القادر مساهل"}},
		},
		{
			name: "ar cue after the quote",
			lang: news.Arabic,
			text: `"انا ابني مفقود حتى الآن وما دفنته بعد كل هذه السنين"، أخبرني فاروق عندما التقيته.`,
			want: []news.Quote{{Text: "انا ابني مفقود حتى الآن وما دفنته بعد كل هذه السنين", Speaker: "فاروق"}},
		},
		{
			name: "ar project name in quotes is not a quote",
			lang: news.Arabic,
			text: `أطلقت الجماعة مشروع "دعم إدماج المهاجرين في المدينة والجماعات المجاورة" بالشراكة مع المنظمة.`,
			want: nil,
		},
		{
			name: "ar feminine pronoun-drop does not take a masculine speaker",
			lang: news.Arabic,
			text: `وقال المتحدث أيوب قاسم إن الوضع صعب. وقالت: "المهربين يستغلون يأس المهاجرين ورغبتهم في المغادرة قبل الصيف".`,
			want: nil,
		},
	}
	checkQuoteCases(t, tests)
}

func TestGist_SkipsBoilerplateAndKeepsArticleOrder(t *testing.T) {
	text := "Share this article\n\n2/16/2024\n\nThe government announced a new asylum law on Monday that changes how claims are processed.\n\n" +
		"Read also: ten things about the law\n\nThe law cuts the time a claim takes from a year to three months, officials said.\n\n" +
		"\"We are proud of this law and of all the people who worked on it,\"\n\nPhoto: AFP/Getty Images\n\nJane Doe"
	gist := Summarize("New asylum law cuts waiting times", text, news.English).Gist
	if len(gist) == 0 {
		t.Fatal("empty gist")
	}
	last := -1
	for _, g := range gist {
		i := strings.Index(text, g)
		if i < 0 {
			t.Fatalf("gist sentence %q not verbatim", g)
		}
		if i <= last {
			t.Errorf("gist out of article order: %q", gist)
		}
		last = i
		for _, bad := range []string{"Share", "2/16/2024", "Read also", "Photo", "Jane Doe", "proud"} {
			if strings.Contains(g, bad) {
				t.Errorf("gist sentence %q carries %q", g, bad)
			}
		}
	}
	if !strings.HasPrefix(gist[0], "The government announced") {
		t.Errorf("gist does not open with the lead: %q", gist)
	}
}

// FuzzSummarize checks that any text gives quotes that are substrings of the
// text and gist sentences in article order, without panicking.
func FuzzSummarize(f *testing.F) {
	seed, err := summarizetest.ReadSeed("2m-iom-agadir.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(seed), "ar")
	for _, a := range loadGold(f)[:6] {
		f.Add(a.Text, a.Language)
	}
	f.Add(`"unterminated « mixed „marks“ ‹ and › " " "`, "fr")
	f.Add("\"\"\"\n\n\"\n«»“”", "en")
	f.Add("قال: \"\"، وأضاف \"", "ar")
	f.Fuzz(func(t *testing.T, text, lang string) {
		sum := Summarize("", text, lang)
		norm := strings.ReplaceAll(text, "\r\n", "\n")
		for _, q := range sum.Quotes {
			if !strings.Contains(norm, q.Text) {
				t.Fatalf("quote %q is not in the text", q.Text)
			}
			if q.Speaker == "" {
				t.Fatalf("quote %q without a speaker", q.Text)
			}
		}
		last := -1
		for _, g := range sum.Gist {
			i := strings.Index(norm[last+1:], g)
			if i < 0 {
				t.Fatalf("gist sentence %q not in the text after the previous one", g)
			}
			last += 1 + i
		}
		if len(sum.Gist) > MaxGistSentences {
			t.Fatalf("gist has %d sentences", len(sum.Gist))
		}
	})
}

// BenchmarkFoldBaseline is the yardstick for BenchmarkSummarize in the same
// run: one normalization and word split of each gold article.
func BenchmarkFoldBaseline(b *testing.B) {
	arts := loadGold(b)
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		a := arts[n%len(arts)]
		n++
		if len(splitFolded(fold(a.Title+" "+a.Text))) == 0 {
			b.Fatal("no words")
		}
	}
}

// BenchmarkSummarize runs the whole gold set and reports articles/s and the
// 95th percentile time per article.
func BenchmarkSummarize(b *testing.B) {
	arts := loadGold(b)
	var times, cpu []time.Duration
	n := 0
	// Thread CPU time is read on one locked OS thread, so it measures this
	// work alone even when the machine is busy; wall time is reported too.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	for b.Loop() {
		a := arts[n%len(arts)]
		n++
		c0, okCPU := threadCPU()
		start := time.Now()
		sum := Summarize(a.Title, a.Text, a.Language)
		times = append(times, time.Since(start))
		if c1, ok := threadCPU(); ok && okCPU {
			cpu = append(cpu, c1-c0)
		}
		if len(sum.Gist) == 0 {
			b.Fatalf("%s: empty gist", a.ID)
		}
	}
	p95 := func(ds []time.Duration) float64 {
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return float64(ds[len(ds)*95/100].Microseconds()) / 1000
	}
	var total time.Duration
	for _, d := range times {
		total += d
	}
	b.ReportMetric(p95(times), "p95-ms/article")
	if len(cpu) == len(times) {
		b.ReportMetric(p95(cpu), "p95-cpu-ms/article")
	}
	b.ReportMetric(float64(len(times))/total.Seconds(), "articles/s")
}

// BenchmarkLoadSpeakerModel measures what the process pays once at start:
// parsing the lexicons and the model (BenchmarkLoadBaseline, reading the
// same bytes as JSON into a map, is the yardstick in the same run).
func BenchmarkLoadSpeakerModel(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		lexOnce, modelOnce = sync.Once{}, sync.Once{}
		if _, _, err := lexicons(); err != nil {
			b.Fatal(err)
		}
		if _, err := speakerModel(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadBaseline(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var m map[string]any
		if err := json.Unmarshal(modelFile, &m); err != nil {
			b.Fatal(err)
		}
	}
}
