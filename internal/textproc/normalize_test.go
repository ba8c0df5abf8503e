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
