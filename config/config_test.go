package config

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/migrawatch/migrawatch/internal/news"
)

// env returns a getenv over a fixed map.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// writeFile writes a config file into a fresh directory and returns its path.
func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "migrawatch.yaml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// problemKeys returns the keys of every problem in err, in order.
func problemKeys(err error) []string {
	var keys []string
	for _, p := range Problems(err) {
		keys = append(keys, p.Key)
	}
	return keys
}

func TestLoad_NothingGivenGivesDefaultsAndCatalog(t *testing.T) {
	cfg, err := Load(env(nil), "")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := Default()
	want.Catalog, err = Catalog()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*cfg, want) {
		t.Errorf("Load without file or environment:\n got %+v\nwant %+v", *cfg, want)
	}
	if cfg.Extract.MinFeedTextChars != 400 || cfg.Deliver.GlobalPerSec != 30 || cfg.Deliver.PerChatPerSec != 1 || cfg.Deliver.GroupPerMin != 20 {
		t.Errorf("documented defaults changed: extract %d, deliver %+v", cfg.Extract.MinFeedTextChars, cfg.Deliver)
	}
}

func TestLoad_ExampleFileSpellsOutTheDefaults(t *testing.T) {
	fromExample, err := Load(env(nil), "example.yaml")
	if err != nil {
		t.Fatalf("example.yaml does not load: %v", err)
	}
	builtIn, err := Load(env(nil), "")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromExample, builtIn) {
		t.Errorf("example.yaml differs from the defaults:\nexample %+v\ndefault %+v", *fromExample, *builtIn)
	}
}

func TestExample_DocumentsEveryKeyAndVariable(t *testing.T) {
	data, err := os.ReadFile("example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	var got []string
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.DocumentNode:
			walk(n.Content[0], path)
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				p := strings.TrimPrefix(path+"."+n.Content[i].Value, ".")
				if n.Content[i+1].Kind == yaml.MappingNode {
					walk(n.Content[i+1], p)
				} else {
					got = append(got, p)
				}
			}
		}
	}
	walk(&root, "")
	var want []string
	for _, s := range Reference() {
		if s.Key != "" {
			want = append(want, s.Key)
		}
		if s.Env != "" && !bytes.Contains(data, []byte(s.Env)) {
			t.Errorf("example.yaml does not mention %s", s.Env)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("example.yaml keys:\n got %v\nwant %v", got, want)
	}
}

func TestReference_CoversEveryConfigField(t *testing.T) {
	var leaves []string
	var walk func(t reflect.Type, path string)
	walk = func(t reflect.Type, path string) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name := yamlName(f)
			if name == "-" {
				continue
			}
			p := strings.TrimPrefix(path+"."+name, ".")
			if f.Type.Kind() == reflect.Struct {
				walk(f.Type, p)
				continue
			}
			leaves = append(leaves, p)
		}
	}
	walk(reflect.TypeOf(Config{}), "")
	var keys []string
	seenEnv := map[string]bool{}
	for _, s := range Reference() {
		if s.Description == "" {
			t.Errorf("%s has no description", s.Key)
		}
		if s.Env != "" && seenEnv[s.Env] {
			t.Errorf("%s is bound twice", s.Env)
		}
		seenEnv[s.Env] = true
		if s.Key != "" {
			keys = append(keys, s.Key)
		}
	}
	if !slices.Equal(keys, leaves) {
		t.Errorf("reference keys (in struct order):\n got %v\nwant %v", keys, leaves)
	}
	for _, env := range []string{"TELEGRAM_BOT_TOKEN", "TELEGRAM_API_ENDPOINT", "REDIS_URL", "MIGRAWATCH_HTTP_ADDR",
		"MIGRAWATCH_LOG_FORMAT", "MIGRAWATCH_LOG_LEVEL", "MIGRAWATCH_WEBHOOK_URL", "MIGRAWATCH_WEBHOOK_SECRET",
		"MIGRAWATCH_ALLOW_PRIVATE_ADDRESSES", "MIGRAWATCH_ADMIN_CHAT_IDS", "MIGRAWATCH_REDIS_PREFIX", "MIGRAWATCH_REPLICA_ID", "MIGRAWATCH_CONFIG"} {
		if !seenEnv[env] {
			t.Errorf("%s is not in the reference", env)
		}
	}
}

