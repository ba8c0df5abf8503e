package relevance

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/migrawatch/migrawatch/internal/news"
)

const testLexicon = `
topic: test
scoring:
  threshold: 1.0
  min_distinct: 2
  min_strong: 2
  title_weight: 3
  lead_words: 20
  lead_weight: 1.5
  weak_weight: 0.4
  density_words: 100
  min_words: 50
  length_exponent: 1
  max_per_entry: 3
languages:
  ar:
    strong:
      - {label: مهاجرين, terms: [مهاجر]}
      - {label: لجوء, terms: [طالبي اللجوء]}
    weak:
      - {label: لجوء, terms: [لجوء]}
      - {label: حدود, terms: [حدود]}
    negative: [اللجوء إلى القضاء]
  fr:
    strong:
      - {label: migrants, terms: [migrant]}
      - {label: asile, terms: [demandeur d'asile, asile]}
    weak:
      - {label: frontières, terms: [frontière]}
    negative: [oiseaux migrateurs]
  en:
    strong:
      - {label: migrants, terms: [migrant, migration]}
      - {label: refugees, terms: [refugee]}
    weak:
      - {label: border, terms: [border]}
    negative: [bird migration, data migration]
`

func testScorer(t *testing.T) *Scorer {
	t.Helper()
	s, err := New([]byte(testLexicon))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func art(lang, title, text string) news.Article {
	return news.Article{Item: news.Item{Title: title}, Lang: lang, Text: text}
}

// filler returns n neutral words, to place terms in long texts.
func filler(n int) string {
	return strings.Repeat("the weather was mild and the market was calm today ", n/10)
}

func TestScore(t *testing.T) {
	s := testScorer(t)
	tests := []struct {
		name     string
		a        news.Article
		relevant bool
		matched  []string
	}{
		{
			name:     "arabic clitics and inflections match",
			a:        news.Article{Lang: "ar", Text: "وصل المهاجرون إلى الحدود. وقالت السلطات إن للمهاجرين حقوقا، وإن والمهاجرات ينتظرن."},
			relevant: true, matched: []string{"مهاجرين", "حدود"},
		},
		{
			name:     "recourse to the courts is not asylum",
			a:        news.Article{Lang: "ar", Text: "هددت الهيئة باللجوء إلى القضاء بعد القرار، وأكدت حقها في اللجوء إلى القضاء."},
			relevant: false, matched: []string{},
		},
		{
			name:     "asylum seekers phrase is strong",
			a:        art("ar", "طالبي اللجوء في أوروبا", "ينتظر طالبو اللجوء قرار السلطات بشأن المهاجرين."),
			relevant: true, matched: []string{"لجوء", "مهاجرين"},
		},
		{
			name:     "french elisions and accents",
			a:        news.Article{Lang: "fr", Text: "Les demandeurs d’asile et les MIGRANTS attendent à la frontière ; l'asile leur est refusé."},
			relevant: true, matched: []string{"asile", "migrants", "frontières"},
		},
		{
			name:     "bird migration masked",
			a:        art("en", "Bird migration starts early", "Bird migration over the border was early. Data migration too."),
			relevant: false, matched: []string{},
		},
		{
			name:     "weak terms alone count for nothing",
			a:        news.Article{Lang: "en", Text: "The border was closed. The border reopened. Border queues grew."},
			relevant: false, matched: []string{},
		},
		{
			name:     "strong title term with one more entry",
			a:        art("en", "Migrants stranded", "Dozens wait at the border."),
			relevant: true, matched: []string{"migrants", "border"},
		},
		{
			name:     "passing mention in a long text",
			a:        news.Article{Lang: "en", Text: filler(200) + "A migrant and a refugee were also there. " + filler(600)},
			relevant: false, matched: []string{"migrants", "refugees"},
		},
		{
			name:     "same terms in a short text",
			a:        news.Article{Lang: "en", Text: "A migrant and a refugee were there. Another migrant came."},
			relevant: true, matched: []string{"migrants", "refugees"},
		},
		{
			name:     "language detected when empty",
			a:        art("", "Les migrants de la frontière", "Les migrants sont arrivés à la frontière avec des demandeurs d'asile."),
			relevant: true, matched: []string{"migrants", "asile", "frontières"},
		},
		{
			name:     "feed description when no text",
			a:        news.Article{Lang: "en", Item: news.Item{Title: "Refugee camp grows", Description: "More migrants arrived at the camp."}},
			relevant: true, matched: []string{"refugees", "migrants"},
		},
		{
			name:     "language without lexicon",
			a:        news.Article{Lang: "sv", Text: "Migranter kom till gränsen."},
			relevant: false, matched: []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.Score(tt.a)
			if r.Relevant != tt.relevant {
				t.Errorf("Relevant = %v, want %v (score %.3f, matched %v)", r.Relevant, tt.relevant, r.Score, r.Matched)
			}
			if !slices.Equal(r.Matched, tt.matched) {
				t.Errorf("Matched = %q, want %q", r.Matched, tt.matched)
			}
		})
	}
}

