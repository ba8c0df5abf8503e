package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestGroup_FirstFailureStopsTheOthers(t *testing.T) {
	g := newGroup(context.Background(), quiet, 5*time.Second)
	var stopped atomic.Int32
	for _, name := range []string{"poller", "senders"} {
		g.Go(name, func(ctx context.Context) error {
			<-ctx.Done()
			stopped.Add(1)
			return ctx.Err()
		})
	}
	boom := errors.New("boom")
	g.Go("bot", func(ctx context.Context) error { return boom })
	err := g.Wait()
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "bot: ") {
		t.Errorf("Wait = %v, want bot's error", err)
	}
	if stopped.Load() != 2 {
		t.Errorf("%d of 2 components stopped", stopped.Load())
	}
}

func TestGroup_CancellationIsACleanStop(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	g := newGroup(ctx, quiet, 5*time.Second)
	g.Go("a", func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() })
	g.Go("b", func(ctx context.Context) error { <-ctx.Done(); return nil })
	cancel()
	if err := g.Wait(); err != nil {
		t.Errorf("Wait after cancel = %v, want nil", err)
	}
}

func TestGroup_ShutdownIsBoundedAndNamesTheStragglers(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	g := newGroup(ctx, quiet, 100*time.Millisecond)
	release := make(chan struct{})
	defer close(release)
	g.Go("stuck-sender", func(context.Context) error { <-release; return nil })
	g.Go("polite", func(ctx context.Context) error { <-ctx.Done(); return nil })
	cancel()
	start := time.Now()
	err := g.Wait()
	if err == nil || !strings.Contains(err.Error(), "still running: stuck-sender") || strings.Contains(err.Error(), "polite") {
		t.Errorf("Wait = %v", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("Wait took %s with a 100ms grace", took)
	}
}
