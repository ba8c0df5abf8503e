package bot

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/telegram/telegramtest"
)

// placeholders lists the names a text fills in, as {name}: its plain
// placeholders and the counts of its plural blocks.
func placeholders(s string) []string {
	p := placeholderRE.FindAllString(s, -1)
	for _, m := range pluralRE.FindAllStringSubmatch(s, -1) {
		p = append(p, "{"+m[1]+"}")
	}
	slices.Sort(p)
	return slices.Compact(p)
}

func TestCatalog_EveryKeyInEveryLanguageWithTheSamePlaceholders(t *testing.T) {
	en := catalog[news.English]
	if len(en) < 50 {
		t.Fatalf("English catalog has only %d texts", len(en))
	}
	for _, lang := range news.Languages {
		c := catalog[lang]
		for key, text := range en {
			other, ok := c[key]
			if !ok {
				t.Errorf("%s: missing key %q", lang, key)
				continue
			}
			if strings.TrimSpace(other) == "" {
				t.Errorf("%s: %q is empty", lang, key)
			}
			if got, want := placeholders(other), placeholders(text); !slices.Equal(got, want) {
				t.Errorf("%s: %q has placeholders %v, English has %v", lang, key, got, want)
			}
		}
		for key := range c {
			if _, ok := en[key]; !ok {
				t.Errorf("%s: key %q is not in the English catalog", lang, key)
			}
		}
	}
}

// TestCatalog_EveryTextIsValidTelegramHTML fills every placeholder with
// hostile text and parses the result the way Telegram does.
func TestCatalog_EveryTextIsValidTelegramHTML(t *testing.T) {
	for _, lang := range news.Languages {
		for key, text := range catalog[lang] {
			var args []any
			for _, p := range placeholders(text) {
				args = append(args, strings.Trim(p, "{}"), `<b>&"x"</b>`)
			}
			out := tr(lang, key, args...)
			plain, err := telegramtest.ParseHTML(out)
			if err != nil {
				t.Errorf("%s %q: %v\n%s", lang, key, err, out)
				continue
			}
			if len(args) > 0 && !strings.Contains(plain, `<b>&"x"</b>`) {
				t.Errorf("%s %q: placeholder value not shown literally: %q", lang, key, plain)
			}
			if placeholderRE.MatchString(out) {
				t.Errorf("%s %q: unfilled placeholder in %q", lang, key, out)
			}
		}
	}
}

func TestTr_FallsBackToEnglishAndEscapes(t *testing.T) {
	if got := tr("de", "none"); got != "none" {
		t.Errorf("unknown language: %q", got)
	}
	if got := tr("fr", "no_such_key"); got != "no_such_key" {
		t.Errorf("unknown key: %q", got)
	}
	if got := tr("en", "too_long", "max", 5); got != "That is too long for me (at most 5 characters)." {
		t.Errorf("int placeholder: %q", got)
	}
	if got := tr("en", "sub_done", "name", "A & <B>"); !strings.Contains(got, "<b>A &amp; &lt;B&gt;</b>") {
		t.Errorf("escaping: %q", got)
	}
	if got := tr("en", "mode_done", "mode", rawHTML("<i>x</i>")); !strings.Contains(got, "<i>x</i>") {
		t.Errorf("raw HTML placeholder: %q", got)
	}
}

func TestUILanguage(t *testing.T) {
	for code, want := range map[string]string{"fr": "fr", "fr-MA": "fr", "AR": "ar", "ar_MA": "ar", "en-US": "en", "es": "en", "": "en", "fra": "en"} {
		if got := uiLanguage(code); got != want {
			t.Errorf("uiLanguage(%q) = %q, want %q", code, got, want)
		}
	}
}

var commandNameRE = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

func TestMenuCommands_LocalizedAndValid(t *testing.T) {
	b := &Bot{}
	b.cmds = b.commands()
	inMenu := 0
	for _, c := range b.cmds {
		if c.menu != "" {
			inMenu++
		}
	}
	if inMenu < len(b.cmds)-1 {
		t.Errorf("only %d of %d commands are in the menu: only the operators' /stats may be left out", inMenu, len(b.cmds))
	}
	for _, lang := range news.Languages {
		menu := b.MenuCommands(lang)
		if len(menu) != inMenu {
			t.Errorf("%s: %d menu entries for %d commands", lang, len(menu), inMenu)
		}
		if menu[0].Command != "start" || menu[len(menu)-1].Command != "help" {
			t.Errorf("%s: menu order %v", lang, menu)
		}
		for _, c := range menu {
			if !commandNameRE.MatchString(c.Command) {
				t.Errorf("bad command name %q", c.Command)
			}
			if n := len([]rune(c.Description)); n == 0 || n > 256 || strings.HasPrefix(c.Description, "cmd_") {
				t.Errorf("%s /%s: description %q", lang, c.Command, c.Description)
			}
		}
	}
	if fr := b.MenuCommands("fr"); fr[0].Description != "Démarrer et choisir quoi suivre" {
		t.Errorf("French /start description = %q", fr[0].Description)
	}
}
