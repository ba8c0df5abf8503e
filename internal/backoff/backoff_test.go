package backoff

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

func TestPolicy_DoublesFromMinUpToMax(t *testing.T) {
	p := Policy{Min: 100 * time.Millisecond, Max: time.Second}
	want := []time.Duration{100, 200, 400, 800, 1000, 1000}
	for i, w := range want {
		if got := p.Delay(i + 1); got != w*time.Millisecond {
			t.Errorf("Delay(%d) = %s, want %s", i+1, got, w*time.Millisecond)
		}
	}
	if got := p.Delay(1000); got != time.Second {
		t.Errorf("Delay(1000) = %s, want the cap (no overflow)", got)
	}
	// A failing feed polled hourly, capped at 12h, after 40 failures.
	feedPolicy := Policy{Min: time.Hour, Max: 12 * time.Hour}
	if got := feedPolicy.Delay(41); got != 12*time.Hour {
		t.Errorf("Delay(41) of an hourly feed = %s, want the 12h cap", got)
	}
}

func TestPolicy_JitterStaysWithinItsShare(t *testing.T) {
	for _, tt := range []struct {
		name   string
		r      func(int64) int64
		jitter float64
		want   time.Duration
	}{
		{"none drawn", func(int64) int64 { return 0 }, 0.5, 800 * time.Millisecond},
		{"all drawn", func(n int64) int64 { return n - 1 }, 0.5, 400 * time.Millisecond},
		{"quarter", func(n int64) int64 { return n - 1 }, 0.25, 600 * time.Millisecond},
		{"full", func(n int64) int64 { return n - 1 }, 1, 0},
		{"above", func(n int64) int64 { return n - 1 }, -0.25, 1000 * time.Millisecond},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := Policy{Min: 100 * time.Millisecond, Max: time.Second, Jitter: tt.jitter, Rand: tt.r}
			if tt.jitter < 0 {
				p.Jitter, p.JitterAbove = -tt.jitter, true
			}
			if got := p.Delay(4); got != tt.want {
				t.Errorf("Delay(4) = %s, want %s", got, tt.want)
			}
		})
	}
	p := Policy{Min: 100 * time.Millisecond, Max: time.Second, Jitter: 0.5}
	for range 1000 {
		if d := p.Delay(3); d < 200*time.Millisecond || d > 400*time.Millisecond {
			t.Fatalf("Delay(3) = %s, outside [200ms, 400ms]", d)
		}
	}
}

func TestBackoff_WaitsInVirtualTimeAndResets(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := New(Policy{Min: time.Second, Max: 4 * time.Second}, nil)
		start := time.Now()
		for range 4 {
			if err := b.Wait(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		if got := time.Since(start); got != (1+2+4+4)*time.Second {
			t.Errorf("four waits took %s, want 11s", got)
		}
		if b.failures != 4 {
			t.Errorf("%d failures counted, want 4", b.failures)
		}
		b.Reset()
		if d := b.Next(); d != time.Second {
			t.Errorf("after Reset the wait is %s, want Min", d)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		if err := b.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Wait past the context's end = %v", err)
		}
	})
}
