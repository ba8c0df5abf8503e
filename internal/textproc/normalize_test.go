package textproc

import (
	"slices"
	"testing"
)

func TestNormalize_FoldingRules(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"nfkc presentation forms", "\uFEFBجئ", "لاجي"}, // ligature lam-alef
		{"nfkc full-width latin", "ＩＯＭ", "iom"},
		{"nfkc ellipsis", "Attendez…", "attendez..."},
		{"bidi marks removed", "\u200fالهجرة\u200e IOM\u202a\u202c\u2066x\u2069\u061c", "الهجره iomx"},
		{"zero-width removed", "mig\u200brants\u200c\u200d\u2060\ufeff\u00ad", "migrants"},
		{"harakat removed", "الهِجْرَةُ", "الهجره"},
		{"tanwin removed", "مهاجرًا", "مهاجرا"},
		{"shadda removed", "المُهَجَّرين", "المهجرين"},
		{"superscript alef removed", "هٰذا", "هذا"},
		{"tatweel removed", "الهـــجرة", "الهجره"},
		{"alef hamza above", "أكادير", "اكادير"},
		{"alef hamza below", "إدماج", "ادماج"},
		{"alef madda", "آمن", "امن"},
		{"alef wasla", "ٱلهجرة", "الهجره"},
		{"hamza on waw", "مسؤول", "مسوول"},
		{"hamza on ya", "لاجئين", "لاجيين"},
		{"lone hamza kept", "لجوء", "لجوء"},
		{"alef maqsura", "إلى", "الي"},
		{"ta marbuta", "الهجرة", "الهجره"},
		{"persian ya and kaf", "کی", "كي"},
		{"arabic-indic digits", "٢٠٢٤ و١٥", "2024 و15"},
		{"persian digits", "۱۲۳", "123"},
		{"french accents", "Réfugiés À Noël, çà où", "refugies a noel, ca ou"},
		{"ligatures oe ae", "Œuvre et æther", "oeuvre et aether"},
		{"german sharp s", "Straße", "strasse"},
		{"case folded", "OIM Frontex UNHCR", "oim frontex unhcr"},
		{"punctuation kept", "« Asile ! » — d’accord ?", "« asile ! » — d’accord ?"},
		{"combining accent folded", "e\u0301migre\u0301", "emigre"},
		{"ascii fast path", "Plain ASCII, Text.", "plain ascii, text."},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalize(tt.in)
			if got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := Normalize(got); again != got {
				t.Errorf("Normalize not idempotent: %q -> %q", got, again)
			}
		})
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"french elisions", "L'asile d’un réfugié qu'il n'a j'ai s'est c'était m'a t'es", []string{"asile", "un", "refugie", "il", "a", "ai", "est", "etait", "a", "es"}},
		{"long elisions", "jusqu'à lorsqu’il puisqu'elle", []string{"a", "il", "elle"}},
		{"apostrophe not elision", "aujourd'hui", []string{"aujourd", "hui"}},
		{"english possessive", "Britain's migrants' rights", []string{"britain", "migrants", "rights"}},
		{"decimals kept", "3.5 million, 3,5 millions. 2024.", []string{"3.5", "million", "3,5", "millions", "2024"}},
		{"punctuation dropped", "«Migrants» (OIM), UNHCR; Frontex!", []string{"migrants", "oim", "unhcr", "frontex"}},
		{"hyphen splits", "sans-papiers garde-côtes", []string{"sans", "papiers", "garde", "cotes"}},
		{"arabic", "المهاجرين، واللاجئين؟ «الهجرة»", []string{"المهاجرين", "واللاجيين", "الهجره"}},
		{"arabic digits", "فترة ٢٤ شهرًا", []string{"فتره", "24", "شهرا"}},
		{"empty", " \n\t", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Words(tt.in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Words(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestStripClitics(t *testing.T) {
	tests := []struct{ in, want string }{
		{"المهاجرين", "مهاجرين"},
		{"والمهاجرين", "مهاجرين"},
		{"للمهاجرين", "مهاجرين"},
		{"بالمهاجرين", "مهاجرين"},
		{"كالمهاجرين", "مهاجرين"},
		{"فالمهاجرين", "مهاجرين"},
		{"ومهاجرين", "مهاجرين"},
		{"لمهاجرين", "مهاجرين"},
		{"بلد", "بلد"}, // ب would leave two letters
		{"الي", "الي"}, // إلى: the article would leave one letter
		{"الذي", "ذي"}, // the article leaves two letters
		{"ولد", "ولد"}, // و would leave two letters
		{"migrants", "migrants"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := StripClitics(tt.in); got != tt.want {
			t.Errorf("StripClitics(%q) = %q, want %q", tt.in, got, tt.want)
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
		{"ar", []string{"مهاجر", "مهاجرين", "المهاجرين", "والمهاجرين", "للمهاجرين", "مهاجرون", "مهاجرة", "المهاجرات", "بالمهاجرين"}},
		{"ar", []string{"لاجئ", "لاجئين", "اللاجئين", "للاجئين", "ولاجئين", "لاجئون", "لاجئة", "اللاجئات"}},
		{"ar", []string{"هجرة", "الهجرة", "للهجرة", "بالهجرة", "والهجرة", "هجرات"}},
		{"ar", []string{"لجوء", "اللجوء", "واللجوء", "باللجوء"}},
		{"ar", []string{"دولية", "الدولية", "دولي", "الدولي"}},
		{"fr", []string{"migrant", "migrants", "migrante", "migrantes"}},
		{"fr", []string{"réfugié", "réfugiés", "Réfugiée", "refugiees"}},
		{"fr", []string{"expulsion", "expulsions"}},
		{"fr", []string{"déplacé", "déplacés", "déplacée", "déplacées"}},
		{"fr", []string{"immigré", "immigrés", "immigrée", "immigrées"}},
		{"fr", []string{"exilé", "exilés", "exilée", "exilées"}},
		{"fr", []string{"étranger", "étrangers"}},
		{"en", []string{"migrant", "migrants", "Migrant's"}},
		{"en", []string{"deport", "deported", "deporting", "deports"}},
		{"en", []string{"refugee", "refugees"}},
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

func TestStem_KeepsDistinctWords(t *testing.T) {
	pairs := []struct{ lang, a, b string }{
		{"ar", "هجرية", "هجرة"}, // Hijri year vs migration
		{"ar", "الدولية", "الدول"},
		{"ar", "مهاجم", "مهاجر"}, // striker vs migrant
		{"fr", "migraine", "migrants"},
		{"en", "migraine", "migrant"},
	}
	for _, p := range pairs {
		if a, b := Stem(p.lang, Normalize(p.a)), Stem(p.lang, Normalize(p.b)); a == b {
			t.Errorf("%s: %q and %q both stem to %q", p.lang, p.a, p.b, a)
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
		{"مات", "مات"}, // would leave one letter
	}
	for _, tt := range tests {
		if got := Stem("ar", tt.in); got != tt.want {
			t.Errorf("Stem(ar, %q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStem_OtherLanguagesAndScripts(t *testing.T) {
	tests := []struct{ lang, in, want string }{
		{"fr", "migrations", "migrat"},
		{"en", "migrations", "migrat"},
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
	want := []string{"le", "demandeur", "asil", "et", "oim"}
	if !slices.Equal(got, want) {
		t.Errorf("Terms = %q, want %q", got, want)
	}
}
