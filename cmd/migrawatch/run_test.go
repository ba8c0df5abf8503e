package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"github.com/migrawatch/migrawatch/internal/telegram/telegramtest"
)

// syncBuffer is a bytes.Buffer safe to read while run writes logs to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// invocation is the outcome of one call of run.
type invocation struct {
	err            error
	stdout, stderr string
}

// runCmd calls run with args (without the program name) and a fixed environment.
func runCmd(t *testing.T, environ map[string]string, args ...string) invocation {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	err := run(ctx, append([]string{"migrawatch"}, args...), func(k string) string { return environ[k] }, &stdout, &stderr)
	return invocation{err: err, stdout: stdout.String(), stderr: stderr.String()}
}

func TestRun_VersionPrintsVersionCommitAndGo(t *testing.T) {
	got := runCmd(t, nil, "version")
	if got.err != nil {
		t.Fatalf("version: %v", got.err)
	}
	for _, want := range []string{"migrawatch dev", "commit ", runtime.Version()} {
		if !strings.Contains(got.stdout, want) {
			t.Errorf("version output %q lacks %q", got.stdout, want)
		}
	}
}

func TestRun_HelpForEachCommand(t *testing.T) {
	for _, c := range commands() {
		for _, flag := range []string{"-h", "--help"} {
			got := runCmd(t, nil, c.name, flag)
			if got.err != nil {
				t.Errorf("%s %s: %v", c.name, flag, got.err)
			}
			if !strings.Contains(got.stdout, "Usage: migrawatch "+c.name) {
				t.Errorf("%s %s printed %q", c.name, flag, got.stdout)
			}
		}
	}
	for _, args := range [][]string{{"-h"}, {"help"}, {"--help"}} {
		got := runCmd(t, nil, args...)
		if got.err != nil || !strings.Contains(got.stdout, "check-feed") || !strings.Contains(got.stdout, "healthcheck") {
			t.Errorf("%v: err %v, output %q", args, got.err, got.stdout)
		}
	}
	got := runCmd(t, nil, "help", "preview")
	if got.err != nil || !strings.Contains(got.stdout, "-json") {
		t.Errorf("help preview: err %v, output %q", got.err, got.stdout)
	}
}

func TestRun_UnknownCommandIsAUsageError(t *testing.T) {
	got := runCmd(t, nil, "serve")
	var ue *usageError
	if !errors.As(got.err, &ue) || !strings.Contains(got.err.Error(), `unknown command "serve"`) {
		t.Fatalf("got %v", got.err)
	}
	if !strings.Contains(got.stderr, "Commands:") {
		t.Errorf("no usage on stderr: %q", got.stderr)
	}
}

func TestRun_UnknownFlagIsAUsageError(t *testing.T) {
	got := runCmd(t, nil, "preview", "-jsn")
	var ue *usageError
	if !errors.As(got.err, &ue) {
		t.Fatalf("got %v", got.err)
	}
	if !strings.Contains(got.stderr, "flag provided but not defined: -jsn") || !strings.Contains(got.stderr, "Usage: migrawatch preview") {
		t.Errorf("stderr: %q", got.stderr)
	}
}

func TestRun_WithoutTokenNamesTheVariable(t *testing.T) {
	got := runCmd(t, map[string]string{"MIGRAWATCH_HTTP_ADDR": "127.0.0.1:0"})
	if got.err == nil || !strings.Contains(got.err.Error(), "TELEGRAM_BOT_TOKEN is not set") {
		t.Fatalf("got %v", got.err)
	}
}

