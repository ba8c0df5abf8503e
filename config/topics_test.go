package config

import (
	"bytes"
	"errors"
	"slices"
	"testing"
)

func TestTopicLexicon(t *testing.T) {
	if !slices.Contains(TopicNames, "migration") {
		t.Fatalf("TopicNames = %v, want migration among them", TopicNames)
	}
	b, err := TopicLexicon("migration")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"topic: migration", "languages:", "المنظمة الدولية للهجرة", "demandeurs d'asile", "asylum seekers"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("migration lexicon lacks %q", want)
		}
	}
	for _, name := range []string{"", "sports", "../sources", "topics/migration"} {
		if _, err := TopicLexicon(name); !errors.Is(err, ErrUnknownTopic) {
			t.Errorf("TopicLexicon(%q) err = %v, want ErrUnknownTopic", name, err)
		}
	}
}
