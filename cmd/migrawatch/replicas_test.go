package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
	"github.com/migrawatch/migrawatch/internal/telegram/telegramtest"
)

// The multi-process scenario: three `migrawatch run` processes share one
// Redis and one (fake) Bot API. They must deliver every story to every chat
// while one of them is killed with SIGKILL and another stopped with SIGTERM,
// with at most one duplicate per job the killed process had in flight, none
// caused by the SIGTERM, and keep answering updates.
const (
	replicaCount   = 3
	replicaChats   = 200
	replicaStories = 500
	replicaFeeds   = 5
	// initialItems are in every feed before the first poll, which marks them
	// seen: they must never be delivered.
	initialItems = 3
	// feedWindow is how many of the newest items a feed lists.
	feedWindow = 80
	// publishOver is how long the feed server takes to publish every story.
	publishOver = 10 * time.Second
	// adminChat is a private chat listed in MIGRAWATCH_ADMIN_CHAT_IDS; it
	// asks /status.
	adminChat = 1002
	// firstChat is the id of the first subscribed (private) chat.
	firstChat = 500001
	// stopBound is how long a SIGTERM may take: run's shutdown grace (20s)
	// plus the time to close Redis and exit.
	stopBound = 25 * time.Second
	// deliveryBound is how long the delivery of every story may take once
	// publishing starts. The scaled limits allow it in under 40s; the rest is
	// for slow machines, where three processes, Redis and the fake share the
	// CPUs (an in-process miniredis is the slowest part).
	deliveryBound = 7 * time.Minute
	// stallBound is how long delivery may make no progress at all.
	stallBound = 30 * time.Second
	// killWindow is how long before a SIGKILL a job may have been sent and
	// still be unacknowledged (sent but not yet marked sent and acked).
	killWindow = 2 * time.Second
)

// Telegram's limits (30 messages/s per bot, 1/s per chat) scaled up so that
// 200 chats x 500 stories = 100,000 messages fit in under a minute (100 times
// the global limit, 30 times the per-chat one): the fake refuses what goes
// beyond them with 429 and retry_after, as Telegram does, and the bot is
// configured a little under them.
var replicaLimits = telegramtest.Limits{Global: 3000, PerChat: 30, PerGroup: 2000}

func TestReplicas_StartServeHealthAndStopOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs three processes")
	}
	h := newReplicaHarness(t, "", nil)
	h.start(t)
	for _, r := range h.replicas {
		if code, body := replicaGet(t, "http://"+r.addr+"/healthz"); code != http.StatusOK {
			t.Errorf("%s /healthz: %d %q", r.name, code, body)
		}
		if code, _ := replicaGet(t, "http://"+r.addr+"/metrics"); code != http.StatusOK {
			t.Errorf("%s /metrics: %d", r.name, code)
		}
	}
	for _, r := range h.replicas {
		took, err := r.terminate(t)
		if err != nil {
			t.Errorf("%s after SIGTERM: %v\n%s", r.name, err, r.logTail())
		}
		if took > stopBound {
			t.Errorf("%s took %s to stop after SIGTERM, want under %s", r.name, took, stopBound)
		}
	}
	for _, r := range h.replicas {
		if logs := r.logs(); strings.Contains(logs, h.tg.Token) || strings.Contains(logs, tokenSecret(h.tg.Token)) {
			t.Errorf("%s logged the bot token", r.name)
		}
	}
}

func TestReplicas_DeliverEveryStoryThroughKillAndSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs three processes for a minute or two")
	}
	if os.Getenv("REDIS_URL") == "" {
		// Three processes sharing one in-process miniredis measure miniredis,
		// not MigraWatch: it serializes every command and its blocking
		// stream reads behave differently after a client dies.
		t.Skip("needs a real Redis: set REDIS_URL (.ci/run does)")
	}
	h := newReplicaHarness(t, "", nil)
	h.deliverThroughKillAndSIGTERM(t)
}

