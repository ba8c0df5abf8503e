package summarize

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"sync"
)

// modelFile is the trained speaker model that ships with MigraWatch
// (cmd/speakermodel writes it from the labelled articles in testdata).
//
//go:embed model/speakers.json
var modelFile []byte

// Model scores the candidate speakers of a quote: a log-linear model over
// the features of each candidate and of "no speaker", with one threshold
// per language below which a quote is not shown.
type Model struct {
	// Thresholds is the lowest probability of its best speaker at which a
	// quote is shown, per language ("ar") and, for quotes whose cue names
	// the speaker, per language and group ("ar/named").
	Thresholds map[string]float64 `json:"thresholds"`
	// Weights maps a feature to its weight; a feature prefixed with a
	// language and "|" counts for that language only.
	Weights map[string]float64 `json:"weights"`
}

var (
	modelOnce sync.Once
	model     *Model
	modelErr  error
)

// speakerModel returns the embedded model (parsed once).
func speakerModel() (*Model, error) {
	modelOnce.Do(func() {
		model, modelErr = ParseModel(modelFile)
	})
	return model, modelErr
}

// ParseModel reads a model written by Model.MarshalJSON.
func ParseModel(b []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("speaker model: %w", err)
	}
	if len(m.Weights) == 0 || len(m.Thresholds) == 0 {
		return nil, fmt.Errorf("speaker model: no weights or thresholds")
	}
	return &m, nil
}

// MarshalJSON writes the model with sorted keys, one weight a line, so that
// training twice gives the same bytes and a diff shows what changed.
func (m *Model) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("{\n\"thresholds\": ")
	th, err := json.Marshal(m.Thresholds)
	if err != nil {
		return nil, err
	}
	b.Write(th)
	b.WriteString(",\n\"weights\": {")
	keys := make([]string, 0, len(m.Weights))
	for k := range m.Weights {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		fmt.Fprintf(&b, "\n%s: %s", kb, formatWeight(m.Weights[k]))
	}
	b.WriteString("\n}\n}\n")
	return b.Bytes(), nil
}

func formatWeight(w float64) string {
	s := fmt.Sprintf("%.4f", w)
	if s == "-0.0000" {
		s = "0.0000"
	}
	return s
}

// Threshold groups: a quote whose cue names its speaker right there (said
// X, قال X) is judged apart from the others, whose speaker the model finds
// further away; each group keeps the target precision on its own.
const (
	groupNamed = "named"
	groupOther = ""
)

// thresholdGroup is the threshold group of a quote with cue context ctx.
func thresholdGroup(ctx string) string {
	if ctx == "subject" {
		return groupNamed
	}
	return groupOther
}

// thresholdKey is the key of a language's group in Thresholds.
func thresholdKey(lang, group string) string {
	if group == groupOther {
		return lang
	}
	return lang + "/" + group
}

// threshold is the probability a quote of the language and group needs to
// be shown; a model without a threshold for the group uses the
// language's.
func (m *Model) threshold(lang, group string) float64 {
	if t, ok := m.Thresholds[thresholdKey(lang, group)]; ok {
		return t
	}
	return m.Thresholds[lang]
}

// score sums the weights of feats for lang.
func (m *Model) score(lang string, feats []string) float64 {
	s := 0.0
	for _, f := range feats {
		s += m.Weights[f] + m.Weights[lang+"|"+f]
	}
	return s
}

// probabilities gives the softmax over "no speaker" (index 0) and the
// candidates of an instance.
func (m *Model) probabilities(lang string, in instance) []float64 {
	s := make([]float64, len(in.cands)+1)
	s[0] = m.score(lang, in.null)
	for i, c := range in.cands {
		s[i+1] = m.score(lang, c.feats)
	}
	return softmax(s)
}

func softmax(s []float64) []float64 {
	mx := math.Inf(-1)
	for _, v := range s {
		mx = math.Max(mx, v)
	}
	sum := 0.0
	p := make([]float64, len(s))
	for i, v := range s {
		p[i] = math.Exp(v - mx)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	return p
}

// best returns the most probable speaker of an instance and its
// probability; nil when "no speaker" is the most probable.
func (m *Model) best(lang string, in instance) (*entity, float64) {
	p := m.probabilities(lang, in)
	bi := 0
	for i := range p {
		if p[i] > p[bi] {
			bi = i
		}
	}
	if bi == 0 {
		return nil, p[0]
	}
	return in.cands[bi-1].ent, p[bi]
}