func TestReference_DefaultsAreWrittenAsInYAML(t *testing.T) {
	want := map[string]string{
		"poll.default_interval":         "15m",
		"poll.seen_max_age":             "720h",
		"fetch.timeout":                 "1m",
		"fetch.max_body_bytes":          "5242880",
		"fetch.allow_private_addresses": "false",
		"poll.jitter":                   "0.1",
		"telegram.token":                "",
		"telegram.admin_chat_ids":       "[]",
		"redis.prefix":                  "mw:",
		"http.addr":                     "127.0.0.1:8080",
		"extract.min_feed_text_chars":   "400",
	}
	for _, s := range Reference() {
		if w, ok := want[s.Key]; ok && s.Default != w {
			t.Errorf("%s default = %q, want %q", s.Key, s.Default, w)
		}
	}
}

func TestLoad_EnvironmentOverridesFile(t *testing.T) {
	path := writeFile(t, "log:\n  format: text\n  level: debug\nhttp:\n  addr: 127.0.0.1:9000\n")
	cfg, err := Load(env(map[string]string{
		"TELEGRAM_BOT_TOKEN":                 "123456:ABC-def_ghi",
		"TELEGRAM_API_ENDPOINT":              "http://127.0.0.1:8081/bot%s/%s",
		"REDIS_URL":                          "redis://127.0.0.1:6379/2",
		"MIGRAWATCH_HTTP_ADDR":               ":9090",
		"MIGRAWATCH_LOG_FORMAT":              "json",
		"MIGRAWATCH_LOG_LEVEL":               "warn",
		"MIGRAWATCH_WEBHOOK_URL":             "https://bot.example.org/telegram",
		"MIGRAWATCH_WEBHOOK_SECRET":          "s3cret_token-1",
		"MIGRAWATCH_ALLOW_PRIVATE_ADDRESSES": "true",
		"MIGRAWATCH_ADMIN_CHAT_IDS":          "42, -1001234567890",
		"MIGRAWATCH_REDIS_PREFIX":            "staging:",
		"MIGRAWATCH_REPLICA_ID":              "bot-a.1",
	}), path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"token", cfg.Telegram.Token.Reveal(), "123456:ABC-def_ghi"},
		{"api endpoint", cfg.Telegram.APIEndpoint, "http://127.0.0.1:8081/bot%s/%s"},
		{"redis url", cfg.Redis.URL, "redis://127.0.0.1:6379/2"},
		{"http addr", cfg.HTTP.Addr, ":9090"},
		{"log format", cfg.Log.Format, "json"},
		{"log level", cfg.Log.Level, "warn"},
		{"webhook url", cfg.Telegram.Webhook.URL, "https://bot.example.org/telegram"},
		{"webhook secret", cfg.Telegram.Webhook.Secret.Reveal(), "s3cret_token-1"},
		{"allow private", cfg.Fetch.AllowPrivateAddresses, true},
		{"admin ids", cfg.Telegram.AdminChatIDs, []int64{42, -1001234567890}},
		{"redis prefix", cfg.Redis.Prefix, "staging:"},
		{"replica id", cfg.Redis.ReplicaID, "bot-a.1"},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestLoad_ReportsEveryProblemWithItsKey(t *testing.T) {
	path := writeFile(t, `
telegram:
  webhook:
    url: ftp://bot.example.org
poll:
  intervall: 5m
  min_interval: soon
  concurrency: 0
log:
  format: xml
fetch:
  allow_private_addresses: perhaps
sources:
  add:
    - id: Bad Id
      name: ""
      url: gopher://example.org/feed
      language: de
      kind: podcast
    - id: ok-feed
      name: OK
      url: feeds/ok.xml
      language: ar
      colour: blue
  disable: [no-such-source]
`)
	_, err := Load(env(map[string]string{
		"MIGRAWATCH_LOG_LEVEL":      "loud",
		"MIGRAWATCH_ADMIN_CHAT_IDS": "42,abc",
		"REDIS_URL":                 "http://localhost:6379",
	}), path)
	if err == nil {
		t.Fatal("Load accepted a broken configuration")
	}
	got := problemKeys(err)
	want := []string{
		"poll.intervall",                // unknown key
		"poll.min_interval",             // not a duration
		"fetch.allow_private_addresses", // not a bool
		"sources.add[1].colour",         // unknown key inside a list entry
		"MIGRAWATCH_ADMIN_CHAT_IDS",     // not ids
		"telegram.webhook.url",          // not http(s)
		"telegram.webhook.secret",       // missing with a webhook URL
		"REDIS_URL",                     // bad scheme, named by its variable
		"log.format",                    // not text|json
		"MIGRAWATCH_LOG_LEVEL",          // validation of an environment value
		"poll.concurrency",              // out of range
		"sources.disable",               // unknown catalog id
		"sources.add[0].id",             // bad id
		"sources.add[0].name",           // missing
		"sources.add[0].url",            // bad scheme
		"sources.add[0].language",       // unsupported language
		"sources.add[0].kind",           // unknown kind
		"poll.per_host",                 // above concurrency (0)
	}
	for _, k := range want {
		if !slices.Contains(got, k) {
			t.Errorf("no problem reported for %s; got %v", k, got)
		}
	}
	msg := err.Error()
	for _, frag := range []string{"unknown key", "a duration such as", "true or false", "must be text or json", `"loud"`} {
		if !strings.Contains(msg, frag) {
			t.Errorf("error text lacks %q:\n%s", frag, msg)
		}
	}
}

func TestLoad_ReportsSyntaxErrorsAndMissingFile(t *testing.T) {
	_, err := Load(env(nil), writeFile(t, "poll:\n  min_interval: [1m\n"))
	if err == nil || !strings.Contains(err.Error(), "not valid YAML") {
		t.Errorf("syntax error: got %v", err)
	}
	missing := filepath.Join(t.TempDir(), "nope.yaml")
	_, err = Load(env(nil), missing)
	if err == nil || !strings.Contains(err.Error(), "cannot read the configuration file") || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: got %v", err)
	}
}