// TestReplicas_DeliverOnRedisCluster is the same scenario on a real
// three-master Redis Cluster that the suite starts (REDIS_URL in the
// Cluster form), with fewer stories: every key and script of the bot stays
// within one slot, so it delivers everything there too.
func TestReplicas_DeliverOnRedisCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs three processes on a Redis Cluster")
	}
	rdb, _ := storetest.Cluster(t)
	h := newReplicaHarness(t, storetest.ClusterURL(t), rdb)
	h.stories = 100
	h.deliverThroughKillAndSIGTERM(t)
}

// deliverThroughKillAndSIGTERM publishes the stories while one process is
// killed with SIGKILL and another stopped with SIGTERM, and checks that
// every chat gets every story, with duplicates only from the killed one.
func (h *replicaHarness) deliverThroughKillAndSIGTERM(t *testing.T) {
	ctx := context.Background()
	chats := h.seedChats(t)
	h.start(t)
	started := time.Now()

	// Every replica polls the catalog; the first poll of each feed marks its
	// initial items seen.
	h.waitFirstPolls(t, 30*time.Second)
	t.Logf("feeds polled and initial items marked seen after %s", time.Since(started).Round(time.Millisecond))

	// Updates are answered before anything happens.
	h.askStatus(t, 30*time.Second)

	// Publish, then kill -9 the replica polling the updates mid-run, and
	// SIGTERM another one.
	publishStarted := time.Now()
	pctx, stopPublishing := context.WithCancel(ctx)
	publishing := make(chan struct{})
	go func() { defer close(publishing); h.feeds.publish(pctx, h.stories, publishOver) }()
	t.Cleanup(func() { stopPublishing(); <-publishing })
	total := replicaChats * h.stories
	h.waitSends(t, total*3/10)
	victim := h.updatesLeader()
	victimInFlight := victim.proxy.inFlightSends()
	killedAt := time.Now()
	if err := victim.kill(); err != nil {
		t.Fatalf("kill -9 %s: %v", victim.name, err)
	}
	t.Logf("killed %s (the updates poller) with SIGKILL at %d sends", victim.name, h.tg.Calls("sendMessage"))

	h.waitSends(t, total*55/100)
	var stopped *replicaProc
	for _, r := range h.replicas {
		if r != victim {
			stopped = r
			break
		}
	}
	termAt := time.Now()
	took, err := stopped.terminate(t)
	if err != nil {
		t.Errorf("%s after SIGTERM: %v\n%s", stopped.name, err, stopped.logTail())
	}
	if took > stopBound {
		t.Errorf("%s took %s to stop after SIGTERM, want under %s", stopped.name, took, stopBound)
	}
	t.Logf("stopped %s with SIGTERM in %s at %d sends", stopped.name, took.Round(time.Millisecond), h.tg.Calls("sendMessage"))

	// The last replica took over the updates.
	h.askStatus(t, 30*time.Second)

	// Every chat receives every story.
	h.waitDelivered(t, chats, publishStarted)
	t.Logf("delivery of %d messages waited for %s after publishing started", total, time.Since(publishStarted).Round(time.Millisecond))
	// Give a reclaim of anything still pending (claim_idle is 2s) the chance
	// to show up as a duplicate.
	time.Sleep(4 * time.Second)
	delivered := h.collect(chats)
	if missing := delivered.missing(chats, h.stories); len(missing) > 0 {
		t.Errorf("%d (chat, story) pairs never delivered, e.g. %v", len(missing), missing[:min(10, len(missing))])
	}
	if n := delivered.initialDelivered; n > 0 {
		t.Errorf("%d messages carried items that were in the feeds before their first poll", n)
	}
	h.checkDuplicates(t, delivered, victim, killedAt, victimInFlight, stopped, termAt)
	t.Logf("fake Bot API: %d sendMessage calls, %d answered 429, %d over the limits", h.tg.Calls("sendMessage"), h.tg.TooManyRequests(), h.tg.Violations())
}

