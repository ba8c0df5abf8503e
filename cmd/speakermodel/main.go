// Command speakermodel trains MigraWatch's speaker model from the labelled
// articles and writes internal/summarize/model/speakers.json; it prints
// quote precision, recall and wrong-speaker rate per language on the train,
// development and test splits. Training is deterministic: run on the same
// data, it writes the same bytes.
//
//	go run ./cmd/speakermodel              # train, write the model, print figures
//	go run ./cmd/speakermodel -check       # fail if the committed model differs
//	go run ./cmd/speakermodel -test        # also print the test split's figures
//	go run ./cmd/speakermodel -diagnose 0.8  # cross-validated curves and confident mistakes
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/summarize"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "speakermodel:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("speakermodel", flag.ContinueOnError)
	data := fs.String("data", "internal/summarize/testdata", "directory of the labelled articles (quotes/, gold/)")
	out := fs.String("out", "internal/summarize/model/speakers.json", "where to write the model")
	check := fs.Bool("check", false, "compare with the model at -out instead of writing it")
	withTest := fs.Bool("test", false, "also print the figures on the test split")
	opt := summarize.DefaultTrainOptions
	fs.IntVar(&opt.Iterations, "iterations", opt.Iterations, "gradient descent passes")
	fs.Float64Var(&opt.Rate, "rate", opt.Rate, "AdaGrad learning rate")
	fs.Float64Var(&opt.L2, "l2", opt.L2, "L2 penalty")
	diagnose := fs.Float64("diagnose", 0, "instead of training, cross-validate on train+dev and list the curves, cue contexts and the mistakes made with at least this confidence")
	if err := fs.Parse(args); err != nil {
		return err
	}
	splits, err := summarize.ReadSplits(*data)
	if err != nil {
		return err
	}
	dev := append(append([]summarize.LabelledArticle(nil), splits.Train...), splits.Dev...)
	if *diagnose > 0 {
		return summarize.Diagnose(stdout, dev, opt, *diagnose)
	}
	m, err := summarize.TrainSpeakerModel(dev, opt)
	if err != nil {
		return err
	}
	b, err := m.MarshalJSON()
	if err != nil {
		return err
	}
	if *check {
		old, err := os.ReadFile(*out)
		if err != nil {
			return err
		}
		if !bytes.Equal(old, b) {
			return fmt.Errorf("%s differs from the model trained now: retrain with go run ./cmd/speakermodel", *out)
		}
	} else if err := os.WriteFile(*out, b, 0o644); err != nil {
		return err
	}
	keys := slices.Sorted(maps.Keys(m.Thresholds))
	fmt.Fprint(stdout, "thresholds:")
	for _, k := range keys {
		fmt.Fprintf(stdout, " %s %.3f", k, m.Thresholds[k])
	}
	fmt.Fprintf(stdout, "; %d weights\n", len(m.Weights))
	for _, sp := range []struct {
		name string
		arts []summarize.LabelledArticle
	}{{"train", splits.Train}, {"dev", splits.Dev}, {"test", splits.Test}} {
		if sp.name == "test" && !*withTest {
			continue
		}
		scores := m.Evaluate(sp.arts)
		for _, lang := range []string{news.Arabic, news.French, news.English} {
			s := scores[lang]
			fmt.Fprintf(stdout, "%-5s %s  predicted %4d labelled %4d  precision %.3f  recall %.3f  wrong speaker %.3f\n",
				sp.name, lang, s.Predicted, s.Labelled, s.Precision(), s.Recall(), s.WrongRate())
		}
	}
	return nil
}