func TestRun_ReportsEveryConfigurationProblem(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mw.yaml")
	if err := os.WriteFile(path, []byte("poll:\n  concurency: 4\nfetch:\n  timeout: forever\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got := runCmd(t, map[string]string{
		"TELEGRAM_BOT_TOKEN":    "123:abc",
		"MIGRAWATCH_LOG_FORMAT": "xml",
		"MIGRAWATCH_HTTP_ADDR":  "nowhere",
		"REDIS_URL":             "http://localhost:6379",
		"MIGRAWATCH_CONFIG":     path,
	}, "run")
	if got.err == nil {
		t.Fatal("run accepted a broken configuration")
	}
	msg := got.err.Error()
	for _, want := range []string{"5 problem(s)", "poll.concurency: unknown key", "fetch.timeout:", "MIGRAWATCH_LOG_FORMAT:", "MIGRAWATCH_HTTP_ADDR:", "REDIS_URL:"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
}

var listenRe = regexp.MustCompile(`http server listening.*addr"?[=:]"?([0-9.:\[\]]+)`)

// startBot runs the bot in the background and returns its HTTP address, its
// log, and a function that stops it and returns run's error.
func startBot(t *testing.T, environ map[string]string) (addr string, logs *syncBuffer, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs = &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"migrawatch", "run"}, func(k string) string { return environ[k] }, io.Discard, logs)
	}()
	var once sync.Once
	var stopErr error
	stop = func() error {
		once.Do(func() { stopErr = waitStop(t, cancel, done, logs) })
		return stopErr
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := listenRe.FindStringSubmatch(logs.String()); m != nil {
			return m[1], logs, stop
		}
		select {
		case err := <-done:
			t.Fatalf("run returned early: %v\nlogs:\n%s", err, logs)
		case <-time.After(20 * time.Millisecond):
		}
	}
	_ = stop()
	t.Fatalf("the HTTP server never started; logs:\n%s", logs)
	return "", nil, nil
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestRun_EmbeddedStoreServesHealthAndStopsOnCancel(t *testing.T) {
	t.Parallel()
	token := strconv.Itoa(telegramtest.BotID) + ":AAHtestTOKENthatMustNotLeak"
	addr, logs, stop := startBot(t, offline(t, map[string]string{
		"TELEGRAM_BOT_TOKEN":    token,
		"MIGRAWATCH_HTTP_ADDR":  "127.0.0.1:0",
		"MIGRAWATCH_LOG_FORMAT": "text",
	}))
	if code, body := get(t, "http://"+addr+"/healthz"); code != 200 || !strings.Contains(body, "ok") {
		t.Errorf("/healthz: %d %q", code, body)
	}
	code, body := get(t, "http://"+addr+"/readyz")
	var ready struct{ Ready bool }
	if code != 200 || json.Unmarshal([]byte(body), &ready) != nil || !ready.Ready {
		t.Errorf("/readyz: %d %q", code, body)
	}
	if code, body := get(t, "http://"+addr+"/metrics"); code != 200 || !strings.Contains(body, "go_goroutines") {
		t.Errorf("/metrics: %d (%d bytes)", code, len(body))
	}
	// The healthcheck command finds the same server.
	if got := runCmd(t, map[string]string{"MIGRAWATCH_HTTP_ADDR": addr}, "healthcheck"); got.err != nil {
		t.Errorf("healthcheck against the running bot: %v", got.err)
	}
	start := time.Now()
	if err := stop(); err != nil {
		t.Errorf("run after cancellation: %v", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("shutdown took %s", took)
	}
	out := logs.String()
	if !strings.Contains(out, "level=WARN") || !strings.Contains(out, "nothing persists") {
		t.Errorf("no warning that the embedded store does not persist:\n%s", out)
	}
	if strings.Contains(out, token) || strings.Contains(out, "AAHtestTOKEN") {
		t.Errorf("the token reached the logs:\n%s", out)
	}
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Error("the HTTP server still accepts connections after run returned")
	}
}

func TestRun_ConnectsToRedisURL(t *testing.T) {
	t.Parallel()
	url := os.Getenv("REDIS_URL")
	if url == "" {
		mr := miniredis.RunT(t)
		url = "redis://" + mr.Addr() + "/0"
	}
	addr, logs, stop := startBot(t, offline(t, map[string]string{
		"TELEGRAM_BOT_TOKEN":      "123:abc",
		"MIGRAWATCH_HTTP_ADDR":    "127.0.0.1:0",
		"REDIS_URL":               url,
		"MIGRAWATCH_REDIS_PREFIX": "mwtest-run:",
		"MIGRAWATCH_LOG_FORMAT":   "json",
	}))
	code, body := get(t, "http://"+addr+"/readyz")
	if code != 200 {
		t.Errorf("/readyz with %s: %d %q", url, code, body)
	}
	if err := stop(); err != nil {
		t.Errorf("run: %v", err)
	}
	out := logs.String()
	if !strings.Contains(out, `"msg":"redis connected"`) || strings.Contains(out, "nothing persists") {
		t.Errorf("logs do not show a connection to REDIS_URL:\n%s", out)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !json.Valid([]byte(line)) {
			t.Errorf("MIGRAWATCH_LOG_FORMAT=json wrote a non-JSON line: %s", line)
		}
	}
}

