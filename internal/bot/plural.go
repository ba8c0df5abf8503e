package bot

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// A text that counts something names the form of each plural category of
// its language, and the CLDR plural rules of golang.org/x/text pick one for
// the count:
//
//	"{n|one:# feed|other:# feeds}"
//
// The block is the placeholder's name, then category:text pairs separated
// by '|', where '#' stands for the number. English has the categories one
// and other; French one (0 and 1) and other; Arabic zero, one, two, few
// (3-10), many (11-99) and other (100, 101, 102, 1000 ...), and Arabic
// grammar needs each of them. A test checks that every block of a language
// has exactly its language's categories.

// pluralRE matches a plural block: {name|cat:text|cat:text...}.
var pluralRE = regexp.MustCompile(`\{([a-z_]+)\|([^{}]*)\}`)

// pluralTags are the languages whose rules pick the forms.
var pluralTags = map[string]language.Tag{
	"en": language.English,
	"fr": language.French,
	"ar": language.Arabic,
}

// pluralNames are the catalog's names of the CLDR categories.
var pluralNames = map[plural.Form]string{
	plural.Zero: "zero", plural.One: "one", plural.Two: "two",
	plural.Few: "few", plural.Many: "many", plural.Other: "other",
}

// pluralCategory names the CLDR category of the integer n in lang.
func pluralCategory(lang string, n int) string {
	tag, ok := pluralTags[lang]
	if !ok {
		tag = language.English
	}
	if n < 0 {
		n = -n
	}
	return pluralNames[plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)]
}

// pluralForms splits a block's body into category -> text.
func pluralForms(body string) map[string]string {
	forms := map[string]string{}
	for _, part := range strings.Split(body, "|") {
		cat, text, ok := strings.Cut(part, ":")
		if ok {
			forms[cat] = text
		}
	}
	return forms
}

// expandPlurals replaces every plural block of s with the form its count
// takes in lang. A block whose count is missing or not a whole number
// keeps its "other" form with the value as given.
func expandPlurals(lang, s string, args []any) string {
	if !strings.Contains(s, "|") {
		return s
	}
	return pluralRE.ReplaceAllStringFunc(s, func(block string) string {
		m := pluralRE.FindStringSubmatch(block)
		name, forms := m[1], pluralForms(m[2])
		value, n, isInt := "", 0, false
		for i := 0; i+1 < len(args); i += 2 {
			if args[i] != name {
				continue
			}
			switch x := args[i+1].(type) {
			case int:
				n, isInt = x, true
			case int64:
				n, isInt = int(x), true
			default:
				if v, err := strconv.Atoi(fmt.Sprint(x)); err == nil {
					n, isInt = v, true
				}
			}
			value = escapeHTML(fmt.Sprint(args[i+1]))
		}
		form, ok := forms["other"]
		if isInt {
			if f, found := forms[pluralCategory(lang, n)]; found {
				form, ok = f, true
			}
			value = strconv.Itoa(n)
		}
		if !ok {
			return value
		}
		return strings.ReplaceAll(form, "#", value)
	})
}
