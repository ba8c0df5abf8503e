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

func TestStatus_ShowsTheChatIDForTheOperatorsSetting(t *testing.T) {
	h := newHarness(t)
	for _, tt := range []struct {
		user news.User
		want string
	}{
		{alice, "Identifiant de la discussion : 1001"},
		{bob, "Chat id: 1002"},
		{amina, "معرّف المحادثة: 1003"},
	} {
		wantText(t, h.reply(tt.user.ID, tt.user, "/status"), tt.want)
	}
	const group = -100555
	m := h.reply(group, bob, "/status")
	wantText(t, m, "Chat id: -100555")
}

func TestStatus_TopicOnlyChatSaysWhatItFollows(t *testing.T) {
	h := newHarness(t)
	for _, tt := range []struct {
		user news.User
		want string
	}{
		{alice, "cette discussion suit Migrations dans toutes nos sources"},
		{bob, "this chat follows Migration across all our sources"},
		{amina, "إنها تتابع الهجرة في كل مصادرنا"},
	} {
		m := h.reply(tt.user.ID, tt.user, "/topics")
		h.tap(tt.user.ID, tt.user, m.ID, cbTopic+":migration")
		got := h.reply(tt.user.ID, tt.user, "/status")
		wantText(t, got, tt.want)
		if strings.Contains(got.Text, tr(tt.user.LanguageCode, "status_no_feeds")) {
			t.Errorf("%s: /status says there is nothing while the chat follows a topic: %q", tt.user.LanguageCode, got.Text)
		}
	}
	m := h.reply(-100777, bob, "/status")
	wantText(t, m, "No feeds. /sources to add some.")
}

func TestPause_SaysTheNewsOfThePauseIsSkipped(t *testing.T) {
	h := newHarness(t)
	for _, tt := range []struct {
		user          news.User
		pause, resume string
	}{
		{alice, "l’actualité publiée entre-temps sera sautée", "L’actualité publiée pendant la pause a été sautée"},
		{bob, "the news published in the meantime will be skipped", "The news published during the pause was skipped"},
		{amina, "وستُتجاوز الأخبار المنشورة في الأثناء", "تُجووزت الأخبار المنشورة أثناء التوقف"},
	} {
		wantText(t, h.reply(tt.user.ID, tt.user, "/pause"), tt.pause)
		if !h.chat(tt.user.ID).Paused {
			t.Errorf("%s: not paused", tt.user.LanguageCode)
		}
		wantText(t, h.reply(tt.user.ID, tt.user, "/resume"), tt.resume)
	}
}
