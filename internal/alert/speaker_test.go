package alert

import (
	"errors"
	"slices"
	"testing"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/summarize"
)

func TestParse_SpeakerFieldInThreeLanguages(t *testing.T) {
	cases := []struct{ query, canon string }{
		{"speaker:Palatini", "speaker:palatini"},
		{`speaker:"Mme Laura Palatini"`, `speaker:"laura palatini"`},
		{`speaker:"وزير الداخلية"`, `speaker:"وزير الداخليه"`},
		{"orateur:Palatini Agadir", "speaker:palatini agadir"},
		{"المتحدث:بالاتيني", "speaker:بالاتيني"},
		{`speaker:"ministre de l'Intérieur" -football`, `speaker:"ministre de interieur" -football`},
	}
	for _, c := range cases {
		q, err := Parse(c.query)
		if err != nil {
			t.Errorf("%q: %v", c.query, err)
			continue
		}
		if got := q.String(); got != c.canon {
			t.Errorf("%q: canonical %q, want %q", c.query, got, c.canon)
		}
		again, err := Parse(q.String())
		if err != nil || again.String() != q.String() {
			t.Errorf("%q: the canonical form does not parse to itself: %v", c.query, err)
		}
	}
	for query, code := range map[string]string{
		"speaker:":  CodeMissingOperand,
		"speaker:…": CodeMissingOperand,
		`speaker:"one two three four five six seven eight nine"`: CodeBadSpeaker,
		"speakr:Palatini": CodeUnknownField,
	} {
		_, err := Parse(query)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Code != code {
			t.Errorf("%q: %v, want %s", query, err, code)
		}
	}
}

// quoted is an article quoting speakers.
func quoted(key, text string, quotes ...news.Quote) news.Article {
	return news.Article{Item: news.Item{FeedID: "outlet", Key: key, Link: "https://outlet.example/" + key, Title: key},
		Lang: news.English, Text: text, Summary: news.Summary{Quotes: quotes}}
}

func TestSpeaker_MatchesWhoIsQuotedNotWhoIsNamed(t *testing.T) {
	palatini := quoted("palatini", "IOM opens a centre in Agadir.",
		news.Quote{Speaker: "Laura Palatini", Role: "the IOM chief of mission in Morocco", Text: "Integration is a long road"})
	lungarotti := quoted("lungarotti", "Laura Lungarotti, who succeeded Laura Palatini, met officials in Rabat.",
		news.Quote{Speaker: "Laura Lungarotti", Role: "the IOM regional director who worked alongside Laura Palatini", Text: "Returns must stay voluntary"})
	minister := quoted("minister", "قال وزير الداخلية إن الحدود محمية.",
		news.Quote{Speaker: "عبد الوافي لفتيت", Role: "وزير الداخلية", Text: "الحدود محمية"})
	feminine := quoted("feminine", "قالت وزيرة الداخلية الإسبانية إن الحدود مفتوحة للتعاون.",
		news.Quote{Speaker: "فرناندا غراندي", Role: "وزيرة الداخلية الإسبانية", Text: "التعاون مع المغرب ممتاز"})
	unnamed := quoted("unnamed", "قال مصدر إن الوزير غاضب.",
		news.Quote{Speaker: "وزير الداخلية الفرنسي", Text: "لن نقبل بهذا"})
	unsure := quoted("unsure", "Palatini was mentioned.",
		news.Quote{Speaker: "Laura Palatini", Text: "Maybe she said this", Confidence: 0.2})
	text := "قالت رئيسة بعثة المنظمة الدولية للهجرة في المغرب، السيدة لورا بالاتيني (Laura Palatini)، إن المشروع مهم. " +
		"وأضافت بالاتيني قائلة \" إن إدماج المهاجرين يتطلب مشاركة جميع الفاعلين المحليين والمجتمع المدني في المدينة \"."
	arabic := quoted("arabic", text)
	arabic.Lang = news.Arabic
	arabic.Summary = summarize.Summarize("بالاتيني", text, news.Arabic)
	arts := []news.Article{palatini, lungarotti, minister, feminine, unnamed, unsure, arabic}

	cases := []struct {
		query string
		want  []string
	}{
		{"speaker:Palatini", []string{"palatini", "arabic"}},
		{`speaker:"Laura Palatini"`, []string{"palatini", "arabic"}},
		{"speaker:بالاتيني", []string{"arabic"}},
		{"speaker:Laura", []string{"palatini", "lungarotti", "arabic"}},
		{"speaker:Lungarotti", []string{"lungarotti"}},
		{"Palatini", []string{"palatini", "lungarotti", "unsure", "arabic"}},
		{`speaker:"chief of mission"`, []string{"palatini"}},
		{`speaker:"وزير الداخلية"`, []string{"minister", "feminine", "unnamed"}},
		{`speaker:"وزيرة الداخلية الإسبانية"`, []string{"feminine"}},
		{`speaker:"وزير الخارجية"`, nil},
		{"speaker:Palatini Agadir", []string{"palatini"}},
		{"speaker:Palatini -Agadir", []string{"arabic"}},
		{"speaker:Palatini OR speaker:Lungarotti", []string{"palatini", "lungarotti", "arabic"}},
	}
	x := NewIndex()
	var alerts []news.Alert
	for i, c := range cases {
		alerts = append(alerts, news.Alert{ID: c.query, ChatID: int64(i + 1), Query: c.query})
	}
	if err := x.Load(alerts); err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		q, err := Parse(c.query)
		if err != nil {
			t.Fatal(err)
		}
		var byTree, byIndex []string
		for _, a := range arts {
			if q.Matches(NewDocument(a)) {
				byTree = append(byTree, a.Key)
			}
			if slices.ContainsFunc(x.MatchArticle(a), func(m news.AlertMatch) bool { return m.ChatID == int64(i+1) }) {
				byIndex = append(byIndex, a.Key)
			}
		}
		if !slices.Equal(byTree, c.want) || !slices.Equal(byIndex, c.want) {
			t.Errorf("%s: tree %v, index %v, want %v", c.query, byTree, byIndex, c.want)
		}
	}
}
