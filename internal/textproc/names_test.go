package textproc

import (
	"slices"
	"testing"
)

func TestNameWords_DropLeadingTitlesAndArticlesOnly(t *testing.T) {
	cases := []struct {
		name string
		want []string
	}{
		{"Mme Laura Palatini", []string{"laura", "palatini"}},
		{"M. Gérald Darmanin", []string{"gerald", "darmanin"}},
		{"السيدة لورا بالاتيني", []string{"لورا", "بالاتيني"}},
		{"الدكتور عثمان بلبيسي", []string{"عثمان", "بلبيسي"}},
		{"the Department of Homeland Security", []string{"department", "of", "homeland", "security"}},
		{"Marine Le Pen", []string{"marine", "le", "pen"}},
		{"Le Pen", []string{"pen"}},
		{"l'OIM", []string{"oim"}},
		{"The", []string{"the"}},
		{"", []string{}},
	}
	for _, c := range cases {
		if got := NameWords(c.name); !slices.Equal(got, c.want) {
			t.Errorf("NameWords(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestTitleWords_TheTitleWithoutWhatFollowsIt(t *testing.T) {
	cases := []struct {
		role string
		want []string
	}{
		{"the IOM chief of mission in Morocco", []string{"iom", "chief", "of", "mission", "in", "morocco"}},
		{"the IOM regional director who worked alongside Laura Palatini for several years", []string{"iom", "regional", "director"}},
		{"ministre de l'Intérieur, qui a succédé à Laura Palatini", []string{"ministre", "de", "interieur"}},
		{"وزير الداخلية الذي خلف لورا بالاتيني", []string{"وزير", "الداخليه"}},
		{"رئيسة بعثة المنظمة الدولية للهجرة (المغرب)", []string{"رييسه", "بعثه", "المنظمه", "الدوليه", "للهجره"}},
		{"spokesperson - UNHCR", []string{"spokesperson"}},
		{"", []string{}},
	}
	for _, c := range cases {
		if got := TitleWords(c.role); !slices.Equal(got, c.want) {
			t.Errorf("TitleWords(%q) = %q, want %q", c.role, got, c.want)
		}
	}
}

func TestNameInOtherScript_OnlyWhereTheTextGivesBothForms(t *testing.T) {
	cases := []struct {
		text string
		name string
		want []string
	}{
		{"قالت السيدة لورا بالاتيني (Laura Palatini)، إن المشروع مهم.", "لورا بالاتيني", []string{"laura", "palatini"}},
		{"Laura Palatini (لورا بالاتيني) a déclaré que le projet est important.", "Laura Palatini", []string{"لورا", "بالاتيني"}},
		// The form quoted is the one in parentheses.
		{"قالت لورا بالاتيني (Laura Palatini) إن المشروع مهم.", "Laura Palatini", []string{"لورا", "بالاتيني"}},
		// Same script in parentheses: an acronym or an age, not another form.
		{"قالت لورا بالاتيني (58 عاما) إن المشروع مهم.", "لورا بالاتيني", nil},
		{"said Laura Palatini (IOM), the chief of mission.", "Laura Palatini", nil},
		// The name is elsewhere than right before the parentheses.
		{"Laura Palatini said the partner (المنظمة الدولية) agreed.", "Laura Palatini", nil},
		// Nothing is guessed.
		{"قالت لورا بالاتيني إن المشروع مهم.", "لورا بالاتيني", nil},
	}
	for _, c := range cases {
		if got := NameInOtherScript(c.text, NameWords(c.name)); !slices.Equal(got, c.want) {
			t.Errorf("%q in %q: %q, want %q", c.name, c.text, got, c.want)
		}
	}
	first, other := SplitScripts("لورا بالاتيني (Laura Palatini)")
	if first != "لورا بالاتيني " || !slices.Equal(other, []string{"laura", "palatini"}) {
		t.Errorf("SplitScripts: %q %q", first, other)
	}
	if first, other := SplitScripts("Laura Palatini (IOM)"); first != "Laura Palatini (IOM)" || other != nil {
		t.Errorf("SplitScripts of a same-script parenthesis: %q %q", first, other)
	}
}
