package config

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// topicFiles holds the embedded topic lexicons, one YAML file per topic.
//
//go:embed topics/*.yaml
var topicFiles embed.FS

// ErrUnknownTopic is returned by TopicLexicon for a topic without a lexicon.
var ErrUnknownTopic = errors.New("unknown topic")

// TopicNames lists the topics that have an embedded lexicon (file names
// without .yaml), sorted; "migration" is the one MigraWatch ships with.
var TopicNames = topicNames()

func topicNames() []string {
	entries, err := fs.ReadDir(topicFiles, "topics")
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".yaml"); ok && !e.IsDir() {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// TopicLexicon returns the embedded YAML lexicon of a topic (see
// topics/migration.yaml for the format the relevance scorer reads).
func TopicLexicon(name string) ([]byte, error) {
	if name == "" || strings.ContainsAny(name, `/\.`) {
		return nil, fmt.Errorf("topic lexicon %q: %w", name, ErrUnknownTopic)
	}
	b, err := topicFiles.ReadFile(path.Join("topics", name+".yaml"))
	if err != nil {
		return nil, fmt.Errorf("topic lexicon %q: %w", name, ErrUnknownTopic)
	}
	return b, nil
}
