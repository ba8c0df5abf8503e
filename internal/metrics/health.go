package metrics

import (
	"context"
	"encoding/json"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Health tracks what /readyz reports: Redis answers, and polling and sending
// have succeeded recently enough.
type Health struct {
	// Ping checks the shared store (Redis).
	Ping func(ctx context.Context) error
	// Backlog returns the age of the oldest job waiting to be sent (0 when none).
	Backlog func(ctx context.Context) (time.Duration, error)
	// MaxPollAge is how old the last successful poll may be; 0 disables the check.
	MaxPollAge time.Duration
	// MaxSendAge is how long jobs may wait without any successful send; 0 disables the check.
	MaxSendAge time.Duration
	// Now is the clock (time.Now when nil).
	Now func() time.Time

	started  atomic.Int64
	lastPoll atomic.Int64
	lastSend atomic.Int64
}

func (h *Health) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// Start marks the process start; the age checks count from here until the
// first success.
func (h *Health) Start() { h.started.Store(h.now().UnixNano()) }

// PollSucceeded records a successful poll (including 304).
func (h *Health) PollSucceeded() { h.lastPoll.Store(h.now().UnixNano()) }

// SendSucceeded records a delivered message.
func (h *Health) SendSucceeded() { h.lastSend.Store(h.now().UnixNano()) }

// SenderEvent records a delivered message (deliver.Observer); the sender's
// other events do not bear on readiness.
func (h *Health) SenderEvent(event string, n int, _ time.Duration) {
	if event == "ok" && n > 0 {
		h.SendSucceeded()
	}
}

// Readiness is the body of /readyz.
type Readiness struct {
	Ready    bool     `json:"ready"`
	Problems []string `json:"problems,omitempty"`
}

// Check evaluates readiness now.
func (h *Health) Check(ctx context.Context) Readiness {
	var problems []string
	if h.Ping != nil {
		if err := h.Ping(ctx); err != nil {
			problems = append(problems, "redis: "+err.Error())
		}
	}
	now := h.now()
	since := func(v *atomic.Int64) time.Duration {
		t := v.Load()
		if t == 0 {
			t = h.started.Load()
		}
		if t == 0 {
			return 0
		}
		return now.Sub(time.Unix(0, t))
	}
	if h.MaxPollAge > 0 && since(&h.lastPoll) > h.MaxPollAge {
		problems = append(problems, "no successful poll for "+since(&h.lastPoll).Round(time.Second).String())
	}
	if h.MaxSendAge > 0 && h.Backlog != nil {
		age, err := h.Backlog(ctx)
		if err != nil {
			problems = append(problems, "outbox: "+err.Error())
		} else if age > h.MaxSendAge && since(&h.lastSend) > h.MaxSendAge {
			problems = append(problems, "jobs waiting "+age.Round(time.Second).String()+" with no successful send")
		}
	}
	return Readiness{Ready: len(problems) == 0, Problems: problems}
}

// Handler serves /metrics, /healthz (the process answers) and /readyz.
func Handler(m *Metrics, h *Health) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry(), promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		rd := h.Check(ctx)
		w.Header().Set("Content-Type", "application/json")
		if !rd.Ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_ = json.NewEncoder(w).Encode(rd)
	})
	return mux
}
