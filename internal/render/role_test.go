package render

import (
	"strings"
	"testing"

	"github.com/migrawatch/migrawatch/internal/news"
)

func TestShortRole_CutsALongRoleAtAWordInsteadOfDroppingIt(t *testing.T) {
	tests := []struct{ role, want string }{
		{"Head of the IOM mission", "Head of the IOM mission"},
		{"Head of the International Organization for Migration mission in Morocco", "Head of the International Organization…"},
		{"cheffe de la mission de l’Organisation internationale pour les migrations au Maroc", "cheffe de la mission de l’Organisation…"},
		{"رئيسة بعثة المنظمة الدولية للهجرة بالمغرب وممثلة المنظمة في شمال إفريقيا", "رئيسة بعثة المنظمة الدولية للهجرة بالمغرب…"},
		{"Director-General of the International Organization for Migration in Geneva", "Director-General of the International…"},
	}
	for _, tt := range tests {
		got := shortRole(tt.role)
		if got != tt.want {
			t.Errorf("shortRole(%q)\n got %q\nwant %q", tt.role, got, tt.want)
		}
		if Length(got) > maxShortRole {
			t.Errorf("%q is %d long, over %d", got, Length(got), maxShortRole)
		}
	}
}

func TestArticle_ShowsAShortenedRoleAndNamesAnUnnamedSourceByItsHost(t *testing.T) {
	a := news.Article{
		Item: news.Item{FeedID: "u0897ee5c1224", Key: "k", Link: "https://www.example.org/news/1", Title: "Title"},
		Lang: "en",
		Summary: news.Summary{Gist: []string{"Gist."}, Quotes: []news.Quote{{
			Text:    "We will keep helping the people who arrive.",
			Speaker: "Laura Palatini",
			Role:    "Head of the International Organization for Migration mission in Morocco",
		}}},
	}
	m := Article(a, Options{})
	plain := PlainText(m.Text)
	if !strings.Contains(plain, "Laura Palatini, Head of the International Organization…") {
		t.Errorf("the role is not shown shortened:\n%s", plain)
	}
	if strings.Contains(plain, "u0897ee5c1224") || !strings.Contains(plain, "example.org") {
		t.Errorf("an unnamed source is shown by its id, not its host:\n%s", plain)
	}
}
