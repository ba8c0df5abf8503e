// Package config loads MigraWatch's configuration: built-in defaults, an
// optional YAML file, then the environment, validated as a whole so that every
// problem is reported at once with the name of the key (or environment
// variable) to fix. It also embeds the default source catalog.
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/migrawatch/migrawatch/internal/news"
)

// EnvConfigPath names the environment variable that holds the YAML file's path
// when no -config flag is given.
const EnvConfigPath = "MIGRAWATCH_CONFIG"

// Config is MigraWatch's whole configuration.
type Config struct {
	Telegram Telegram `yaml:"telegram"`
	Redis    Redis    `yaml:"redis"`
	HTTP     HTTP     `yaml:"http"`
	Log      Log      `yaml:"log"`
	Fetch    Fetch    `yaml:"fetch"`
	Poll     Poll     `yaml:"poll"`
	Extract  Extract  `yaml:"extract"`
	Deliver  Deliver  `yaml:"deliver"`
	Sources  Sources  `yaml:"sources"`

	// Catalog is the resolved source catalog: the embedded one, replaced or
	// extended by the sources section, minus the disabled ids.
	Catalog []news.Source `yaml:"-"`
}

// Telegram configures the Bot API connection.
type Telegram struct {
	// Token is the bot token from @BotFather. Only the run command needs it.
	Token Secret `yaml:"token"`
	// APIEndpoint is the Bot API URL pattern with two %s, for the token and the method.
	APIEndpoint string `yaml:"api_endpoint"`
	// Webhook, when its URL is set, replaces long polling.
	Webhook Webhook `yaml:"webhook"`
	// LongPollTimeout is the getUpdates timeout; zero means short polling.
	LongPollTimeout time.Duration `yaml:"long_poll_timeout"`
	// AdminChatIDs are the chats where operator commands (/status, /stats) answer.
	AdminChatIDs []int64 `yaml:"admin_chat_ids"`
}

// Webhook configures Telegram's push delivery of updates.
type Webhook struct {
	// URL is the public HTTPS address Telegram posts updates to.
	URL string `yaml:"url"`
	// Secret is sent back by Telegram in X-Telegram-Bot-Api-Secret-Token.
	Secret Secret `yaml:"secret"`
}

// Redis configures the state store.
type Redis struct {
	// URL is empty for the embedded in-process store (nothing persists).
	URL string `yaml:"url"`
	// Prefix is prepended to every key.
	Prefix string `yaml:"prefix"`
	// ReplicaID is a stable name for this process in leases and the
	// senders' consumer group; empty means a name unique to the process.
	ReplicaID string `yaml:"replica_id"`
}

// HTTP configures the operations server (health, readiness, metrics, webhook).
type HTTP struct {
	Addr string `yaml:"addr"`
}

// Log configures log/slog.
type Log struct {
	// Format is "text" or "json".
	Format string `yaml:"format"`
	// Level is "debug", "info", "warn" or "error".
	Level string `yaml:"level"`
}

// Fetch configures the HTTP fetcher for feeds and article pages.
type Fetch struct {
	Timeout        time.Duration `yaml:"timeout"`
	ConnectTimeout time.Duration `yaml:"connect_timeout"`
	HeaderTimeout  time.Duration `yaml:"header_timeout"`
	MaxBodyBytes   int64         `yaml:"max_body_bytes"`
	// UserAgent is empty for the default "MigraWatch/<version> (+project URL)".
	UserAgent             string `yaml:"user_agent"`
	AllowPrivateAddresses bool   `yaml:"allow_private_addresses"`
	MaxRedirects          int    `yaml:"max_redirects"`
}

// Poll configures the feed scheduler.
type Poll struct {
	DefaultInterval time.Duration `yaml:"default_interval"`
	MinInterval     time.Duration `yaml:"min_interval"`
	MaxInterval     time.Duration `yaml:"max_interval"`
	// Concurrency is the number of fetches in flight per process; PerHost per host.
	Concurrency int `yaml:"concurrency"`
	PerHost     int `yaml:"per_host"`
	// Jitter is the random fraction added to or taken from each interval.
	Jitter float64 `yaml:"jitter"`
	// BackoffCap bounds the wait of a failing feed; it is retried at least this often.
	BackoffCap   time.Duration `yaml:"backoff_cap"`
	SeenMaxCount int           `yaml:"seen_max_count"`
	SeenMaxAge   time.Duration `yaml:"seen_max_age"`
	// Backfill is how many items of a new feed's first poll are delivered (0: none).
	Backfill int `yaml:"backfill"`
}

// Extract configures article text extraction.
type Extract struct {
	// MinFeedTextChars: below this much feed text the article page is fetched.
	MinFeedTextChars int `yaml:"min_feed_text_chars"`
}

// Deliver configures the senders' rate limits and retries.
type Deliver struct {
	GlobalPerSec  float64       `yaml:"global_per_sec"`
	PerChatPerSec float64       `yaml:"per_chat_per_sec"`
	GroupPerMin   float64       `yaml:"group_per_min"`
	MaxAttempts   int           `yaml:"max_attempts"`
	ClaimIdle     time.Duration `yaml:"claim_idle"`
}