// replicaHarness is the world the processes run in: Redis, the fake Bot API
// behind one recording proxy per process, the feed server and a config file.
type replicaHarness struct {
	bin      string
	dir      string
	redisURL string
	prefix   string
	rdb      redis.UniversalClient
	store    *store.Store
	tg       *telegramtest.Server
	feeds    *storyFeeds
	config   string
	// stories is how many stories the scenario publishes.
	stories  int
	replicas []*replicaProc
	// statusAsked counts the /status commands sent.
	statusAsked int
}

// newReplicaHarness prepares the world on the Redis at redisURL (rdb its
// client), or by default at REDIS_URL, else an in-process miniredis.
func newReplicaHarness(t *testing.T, redisURL string, rdb redis.UniversalClient) *replicaHarness {
	t.Helper()
	h := &replicaHarness{dir: t.TempDir(), stories: replicaStories}
	h.bin = buildBinary(t, h.dir)

	h.prefix = "mwreplicas:" + randomID() + ":"
	h.redisURL, h.rdb = redisURL, rdb
	if h.redisURL == "" {
		h.redisURL = os.Getenv("REDIS_URL")
		if h.redisURL == "" {
			mr := miniredis.RunT(t)
			h.redisURL = "redis://" + mr.Addr() + "/0"
			keepMiniredisTime(t, mr)
		}
		opt, err := redis.ParseURL(h.redisURL)
		if err != nil {
			t.Fatalf("REDIS_URL: %v", err)
		}
		h.rdb = redis.NewClient(opt)
		t.Cleanup(func() { _ = h.rdb.Close() })
	}
	t.Cleanup(func() {
		bg := context.Background()
		keys, _ := storetest.Keys(bg, h.rdb, h.prefix+"*")
		for _, k := range keys {
			h.rdb.Del(bg, k)
		}
	})
	h.store = store.New(h.rdb, h.prefix)

	h.tg = telegramtest.New(t)
	h.tg.SetLimits(replicaLimits)
	h.feeds = newStoryFeeds(t, replicaFeeds, initialItems)
	h.config = filepath.Join(h.dir, "migrawatch.yaml")
	if err := os.WriteFile(h.config, []byte(h.feeds.config(2*time.Second)), 0o600); err != nil {
		t.Fatal(err)
	}
	return h
}

// keepMiniredisTime makes keys expire in mr as time passes: miniredis
// expires keys only when told that time went by, and the leases of a killed
// process must expire for the others to take over its feeds and updates.
func keepMiniredisTime(t *testing.T, mr *miniredis.Miniredis) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		// A second is fine for leases of several seconds, and FastForward
		// walks every key, so it must not run often.
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		last := time.Now()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-tick.C:
				mr.FastForward(now.Sub(last))
				last = now
			}
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
}

// built is the binary the replica tests run, built once per test binary.
var built struct {
	once sync.Once
	dir  string
	bin  string
	out  []byte
	err  error
}

// TestMain removes the binary the replica tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		_ = os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// buildBinary builds cmd/migrawatch, as CI and the Dockerfile do, once for
// every test that runs it.
func buildBinary(t *testing.T, _ string) string {
	t.Helper()
	built.once.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			built.err = fmt.Errorf("the go tool is needed to build the binary: %w", err)
			return
		}
		if built.dir, built.err = os.MkdirTemp("", "migrawatch-bin"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "migrawatch")
		built.out, built.err = exec.Command(goTool, "build", "-o", built.bin, ".").CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build: %v\n%s", built.err, built.out)
	}
	return built.bin
}

