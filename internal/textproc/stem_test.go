package textproc

import (
	"slices"
	"testing"
)

func TestReadings_ArabicClitics(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"المهاجرين", []string{"المهاجرين", "مهاجرين"}},
		{"والمهاجرين", []string{"والمهاجرين", "مهاجرين"}},
		{"بالمهاجرين", []string{"بالمهاجرين", "مهاجرين"}},
		{"للمهاجرين", []string{"للمهاجرين", "مهاجرين", "لمهاجرين"}},
		{"للاجئين", []string{"للاجيين", "اجيين", "لاجيين"}}, // ل + اللاجئين, one lam unwritten
		{"ومهاجرين", []string{"ومهاجرين", "مهاجرين"}},
		{"وبمشروع", []string{"وبمشروع", "بمشروع", "مشروع"}},
		{"ولبنان", []string{"ولبنان", "لبنان"}}, // و goes, the ل of لبنان stays
		{"لبنان", []string{"لبنان"}},
		{"وفيات", []string{"وفيات"}}, // deaths, not و + Fiat
		{"الوفيات", []string{"الوفيات", "وفيات"}},
		{"بحار", []string{"بحار"}},       // seas, not ب + hot
		{"كاليه", []string{"كاليه"}},     // Calais, not ك + إليه
		{"إليه", []string{"اليه", "يه"}}, // the article would leave two letters: kept as a reading
		{"بلد", []string{"بلد"}},         // ب would leave two letters
		{"ولد", []string{"ولد"}},
		{"migrants", []string{"migrants"}},
	}
	for _, tt := range tests {
		if got := Readings(Normalize(tt.in)); !slices.Equal(got, tt.want) {
			t.Errorf("Readings(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Inflected and cliticized forms of one word must share a stem: that is
// what lets the lexicon and the alerts match every form.
func TestStem_FormsAgree(t *testing.T) {
	groups := []struct {
		lang  string
		forms []string
	}{
		{"ar", []string{"مهاجر", "مهاجرين", "المهاجرين", "والمهاجرين", "للمهاجرين", "مهاجرون", "مهاجرة", "المهاجرات", "بالمهاجرين", "مهاجران"}},
		{"ar", []string{"لاجئ", "لاجئين", "اللاجئين", "للاجئين", "ولاجئين", "لاجئون", "لاجئة", "اللاجئات", "لاجئان"}},
		{"ar", []string{"هجرة", "الهجرة", "للهجرة", "بالهجرة", "والهجرة", "هجرات"}},
		{"ar", []string{"لجوء", "اللجوء", "واللجوء", "باللجوء"}},
		{"ar", []string{"دولية", "الدولية", "دولي", "الدولي"}},
		{"ar", []string{"قارب", "قوارب", "القوارب", "بقوارب", "والقارب"}},
		{"ar", []string{"طفل", "أطفال", "الأطفال", "للأطفال"}},
		{"ar", []string{"جثة", "جثث", "الجثث"}},
		{"ar", []string{"ضحية", "ضحايا", "الضحايا"}},
		{"ar", []string{"لبنان", "ولبنان", "بلبنان"}},
		{"fr", []string{"migrant", "migrants", "migrante", "migrantes"}},
		{"fr", []string{"réfugié", "réfugiés", "Réfugiée", "refugiees"}},
		{"fr", []string{"expulsion", "expulsions"}},
		{"fr", []string{"déplacé", "déplacés", "déplacée", "déplacées"}},
		{"fr", []string{"immigré", "immigrés", "immigrée", "immigrées"}},
		{"fr", []string{"exilé", "exilés", "exilée", "exilées"}},
		{"fr", []string{"étranger", "étrangers", "étrangère", "étrangères"}},
		{"fr", []string{"refoulement", "refoulements"}},
		{"fr", []string{"national", "nationaux", "nationale", "nationales"}},
		{"fr", []string{"européen", "européens", "européenne", "européennes"}},
		{"fr", []string{"demandeur", "demandeurs", "demandeuse", "demandeuses"}},
		{"fr", []string{"bateau", "bateaux"}},
		{"fr", []string{"loi", "lois"}},
		{"en", []string{"migrant", "migrants", "Migrant's", "migrants'"}},
		{"en", []string{"refugee", "refugees"}},
		{"en", []string{"country", "countries"}},
		{"en", []string{"tax", "taxes"}},
		{"en", []string{"child", "children"}},
		{"en", []string{"smuggler", "smugglers"}},
		{"en", []string{"crisis", "crises"}},
	}
	for _, g := range groups {
		want := Terms(g.lang, g.forms[0])
		for _, f := range g.forms[1:] {
			if got := Terms(g.lang, f); !slices.Equal(got, want) {
				t.Errorf("%s: Terms(%q) = %q, want %q like %q", g.lang, f, got, want, g.forms[0])
			}
		}
	}
}

// Different words must not meet: a query's stem must not be among the
// stems of any reading of the other word, either way round. The Arabic
// pairs are place names, foreign names and common words from real news text.
func TestStem_KeepsDistinctWords(t *testing.T) {
	pairs := []struct{ lang, a, b string }{
		{"ar", "كاليه", "إليه"},   // Calais / to him
		{"ar", "لبنان", "الفنان"}, // Lebanon / the artist
		{"ar", "لبنان", "لبن"},    // Lebanon / milk
		{"ar", "بحار", "الحار"},   // seas / the hot
		{"ar", "فيات", "آليات"},   // Fiat / mechanisms
		{"ar", "فيات", "الوفيات"}, // Fiat / the deaths
		{"ar", "فيات", "وفيات"},
		{"ar", "هجرية", "هجرة"}, // Hijri year vs migration
		{"ar", "الدولية", "الدول"},
		{"ar", "مهاجم", "مهاجر"},   // striker vs migrant
		{"ar", "البحرين", "البحر"}, // Bahrain / the sea
		{"ar", "السودان", "السود"}, // Sudan / the blacks
		{"ar", "إيران", "اير"},
		{"ar", "ليبيا", "يبيا"},
		{"ar", "فعالية", "عالية"},
		{"ar", "بطاقات", "طاقات"},
		{"ar", "حدود", "الحد"}, // borders / the limit
		{"ar", "الباجي", "لاجئ"},
		{"ar", "الشرطة", "شرط"},   // the police / condition
		{"ar", "جامعة", "الجامع"}, // university / the mosque
		{"ar", "وزارات", "زار"},   // ministries / visited
		{"ar", "بعدما", "عدم"},    // after / absence
		{"fr", "migraine", "migrants"},
		{"fr", "armée", "arme"},
		{"fr", "mois", "moi"},
		{"fr", "fois", "foi"},
		{"fr", "cours", "cour"},
		{"fr", "mère", "mer"},
		{"fr", "vente", "vent"},
		{"fr", "Paris", "pari"},
		{"en", "migraine", "migrant"},
		{"en", "news", "new"},
		{"en", "police", "policy"},
		{"en", "refugee", "refuge"},
		{"en", "organization", "organ"},
		{"en", "customs", "custom"},
	}
	for _, p := range pairs {
		a, b := Normalize(p.a), Normalize(p.b)
		if s := Stem(p.lang, a); slices.Contains(Stems(p.lang, b, nil), s) {
			t.Errorf("%s: %q (stem %q) meets %q (stems %q)", p.lang, p.a, s, p.b, Stems(p.lang, b, nil))
		}
		if s := Stem(p.lang, b); slices.Contains(Stems(p.lang, a, nil), s) {
			t.Errorf("%s: %q (stem %q) meets %q (stems %q)", p.lang, p.b, s, p.a, Stems(p.lang, a, nil))
		}
	}
}

func TestStem_ArabicSuffixes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"مهاجرات", "مهاجر"},
		{"مهاجرون", "مهاجر"},
		{"مهاجرين", "مهاجر"},
		{"مهاجران", "مهاجر"},
		{"مهاجره", "مهاجر"},
		{"مغربيه", "مغربي"}, // nisba kept, ta marbuta gone
		{"دار", "دار"},      // too short to lose anything
		{"حالات", "حال"},
		{"مات", "مات"},     // would leave one letter
		{"لبنان", "لبنان"}, // ان would leave three letters
		{"قوارب", "قارب"},  // broken plural
	}
	for _, tt := range tests {
		if got := Stem("ar", tt.in); got != tt.want {
			t.Errorf("Stem(ar, %q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStem_OtherLanguagesAndScripts(t *testing.T) {
	tests := []struct{ lang, in, want string }{
		{"fr", "migrations", "migration"},
		{"en", "migrations", "migration"},
		{"", "migrations", "migrations"}, // unknown language: unchanged
		{"en", "المهاجرين", "مهاجر"},     // Arabic script in English text
		{"ar", "migrants", "migrants"},   // Latin word in Arabic text
		{"fr", "", ""},
	}
	for _, tt := range tests {
		if got := Stem(tt.lang, tt.in); got != tt.want {
			t.Errorf("Stem(%q, %q) = %q, want %q", tt.lang, tt.in, got, tt.want)
		}
	}
}

func TestTerms(t *testing.T) {
	got := Terms("fr", "Les demandeurs d’asile et l'OIM")
	want := []string{"les", "demandeur", "asile", "et", "oim"}
	if !slices.Equal(got, want) {
		t.Errorf("Terms = %q, want %q", got, want)
	}
}
