package config

import (
	"bytes"
	_ "embed"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
	"gopkg.in/yaml.v3"

	"github.com/migrawatch/migrawatch/internal/news"
)

//go:embed sources.yaml
var catalogYAML []byte

// catalogFile is the layout of sources.yaml.
type catalogFile struct {
	Sources []news.Source `yaml:"sources"`
}

// Catalog returns the embedded source catalog, as shipped.
func Catalog() ([]news.Source, error) {
	var f catalogFile
	dec := yaml.NewDecoder(bytes.NewReader(catalogYAML))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("embedded sources.yaml: %w", err)
	}
	for i := range f.Sources {
		if f.Sources[i].Kind == "" {
			f.Sources[i].Kind = news.KindFeed
		}
	}
	return f.Sources, nil
}

// LocalPath reports whether a source URL names a local file (a file:// URL or
// a path without a scheme) and returns the path.
func LocalPath(raw string) (string, bool) {
	if raw == "" {
		return "", false
	}
	if strings.HasPrefix(raw, "file:") {
		u, err := url.Parse(raw)
		if err != nil || u.Path == "" {
			return "", false
		}
		return u.Path, true
	}
	if strings.Contains(raw, "://") {
		return "", false
	}
	return raw, true
}

// ParseLevel parses a log level name.
func ParseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, nil
	case "info", "":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("must be debug, info, warn or error, got %q", s)
}

var (
	sourceIDRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)
	// userFeedIDRe is the shape of ids given to feeds users add ("u" + 12 hex).
	userFeedIDRe = regexp.MustCompile(`^u[0-9a-f]{12}$`)
	countryRe    = regexp.MustCompile(`^([A-Z]{2}|INT)$`)
)

// resolveCatalog applies the sources section to the embedded catalog.
func resolveCatalog(p *problems, s Sources) []news.Source {
	base, err := Catalog()
	if err != nil {
		p.add("sources", "%v", err)
		return nil
	}
	if s.Replace {
		if len(s.Disable) > 0 {
			p.add("sources.disable", "has no effect with sources.replace: true; list only the sources you want in sources.add")
		}
		base = nil
	}
	index := make(map[string]int, len(base))
	for i, src := range base {
		index[src.ID] = i
	}
	for _, id := range s.Disable {
		if _, ok := index[id]; !ok && !s.Replace {
			p.add("sources.disable", "no catalog source has the id %q", id)
		}
	}
	added := make(map[string]bool, len(s.Add))
	for i, src := range s.Add {
		key := fmt.Sprintf("sources.add[%d]", i)
		if src.Kind == "" {
			src.Kind = news.KindFeed
		}
		validateSource(p, key, src)
		if added[src.ID] {
			p.add(key+".id", "%q is listed twice", src.ID)
			continue
		}
		added[src.ID] = true
		if j, ok := index[src.ID]; ok {
			base[j] = src
			continue
		}
		index[src.ID] = len(base)
		base = append(base, src)
	}
	disabled := make(map[string]bool, len(s.Disable))
	for _, id := range s.Disable {
		disabled[id] = true
	}
	out := make([]news.Source, 0, len(base))
	for _, src := range base {
		if !disabled[src.ID] || added[src.ID] {
			out = append(out, src)
		}
	}
	return out
}

// validateSource checks one catalog entry; key is its path ("sources.add[2]").
func validateSource(p *problems, key string, s news.Source) {
	switch {
	case !sourceIDRe.MatchString(s.ID):
		p.add(key+".id", "must be 1-64 lower-case letters, digits, - or _, starting with a letter or digit; got %q", s.ID)
	case userFeedIDRe.MatchString(s.ID):
		p.add(key+".id", "%q has the shape of the ids given to feeds users add; choose another", s.ID)
	}
	if strings.TrimSpace(s.Name) == "" {
		p.add(key+".name", "is required")
	}
	if s.URL == "" {
		p.add(key+".url", "is required")
	} else if _, local := LocalPath(s.URL); !local {
		if err := checkHTTPURL(s.URL); err != nil {
			p.add(key+".url", "%v (or give a file:// URL or a local path)", err)
		}
	}
	switch s.Language {
	case news.Arabic, news.French, news.English:
	default:
		p.add(key+".language", "must be ar, fr or en, got %q", s.Language)
	}
	if s.Country != "" && !countryRe.MatchString(s.Country) {
		p.add(key+".country", "must be an ISO 3166 two-letter code such as MA or FR, or INT; got %q", s.Country)
	}
	switch s.Kind {
	case news.KindFeed, news.KindPage:
	default:
		p.add(key+".kind", "must be feed or page, got %q", s.Kind)
	}
	if s.Charset != "" {
		if _, err := htmlindex.Get(s.Charset); err != nil {
			p.add(key+".charset", "unknown character encoding %q (use a WHATWG name such as windows-1256 or iso-8859-1)", s.Charset)
		}
	}
	if s.Selector != "" && s.Kind != news.KindPage {
		p.add(key+".selector", "applies only to sources of kind page")
	}
}