func TestLoad_EmptyFileIsFine(t *testing.T) {
	if _, err := Load(env(nil), writeFile(t, "# nothing changed\n")); err != nil {
		t.Errorf("a file of comments: %v", err)
	}
}

func TestLoad_CrossKeyRules(t *testing.T) {
	tests := []struct {
		name, yaml, key string
	}{
		{"min above max", "poll:\n  min_interval: 2h\n  max_interval: 1h\n", "poll.max_interval"},
		{"default below min", "poll:\n  default_interval: 1m\n", "poll.default_interval"},
		{"backoff beyond a day", "poll:\n  backoff_cap: 48h\n", "poll.backoff_cap"},
		{"seen shorter than intervals", "poll:\n  seen_max_age: 1h\n", "poll.seen_max_age"},
		{"connect above whole timeout", "fetch:\n  timeout: 5s\n  connect_timeout: 10s\n", "fetch.connect_timeout"},
		{"endpoint without placeholders", "telegram:\n  api_endpoint: https://api.telegram.org/bot\n", "telegram.api_endpoint"},
		{"webhook secret with spaces", "telegram:\n  webhook:\n    secret: two words\n", "telegram.webhook.secret"},
		{"prefix with a hash tag", "redis:\n  prefix: \"{mw}:\"\n", "redis.prefix"},
		{"replica id with a space", "redis:\n  replica_id: \"bot a\"\n", "redis.replica_id"},
		{"listen address without port", "http:\n  addr: localhost\n", "http.addr"},
		{"negative rate", "deliver:\n  global_per_sec: -1\n", "deliver.global_per_sec"},
		{"jitter above half", "poll:\n  jitter: 0.9\n", "poll.jitter"},
		{"token with a space", "telegram:\n  token: \"123:abc def\"\n", "telegram.token"},
		{"unknown charset", "sources:\n  add:\n    - {id: x1, name: X, url: x.xml, language: ar, charset: klingon}\n", "sources.add[0].charset"},
		{"selector on a feed", "sources:\n  add:\n    - {id: x1, name: X, url: x.xml, language: ar, selector: a.title}\n", "sources.add[0].selector"},
		{"user feed id shape", "sources:\n  add:\n    - {id: u0123456789ab, name: X, url: x.xml, language: ar}\n", "sources.add[0].id"},
		{"duplicate id", "sources:\n  add:\n    - {id: x1, name: X, url: x.xml, language: ar}\n    - {id: x1, name: Y, url: y.xml, language: fr}\n", "sources.add[1].id"},
		{"disable with replace", "sources:\n  replace: true\n  disable: [hespress-ar]\n", "sources.disable"},
		{"bad country", "sources:\n  add:\n    - {id: x1, name: X, url: x.xml, language: ar, country: Morocco}\n", "sources.add[0].country"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(env(nil), writeFile(t, tt.yaml))
			if keys := problemKeys(err); !slices.Contains(keys, tt.key) {
				t.Errorf("want a problem on %s, got %v (%v)", tt.key, keys, err)
			}
		})
	}
}

