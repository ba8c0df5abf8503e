package alert

import (
	"errors"
	"strings"
	"testing"
)

func TestParse_CanonicalString(t *testing.T) {
	tests := []struct {
		name, query, want string
	}{
		{"word", "Migrants", "migrants"},
		{"implicit and", "migrants Agadir", "migrants agadir"},
		{"explicit and", "migrants AND Agadir", "migrants agadir"},
		{"or", "OIM OR IOM", "oim OR iom"},
		{"pipe is or", "OIM | IOM", "oim OR iom"},
		{"or binds tighter than and", "migrants Agadir OR Tanger", "migrants (agadir OR tanger)"},
		{"grouped and inside or", "(migrants Agadir) OR Tanger", "(migrants agadir) OR tanger"},
		{"minus", "migrants -football", "migrants -football"},
		{"not keyword", "migrants NOT football", "migrants -football"},
		{"not group", "migrants -(football OR transfert)", "migrants -(football OR transfert)"},
		{"lower-case or is a word", "migrants or refugees", "migrants or refugees"},
		{"phrase", `"Exact   Phrase"`, `"exact phrase"`},
		{"guillemets phrase", `«demandeurs d'asile»`, `"demandeurs asile"`},
		{"curly quotes phrase", `“asylum seekers”`, `"asylum seekers"`},
		{"one-word phrase is an exact word", `"Asile"`, `"asile"`},
		{"hyphenated word is a phrase of inflected words", "Covid-19", "covid-19"},
		{"prefix", "migra*", "migra*"},
		{"arabic prefix", "مهاج*", "مهاج*"},
		{"title field", "title:Asile", "title:asile"},
		{"title field on a group", "title:(OIM OR IOM)", "title:(oim OR iom)"},
		{"title field on a phrase", `title:"droit d'asile"`, `title:"droit asile"`},
		{"french title alias", "titre:asile", "title:asile"},
		{"source id", "source:2M", "source:2m"},
		{"source url", "source:https://www.Hespress.com/societe", "source:hespress.com"},
		{"site alias", "site:le360.ma", "source:le360.ma"},
		{"lang", "lang:fr migrants", "lang:fr migrants"},
		{"lang by name", "langue:arabe مهاجرين", "lang:ar مهاجرين"},
		{"negated field", "migrants -source:2m", "migrants -source:2m"},
		{"french elision", "d'asile", "asile"},
		{"french accents", "Réfugiés", "refugies"},
		{"arabic diacritics and hamza", "لاجِئِينَ", "لاجيين"},
		{"arabic tatweel", "مهـــاجرين", "مهاجرين"},
		{"arabic alef forms", "إدماج", "ادماج"},
		{"arabic ta marbuta and alef maqsura", "الهجرة إلى", "الهجره الي"},
		{"punctuation only is ignored", "migrants , Agadir", "migrants agadir"},
		{"nested groups flatten", "((a b) c)", "a b c"},
		{"design example", `أكادير (OIM OR IOM OR "المنظمة الدولية للهجرة") -football`,
			`اكادير (oim OR iom OR "المنظمه الدوليه للهجره") -football`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.query)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.query, err)
			}
			if got := q.String(); got != tt.want {
				t.Errorf("Parse(%q).String() = %q, want %q", tt.query, got, tt.want)
			}
			again, err := Parse(q.String())
			if err != nil {
				t.Fatalf("Parse(String()) = %v", err)
			}
			if again.String() != q.String() {
				t.Errorf("round trip: %q became %q", q.String(), again.String())
			}
		})
	}
}

