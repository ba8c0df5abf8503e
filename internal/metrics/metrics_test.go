package metrics

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestMetrics_LabelsStayBounded(t *testing.T) {
	m := New()
	m.PollDone("ok", 10*time.Millisecond)
	m.PollDone("https://evil.example/feed?id=1", time.Millisecond)
	m.SendDone("chat 123456")
	m.SendDone("ok")
	if got := testutil.ToFloat64(m.polls.WithLabelValues("error_other")); got != 1 {
		t.Errorf("unknown poll result counted as error_other %v times, want 1", got)
	}
	if got := testutil.ToFloat64(m.sends.WithLabelValues("other")); got != 1 {
		t.Errorf("unknown send result counted as other %v times, want 1", got)
	}
	if n := testutil.CollectAndCount(m.polls); n != len(pollResults) {
		t.Errorf("poll series = %d, want %d (one per known result)", n, len(pollResults))
	}
}

func TestMetrics_FloodWaitAddsRetryAfter(t *testing.T) {
	m := New()
	m.FloodWait(3 * time.Second)
	m.FloodWait(1500 * time.Millisecond)
	if got := testutil.ToFloat64(m.floodWaits); got != 2 {
		t.Errorf("flood waits = %v, want 2", got)
	}
	if got := testutil.ToFloat64(m.retryAfterSeconds); got != 4.5 {
		t.Errorf("retry_after seconds = %v, want 4.5", got)
	}
}

func scrape(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestHandler_MetricsIncludeRedisGauges(t *testing.T) {
	m := New()
	m.SetGaugeSource(func(context.Context) (Gauges, error) {
		return Gauges{OutboxDepth: 7, DeadJobs: 3, OldestJobAge: 90 * time.Second,
			ChatsByStatus: map[string]int64{"active": 5, "gone": 2}, Alerts: 11}, nil
	})
	code, body := scrape(t, Handler(m, &Health{}), "/metrics")
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	for _, want := range []string{
		"migrawatch_outbox_depth 7",
		"migrawatch_dead_jobs 3",
		"migrawatch_outbox_oldest_job_age_seconds 90",
		`migrawatch_chats{status="gone"} 2`,
		"migrawatch_alerts 11",
		`migrawatch_polls_total{result="not_modified"} 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestHandler_GaugeErrorIsReportedNotFatal(t *testing.T) {
	m := New()
	m.SetGaugeSource(func(context.Context) (Gauges, error) { return Gauges{}, errors.New("connection refused") })
	code, body := scrape(t, Handler(m, &Health{}), "/metrics")
	if code != 200 || !strings.Contains(body, "migrawatch_gauge_read_errors 1") {
		t.Fatalf("status %d, body lacks the gauge error flag", code)
	}
}

func TestHealth_Readiness(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	var pingErr error
	backlog := time.Duration(0)
	h := &Health{
		Ping:       func(context.Context) error { return pingErr },
		Backlog:    func(context.Context) (time.Duration, error) { return backlog, nil },
		MaxPollAge: 10 * time.Minute, MaxSendAge: 5 * time.Minute, Now: clock,
	}
	h.Start()
	ready := func() Readiness {
		code, body := scrape(t, Handler(New(), h), "/readyz")
		var r Readiness
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			t.Fatalf("readyz body %q: %v", body, err)
		}
		if (code == 200) != r.Ready {
			t.Fatalf("status %d disagrees with ready=%v", code, r.Ready)
		}
		return r
	}
	if r := ready(); !r.Ready {
		t.Fatalf("fresh process not ready: %v", r.Problems)
	}
	now = now.Add(11 * time.Minute)
	if r := ready(); r.Ready {
		t.Fatal("ready although no poll succeeded for 11 minutes")
	}
	h.PollSucceeded()
	if r := ready(); !r.Ready {
		t.Fatalf("not ready after a poll: %v", r.Problems)
	}
	backlog = 6 * time.Minute
	if r := ready(); r.Ready {
		t.Fatal("ready although jobs wait 6 minutes and nothing was ever sent")
	}
	h.SendSucceeded()
	if r := ready(); !r.Ready {
		t.Fatalf("not ready right after a send: %v", r.Problems)
	}
	pingErr = errors.New("dial tcp: connection refused")
	if r := ready(); r.Ready || !strings.Contains(strings.Join(r.Problems, ";"), "redis") {
		t.Fatalf("Redis down must make it unready, got %+v", r)
	}
	if code, _ := scrape(t, Handler(New(), h), "/healthz"); code != 200 {
		t.Fatalf("/healthz = %d while alive, want 200", code)
	}
}
