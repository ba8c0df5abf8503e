package config

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Setting describes one configuration key for the reference documentation.
type Setting struct {
	// Key is the dotted YAML key; empty for MIGRAWATCH_CONFIG, which names the file itself.
	Key string
	// Env is the environment variable that overrides the key, if any.
	Env string
	// Default is the built-in value as it would be written in YAML ("" for none).
	Default     string
	Description string
}

// settings lists every key in the order of the reference. The environment
// overrides are applied from this table, so the documentation and the loader
// cannot disagree.
var settings = []Setting{
	{Env: EnvConfigPath, Description: "Path of the YAML configuration file (also the -config flag)."},
	{Key: "telegram.token", Env: "TELEGRAM_BOT_TOKEN", Description: "Bot token from @BotFather; required by `run`."},
	{Key: "telegram.api_endpoint", Env: "TELEGRAM_API_ENDPOINT", Description: "Bot API URL with two %s, for the token and the method (point it at a local Bot API server if you run one)."},
	{Key: "telegram.webhook.url", Env: "MIGRAWATCH_WEBHOOK_URL", Description: "Public HTTPS URL for webhook mode; empty means long polling."},
	{Key: "telegram.webhook.secret", Env: "MIGRAWATCH_WEBHOOK_SECRET", Description: "Secret token Telegram sends with each webhook request (1-256 of A-Z a-z 0-9 _ -); required with a webhook URL."},
	{Key: "telegram.long_poll_timeout", Description: "getUpdates long-poll timeout (0 means short polling)."},
	{Key: "telegram.admin_chat_ids", Env: "MIGRAWATCH_ADMIN_CHAT_IDS", Description: "Chat ids where operator commands answer (comma-separated in the environment)."},
	{Key: "redis.url", Env: "REDIS_URL", Description: "redis://, rediss:// or unix:// URL; with master_name= a Sentinel set, with addr= a Cluster; empty means an embedded in-process store where nothing persists."},
	{Key: "redis.prefix", Env: "MIGRAWATCH_REDIS_PREFIX", Description: "Prefix of every Redis key."},
	{Key: "redis.replica_id", Env: "MIGRAWATCH_REPLICA_ID", Description: "A stable name for this replica in leases and the senders' consumer group (1-64 of A-Z a-z 0-9 . _ -), different for each replica: restarted under it, even after a crash, the replica takes back its own unfinished jobs and leases at once. Empty: a name unique to the process, whose jobs are taken over after `deliver.claim_idle` when it crashes."},
	{Key: "http.addr", Env: "MIGRAWATCH_HTTP_ADDR", Description: "Listen address of /healthz, /readyz, /metrics and the webhook; loopback by default, so /metrics is not served to the network (the Docker image sets `:8080`)."},
	{Key: "log.format", Env: "MIGRAWATCH_LOG_FORMAT", Description: "Log format: text or json."},
	{Key: "log.level", Env: "MIGRAWATCH_LOG_LEVEL", Description: "Log level: debug, info, warn or error."},
	{Key: "fetch.timeout", Description: "Whole-request limit for a feed or page fetch, redirects and body included."},
	{Key: "fetch.connect_timeout", Description: "TCP and TLS connection set-up limit."},
	{Key: "fetch.header_timeout", Description: "Wait for response headers once the request is sent."},
	{Key: "fetch.max_body_bytes", Description: "Largest feed or page body read (bytes, after decompression)."},
	{Key: "fetch.user_agent", Description: "User-Agent header; empty means MigraWatch/VERSION with the project URL."},
	{Key: "fetch.allow_private_addresses", Env: "MIGRAWATCH_ALLOW_PRIVATE_ADDRESSES", Description: "Turn off the guard against loopback, private and link-local addresses (tests and private deployments only)."},
	{Key: "fetch.max_redirects", Description: "Redirects followed per fetch."},
	{Key: "poll.default_interval", Description: "Polling interval of a feed before its publishing rhythm is known."},
	{Key: "poll.min_interval", Description: "Shortest polling interval (busy feeds, server hints)."},
	{Key: "poll.max_interval", Description: "Longest polling interval (quiet feeds); at most 24h."},
	{Key: "poll.concurrency", Description: "Fetches in flight per process."},
	{Key: "poll.per_host", Description: "Fetches in flight per host."},
	{Key: "poll.jitter", Description: "Random fraction (0-0.5) added to or taken from each interval."},
	{Key: "poll.backoff_cap", Description: "Longest wait of a failing feed; it is retried at least this often, never dropped (at most 24h)."},
	{Key: "poll.seen_max_count", Description: "Item keys remembered per feed."},
	{Key: "poll.seen_max_age", Description: "How long an item key is remembered."},
	{Key: "poll.backfill", Description: "Items of a newly added feed delivered on its first poll (0: only later items)."},
	{Key: "extract.min_feed_text_chars", Description: "Below this many characters of feed text the article page is fetched for the full text."},
	{Key: "deliver.global_per_sec", Description: "Messages per second for the whole bot (Telegram allows about 30)."},
	{Key: "deliver.per_chat_per_sec", Description: "Messages per second to one chat."},
	{Key: "deliver.group_per_min", Description: "Messages per minute to one group or channel."},
	{Key: "deliver.max_attempts", Description: "Attempts before a message goes to the dead-letter stream."},
	{Key: "deliver.claim_idle", Description: "Idle time after which another sender reclaims a pending message."},
	{Key: "sources.replace", Description: "Drop the built-in catalog and use only sources.add."},
	{Key: "sources.add", Description: "More sources (id, name, url, language, country, kind, migration_specific, charset, selector, verified); an entry with a catalog id replaces it; url may be a file:// URL or a local path."},
	{Key: "sources.disable", Description: "Catalog ids to leave out."},
}

