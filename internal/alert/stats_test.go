package alert

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"syscall"
	"testing"
	"time"
)

func TestStatsTmp(t *testing.T) {
	arts := loadCorpus(t)
	alerts := benchAlerts(t, append(slices.Clone(arts), feedArticles(t)...), 100000)
	x := NewIndex()
	x.Load(alerts)
	t.Logf("postings %d keys", len(x.post))
	hits, evals, anchors := 0, 0, 0
	maxl := 0
	byKind, okKind := map[string]int{}, map[string]int{}
	defer func() { t.Logf("evals by kind %v matched %v", byKind, okKind) }()
	for _, a := range arts {
		d := NewDocument(a)
		anchors += len(d.anchors)
		counts := map[*entry]int{}
		for _, k := range d.anchors {
			hits += len(x.post[k])
			maxl = max(maxl, len(x.post[k]))
			for _, slot := range x.post[k] {
				e := x.slots[slot]
				counts[e]++
				if counts[e] == int(e.need) && !e.exact {
					evals++
					kind := fmt.Sprint(e.query.root.op)
					if e.query.root.op == opAnd { for _, k := range e.query.root.kids { kind += fmt.Sprint(k.op) } }
					byKind[kind]++
					if e.query.Matches(d) { okKind[kind]++ }
				}
			}
		}
	}
	n := len(arts)
	t.Logf("per article: anchors %d hits %d evals %d; longest posting %d", anchors/n, hits/n, evals/n, maxl)
}

func TestStatsTiming(t *testing.T) {
	arts := loadCorpus(t)
	alerts := benchAlerts(t, append(slices.Clone(arts), feedArticles(t)...), 100000)
	x := NewIndex()
	x.Load(alerts)
	var docs []*Document
	for _, a := range arts {
		docs = append(docs, NewDocument(a))
	}
	for round := 0; round < 3; round++ {
		start := time.Now()
		c0 := cpuNow()
		n := 0
		for range 10 {
			for _, d := range docs {
				n += len(x.Match(d))
			}
		}
		el := time.Since(start)
		t.Logf("index: %v per article wall, %v cpu (%d matches)", el/time.Duration(10*len(docs)), (cpuNow()-c0)/time.Duration(10*len(docs)), n)
		qs := make([]*Query, 0, len(alerts))
		for _, e := range x.slots {
			qs = append(qs, e.query)
		}
		start = time.Now()
		c0 = cpuNow()
		for _, d := range docs {
			for _, q := range qs {
				if q.Matches(d) {
					n++
				}
			}
		}
		t.Logf("naive: %v per article wall, %v cpu", time.Since(start)/time.Duration(len(docs)), (cpuNow()-c0)/time.Duration(len(docs)))
	}
}

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkStatsMatchOnly(b *testing.B) {
	arts := loadCorpus(b)
	alerts := benchAlerts(b, append(slices.Clone(arts), feedArticles(b)...), 100000)
	x := NewIndex()
	x.Load(alerts)
	var docs []*Document
	for _, a := range arts {
		docs = append(docs, NewDocument(a))
	}
	runtime.GC()
	b.ResetTimer()
	f, _ := os.Create("/tmp/matchonly.cpu")
	pprof.StartCPUProfile(f)
	for b.Loop() {
		for _, d := range docs {
			x.Match(d)
		}
	}
	pprof.StopCPUProfile()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(docs)), "ns/article")
}