func TestParse_Errors(t *testing.T) {
	long := strings.Repeat("a", MaxQueryLen+1)
	terms := strings.TrimSpace(strings.Repeat("mot ", MaxTerms)) + " encore"
	deep := strings.Repeat("(", MaxDepth+1) + "a" + strings.Repeat(")", MaxDepth+1)
	tests := []struct {
		name, query, code string
		pos               int
		near              string
	}{
		{"empty", "", CodeEmpty, 0, ""},
		{"blank", "   ", CodeEmpty, 0, "   "},
		{"punctuation only", ", ;", CodeEmpty, 0, ", ;"},
		{"too long", long, CodeTooLong, MaxQueryLen, "a"},
		{"too many terms", terms, CodeTooManyTerms, 4 * MaxTerms, "encore"},
		{"too deep", deep, CodeTooDeep, MaxDepth, "("},
		{"unclosed paren", "Agadir (OIM OR IOM", CodeUnclosedParen, 7, "IOM"},
		{"unclosed paren arabic", "(المنظمة OR OIM", CodeUnclosedParen, 0, "OIM"},
		{"unexpected paren", "OIM) migrants", CodeUnexpectedParen, 3, "OIM"},
		{"unclosed quote", `migrants "droit d'asile`, CodeUnclosedQuote, 9, `"droit d'asile`},
		{"empty phrase", `migrants ""`, CodeEmptyPhrase, 9, `""`},
		{"empty group", "migrants ()", CodeEmptyGroup, 9, "()"},
		{"or at start", "OR migrants", CodeMissingOperand, 0, "OR"},
		{"or at end", "migrants OR", CodeMissingOperand, 9, "OR"},
		{"double or", "OIM OR OR IOM", CodeMissingOperand, 4, "OR"},
		{"or before paren", "(OIM OR) IOM", CodeMissingOperand, 5, "OR"},
		{"and at end", "migrants AND", CodeMissingOperand, 9, "AND"},
		{"not at end", "migrants NOT", CodeMissingOperand, 9, "NOT"},
		{"lone minus", "migrants - football", CodeMissingOperand, 9, "-"},
		{"field without value", "migrants title:", CodeMissingOperand, 9, "title:"},
		{"source without value", "source: OR x", CodeMissingOperand, 0, "source:"},
		{"short prefix", "mi*", CodeShortPrefix, 0, "mi*"},
		{"article alone as prefix", "ال*", CodeShortPrefix, 0, "ال*"},
		{"star alone", "migrants *", CodeShortPrefix, 9, "*"},
		{"star inside", "mi*grants", CodeBadWildcard, 2, "mi*grants"},
		{"star on two words", "covid-1*", CodeBadWildcard, 0, "covid-1*"},
		{"star after punctuation", "asile.*", CodeBadWildcard, 0, "asile.*"},
		{"unknown field", "auteur:dupont", CodeUnknownField, 0, "auteur:"},
		{"bad lang", "lang:de migrants", CodeBadLang, 5, "de"},
		{"bad source", "source:h@st migrants", CodeBadSource, 7, "h@st"},
		{"negation only", "-football", CodeNegationOnly, 0, "-football"},
		{"negations only", "NOT football -transfert", CodeNegationOnly, 0, "NOT football"},
		{"or side negated", "migrants OR -football", CodeNegationOnly, 12, "-football"},
		{"title of negation", "title:-football", CodeNegationOnly, 6, "-football"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.query)
			if err == nil {
				t.Fatalf("Parse(%q) = %q, want error %s", tt.query, q, tt.code)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %T %v, want *ParseError", tt.query, err, err)
			}
			if pe.Code != tt.code || pe.Pos != tt.pos || pe.Near != tt.near {
				t.Errorf("Parse(%q) = {Pos:%d Code:%s Near:%q}, want {Pos:%d Code:%s Near:%q}",
					tt.query, pe.Pos, pe.Code, pe.Near, tt.pos, tt.code, tt.near)
			}
		})
	}
}

func TestParse_LimitsAreInclusive(t *testing.T) {
	ok := []string{
		strings.Repeat("a", MaxQueryLen),
		strings.TrimSpace(strings.Repeat("mot ", MaxTerms)),
		strings.Repeat("(", MaxDepth) + "a" + strings.Repeat(")", MaxDepth),
		"mig*",
	}
	for _, q := range ok {
		if _, err := Parse(q); err != nil {
			t.Errorf("Parse(%.40q) = %v, want it accepted at the limit", q, err)
		}
	}
}

func TestParseError_PositionsCountCharactersNotBytes(t *testing.T) {
	// Arabic letters are two bytes each in UTF-8; positions are in characters.
	_, err := Parse("المهاجرين (منظمة")
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("want *ParseError, got %v", err)
	}
	if pe.Pos != 10 || pe.Code != CodeUnclosedParen || pe.Near != "منظمة" {
		t.Errorf("got %+v, want Pos 10, unclosed_paren near منظمة", *pe)
	}
}