// Sources changes the embedded catalog.
type Sources struct {
	// Replace drops the embedded catalog; only Add remains.
	Replace bool `yaml:"replace"`
	// Add lists more sources; an entry with a catalog id replaces that entry.
	// URLs may be http(s), file:// URLs or local paths (relative to the file).
	Add []news.Source `yaml:"add"`
	// Disable lists catalog ids to leave out.
	Disable []string `yaml:"disable"`
}

// Default returns the built-in configuration (without the catalog).
func Default() Config {
	return Config{
		Telegram: Telegram{
			APIEndpoint:     "https://api.telegram.org/bot%s/%s",
			LongPollTimeout: 50 * time.Second,
		},
		Redis: Redis{Prefix: "mw:"},
		HTTP:  HTTP{Addr: "127.0.0.1:8080"},
		Log:   Log{Format: "text", Level: "info"},
		Fetch: Fetch{
			Timeout:        60 * time.Second,
			ConnectTimeout: 10 * time.Second,
			HeaderTimeout:  20 * time.Second,
			MaxBodyBytes:   5 << 20,
			MaxRedirects:   5,
		},
		Poll: Poll{
			DefaultInterval: 15 * time.Minute,
			MinInterval:     5 * time.Minute,
			MaxInterval:     6 * time.Hour,
			Concurrency:     16,
			PerHost:         2,
			Jitter:          0.1,
			BackoffCap:      12 * time.Hour,
			SeenMaxCount:    2000,
			SeenMaxAge:      30 * 24 * time.Hour,
			Backfill:        0,
		},
		Extract: Extract{MinFeedTextChars: 400},
		Deliver: Deliver{
			GlobalPerSec:  30,
			PerChatPerSec: 1,
			GroupPerMin:   20,
			MaxAttempts:   8,
			ClaimIdle:     2 * time.Minute,
		},
	}
}

// Load builds the configuration from the defaults, the YAML file at path (none
// when path is empty) and the environment read through getenv. Every problem
// found is reported in the returned error, an errors.Join of *FieldError (see
// Problems); on error the returned Config is nil.
func Load(getenv func(string) string, path string) (*Config, error) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	cfg := Default()
	var errs []error
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, &FieldError{Key: path, Problem: fmt.Sprintf("cannot read the configuration file: %v", err)}
		}
		errs = append(errs, decodeYAML(data, path, &cfg)...)
		resolveLocalPaths(cfg.Sources.Add, filepath.Dir(path))
	}
	// An empty list in the file means the same as no list.
	if len(cfg.Telegram.AdminChatIDs) == 0 {
		cfg.Telegram.AdminChatIDs = nil
	}
	if len(cfg.Sources.Add) == 0 {
		cfg.Sources.Add = nil
	}
	if len(cfg.Sources.Disable) == 0 {
		cfg.Sources.Disable = nil
	}
	fromEnv, envErrs := applyEnv(getenv, &cfg)
	errs = append(errs, envErrs...)
	errs = append(errs, validate(&cfg, fromEnv)...)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &cfg, nil
}

// decodeYAML decodes data over cfg, rejecting unknown keys, and turns every
// decoding problem into a FieldError naming the dotted key.
func decodeYAML(data []byte, path string, cfg *Config) []error {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return []error{&FieldError{Key: path, Problem: fmt.Sprintf("not valid YAML: %v", err)}}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(cfg)
	if err == nil || errors.Is(err, io.EOF) {
		return nil
	}
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return []error{&FieldError{Key: path, Problem: err.Error()}}
	}
	lines := keyLines(&root)
	errs := make([]error, 0, len(te.Errors))
	for _, msg := range te.Errors {
		errs = append(errs, yamlProblem(msg, lines))
	}
	return errs
}

// Problems returns the individual problems of an error returned by Load.
func Problems(err error) []*FieldError {
	var out []*FieldError
	var walk func(error)
	walk = func(err error) {
		if err == nil {
			return
		}
		if fe, ok := err.(*FieldError); ok {
			out = append(out, fe)
			return
		}
		if m, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range m.Unwrap() {
				walk(e)
			}
			return
		}
		walk(errors.Unwrap(err))
	}
	walk(err)
	return out
}

// FieldError is one configuration problem. Key is the YAML key
// ("poll.min_interval", "sources.add[2].url") or, when the value came from the
// environment, the variable's name.
type FieldError struct {
	Key     string
	Problem string
}

func (e *FieldError) Error() string { return e.Key + ": " + e.Problem }

// Secret is a configuration value that must never be printed: fmt and slog
// show it redacted. Reveal gives the value to the one place that needs it.
type Secret string

// Reveal returns the secret's value.
func (s Secret) Reveal() string { return string(s) }

// String redacts the secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// GoString redacts the secret under %#v too.
func (s Secret) GoString() string { return fmt.Sprintf("%q", s.String()) }

// LogValue redacts the secret in log lines.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON redacts the secret when a structure holding it is logged as JSON.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }
