package alert

import (
	"testing"

	"github.com/migrawatch/migrawatch/internal/news"
)

func article(title, text string) news.Article {
	return news.Article{
		Item: news.Item{FeedID: "2m-ar", Link: "https://www.2m.ma/ar/news/123", Title: title},
		Lang: news.Arabic,
		Text: text,
	}
}

func TestQuery_Matches(t *testing.T) {
	tests := []struct {
		name        string
		query       string
		title, text string
		want        bool
	}{
		// Words and case.
		{"word in text", "migrants", "", "Des migrants arrivent", true},
		{"word in title", "migrants", "Migrants à Agadir", "", true},
		{"case folded", "MIGRANTS", "", "des Migrants", true},
		{"whole words only", "migr", "", "des migrants", false},
		{"no substring match", "asil", "", "asiles", false},
		// French accents and elisions, in query and in text.
		{"accent in text", "refugies", "", "les réfugiés", true},
		{"accent in query", "réfugiés", "", "les refugies", true},
		{"elision in text", "asile", "", "demandeurs d'asile", true},
		{"typographic apostrophe", "asile", "", "demandeurs d’asile", true},
		{"elision in query", "l'immigration", "", "contre l’immigration", true},
		{"qu elision", "il", "", "qu'il vienne", true},
		// Arabic normalization, in query and in text.
		{"diacritics in text", "لاجئين", "", "اللاجِئِينَ في المخيم", true},
		{"diacritics in query", "لاجِئِين", "", "اللاجئين", true},
		{"tatweel in text", "مهاجرين", "", "المهـــاجرين", true},
		{"hamza alef forms", "أكادير", "", "مدينة اكادير", true},
		{"alef madda", "آلاف", "", "الاف المهاجرين", true},
		{"hamza on ya", "لاجئ", "", "لاجي سوري", true},
		{"ta marbuta", "الهجرة", "", "ملف الهجره", true},
		{"alef maqsura", "إلى", "", "الي المغرب", true},
		{"arabic-indic digits", "2024", "", "سنة ٢٠٢٤", true},
		// Arabic clitics.
		{"waw al", "مهاجرين", "", "والمهاجرين", true},
		{"lam lam", "مهاجرين", "", "للمهاجرين", true},
		{"ba al", "مغرب", "", "بالمغرب", true},
		{"fa", "قال", "", "فقال", true},
		{"kaf al", "مهاجرين", "", "كالمهاجرين", true},
		{"article in query", "المهاجرين", "", "مهاجرين", true},
		{"clitics in query", "والمهاجرين", "", "للمهاجرين", true},
		{"root lam kept apart", "لاجئين", "", "للاجئين", true},
		{"root lam with article", "لاجئين", "", "واللاجئين", true},
		{"plural and singular", "مهاجر", "", "المهاجرون", true},
		{"exact form in quotes", `"مهاجرين"`, "", "المهاجرون", false},
		{"exact form keeps clitics apart", `"مهاجرين"`, "", "والمهاجرين", true},
		// Prefixes.
		{"prefix latin", "migra*", "", "la migration", true},
		{"prefix no match", "migra*", "", "immigration", false},
		{"prefix arabic through clitics", "مهاج*", "", "والمهاجرات", true},
		{"prefix arabic with article", "المهاج*", "", "مهاجرون", true},
		{"prefix root lam", "لاج*", "", "للاجئين", true},
		{"prefix accents", "refug*", "", "Réfugiées", true},
		// Phrases.
		{"phrase adjacent", `"droit d'asile"`, "", "le droit d'asile est", true},
		{"phrase not adjacent", `"droit asile"`, "", "le droit à l'asile", false},
		{"phrase wrong order", `"asile droit"`, "", "le droit d'asile", false},
		{"phrase across punctuation", `"Agadir migrants"`, "", "à Agadir: migrants et réfugiés", true},
		{"phrase across comma arabic", `"المنظمة الدولية للهجرة"`, "", "المنظمة، الدولية للهجرة", true},
		{"phrase with clitics", `"المنظمة الدولية للهجرة"`, "", "وللمنظمة الدولية للهجرة", true},
		{"phrase not across title and text", `"agadir migrants"`, "Rencontre à Agadir", "Migrants et élus", false},
		{"hyphen as phrase", "covid-19", "", "la crise du Covid 19", true},
		// Boolean operators.
		{"and both", "migrants Agadir", "", "migrants à Agadir", true},
		{"and one missing", "migrants Agadir", "", "migrants à Rabat", false},
		{"or either", "OIM OR IOM", "", "selon l'IOM", true},
		{"or none", "OIM OR IOM", "", "selon le HCR", false},
		{"minus excludes", "migration -oiseaux", "", "la migration des oiseaux", false},
		{"minus absent", "migration -oiseaux", "", "la migration des travailleurs", true},
		{"not excludes", "migration NOT oiseaux", "", "la migration des oiseaux", false},
		{"not group", "migration -(oiseaux OR football)", "", "migration et football", false},
		{"tighter or", "migrants Agadir OR Tanger", "", "migrants à Tanger", true},
		{"tighter or needs and", "migrants Agadir OR Tanger", "", "touristes à Tanger", false},
		{"design example", `أكادير (OIM OR IOM OR "المنظمة الدولية للهجرة") -football`, "",
			"وقعت جماعة أكادير مع المنظمة الدولية للهجرة اتفاقية", true},
		{"design example excluded", `أكادير (OIM OR IOM OR "المنظمة الدولية للهجرة") -football`, "",
			"أكادير IOM football", false},
		// Fields.
		{"title only in title", "title:migrants", "Migrants à Agadir", "", true},
		{"title only not in text", "title:migrants", "Agadir", "des migrants", false},
		{"title group", "title:(OIM OR IOM)", "L'OIM à Rabat", "", true},
		{"title phrase", `title:"droit d'asile"`, "Le droit d'asile", "", true},
		{"title prefix", "title:migra*", "Agadir", "migration", false},
		{"title negation", "migrants -title:football", "Football", "migrants", false},
		{"source id", "migrants source:2m-ar", "", "migrants", true},
		{"source id other", "migrants source:hespress", "", "migrants", false},
		{"source host", "migrants source:2m.ma", "", "migrants", true},
		{"source host with www", "migrants source:www.2m.ma", "", "migrants", true},
		{"lang", "migrants lang:ar", "", "migrants", true},
		{"lang other", "migrants lang:fr", "", "migrants", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.query)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.query, err)
			}
			d := NewDocument(article(tt.title, tt.text))
			if got := q.Matches(d); got != tt.want {
				t.Errorf("%q on title %q text %q = %v, want %v", tt.query, tt.title, tt.text, got, tt.want)
			}
			// The index must agree with direct evaluation.
			x := NewIndex()
			if err := x.Add(news.Alert{ID: "a", ChatID: 1, Query: tt.query}); err != nil {
				t.Fatal(err)
			}
			if got := len(x.Match(d)) == 1; got != tt.want {
				t.Errorf("index: %q matched = %v, want %v", tt.query, got, tt.want)
			}
		})
	}
}

// An untitled feed item gets the first words of its description as a
// title to show; they are not a title, so title: does not find them, while
// the words still count as text.
func TestQuery_TitleMatchesOnlyARealTitle(t *testing.T) {
	a := article("Des migrants secourus au large de Lampedusa", "Des migrants secourus au large de Lampedusa, selon les garde-côtes.")
	a.Lang = news.French
	a.TitleGuessed = true
	d := NewDocument(a)
	for q, want := range map[string]bool{
		"title:migrants":       false,
		"title:Lampedusa":      false,
		"migrants":             true,
		`"large de Lampedusa"`: true,
	} {
		if got := mustParse(t, q).Matches(d); got != want {
			t.Errorf("guessed title: %q = %v, want %v", q, got, want)
		}
	}
	a.TitleGuessed = false
	if !mustParse(t, "title:migrants").Matches(NewDocument(a)) {
		t.Error("a real title: title:migrants does not match")
	}
	// Only text: the guessed title's words are the text's.
	a.TitleGuessed, a.Text = true, ""
	if d := NewDocument(a); !mustParse(t, "Lampedusa").Matches(d) || mustParse(t, "title:Lampedusa").Matches(d) {
		t.Error("an untitled item without text: its words must count as text, not title")
	}
}

// Singular and plural, feminine and dual meet in all three languages, in
// real sentences; a quoted word keeps its exact form.
func TestQuery_InflectionsInThreeLanguages(t *testing.T) {
	tests := []struct {
		lang, query, text string
		want              bool
	}{
		{news.English, "migrant", "More than 3,000 migrants crossed the Channel in small boats last week.", true},
		{news.English, "boat", "More than 3,000 migrants crossed the Channel in small boats last week.", true},
		{news.English, "child", "Unaccompanied children were held at the police station overnight.", true},
		{news.English, "country", "Several countries refused to take the rescued people.", true},
		{news.English, `"migrant"`, "More than 3,000 migrants crossed the Channel.", false},
		{news.English, "policy", "Police stopped the lorry near Calais.", false},
		{news.English, "refuge", "The refugees were moved to a camp.", false},
		{news.French, "réfugié", "Les réfugiées afghanes ont été accueillies à Paris.", true},
		{news.French, "migrant", "Une migrante enceinte a été secourue en mer.", true},
		{news.French, "refoulement", "Les refoulements se multiplient à la frontière.", true},
		{news.French, "frontière", "Les frontières extérieures de l'Union européenne.", true},
		{news.French, "étranger", "Des travailleuses étrangères sans contrat.", true},
		{news.French, "bateau", "Deux bateaux ont chaviré au large de la Libye.", true},
		{news.French, `"réfugié"`, "Les réfugiées afghanes ont été accueillies.", false},
		{news.French, "mois", "Il a été expulsé vers le Maroc, selon moi.", false},
		{news.Arabic, "مهاجر", "أنقذ خفر السواحل عشرات المهاجرين قبالة سواحل ليبيا.", true},
		{news.Arabic, "مهاجر", "وصل مهاجرون غير نظاميين إلى جزر الكناري.", true},
		{news.Arabic, "لاجئ", "وقدمت المساعدة للاجئين السوريين في لبنان.", true},
		{news.Arabic, "قارب", "غرقت ثلاثة قوارب تقل مهاجرين.", true},
		{news.Arabic, "مهاجر", "تعرض مهاجران للضرب على الحدود.", true}, // dual
		{news.Arabic, `"مهاجر"`, "أنقذ خفر السواحل عشرات المهاجرين.", false},
		{news.Arabic, "كاليه", "وأشار إليه الوزير في كلمته.", false},
		{news.Arabic, "فيات", "ارتفع عدد الوفيات إلى عشرين.", false},
		{news.Arabic, "لبنان", "كرم الفنان في حفل كبير.", false},
		{news.Arabic, "لبنان", "عاد اللاجئون من لبنان وسوريا.", true},
		{news.Arabic, "لبنان", "عاد اللاجئون ولبنان يستعد للانتخابات.", true},
		{news.Arabic, "بحار", "شربوا الشاي الحار في المخيم.", false},
	}
	for _, tt := range tests {
		a := article("", tt.text)
		a.Lang = tt.lang
		d := NewDocument(a)
		if got := mustParse(t, tt.query).Matches(d); got != tt.want {
			t.Errorf("%s: %q in %q = %v, want %v", tt.lang, tt.query, tt.text, got, tt.want)
		}
		x := NewIndex()
		if err := x.Add(news.Alert{ID: "a", ChatID: 1, Query: tt.query}); err != nil {
			t.Fatal(err)
		}
		if got := len(x.Match(d)) == 1; got != tt.want {
			t.Errorf("index: %s: %q in %q = %v, want %v", tt.lang, tt.query, tt.text, got, tt.want)
		}
	}
}

func TestQuery_SubdomainMatchesParentHost(t *testing.T) {
	a := article("", "migrants")
	a.Link = "https://fr.hespress.com/123.html"
	d := NewDocument(a)
	for q, want := range map[string]bool{
		"migrants source:hespress.com":    true,
		"migrants source:fr.hespress.com": true,
		"migrants source:ar.hespress.com": false,
		"migrants source:com":             false,
	} {
		if got := mustParse(t, q).Matches(d); got != want {
			t.Errorf("%q = %v, want %v", q, got, want)
		}
	}
}

func mustParse(t testing.TB, q string) *Query {
	t.Helper()
	p, err := Parse(q)
	if err != nil {
		t.Fatalf("Parse(%q): %v", q, err)
	}
	return p
}
