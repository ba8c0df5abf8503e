package bot

import (
	"regexp"
	"strings"
	"testing"

	"github.com/migrawatch/migrawatch/internal/news"
)

// codeRE is a <code> span, where a query or a command is quoted as typed.
var codeRE = regexp.MustCompile(`<code>[^<]*</code>`)

// TestCatalog_FrenchTypography keeps one apostrophe (’) and one spacing of
// the guillemets (a narrow no-break space inside, as the news messages
// have it) throughout the French texts.
func TestCatalog_FrenchTypography(t *testing.T) {
	for key, text := range catalog[news.French] {
		plain := codeRE.ReplaceAllString(text, "")
		if strings.Contains(plain, "'") {
			t.Errorf("%q uses a straight apostrophe: %q", key, text)
		}
		for i, r := range []rune(plain) {
			rs := []rune(plain)
			if r == '«' && (i+1 == len(rs) || rs[i+1] != '\u202f') {
				t.Errorf("%q: « without a narrow no-break space after it: %q", key, text)
			}
			if r == '»' && (i == 0 || rs[i-1] != '\u202f') {
				t.Errorf("%q: » without a narrow no-break space before it: %q", key, text)
			}
		}
	}
}

func TestQuiet_NoneAgreesInThreeLanguages(t *testing.T) {
	h := newHarness(t)
	for _, tt := range []struct {
		user news.User
		want string
	}{
		{alice, "Heures calmes : aucune"},
		{bob, "Quiet hours: none"},
		{amina, "ساعات الهدوء: لا توجد"},
	} {
		wantText(t, h.reply(tt.user.ID, tt.user, "/quiet"), tt.want+".")
		wantText(t, h.reply(tt.user.ID, tt.user, "/status"), tt.want)
	}
}
