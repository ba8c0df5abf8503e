package config

import (
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/migrawatch/migrawatch/internal/news"
)

func TestCatalog_EveryEntryIsValid(t *testing.T) {
	catalog, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	p := &problems{}
	ids := map[string]bool{}
	urls := map[string]bool{}
	langs := map[string]int{}
	for i, s := range catalog {
		validateSource(p, fmt.Sprintf("catalog[%d] (%s)", i, s.ID), s)
		if s.Country == "" {
			t.Errorf("%s has no country", s.ID)
		}
		if ids[s.ID] {
			t.Errorf("id %s is listed twice", s.ID)
		}
		if urls[s.URL] {
			t.Errorf("url %s is listed twice", s.URL)
		}
		if _, local := LocalPath(s.URL); local {
			t.Errorf("%s points at a local file", s.ID)
		}
		ids[s.ID], urls[s.URL] = true, true
		langs[s.Language]++
	}
	for _, e := range p.errs {
		t.Error(e)
	}
	for _, l := range news.Languages {
		if langs[l] < 8 {
			t.Errorf("only %d sources in %s", langs[l], l)
		}
	}
}

func TestCatalog_HasTheSourcesUsersExpect(t *testing.T) {
	catalog, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]news.Source{}
	hosts := map[string]bool{}
	for _, s := range catalog {
		byID[s.ID] = s
		u, _ := url.Parse(s.URL)
		hosts[strings.TrimPrefix(u.Host, "www.")] = true
	}
	for _, id := range []string{"infomigrants-en", "infomigrants-fr", "infomigrants-ar", "iom-en", "unhcr-en",
		"reliefweb-en", "hespress-ar", "hespress-fr", "le360-ar", "yabiladi-fr", "medias24-fr", "2m-ar", "2m-fr"} {
		if _, ok := byID[id]; !ok {
			t.Errorf("catalog lacks %s", id)
		}
	}
	// Outlets without a usable feed are listing pages, and nobody has seen them answer.
	for _, id := range []string{"2m-ar", "2m-fr", "map-ar", "map-fr", "snrt-ar"} {
		if s := byID[id]; s.Kind != news.KindPage || s.Verified {
			t.Errorf("%s: kind %q verified %v, want page and unverified", id, s.Kind, s.Verified)
		}
	}
	// Migration-specific outlets need no relevance filter; general ones do.
	for id, want := range map[string]bool{"infomigrants-ar": true, "mmc-en": true, "hespress-ar": false, "bbc-arabic": false} {
		if byID[id].MigrationSpecific != want {
			t.Errorf("%s migration_specific = %v, want %v", id, byID[id].MigrationSpecific, want)
		}
	}
}

// TestCatalog_VerifiedOnlyWhereAFetchWasReported keeps "verified" honest: only
// addresses a public source reported fetching successfully carry it.
func TestCatalog_VerifiedOnlyWhereAFetchWasReported(t *testing.T) {
	catalog, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	reported := []string{
		"https://www.infomigrants.net/en/rss/all.xml",
		"https://reliefweb.int/updates/rss.xml",
		"https://hespress.com/feed",
		"https://fr.hespress.com/feed",
		"https://feeds.bbci.co.uk/arabic/rss.xml",
		"https://www.france24.com/ar/rss",
		"https://www.aljazeera.net/aljazeerarss/a7c186be-1baa-4bd4-9d80-a84db769f779/73d0e1b4-532f-45ef-b135-bfdff8b8cab9",
		"https://aawsat.com/feed",
	}
	for _, s := range catalog {
		if s.Verified && !slices.Contains(reported, s.URL) {
			t.Errorf("%s is marked verified but no successful fetch of %s was reported", s.ID, s.URL)
		}
	}
}

// TestREADME_ConfigurationTableMatchesReference checks the README's
// configuration table against Reference: every key and variable with its
// default, and nothing that no longer exists.
func TestREADME_ConfigurationTableMatchesReference(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatalf("README.md: %v", err)
	}
	readme := string(data)
	start := strings.Index(readme, "## Configuration")
	if start < 0 {
		t.Fatal("README.md has no \"## Configuration\" section")
	}
	section := readme[start+len("## Configuration"):]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	type row struct{ env, def string }
	rows := map[string]row{}
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "| `") && !strings.HasPrefix(line, "| —") {
			continue
		}
		parts := strings.Split(line, "|")
		cells := parts[1 : len(parts)-1]
		if len(cells) != 4 {
			t.Errorf("table row with %d cells: %s", len(cells), line)
			continue
		}
		key := unquoteCell(cells[0])
		if key == "—" {
			key = ""
		}
		if _, dup := rows[key]; dup {
			t.Errorf("README lists %q twice", key)
		}
		rows[key] = row{env: unquoteCell(cells[1]), def: unquoteCell(cells[2])}
	}
	var expected strings.Builder
	for _, s := range Reference() {
		fmt.Fprintln(&expected, tableRow(s))
		r, ok := rows[s.Key]
		if !ok {
			t.Errorf("README configuration table lacks %q (%s)", s.Key, s.Env)
			continue
		}
		delete(rows, s.Key)
		if r.env != s.Env {
			t.Errorf("README: %s has variable %q, want %q", s.Key, r.env, s.Env)
		}
		if r.def != s.Default {
			t.Errorf("README: %s has default %q, want %q", s.Key, r.def, s.Default)
		}
	}
	for key := range rows {
		t.Errorf("README lists %q, which is not a configuration key", key)
	}
	// Every variable the README mentions anywhere must exist.
	known := map[string]bool{}
	for _, s := range Reference() {
		known[s.Env] = true
	}
	for _, v := range regexp.MustCompile(`\b(?:MIGRAWATCH|TELEGRAM)_[A-Z_]+\b|\bREDIS_URL\b`).FindAllString(readme, -1) {
		if !known[v] {
			t.Errorf("README mentions %s, which MigraWatch does not read", v)
		}
	}
	if t.Failed() {
		t.Logf("expected table rows:\n%s", expected.String())
	}
}

// unquoteCell strips a table cell's code marks; an empty code span is "".
func unquoteCell(c string) string {
	c = strings.TrimSpace(c)
	if c == "``" || c == `""` || c == "" {
		return ""
	}
	return strings.Trim(c, "`")
}

// tableRow renders a Setting the way the README table writes it.
func tableRow(s Setting) string {
	key, env, def := "—", "", ""
	if s.Key != "" {
		key = "`" + s.Key + "`"
	}
	if s.Env != "" {
		env = "`" + s.Env + "`"
	}
	if s.Default != "" {
		def = "`" + s.Default + "`"
	}
	return fmt.Sprintf("| %s | %s | %s | %s |", key, env, def, s.Description)
}
