package storetest

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// needBinary returns the path of a Redis program, skipping the test when it
// is missing outside CI (.ci/run installs it, so there it is a failure).
func needBinary(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed (.ci/run installs redis-server and redis-tools)", name)
		}
		t.Skipf("%s is not installed", name)
	}
	return p
}

// freePort returns a loopback port nobody listens on; with bus set, port +
// 10000 (a Cluster node's bus port) is free too.
func freePort(t testing.TB, bus bool) int {
	t.Helper()
	for range 50 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		_ = ln.Close()
		if !bus {
			return port
		}
		if port+10000 > 65535 {
			continue
		}
		if l2, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port+10000)); err == nil {
			_ = l2.Close()
			return port
		}
	}
	t.Fatal("no free port pair for a Redis Cluster node")
	return 0
}

// Server is a redis-server process of the test's own, on a free loopback
// port, persisting every write (appendonly, fsync always) to a directory
// that outlives a restart: a test can stop and restart it mid-run and find
// its data again, as after a real Redis restart. The shared server on 6379
// is never touched.
type Server struct {
	Addr string
	bin  string
	dir  string
	port int
	t    testing.TB

	mu  sync.Mutex
	cmd *exec.Cmd
}

// NewServer starts a Server that stops when the test ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{bin: needBinary(t, "redis-server"), dir: t.TempDir(), port: freePort(t, false), t: t}
	s.Addr = "127.0.0.1:" + strconv.Itoa(s.port)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop() })
	return s
}

// Start starts the server (again) and waits until it answers PING.
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return fmt.Errorf("redis-server %s is running", s.Addr)
	}
	cmd := exec.Command(s.bin, "--bind", "127.0.0.1", "--port", strconv.Itoa(s.port), "--dir", s.dir,
		"--save", "", "--appendonly", "yes", "--appendfsync", "always", "--daemonize", "no", "--loglevel", "warning")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start redis-server: %w", err)
	}
	s.cmd = cmd
	return waitPing(s.Addr, 10*time.Second)
}

// Stop kills the server (SIGKILL: what a crash or an OOM kill does; every
// write acknowledged so far is on disk) and waits for it to exit.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// Client returns a client of the server that closes when the test ends.
func (s *Server) Client(t testing.TB) redis.UniversalClient {
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr, ContextTimeoutEnabled: true, MaxRetries: -1,
		DialTimeout: time.Second, ReadTimeout: 2 * time.Second, WriteTimeout: time.Second})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

func waitPing(addr string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			_ = c.SetDeadline(time.Now().Add(time.Second))
			_, _ = c.Write([]byte("PING\r\n"))
			line, _ := bufio.NewReader(c).ReadString('\n')
			_ = c.Close()
			if strings.HasPrefix(line, "+PONG") {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("redis-server %s does not answer after %s", addr, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// cluster is the one Redis Cluster of a test binary, started on first use.
var cluster struct {
	once  sync.Once
	addrs []string
	err   error
}

// Cluster returns a client of a real three-master Redis Cluster and a key
// prefix unique to t. The first call of a test binary starts three
// `redis-server --cluster-enabled yes` nodes on free loopback ports and joins
// them with `redis-cli --cluster create`; the nodes live as long as the test
// binary (they are killed with it) and every test uses its own prefix.
func Cluster(t testing.TB) (redis.UniversalClient, string) {
	t.Helper()
	server := needBinary(t, "redis-server")
	cli := needBinary(t, "redis-cli")
	cluster.once.Do(func() { cluster.addrs, cluster.err = startCluster(t, server, cli) })
	if cluster.err != nil {
		t.Fatalf("redis cluster: %v", cluster.err)
	}
	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: cluster.addrs})
	prefix := "mwtest:" + randomHex(6) + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		_ = rdb.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
			it := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
			for it.Next(ctx) {
				c.Del(ctx, it.Val())
			}
			return nil
		})
		_ = rdb.Close()
	})
	return rdb, prefix
}

// ClusterURL is the REDIS_URL form of the cluster Cluster started (for a
// process of the bot), starting it if needed.
func ClusterURL(t testing.TB) string {
	t.Helper()
	Cluster(t)
	u := "redis://" + cluster.addrs[0]
	for i, a := range cluster.addrs[1:] {
		sep := "&"
		if i == 0 {
			sep = "?"
		}
		u += sep + "addr=" + a
	}
	return u
}

// startCluster runs the nodes from a goroutine locked to its OS thread for
// good: the nodes get SIGKILL when that thread ends (Pdeathsig), which is
// when the test binary exits, so no node outlives its tests.
func startCluster(t testing.TB, server, cli string) ([]string, error) {
	dir, err := os.MkdirTemp("", "mwcluster")
	if err != nil {
		return nil, err
	}
	type result struct {
		addrs []string
		err   error
	}
	done := make(chan result, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread lives as long as the process
		var addrs []string
		for i := range 3 {
			port := freePort(t, true)
			nodeDir := filepath.Join(dir, strconv.Itoa(i))
			if err := os.MkdirAll(nodeDir, 0o700); err != nil {
				done <- result{err: err}
				return
			}
			cmd := exec.Command(server, "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--dir", nodeDir,
				"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000",
				"--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning")
			cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
			if err := cmd.Start(); err != nil {
				done <- result{err: fmt.Errorf("start node: %w", err)}
				return
			}
			go func() { _ = cmd.Wait() }()
			addr := "127.0.0.1:" + strconv.Itoa(port)
			if err := waitPing(addr, 10*time.Second); err != nil {
				done <- result{err: err}
				return
			}
			addrs = append(addrs, addr)
		}
		args := append([]string{"--cluster", "create"}, addrs...)
		args = append(args, "--cluster-replicas", "0", "--cluster-yes")
		if out, err := exec.Command(cli, args...).CombinedOutput(); err != nil {
			done <- result{err: fmt.Errorf("redis-cli --cluster create: %v\n%s", err, out)}
			return
		}
		done <- result{addrs: addrs}
		select {} // keep the thread, and with it the nodes, until the process ends
	}()
	r := <-done
	if r.err != nil {
		return nil, r.err
	}
	// Every node must know every slot before the first command.
	deadline := time.Now().Add(20 * time.Second)
	for _, a := range r.addrs {
		for {
			c := redis.NewClient(&redis.Options{Addr: a})
			info, err := c.ClusterInfo(context.Background()).Result()
			_ = c.Close()
			if err == nil && strings.Contains(info, "cluster_state:ok") && strings.Contains(info, "cluster_slots_ok:16384") {
				break
			}
			if time.Now().After(deadline) {
				return nil, fmt.Errorf("node %s not ready: %v %q", a, err, info)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return r.addrs, nil
}