func TestScore_TitleWeighsMore(t *testing.T) {
	s := testScorer(t)
	body := filler(100)
	inTitle := s.Score(art("en", "Migrants and refugees", body))
	inBody := s.Score(art("en", "News", body+" Migrants and refugees."))
	if inTitle.Score <= inBody.Score {
		t.Errorf("title score %.3f not above body score %.3f", inTitle.Score, inBody.Score)
	}
	inLead := s.Score(art("en", "News", "Migrants and refugees. "+body))
	if inLead.Score <= inBody.Score {
		t.Errorf("lead score %.3f not above body score %.3f", inLead.Score, inBody.Score)
	}
}

func TestScore_RepeatsCapped(t *testing.T) {
	s := testScorer(t)
	few := s.Score(news.Article{Lang: "en", Text: strings.Repeat("migrant ", 3) + filler(200)})
	many := s.Score(news.Article{Lang: "en", Text: strings.Repeat("migrant ", 30) + filler(200)})
	if many.Score > few.Score+1e-9 {
		t.Errorf("30 repeats score %.3f, 3 repeats %.3f: repeats beyond max_per_entry must add nothing", many.Score, few.Score)
	}
}

func TestNew_Errors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"not yaml", "languages: [", "invalid topic lexicon"},
		{"unknown key", strings.Replace(testLexicon, "topic: test", "topic: test\nthreshhold: 2", 1), "threshhold"},
		{"bad scoring", strings.Replace(testLexicon, "threshold: 1.0", "threshold: 0", 1), "scoring.threshold"},
		{"bad exponent", strings.Replace(testLexicon, "length_exponent: 1", "length_exponent: 2", 1), "length_exponent"},
		{"duplicate across entries", strings.Replace(testLexicon, "terms: [refugee]", "terms: [refugee, migrants]", 1), `"migrants"`},
		{"negative hides strong", strings.Replace(testLexicon, "negative: [bird migration, data migration]", "negative: [refugees]", 1), "already in entry"},
		{"label with space", strings.Replace(testLexicon, "label: border", "label: the border", 1), "one word"},
		{"no languages", "topic: x\nscoring: {threshold: 1}\n", "languages: none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New([]byte(tt.yaml))
			if !errors.Is(err, ErrLexicon) {
				t.Fatalf("err = %v, want ErrLexicon", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestDefault(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if s.Topic() != "migration" {
		t.Errorf("Topic = %q", s.Topic())
	}
	if got := s.Languages(); !slices.Equal(got, []string{"ar", "en", "fr"}) {
		t.Errorf("Languages = %v", got)
	}
	seed := s.Score(seedArticle(t))
	if !seed.Relevant || !slices.Contains(seed.Matched, "هجرة") || !slices.Contains(seed.Matched, "المنظمة_الدولية_للهجرة") {
		t.Errorf("seed: %+v", seed)
	}
}

// Hard negatives beyond the gold set: the words of migration used for
// something else, in each language, must not make an article relevant.
func TestDefault_HardNegatives(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ lang, title, text string }{
		{"fr", "Mercato : le PSG officialise un transfert record", "Le club parisien a finalisé le transfert de son attaquant lors du mercato d'été. Le joueur rejoint l'équipe après des semaines de négociations."},
		{"fr", "Les oiseaux migrateurs arrivent en avance", "Les oiseaux migrateurs traversent la Méditerranée plus tôt cette année. La migration des oiseaux est suivie par des ornithologues."},
		{"fr", "Exil fiscal : les grandes fortunes quittent le pays", "L'exil fiscal des plus riches inquiète. Les exilés fiscaux s'installent en Suisse ou en Belgique pour échapper à l'impôt."},
		{"fr", "Migration vers le cloud : les entreprises accélèrent", "La migration des données vers le cloud est la priorité des DSI. La migration de données demande des mois."},
		{"en", "Data migration project delayed", "The bank's data migration to new servers was delayed. Cloud migration costs rose and the database migration failed twice."},
		{"en", "Companies speed up migration to the new office suite", "Companies are moving to the new office suite. " + strings.Repeat("The vendor says the move takes weeks and the migration of mailboxes and calendars is automatic for most users, while older files need manual work. ", 8)},
		{"fr", "Un ancien asile psychiatrique devient un musée", "L'ancien asile psychiatrique de la ville ouvre ses portes au public. L'asile d'aliénés accueillait autrefois 300 patients."},
		{"en", "Tax exiles return to Monaco", "Several tax exiles and their tax haven accounts were named in the leak."},
		{"en", "Drug smuggling ring broken up", "Police broke up a drug smuggling ring at the border. Drug trafficking charges were filed."},
		{"ar", "هجرة الطيور تبدأ مبكرا", "بدأت هجرة الطيور هذا العام مبكرا، ورصد الباحثون الطيور المهاجرة فوق المتوسط."},
		{"ar", "سوق الانتقالات: ريال مدريد يتعاقد مع مهاجم جديد", "أعلن النادي عن صفقة جديدة في سوق الانتقالات الصيفية، وانضم المهاجم إلى الفريق."},
		{"ar", "النقابة تلوح باللجوء إلى القضاء", "قالت النقابة إنها تحتفظ بحقها في اللجوء إلى القضاء، ولوحت باللجوء إلى الإضراب."},
		{"ar", "شركات التقنية تسهل نقل البيانات", "أطلقت الشركات مشروعا لتسهيل نقل البيانات بين الخدمات وهجرة البيانات بين المنصات."},
		{"ar", "الباجي قائد السبسي يستقبل وفدا حزبيا", "استقبل الرئيس الباجي قائد السبسي وفدا حزبيا، وقال الباجي إن الحوار ضروري، وأكد الباجي قائد السبسي على الحدود الدستورية للسلطات وعلى استقرار البلاد."},
		{"ar", "هاجر الريسوني أمام المحكمة من جديد", "مثلت الصحفية هاجر الريسوني أمام المحكمة، وقال دفاع هاجر إن الملف فارغ، وطالبت هيئة الدفاع بالإفراج عن هاجر الريسوني."},
		{"ar", "القمة تدعو إلى لم الشمل العربي", "دعا البيان الختامي إلى لم الشمل العربي وتجاوز الخلافات، وإلى لم شمل الفصائل حول الحوار."},
		{"ar", "حملة رمضان لعام 1447 هجرية", "أطلقت الوكالة حملتها السنوية عشية شهر رمضان لعام 1447 هجرية."},
	}
	for _, tt := range tests {
		r := s.Score(news.Article{Lang: tt.lang, Item: news.Item{Title: tt.title}, Text: tt.text})
		if r.Relevant {
			t.Errorf("%s %q relevant (score %.2f, matched %v)", tt.lang, tt.title, r.Score, r.Matched)
		}
	}
}

// Short feed items about migration, in each language, must be kept.
func TestDefault_ShortPositives(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ lang, title, text string }{
		{"fr", "Migrants : le navire humanitaire accoste à Malte", "Le bateau transportait 230 personnes secourues en Méditerranée."},
		{"fr", "Calais : évacuation d'un campement d'exilés", "Les demandeurs d'asile ont été conduits vers des centres d'accueil."},
		{"en", "How Germany's skilled worker gap exposes migration hurdles", "Employers wait months for recognition of foreign diplomas."},
		{"en", "Record number of asylum seekers cross the Channel", "The Home Office said more than 1,000 people crossed in small boats."},
		{"en", "UNHCR warns of new displacement in Sudan", "Thousands of refugees fled across the border into Chad this week."},
		{"ar", "غرق قارب للمهاجرين قبالة السواحل الليبية", "أعلنت المنظمة الدولية للهجرة فقدان عشرات المهاجرين في عرض البحر."},
		{"ar", "ارتفاع محاولات الهجرة غير النظامية نحو سبتة", "أحبطت السلطات محاولات عشرات الشباب عبور الحدود سباحة."},
	}
	for _, tt := range tests {
		r := s.Score(news.Article{Lang: tt.lang, Item: news.Item{Title: tt.title}, Text: tt.text})
		if !r.Relevant {
			t.Errorf("%s %q not relevant (score %.2f, matched %v)", tt.lang, tt.title, r.Score, r.Matched)
		}
	}
}

// Score is called from several pipeline workers at once.
func TestScore_Concurrent(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	gold := loadGold(t)
	want := make([]news.Relevance, len(gold))
	for i, g := range gold {
		want[i] = s.Score(goldNews(g))
	}
	var wg sync.WaitGroup
	errs := make(chan string, len(gold)*4)
	for range 4 {
		wg.Go(func() {
			for i, g := range gold {
				if got := s.Score(goldNews(g)); got.Relevant != want[i].Relevant || got.Score != want[i].Score {
					errs <- g.ID
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for id := range errs {
		t.Errorf("%s scored differently under concurrency", id)
	}
}

func BenchmarkBaselineTerms(b *testing.B) {
	gold := loadGold(b)
	for b.Loop() {
		for _, g := range gold {
			_ = termsOnly(g)
		}
	}
}

func BenchmarkScoreGold(b *testing.B) {
	s, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	gold := loadGold(b)
	articles := make([]news.Article, len(gold))
	for i, g := range gold {
		articles[i] = goldNews(g)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, a := range articles {
			_ = s.Score(a)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(articles)), "ns/article")
}
