package config

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// problems collects validation findings, naming the environment variable when
// the value came from there.
type problems struct {
	fromEnv map[string]string
	errs    []error
}

func (p *problems) add(key, format string, args ...any) {
	if env, ok := p.fromEnv[key]; ok {
		key = env
	}
	p.errs = append(p.errs, &FieldError{Key: key, Problem: fmt.Sprintf(format, args...)})
}

// durationRange checks lo <= d <= hi.
func (p *problems) durationRange(key string, d, lo, hi time.Duration) {
	if d < lo || d > hi {
		p.add(key, "must be between %s and %s, got %s", FormatDuration(lo), FormatDuration(hi), FormatDuration(d))
	}
}

// intRange checks lo <= n <= hi.
func (p *problems) intRange(key string, n, lo, hi int64) {
	if n < lo || n > hi {
		p.add(key, "must be between %d and %d, got %d", lo, hi, n)
	}
}

// positive checks a rate.
func (p *problems) positive(key string, x float64) {
	if !(x > 0) || x > 1e6 {
		p.add(key, "must be a positive number, got %g", x)
	}
}

var webhookSecretRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// replicaIDRe is what redis.replica_id may hold: a name that reads the same
// in a lease value, a consumer name and a log line.
var replicaIDRe = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// botTokenRe is the form of a bot token: the bot's numeric id, a colon and
// the secret part (Bot API, "Authorizing your bot").
var botTokenRe = regexp.MustCompile(`^[0-9]{1,20}:[A-Za-z0-9_-]{1,100}$`)

// validate checks every key of cfg and resolves the catalog.
func validate(cfg *Config, fromEnv map[string]string) []error {
	p := &problems{fromEnv: fromEnv}

	// telegram
	if tok := cfg.Telegram.Token.Reveal(); tok != "" && !botTokenRe.MatchString(tok) {
		// Checked here so that a mistyped token is named at start-up instead
		// of being sent to Telegram (and the token is never echoed back).
		p.add("telegram.token", "is not a bot token: @BotFather gives one like 123456789:AAH..., the bot's number, a colon, then letters, digits, _ and -; paste only that")
	}
	validateEndpoint(p, cfg.Telegram.APIEndpoint)
	if u := cfg.Telegram.Webhook.URL; u != "" {
		if err := checkHTTPURL(u); err != nil {
			p.add("telegram.webhook.url", "%v", err)
		} else if !strings.HasPrefix(strings.ToLower(u), "https://") {
			p.add("telegram.webhook.url", "must be an https:// URL: Telegram sends webhook updates over HTTPS only; got %q", u)
		}
		if cfg.Telegram.Webhook.Secret == "" {
			p.add("telegram.webhook.secret", "is required with a webhook URL, so that only Telegram can post updates")
		}
	}
	if s := cfg.Telegram.Webhook.Secret.Reveal(); s != "" && !webhookSecretRe.MatchString(s) {
		p.add("telegram.webhook.secret", "must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule for secret_token)")
	}
	p.durationRange("telegram.long_poll_timeout", cfg.Telegram.LongPollTimeout, 0, 10*time.Minute)
	for _, id := range cfg.Telegram.AdminChatIDs {
		if id == 0 {
			p.add("telegram.admin_chat_ids", "0 is not a chat id")
		}
	}

	// redis
	if _, err := RedisMode(cfg.Redis.URL); err != nil {
		p.add("redis.url", "%v", err)
	}
	if strings.ContainsFunc(cfg.Redis.Prefix, func(r rune) bool { return r <= ' ' || r == '{' || r == '}' }) {
		p.add("redis.prefix", "must not contain spaces, control characters or braces (braces are Redis Cluster hash tags)")
	}
	if id := cfg.Redis.ReplicaID; id != "" && !replicaIDRe.MatchString(id) {
		p.add("redis.replica_id", "%q: use 1 to 64 of A-Z a-z 0-9 . _ -", id)
	}

	// http
	if err := checkListenAddr(cfg.HTTP.Addr); err != nil {
		p.add("http.addr", "%v", err)
	}

	// log
	switch cfg.Log.Format {
	case "text", "json":
	default:
		p.add("log.format", "must be text or json, got %q", cfg.Log.Format)
	}
	if _, err := ParseLevel(cfg.Log.Level); err != nil {
		p.add("log.level", "%v", err)
	}

	// fetch
	f := cfg.Fetch
	p.durationRange("fetch.timeout", f.Timeout, time.Second, 10*time.Minute)
	p.durationRange("fetch.connect_timeout", f.ConnectTimeout, 100*time.Millisecond, f.Timeout)
	p.durationRange("fetch.header_timeout", f.HeaderTimeout, 100*time.Millisecond, f.Timeout)
	p.intRange("fetch.max_body_bytes", f.MaxBodyBytes, 1<<10, 1<<30)
	if strings.ContainsFunc(f.UserAgent, func(r rune) bool { return r < ' ' }) {
		p.add("fetch.user_agent", "must be one line of text")
	}
	p.intRange("fetch.max_redirects", int64(f.MaxRedirects), 0, 20)

	// poll
	pl := cfg.Poll
	p.durationRange("poll.min_interval", pl.MinInterval, time.Second, 24*time.Hour)
	p.durationRange("poll.max_interval", pl.MaxInterval, pl.MinInterval, 24*time.Hour)
	if pl.DefaultInterval < pl.MinInterval || pl.DefaultInterval > pl.MaxInterval {
		p.add("poll.default_interval", "must be between poll.min_interval (%s) and poll.max_interval (%s), got %s",
			FormatDuration(pl.MinInterval), FormatDuration(pl.MaxInterval), FormatDuration(pl.DefaultInterval))
	}
	p.intRange("poll.concurrency", int64(pl.Concurrency), 1, 1024)
	p.intRange("poll.per_host", int64(pl.PerHost), 1, int64(max(pl.Concurrency, 1)))
	if !(pl.Jitter >= 0 && pl.Jitter <= 0.5) {
		p.add("poll.jitter", "must be a fraction between 0 and 0.5, got %g", pl.Jitter)
	}
	p.durationRange("poll.backoff_cap", pl.BackoffCap, pl.MinInterval, 24*time.Hour)
	p.intRange("poll.seen_max_count", int64(pl.SeenMaxCount), 10, 1_000_000)
	if pl.SeenMaxAge < 2*pl.MaxInterval || pl.SeenMaxAge < 2*pl.BackoffCap {
		p.add("poll.seen_max_age", "must be at least twice poll.max_interval and poll.backoff_cap, or old items come back as new; got %s", FormatDuration(pl.SeenMaxAge))
	}
	p.intRange("poll.backfill", int64(pl.Backfill), 0, 100)

	// extract
	p.intRange("extract.min_feed_text_chars", int64(cfg.Extract.MinFeedTextChars), 0, 100_000)

	// deliver
	d := cfg.Deliver
	p.positive("deliver.global_per_sec", d.GlobalPerSec)
	p.positive("deliver.per_chat_per_sec", d.PerChatPerSec)
	p.positive("deliver.group_per_min", d.GroupPerMin)
	p.intRange("deliver.max_attempts", int64(d.MaxAttempts), 1, 100)
	p.durationRange("deliver.claim_idle", d.ClaimIdle, time.Second, time.Hour)

	// sources
	cfg.Catalog = resolveCatalog(p, cfg.Sources)
	return p.errs
}

