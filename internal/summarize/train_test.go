//go:build !race

package summarize

import (
	"bytes"
	"testing"
)

// TestSpeakerModel_TrainingReproducesTheShippedModel retrains the model from
// the labelled articles and checks it is byte for byte the one that ships
// (model/speakers.json). Training is slow under the race detector, so this
// runs in builds without it (.ci/run also runs go run ./cmd/speakermodel
// -check).
func TestSpeakerModel_TrainingReproducesTheShippedModel(t *testing.T) {
	if testing.Short() {
		t.Skip("training takes seconds")
	}
	sp, err := ReadSplits("testdata")
	if err != nil {
		t.Fatal(err)
	}
	m, err := TrainSpeakerModel(append(append([]LabelledArticle(nil), sp.Train...), sp.Dev...), DefaultTrainOptions)
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, modelFile) {
		t.Fatal("training from testdata gives another model than model/speakers.json: retrain with go run ./cmd/speakermodel")
	}
}
