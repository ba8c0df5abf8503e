package config

import (
	"bytes"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/migrawatch/migrawatch/internal/news"
)

// TestCatalog_EveryEntryStatesLanguageCountryAndKind reads sources.yaml as
// written, before any default is applied: every entry says its language,
// its country and its kind, and whether it is verified.
func TestCatalog_EveryEntryStatesLanguageCountryAndKind(t *testing.T) {
	var f struct {
		Sources []map[string]any `yaml:"sources"`
	}
	if err := yaml.NewDecoder(bytes.NewReader(catalogYAML)).Decode(&f); err != nil {
		t.Fatal(err)
	}
	if len(f.Sources) < 30 {
		t.Fatalf("only %d catalog entries", len(f.Sources))
	}
	unverified := 0
	for i, s := range f.Sources {
		id, _ := s["id"].(string)
		if lang, _ := s["language"].(string); !slices.Contains(news.Languages, lang) {
			t.Errorf("entry %d (%s): language %q", i, id, lang)
		}
		if c, _ := s["country"].(string); !countryRe.MatchString(c) {
			t.Errorf("entry %d (%s): country %q", i, id, c)
		}
		if k, _ := s["kind"].(string); k != string(news.KindFeed) && k != string(news.KindPage) {
			t.Errorf("entry %d (%s): kind %q, want feed or page", i, id, k)
		}
		v, ok := s["verified"].(bool)
		if !ok {
			t.Errorf("entry %d (%s): does not say whether it is verified", i, id)
		}
		if !v {
			unverified++
		}
	}
	if unverified == 0 {
		t.Log("every catalog source is verified")
	}
}
