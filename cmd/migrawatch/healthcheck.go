package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

func cmdHealthcheck(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("healthcheck", "", `Ask the bot running on this machine whether it is alive: GET /healthz on the address of
MIGRAWATCH_HTTP_ADDR (or http.addr in the configuration file). Exits with status 0 when it
answers 200, 1 otherwise. The container image uses it as its HEALTHCHECK.`)
	configPath := configFlag(fs)
	timeout := fs.Duration("timeout", 5*time.Second, "give up after this long")
	if _, err := parseFlags(fs, args, e); err != nil {
		return err
	}
	cfg, err := loadConfig(e, *configPath)
	if err != nil {
		return err
	}
	target := "http://" + localAddr(cfg.HTTP.Addr) + "/healthz"
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck %s: %w", target, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck %s: HTTP %d %s", target, resp.StatusCode, body)
	}
	fmt.Fprintf(e.stdout, "ok: %s answered %d\n", target, resp.StatusCode)
	return nil
}

// localAddr turns a listen address into one to dial on this machine: an
// empty or wildcard host becomes the loopback address.
func localAddr(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::", "[::]":
		host = "::1"
	}
	return net.JoinHostPort(host, port)
}