// validateEndpoint checks the Bot API URL pattern: exactly two %s and an
// http(s) URL once they are filled in.
func validateEndpoint(p *problems, ep string) {
	if strings.Count(ep, "%s") != 2 || strings.Count(ep, "%") != 2 {
		p.add("telegram.api_endpoint", "must contain exactly two %%s, for the token and the method, like https://api.telegram.org/bot%%s/%%s; got %q", ep)
		return
	}
	if err := checkHTTPURL(fmt.Sprintf(ep, "TOKEN", "getMe")); err != nil {
		p.add("telegram.api_endpoint", "%v", err)
	}
}

// checkHTTPURL accepts absolute http(s) URLs with a host.
func checkHTTPURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("not a URL: %v", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("must be an http:// or https:// URL, got %q", raw)
	}
	if u.Host == "" {
		return fmt.Errorf("has no host: %q", raw)
	}
	return nil
}

// checkListenAddr accepts host:port with a numeric port ("" host means all interfaces).
func checkListenAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("must be host:port or :port, like :8080 or 127.0.0.1:8080; got %q", addr)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port must be a number from 0 to 65535, got %q", port)
	}
	return nil
}

// Redis deployment modes, as RedisMode reports them.
const (
	RedisEmbedded = "embedded"
	RedisSingle   = "single"
	RedisSentinel = "sentinel"
	RedisCluster  = "cluster"
)

// RedisMode says which kind of deployment a REDIS_URL names and checks that
// go-redis can parse it: empty is the embedded store; a master_name parameter
// means Sentinel (the hosts are the sentinels); addr parameters mean Cluster;
// anything else is a single server (redis://, rediss:// or unix://).
func RedisMode(raw string) (string, error) {
	if raw == "" {
		return RedisEmbedded, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("not a URL (write it as redis://[user:password@]host:port/db)")
	}
	q := u.Query()
	switch {
	case q.Has("master_name"):
		if _, err := redis.ParseFailoverURL(raw); err != nil {
			return "", fmt.Errorf("Sentinel URL: %v", redactRedisErr(err, u))
		}
		return RedisSentinel, nil
	case q.Has("addr"):
		if _, err := redis.ParseClusterURL(raw); err != nil {
			return "", fmt.Errorf("Cluster URL: %v", redactRedisErr(err, u))
		}
		return RedisCluster, nil
	default:
		if _, err := redis.ParseURL(raw); err != nil {
			return "", fmt.Errorf("%v (write it as redis://[user:password@]host:port/db, rediss:// for TLS)", redactRedisErr(err, u))
		}
		return RedisSingle, nil
	}
}

// redactRedisErr keeps a password in the URL out of error messages.
func redactRedisErr(err error, u *url.URL) string {
	msg := err.Error()
	if pw, ok := u.User.Password(); ok && pw != "" {
		msg = strings.ReplaceAll(msg, pw, "xxxxx")
	}
	return msg
}