var durationType = reflect.TypeOf(time.Duration(0))

// fieldByKey finds the field of v (a Config) named by a dotted YAML key.
func fieldByKey(v reflect.Value, key string) reflect.Value {
	for _, name := range strings.Split(key, ".") {
		t := v.Type()
		found := false
		for i := 0; i < t.NumField(); i++ {
			if yamlName(t.Field(i)) == name {
				v = v.Field(i)
				found = true
				break
			}
		}
		if !found {
			panic("config: no field for key " + key)
		}
	}
	return v
}

func yamlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	return name
}

// FormatDuration writes d without zero units: 15m rather than 15m0s.
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// applyEnv sets the keys overridden by non-empty environment variables and
// returns which keys came from which variable.
func applyEnv(getenv func(string) string, cfg *Config) (map[string]string, []error) {
	fromEnv := make(map[string]string)
	var errs []error
	root := reflect.ValueOf(cfg).Elem()
	for _, s := range settings {
		if s.Key == "" || s.Env == "" {
			continue
		}
		raw := strings.TrimSpace(getenv(s.Env))
		if raw == "" {
			continue
		}
		fromEnv[s.Key] = s.Env
		if err := setFromString(fieldByKey(root, s.Key), raw); err != nil {
			errs = append(errs, &FieldError{Key: s.Env, Problem: err.Error()})
		}
	}
	return fromEnv, errs
}

// setFromString parses raw into the field f according to its type.
func setFromString(f reflect.Value, raw string) error {
	if f.Type() == durationType {
		d, err := time.ParseDuration(raw)
		if err != nil {
			return fmt.Errorf("want a duration such as 90s, 15m or 6h, got %q", raw)
		}
		f.SetInt(int64(d))
		return nil
	}
	switch f.Kind() {
	case reflect.String:
		f.SetString(raw)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("want true or false, got %q", raw)
		}
		f.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return fmt.Errorf("want a whole number, got %q", raw)
		}
		f.SetInt(n)
	case reflect.Float64:
		x, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return fmt.Errorf("want a number, got %q", raw)
		}
		f.SetFloat(x)
	case reflect.Slice:
		if f.Type().Elem().Kind() != reflect.Int64 {
			return fmt.Errorf("cannot be set from the environment")
		}
		fields := strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
		ids := reflect.MakeSlice(f.Type(), 0, len(fields))
		for _, field := range fields {
			n, err := strconv.ParseInt(field, 10, 64)
			if err != nil {
				return fmt.Errorf("want comma-separated chat ids, got %q", field)
			}
			ids = reflect.Append(ids, reflect.ValueOf(n))
		}
		f.Set(ids)
	default:
		return fmt.Errorf("cannot be set from the environment")
	}
	return nil
}