func TestLoad_RefusesWhatTelegramWouldRefuse(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		key  string
		says string
	}{
		{"a word for a token", map[string]string{"TELEGRAM_BOT_TOKEN": "garbage"}, "TELEGRAM_BOT_TOKEN", "is not a bot token"},
		{"a token without its number", map[string]string{"TELEGRAM_BOT_TOKEN": ":AAHsecret"}, "TELEGRAM_BOT_TOKEN", "is not a bot token"},
		{"a token with the bot prefix", map[string]string{"TELEGRAM_BOT_TOKEN": "bot123456:AAHsecret"}, "TELEGRAM_BOT_TOKEN", "is not a bot token"},
		{"a plain http webhook", map[string]string{"MIGRAWATCH_WEBHOOK_URL": "http://bot.example.org/hook", "MIGRAWATCH_WEBHOOK_SECRET": "s"}, "MIGRAWATCH_WEBHOOK_URL", "https://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(env(tt.env), "")
			if keys := problemKeys(err); !slices.Contains(keys, tt.key) {
				t.Fatalf("want a problem on %s, got %v (%v)", tt.key, keys, err)
			}
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %q does not say %q", err, tt.says)
			}
			if tok := tt.env["TELEGRAM_BOT_TOKEN"]; tok != "" && strings.Contains(err.Error(), tok) {
				t.Errorf("the error repeats the token: %v", err)
			}
		})
	}
	for _, tok := range []string{"123456789:AAH-abc_DEF0123456789abcdefghijklmno", "1:a"} {
		if _, err := Load(env(map[string]string{"TELEGRAM_BOT_TOKEN": tok}), ""); err != nil {
			t.Errorf("token %q refused: %v", tok, err)
		}
	}
	if _, err := Load(env(map[string]string{"MIGRAWATCH_WEBHOOK_URL": "HTTPS://bot.example.org/hook", "MIGRAWATCH_WEBHOOK_SECRET": "s"}), ""); err != nil {
		t.Errorf("an https webhook refused: %v", err)
	}
}

func TestLoad_TestSetupMayPollEverySecond(t *testing.T) {
	cfg, err := Load(env(map[string]string{"MIGRAWATCH_ALLOW_PRIVATE_ADDRESSES": "1"}),
		writeFile(t, "poll:\n  min_interval: 1s\n  default_interval: 1s\n  max_interval: 10s\n  backoff_cap: 5s\n  seen_max_age: 1m\ntelegram:\n  long_poll_timeout: 0s\n"))
	if err != nil {
		t.Fatalf("fast test configuration refused: %v", err)
	}
	if cfg.Poll.MinInterval != time.Second || !cfg.Fetch.AllowPrivateAddresses {
		t.Errorf("got %+v", cfg.Poll)
	}
}

func TestLoad_SourcesExtendReplaceAndDisable(t *testing.T) {
	catalog, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, `
sources:
  add:
    - id: local-hespress
      name: Hespress (saved)
      url: feeds/hespress.xml
      language: ar
      charset: windows-1256
    - id: abs-file
      name: Absolute
      url: file:///srv/feeds/a.xml
      language: fr
    - id: hespress-fr
      name: Hespress FR (mirror)
      url: https://mirror.example.org/hespress-fr.xml
      language: fr
      country: MA
  disable: [bbc-arabic]
`)
	cfg, err := Load(env(nil), path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	byID := map[string]news.Source{}
	for _, s := range cfg.Catalog {
		byID[s.ID] = s
	}
	if len(cfg.Catalog) != len(catalog)+2-1 {
		t.Errorf("catalog has %d sources, want %d", len(cfg.Catalog), len(catalog)+1)
	}
	if _, ok := byID["bbc-arabic"]; ok {
		t.Error("disabled source still listed")
	}
	if got, want := byID["local-hespress"].URL, filepath.Join(filepath.Dir(path), "feeds/hespress.xml"); got != want {
		t.Errorf("relative path resolved to %q, want %q", got, want)
	}
	if byID["local-hespress"].Kind != news.KindFeed {
		t.Errorf("kind defaults to feed, got %q", byID["local-hespress"].Kind)
	}
	if got := byID["abs-file"].URL; got != "file:///srv/feeds/a.xml" {
		t.Errorf("file URL changed to %q", got)
	}
	if got := byID["hespress-fr"].URL; got != "https://mirror.example.org/hespress-fr.xml" {
		t.Errorf("catalog entry not replaced: %q", got)
	}

	cfg, err = Load(env(nil), writeFile(t, "sources:\n  replace: true\n  add:\n    - {id: only, name: Only, url: /tmp/only.xml, language: en}\n"))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(cfg.Catalog) != 1 || cfg.Catalog[0].ID != "only" {
		t.Errorf("replace: got %+v", cfg.Catalog)
	}
}

