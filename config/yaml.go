package config

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/migrawatch/migrawatch/internal/news"
)

// keyLines maps each line of a YAML document to the dotted key written (or
// valued) on it, so that yaml.v3's line-numbered messages can name the key.
func keyLines(root *yaml.Node) map[int]string {
	lines := make(map[int]string)
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				p := k.Value
				if path != "" {
					p = path + "." + k.Value
				}
				lines[k.Line] = p
				if _, seen := lines[v.Line]; !seen || v.Kind == yaml.ScalarNode {
					lines[v.Line] = p
				}
				walk(v, p)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				p := fmt.Sprintf("%s[%d]", path, i)
				if _, seen := lines[c.Line]; !seen || c.Kind == yaml.ScalarNode {
					lines[c.Line] = p
				}
				walk(c, p)
			}
		}
	}
	walk(root, "")
	return lines
}

var (
	yamlLineRe    = regexp.MustCompile(`^line (\d+): (.*)$`)
	yamlUnknownRe = regexp.MustCompile(`^field (\S+) not found in type`)
	yamlTypeRe    = regexp.MustCompile("^cannot unmarshal (\\S+)(?: `(.*)`)? into (.+)$")
)

// yamlProblem turns one of yaml.v3's type error messages into a FieldError.
func yamlProblem(msg string, lines map[int]string) *FieldError {
	m := yamlLineRe.FindStringSubmatch(msg)
	if m == nil {
		return &FieldError{Key: "config file", Problem: msg}
	}
	line, _ := strconv.Atoi(m[1])
	key, ok := lines[line]
	if !ok {
		key = "line " + m[1]
	}
	rest := m[2]
	if u := yamlUnknownRe.FindStringSubmatch(rest); u != nil {
		return &FieldError{Key: key, Problem: "unknown key (see the configuration reference for the valid keys)"}
	}
	if t := yamlTypeRe.FindStringSubmatch(rest); t != nil {
		value, target := t[2], t[3]
		want := "a value of type " + target
		switch {
		case target == "time.Duration":
			want = "a duration such as 90s, 15m or 6h"
		case target == "bool":
			want = "true or false"
		case strings.HasPrefix(target, "int"):
			want = "a whole number"
		case strings.HasPrefix(target, "float"):
			want = "a number"
		case strings.HasPrefix(target, "[]"):
			want = "a list"
		case strings.HasPrefix(target, "config.") || strings.HasPrefix(target, "news."):
			want = "a section of key: value lines"
		case target == "string" || target == "config.Secret":
			want = "a text value"
		}
		if value != "" {
			return &FieldError{Key: key, Problem: fmt.Sprintf("want %s, got %q", want, value)}
		}
		return &FieldError{Key: key, Problem: "want " + want}
	}
	return &FieldError{Key: key, Problem: rest}
}

// resolveLocalPaths makes relative local source paths relative to dir, the
// configuration file's directory, so that a config file and its test feeds
// can move together.
func resolveLocalPaths(srcs []news.Source, dir string) {
	for i := range srcs {
		p, ok := LocalPath(srcs[i].URL)
		if ok && !strings.HasPrefix(srcs[i].URL, "file:") && !filepath.IsAbs(p) {
			srcs[i].URL = filepath.Join(dir, p)
		}
	}
}