func TestRun_RedisThatNeverAnswersFailsWithItsAddress(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	var stderr bytes.Buffer
	env := map[string]string{"TELEGRAM_BOT_TOKEN": "1:a", "MIGRAWATCH_HTTP_ADDR": "127.0.0.1:0", "REDIS_URL": "redis://:pw@" + dead + "/0"}
	err = run(ctx, []string{"migrawatch"}, func(k string) string { return env[k] }, io.Discard, &stderr)
	if err == nil || !strings.Contains(err.Error(), "redis://"+dead) || strings.Contains(err.Error(), "pw@") {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(stderr.String(), "retrying") {
		t.Errorf("no retry logged: %s", stderr.String())
	}
}

func TestRun_BusyHTTPAddressFailsAtStart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := runCmd(t, offline(t, map[string]string{"TELEGRAM_BOT_TOKEN": "1:a", "MIGRAWATCH_HTTP_ADDR": ln.Addr().String()}), "run")
	if got.err == nil || !strings.Contains(got.err.Error(), "MIGRAWATCH_HTTP_ADDR") {
		t.Fatalf("got %v", got.err)
	}
}

func TestHealthcheck_ExitStatusFollowsHealthz(t *testing.T) {
	healthy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		_, _ = io.WriteString(w, "ok\n")
	}))
	defer healthy.Close()
	sick := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "not yet", http.StatusServiceUnavailable)
	}))
	defer sick.Close()
	addrOf := func(s *httptest.Server) string { return strings.TrimPrefix(s.URL, "http://") }

	if got := runCmd(t, map[string]string{"MIGRAWATCH_HTTP_ADDR": addrOf(healthy)}, "healthcheck"); got.err != nil {
		t.Errorf("healthy server: %v", got.err)
	}
	if got := runCmd(t, map[string]string{"MIGRAWATCH_HTTP_ADDR": addrOf(sick)}, "healthcheck"); got.err == nil || !strings.Contains(got.err.Error(), "503") {
		t.Errorf("503 server: %v", got.err)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln.Addr().String()
	ln.Close()
	if got := runCmd(t, map[string]string{"MIGRAWATCH_HTTP_ADDR": closed}, "healthcheck", "-timeout", "2s"); got.err == nil {
		t.Error("healthcheck passed with nothing listening")
	}
}

func TestLocalAddr(t *testing.T) {
	tests := map[string]string{
		":8080":          "127.0.0.1:8080",
		"0.0.0.0:9000":   "127.0.0.1:9000",
		"[::]:8080":      "[::1]:8080",
		"10.0.0.5:8080":  "10.0.0.5:8080",
		"localhost:8080": "localhost:8080",
	}
	for in, want := range tests {
		if got := localAddr(in); got != want {
			t.Errorf("localAddr(%q) = %q, want %q", in, got, want)
		}
	}
}

// offline points a bot's environment at a fake Bot API and an empty source
// catalog, so that running it reaches no address beyond loopback.
func offline(t *testing.T, environ map[string]string) map[string]string {
	t.Helper()
	tg := telegramtest.New(t)
	path := filepath.Join(t.TempDir(), "offline.yaml")
	if err := os.WriteFile(path, []byte("sources:\n  replace: true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	environ["TELEGRAM_API_ENDPOINT"] = tg.Endpoint()
	if tok := environ["TELEGRAM_BOT_TOKEN"]; strings.HasPrefix(tok, strconv.Itoa(telegramtest.BotID)+":") {
		tg.Token = tok // set before the bot's first request
	} else {
		environ["TELEGRAM_BOT_TOKEN"] = tg.Token
	}
	environ["MIGRAWATCH_CONFIG"] = path
	return environ
}

// waitStop cancels a running bot and waits for run to return.
func waitStop(t *testing.T, cancel context.CancelFunc, done <-chan error, logs *syncBuffer) error {
	t.Helper()
	cancel()
	select {
	case err := <-done:
		return err
	case <-time.After(15 * time.Second):
		t.Fatalf("run did not return within 15s of cancellation; logs:\n%s", logs)
		return nil
	}
}