// config is the configuration file every process reads: the catalog
// replaced by the local feeds, fast polling, the scaled limits and
// claimIdle (short, so that the jobs of a killed process are reclaimed
// quickly, unless a test shows they are resumed without a reclaim).
func (f *storyFeeds) config(claimIdle time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, `telegram:
  long_poll_timeout: 1s
log:
  format: json
  level: info
fetch:
  timeout: 10s
  connect_timeout: 1s
  header_timeout: 5s
  allow_private_addresses: true
poll:
  default_interval: 1s
  min_interval: 1s
  max_interval: 2s
  backoff_cap: 2s
  jitter: 0
  concurrency: 8
  per_host: 8
extract:
  min_feed_text_chars: 0
deliver:
  global_per_sec: %g
  per_chat_per_sec: %g
  group_per_min: %g
  max_attempts: 20
  claim_idle: %s
sources:
  replace: true
  add:
`, float64(replicaLimits.Global)*0.9, float64(replicaLimits.PerChat)*0.75, float64(replicaLimits.PerGroup)*0.9, claimIdle)
	for i := range f.n {
		fmt.Fprintf(&b, `    - id: %s
      name: Replica Feed %d
      url: %s
      language: en
      country: INT
      migration_specific: true
      verified: true
`, feedID(i), i, f.url(i))
	}
	return b.String()
}

func feedID(i int) string { return fmt.Sprintf("replica-feed-%d", i) }

// seedChats stores the subscribed chats, each subscribed to every feed, and
// the admin chat, as the bot would after /start and /subscribe.
func (h *replicaHarness) seedChats(t *testing.T) []int64 {
	t.Helper()
	ctx := context.Background()
	chats := make([]int64, replicaChats)
	for i := range chats {
		id := int64(firstChat + i)
		chats[i] = id
		c := news.Chat{ID: id, Kind: news.ChatPrivate, Title: fmt.Sprintf("reader %d", i), UILang: news.English,
			Mode: news.ModeInstant, TZ: "UTC", Status: news.StatusActive}
		if err := h.store.SaveChat(ctx, c); err != nil {
			t.Fatalf("seed chat %d: %v", id, err)
		}
		for f := range replicaFeeds {
			if _, err := h.store.Subscribe(ctx, id, feedID(f)); err != nil {
				t.Fatalf("subscribe chat %d: %v", id, err)
			}
		}
	}
	admin := news.Chat{ID: adminChat, Kind: news.ChatPrivate, Title: "admin", UILang: news.English,
		Mode: news.ModeInstant, TZ: "UTC", Status: news.StatusActive}
	if err := h.store.SaveChat(ctx, admin); err != nil {
		t.Fatalf("seed admin chat: %v", err)
	}
	return chats
}

// start launches the processes and waits until each answers /healthz.
func (h *replicaHarness) start(t *testing.T) {
	t.Helper()
	for i := range replicaCount {
		h.replicas = append(h.replicas, h.launch(t, fmt.Sprintf("replica-%d", i)))
	}
	for _, r := range h.replicas {
		r.waitHealthy(t, 30*time.Second)
	}
}

// replicaProc is one `migrawatch run` process.
type replicaProc struct {
	name  string
	addr  string
	cmd   *exec.Cmd
	log   string
	proxy *botProxy
	done  chan struct{}
	err   error // set when done is closed
}

// launch starts one process named name (in the test), with env added to
// the environment every process gets.
func (h *replicaHarness) launch(t *testing.T, name string, env ...string) *replicaProc {
	t.Helper()
	proxy := newBotProxy(t, name, h.tg.URL)
	r := &replicaProc{name: name, addr: freeAddr(t), proxy: proxy, log: filepath.Join(h.dir, name+".log"), done: make(chan struct{})}
	logFile, err := os.Create(r.log)
	if err != nil {
		t.Fatal(err)
	}
	r.cmd = exec.Command(h.bin, "run")
	r.cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + h.dir,
		"TELEGRAM_BOT_TOKEN=" + h.tg.Token,
		"TELEGRAM_API_ENDPOINT=" + proxy.URL + "/bot%s/%s",
		"REDIS_URL=" + h.redisURL,
		"MIGRAWATCH_REDIS_PREFIX=" + h.prefix,
		"MIGRAWATCH_CONFIG=" + h.config,
		"MIGRAWATCH_ALLOW_PRIVATE_ADDRESSES=true",
		"MIGRAWATCH_HTTP_ADDR=" + r.addr,
		"MIGRAWATCH_ADMIN_CHAT_IDS=" + strconv.Itoa(adminChat),
	}
	r.cmd.Env = append(r.cmd.Env, env...)
	r.cmd.Stdout, r.cmd.Stderr = logFile, logFile
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		r.err = r.cmd.Wait()
		_ = logFile.Close()
		close(r.done)
	}()
	t.Cleanup(func() {
		select {
		case <-r.done:
		default:
			_ = r.cmd.Process.Kill()
			<-r.done
		}
		if t.Failed() {
			t.Logf("last lines of %s's log:\n%s", r.name, r.logTail())
		}
	})
	return r
}

func (r *replicaProc) waitHealthy(t *testing.T, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		select {
		case <-r.done:
			t.Fatalf("%s exited at start: %v\n%s", r.name, r.err, r.logTail())
		default:
		}
		resp, err := http.Get("http://" + r.addr + "/healthz")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: /healthz not answering after %s (last error %v)\n%s", r.name, within, err, r.logTail())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill is kill -9: the process gets no chance to release or acknowledge anything.
func (r *replicaProc) kill() error {
	if err := r.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		return err
	}
	<-r.done
	return nil
}

// terminate sends SIGTERM and waits (up to twice stopBound) for the process to
// exit; it returns how long that took and the exit error.
func (r *replicaProc) terminate(t *testing.T) (time.Duration, error) {
	t.Helper()
	start := time.Now()
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return 0, err
	}
	select {
	case <-r.done:
		return time.Since(start), r.err
	case <-time.After(2 * stopBound):
		_ = r.cmd.Process.Kill()
		<-r.done
		return time.Since(start), fmt.Errorf("still running %s after SIGTERM; killed", 2*stopBound)
	}
}

func (r *replicaProc) logs() string {
	b, _ := os.ReadFile(r.log)
	return string(b)
}

func (r *replicaProc) logTail() string {
	lines := strings.Split(strings.TrimRight(r.logs(), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-40):], "\n")
}

