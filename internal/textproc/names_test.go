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
