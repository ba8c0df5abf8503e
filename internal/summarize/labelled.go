package summarize

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/migrawatch/migrawatch/internal/news"
)

// Splits are the labelled articles by use: train to learn the weights, dev
// to set the thresholds and study errors, test never looked at while
// building (its figures are the honest ones).
type Splits struct {
	Train, Dev, Test []LabelledArticle
}

// ReadSplits reads the labelled articles under dir: quotes/splits.json lists
// the ids of each split; an article is quotes/<lang>/<id>.json or
// gold/<id>.json, in the labelled-data format (labels.quotes).
func ReadSplits(dir string) (Splits, error) {
	var ids map[string][]string
	raw, err := os.ReadFile(filepath.Join(dir, "quotes", "splits.json"))
	if err != nil {
		return Splits{}, err
	}
	if err := json.Unmarshal(raw, &ids); err != nil {
		return Splits{}, fmt.Errorf("splits.json: %w", err)
	}
	var s Splits
	for name, into := range map[string]*[]LabelledArticle{"train": &s.Train, "dev": &s.Dev, "test": &s.Test} {
		list := ids[name]
		sort.Strings(list)
		for _, id := range list {
			a, err := readLabelled(dir, id)
			if err != nil {
				return Splits{}, err
			}
			*into = append(*into, a)
		}
	}
	return s, nil
}

func readLabelled(dir, id string) (LabelledArticle, error) {
	lang, _, _ := strings.Cut(id, "-")
	path := filepath.Join(dir, "quotes", lang, id+".json")
	if _, err := os.Stat(path); err != nil {
		path = filepath.Join(dir, "gold", id+".json")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return LabelledArticle{}, err
	}
	var f struct {
		LabelledArticle
		Labels struct {
			Quotes []LabelledQuote `json:"quotes"`
		} `json:"labels"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return LabelledArticle{}, fmt.Errorf("%s: %w", path, err)
	}
	a := f.LabelledArticle
	a.Quotes = f.Labels.Quotes
	return a, nil
}

// Quotes runs the model on one article and returns its attributed quotes,
// as Summarize does with the shipped model.
func (m *Model) Quotes(text, lang string) []news.Quote {
	return m.attribute(newDoc(bounded(text), lang), -1)
}

// Evaluate scores the model's quotes on articles, per language.
func (m *Model) Evaluate(arts []LabelledArticle) map[string]QuoteScore {
	out := map[string]QuoteScore{}
	for _, a := range arts {
		s := out[a.Language]
		s.Add(ScoreQuotes(m.Quotes(a.Text, a.Language), a.Quotes))
		out[a.Language] = s
	}
	return out
}

// DefaultModel returns the model that ships with MigraWatch.
func DefaultModel() (*Model, error) { return speakerModel() }
