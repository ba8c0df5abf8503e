package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"
)

// group runs the components' goroutines. The first one to fail stops the
// others (through the shared context); Wait returns when all have returned,
// or shutdownGrace after the context ended, naming those still running.
type group struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	log    *slog.Logger
	grace  time.Duration

	wg      sync.WaitGroup
	mu      sync.Mutex
	running map[string]int
	err     error
}

func newGroup(parent context.Context, logger *slog.Logger, grace time.Duration) *group {
	ctx, cancel := context.WithCancelCause(parent)
	return &group{ctx: ctx, cancel: cancel, log: logger, grace: grace, running: map[string]int{}}
}

// Go runs fn in a goroutine owned by the group. fn must return when its
// context is cancelled; a nil or context.Canceled return then is a clean stop.
func (g *group) Go(name string, fn func(ctx context.Context) error) {
	g.wg.Add(1)
	g.mu.Lock()
	g.running[name]++
	g.mu.Unlock()
	go func() {
		defer g.wg.Done()
		err := fn(g.ctx)
		g.mu.Lock()
		g.running[name]--
		if g.running[name] == 0 {
			delete(g.running, name)
		}
		g.mu.Unlock()
		if err != nil && !(g.ctx.Err() != nil && errors.Is(err, context.Canceled)) {
			g.stop(fmt.Errorf("%s: %w", name, err))
			return
		}
		g.log.Debug("component stopped", "component", name)
	}()
}

// stop ends the group with err (the first error wins).
func (g *group) stop(err error) {
	g.mu.Lock()
	if g.err == nil {
		g.err = err
	}
	g.mu.Unlock()
	g.cancel(err)
}

// Wait waits for every goroutine and returns the first error.
func (g *group) Wait() error {
	done := make(chan struct{})
	go func() { g.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-g.ctx.Done():
		g.log.Info("shutting down", "cause", context.Cause(g.ctx))
		select {
		case <-done:
		case <-time.After(g.grace):
			g.mu.Lock()
			names := make([]string, 0, len(g.running))
			for n := range g.running {
				names = append(names, n)
			}
			g.mu.Unlock()
			sort.Strings(names)
			g.stop(fmt.Errorf("shutdown took longer than %s; still running: %s", g.grace, strings.Join(names, ", ")))
		}
	}
	g.cancel(nil)
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}