// waitFirstPolls waits until each feed was polled and its initial items
// are in its seen set.
func (h *replicaHarness) waitFirstPolls(t *testing.T, within time.Duration) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(within)
	for i := range replicaFeeds {
		for {
			n, err := h.store.SeenCount(ctx, feedID(i))
			if err == nil && n >= initialItems {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("feed %s: %d of %d initial items seen after %s (feed requests: %d, err %v); "+
					"run must register the catalog and start the poller", feedID(i), n, initialItems, within, h.feeds.requests(), err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// askStatus sends /status in the admin chat and waits for an answer.
func (h *replicaHarness) askStatus(t *testing.T, within time.Duration) {
	t.Helper()
	before := len(h.tg.Sent(adminChat))
	h.statusAsked++
	h.tg.Command(adminChat, telegramtest.Bob, "/status")
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	if _, err := h.tg.WaitSent(ctx, adminChat, before+1); err != nil {
		t.Fatalf("/status #%d not answered within %s (%d updates pending): run must poll updates "+
			"(one replica at a time, under the updates lease) and route them to the bot", h.statusAsked, within, h.tg.Pending())
	}
}

// updatesLeader is the live process that polled getUpdates last.
func (h *replicaHarness) updatesLeader() *replicaProc {
	var best *replicaProc
	var bestAt time.Time
	for _, r := range h.replicas {
		select {
		case <-r.done:
			continue
		default:
		}
		if at := r.proxy.lastUpdates(); best == nil || at.After(bestAt) {
			best, bestAt = r, at
		}
	}
	return best
}

// waitSends waits until the fake answered n sendMessage calls (failures
// included), failing when sending stalls for stallBound.
func (h *replicaHarness) waitSends(t *testing.T, n int) {
	t.Helper()
	last, lastAt := -1, time.Now()
	for {
		got := h.tg.Calls("sendMessage")
		if got >= n {
			return
		}
		if got > last {
			last, lastAt = got, time.Now()
		}
		if time.Since(lastAt) > stallBound {
			t.Fatalf("%d of %d messages sent, none for %s", got, n, stallBound)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// delivery is what the chats received, by (chat, story).
type delivery struct {
	copies map[chatStory][]sentCopy
	// initialDelivered counts messages about items that were in the feeds
	// before their first poll.
	initialDelivered int
}

type chatStory struct {
	chat  int64
	story int
}

// sentCopy is one message as the fake Bot API recorded it.
type sentCopy struct {
	msgID int
	at    time.Time
}

var storyMarker = regexp.MustCompile(`\bMWS(\d{4})\b`)

func (h *replicaHarness) collect(chats []int64) delivery {
	d := delivery{copies: map[chatStory][]sentCopy{}}
	for _, m := range h.tg.All() {
		mm := storyMarker.FindStringSubmatch(m.Text)
		if mm == nil {
			continue
		}
		n, _ := strconv.Atoi(mm[1])
		if n >= initialStoryBase {
			d.initialDelivered++
			continue
		}
		k := chatStory{m.ChatID, n}
		d.copies[k] = append(d.copies[k], sentCopy{msgID: m.ID, at: m.Time})
	}
	return d
}

func (d delivery) missing(chats []int64, stories int) []chatStory {
	var out []chatStory
	for _, c := range chats {
		for s := range stories {
			if len(d.copies[chatStory{c, s}]) == 0 {
				out = append(out, chatStory{c, s})
			}
		}
	}
	return out
}

// waitDelivered waits until every chat has every story. It gives up when
// delivery stalls (nothing new for stallBound) or takes longer than
// deliveryBound: how fast it goes depends on the machine, that it finishes
// does not.
func (h *replicaHarness) waitDelivered(t *testing.T, chats []int64, started time.Time) {
	t.Helper()
	want := len(chats) * h.stories
	last, lastAt := -1, time.Now()
	for {
		d := h.collect(chats)
		got := len(d.copies)
		if got >= want {
			return
		}
		if got > last {
			last, lastAt = got, time.Now()
		}
		if stalled := time.Since(lastAt) > stallBound; stalled || time.Since(started) > deliveryBound {
			t.Errorf("%d of %d (chat, story) pairs delivered after %s (stalled: %v; %d feed requests, %d stories published)",
				got, want, time.Since(started).Round(time.Second), stalled, h.feeds.requests(), h.feeds.published())
			return
		}
		time.Sleep(time.Second)
	}
}

// checkDuplicates pins the crash-safety promise: a story reaches a chat twice
// only when the SIGKILLed process had sent it and died before recording it,
// so the first copy went out just before the kill, from that process (or from
// a connection that died with it); the copy after it may come from any
// process that reclaimed the job. Nothing the SIGTERMed process sent is sent
// again.
func (h *replicaHarness) checkDuplicates(t *testing.T, d delivery, killed *replicaProc, killedAt time.Time, killedInFlight int, stopped *replicaProc, stoppedAt time.Time) {
	t.Helper()
	dups := 0
	for k, copies := range d.copies {
		if len(copies) < 2 {
			continue
		}
		dups++
		if len(copies) > 2 {
			t.Errorf("chat %d got story %d %d times", k.chat, k.story, len(copies))
		}
		slices.SortFunc(copies, func(a, b sentCopy) int { return a.at.Compare(b.at) })
		first, again := copies[0], copies[1]
		firstBy, againBy := h.sender(k.chat, first.msgID), h.sender(k.chat, again.msgID)
		nearKill := !first.at.Before(killedAt.Add(-killWindow)) && !first.at.After(killedAt.Add(time.Second))
		if !nearKill || (firstBy != killed.name && firstBy != "unknown") {
			t.Errorf("chat %d story %d sent twice: by %s at %s, again by %s at %s; only jobs in flight when %s was killed (%s) may be (%s got SIGTERM at %s)",
				k.chat, k.story, firstBy, first.at.Format(time.StampMilli), againBy, again.at.Format(time.StampMilli),
				killed.name, killedAt.Format(time.StampMilli), stopped.name, stoppedAt.Format(time.StampMilli))
		}
	}
	answered := killed.proxy.sendsBetween(killedAt.Add(-killWindow), killedAt)
	t.Logf("%d duplicates; %s had %d sends in flight when killed and %d answered in the %s before", dups, killed.name, killedInFlight, answered, killWindow)
	if dups > answered+killedInFlight {
		t.Errorf("%d duplicates, more than the %d jobs %s can have had in flight", dups, answered+killedInFlight, killed.name)
	}
}

// sender names the process whose proxy saw message msgID of chat answered, or
// "unknown" when none did (its connection died before the answer).
func (h *replicaHarness) sender(chat int64, msgID int) string {
	for _, r := range h.replicas {
		if r.proxy.sent(chat, msgID) {
			return r.name
		}
	}
	return "unknown"
}

// botProxy stands between one process and the fake Bot API, recording which
// messages that process sent and when it polled getUpdates.
type botProxy struct {
	*httptest.Server
	name   string
	target string
	client *http.Client

	mu          sync.Mutex
	sends       map[[2]int64]time.Time // (chat, message id) -> answered at
	inflight    int
	lastPolling time.Time
	// holding keeps every sendMessage from here on waiting, unanswered and
	// never passed on, until the process hangs up (dies).
	holding bool
}

func newBotProxy(t *testing.T, name, target string) *botProxy {
	t.Helper()
	p := &botProxy{name: name, target: target, sends: map[[2]int64]time.Time{},
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}}
	p.Server = httptest.NewServer(p)
	t.Cleanup(p.Close)
	return p
}

func (p *botProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	method := path.Base(r.URL.Path)
	switch method {
	case "getUpdates":
		p.mu.Lock()
		p.lastPolling = time.Now()
		p.mu.Unlock()
		defer func() {
			p.mu.Lock()
			p.lastPolling = time.Now()
			p.mu.Unlock()
		}()
	case "sendMessage":
		p.mu.Lock()
		p.inflight++
		holding := p.holding
		p.mu.Unlock()
		defer func() {
			p.mu.Lock()
			p.inflight--
			p.mu.Unlock()
		}()
		if holding {
			<-r.Context().Done()
			return
		}
	}
	req, err := http.NewRequestWithContext(r.Context(), r.Method, p.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	req.Header = r.Header.Clone()
	resp, err := p.client.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	if method == "sendMessage" && resp.StatusCode == http.StatusOK {
		var sent struct {
			Result struct {
				MessageID int64 `json:"message_id"`
				Chat      struct {
					ID int64 `json:"id"`
				} `json:"chat"`
			} `json:"result"`
		}
		if json.Unmarshal(answer, &sent) == nil {
			p.mu.Lock()
			p.sends[[2]int64{sent.Result.Chat.ID, sent.Result.MessageID}] = time.Now()
			p.mu.Unlock()
		}
	}
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(answer)
}

func (p *botProxy) sent(chat int64, msgID int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.sends[[2]int64{chat, int64(msgID)}]
	return ok
}

func (p *botProxy) sendsBetween(from, to time.Time) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, at := range p.sends {
		if !at.Before(from) && !at.After(to) {
			n++
		}
	}
	return n
}

// holdSends makes every later sendMessage wait until its process dies.
func (p *botProxy) holdSends() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.holding = true
}

func (p *botProxy) inFlightSends() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.inflight
}

func (p *botProxy) lastUpdates() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lastPolling
}

// storyFeeds serves n RSS feeds on loopback and publishes stories into them.
// Story i carries the marker MWS<i> in its title; initial items use markers
// from initialStoryBase on.
type storyFeeds struct {
	*httptest.Server
	n int

	mu        sync.Mutex
	items     [][]feedItem // per feed, oldest first
	count     int          // stories published
	nRequests int
}

const initialStoryBase = 9000

type feedItem struct {
	marker  int
	title   string
	text    string
	link    string
	guid    string
	pubDate time.Time
}

func newStoryFeeds(t *testing.T, n, initial int) *storyFeeds {
	t.Helper()
	f := &storyFeeds{n: n, items: make([][]feedItem, n)}
	f.Server = httptest.NewServer(f)
	t.Cleanup(f.Close)
	rng := mrand.New(mrand.NewPCG(7, 7))
	for i := range n {
		for j := range initial {
			f.items[i] = append(f.items[i], f.newItem(rng, initialStoryBase+i*initial+j, time.Now().Add(-time.Hour)))
		}
	}
	return f
}

func (f *storyFeeds) url(i int) string { return fmt.Sprintf("%s/feeds/%d.xml", f.URL, i) }

// syllables make words that never repeat a story's wording in another story,
// so that near-duplicate detection keeps the 500 stories apart.
var syllables = strings.Fields("ba be bi bo bu da de di do du fa fe fi fo fu ga ge gi go gu ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu za ze zi zo zu")

func word(rng *mrand.Rand) string {
	n := 2 + rng.IntN(3)
	var b strings.Builder
	for range n {
		b.WriteString(syllables[rng.IntN(len(syllables))])
	}
	return b.String()
}

func sentence(rng *mrand.Rand, words int) string {
	ws := make([]string, words)
	for i := range ws {
		ws[i] = word(rng)
	}
	s := strings.Join(ws, " ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func (f *storyFeeds) newItem(rng *mrand.Rand, marker int, at time.Time) feedItem {
	title := fmt.Sprintf("MWS%04d migrants %s", marker, strings.TrimSuffix(sentence(rng, 6), "."))
	text := fmt.Sprintf("%s %s The migration office said: \"%s\" %s", sentence(rng, 14), sentence(rng, 12), sentence(rng, 10), sentence(rng, 16))
	link := fmt.Sprintf("%s/stories/%04d", f.URL, marker)
	return feedItem{marker: marker, title: title, text: text, link: link, guid: link, pubDate: at}
}

// publish adds n stories round-robin over the feeds, evenly over the given time.
func (f *storyFeeds) publish(ctx context.Context, n int, over time.Duration) {
	rng := mrand.New(mrand.NewPCG(42, 42))
	every := over / time.Duration(n)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for i := range n {
		it := f.newItem(rng, i, time.Now())
		f.mu.Lock()
		f.items[i%f.n] = append(f.items[i%f.n], it)
		f.count++
		f.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (f *storyFeeds) published() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.count
}

func (f *storyFeeds) requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.nRequests
}

func (f *storyFeeds) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var i int
	if _, err := fmt.Sscanf(r.URL.Path, "/feeds/%d.xml", &i); err != nil || i < 0 || i >= f.n {
		http.NotFound(w, r)
		return
	}
	f.mu.Lock()
	f.nRequests++
	items := f.items[i]
	etag := fmt.Sprintf(`"%d-%d"`, i, len(items))
	items = append([]feedItem(nil), items[max(0, len(items)-feedWindow):]...)
	f.mu.Unlock()
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Replica Feed %d</title><link>%s</link><description>Stories for the replica test</description><language>en</language>
`, i, f.URL)
	for j := len(items) - 1; j >= 0; j-- {
		it := items[j]
		fmt.Fprintf(bw, "<item><title>%s</title><link>%s</link><guid isPermaLink=\"true\">%s</guid><pubDate>%s</pubDate><description>%s</description></item>\n",
			html.EscapeString(it.title), it.link, it.guid, it.pubDate.UTC().Format(time.RFC1123Z), html.EscapeString(it.text))
	}
	fmt.Fprint(bw, "</channel></rss>\n")
	_ = bw.Flush()
}

// freeAddr returns a loopback address with a port nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

func replicaGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// tokenSecret is the part of a bot token after the colon.
func tokenSecret(token string) string {
	if _, s, ok := strings.Cut(token, ":"); ok {
		return s
	}
	return token
}

func randomID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