func TestLocalPath(t *testing.T) {
	tests := []struct {
		in, path string
		local    bool
	}{
		{"https://hespress.com/feed", "", false},
		{"http://example.org/rss", "", false},
		{"file:///srv/feed.xml", "/srv/feed.xml", true},
		{"testdata/feed.xml", "testdata/feed.xml", true},
		{"/abs/feed.xml", "/abs/feed.xml", true},
		{"", "", false},
	}
	for _, tt := range tests {
		path, local := LocalPath(tt.in)
		if path != tt.path || local != tt.local {
			t.Errorf("LocalPath(%q) = %q, %v; want %q, %v", tt.in, path, local, tt.path, tt.local)
		}
	}
}

func TestRedisMode(t *testing.T) {
	tests := []struct {
		url, mode string
		bad       bool
	}{
		{"", RedisEmbedded, false},
		{"redis://127.0.0.1:6379/0", RedisSingle, false},
		{"rediss://user:pw@redis.example.org:6380/1", RedisSingle, false},
		{"unix:///run/redis.sock", RedisSingle, false},
		{"redis://s1:26379?master_name=mymaster&addr=s2:26379", RedisSentinel, false},
		{"redis://n1:7000?addr=n2:7000&addr=n3:7000", RedisCluster, false},
		{"http://localhost:6379", "", true},
		{"redis://localhost:6379/zero", "", true},
		{"redis://n1:7000?addr=n2:7000&frobnicate=1", "", true},
	}
	for _, tt := range tests {
		mode, err := RedisMode(tt.url)
		if (err != nil) != tt.bad || mode != tt.mode {
			t.Errorf("RedisMode(%q) = %q, %v; want %q, bad=%v", tt.url, mode, err, tt.mode, tt.bad)
		}
	}
	_, err := RedisMode("redis://u:hunter2pass@localhost:6379/zero")
	if err == nil || strings.Contains(err.Error(), "hunter2pass") {
		t.Errorf("password leaked or no error: %v", err)
	}
}

func TestSecret_NeverPrinted(t *testing.T) {
	const token = "123456:AAHsecretTOKENvalue"
	cfg, err := Load(env(map[string]string{"TELEGRAM_BOT_TOKEN": token, "MIGRAWATCH_WEBHOOK_SECRET": "hooksecret", "MIGRAWATCH_WEBHOOK_URL": "https://x.example/h"}), "")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	logger.Info("config", "token", cfg.Telegram.Token, "telegram", cfg.Telegram)
	logger.Info("config", "cfg", cfg)
	out := buf.String() + fmt.Sprintf("%v %+v %#v %s", cfg, *cfg, cfg.Telegram, cfg.Telegram.Token)
	for _, secret := range []string{token, "hooksecret"} {
		if strings.Contains(out, secret) {
			t.Errorf("secret %q printed: %s", secret, out)
		}
	}
	if cfg.Telegram.Token.Reveal() != token {
		t.Error("Reveal lost the value")
	}
}

func TestFormatDuration(t *testing.T) {
	tests := map[time.Duration]string{
		0: "0s", 90 * time.Second: "1m30s", 15 * time.Minute: "15m", 6 * time.Hour: "6h",
		90 * time.Minute: "1h30m", 1500 * time.Millisecond: "1.5s", 720 * time.Hour: "720h",
	}
	for d, want := range tests {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
		back, err := time.ParseDuration(want)
		if err != nil || back != d {
			t.Errorf("%q does not parse back to %v", want, d)
		}
	}
}
