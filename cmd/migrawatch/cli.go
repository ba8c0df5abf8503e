package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/migrawatch/migrawatch/config"
)

// usage prints the program's help.
func usage(w io.Writer) {
	fmt.Fprint(w, `MigraWatch follows migration news in Arabic, French and English and delivers
each article on Telegram as a headline, a short gist and key quotes with their speakers.

Usage:
  migrawatch [command] [flags] [arguments]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run "migrawatch <command> -h" for the flags of a command.
Configuration comes from the environment (TELEGRAM_BOT_TOKEN, REDIS_URL, ...) and an
optional YAML file (-config or MIGRAWATCH_CONFIG); README.md lists every key.
`)
}

// usageError is a command line mistake; main exits with status 2 for it.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// newFlagSet returns a FlagSet whose help names the command, shows its
// arguments and describes it.
func newFlagSet(name, arguments, description string) *flag.FlagSet {
	fs := flag.NewFlagSet("migrawatch "+name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: migrawatch %s [flags]%s\n\n%s\n", name, arguments, description)
		var hasFlags bool
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprint(fs.Output(), "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags parses args with fs, allowing flags after the positional
// arguments ("preview feed.xml -json"); "--" ends the flags. Help goes to
// stdout and returns flag.ErrHelp; a mistake prints the usage to stderr.
func parseFlags(fs *flag.FlagSet, args []string, e *env) ([]string, error) {
	var out bytes.Buffer
	fs.SetOutput(&out)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				_, _ = e.stdout.Write(out.Bytes())
				return nil, flag.ErrHelp
			}
			_, _ = e.stderr.Write(out.Bytes())
			return nil, &usageError{err.Error()}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// configFlag adds the -config flag every command that reads the configuration has.
func configFlag(fs *flag.FlagSet) *string {
	return fs.String("config", "", "YAML configuration `file` (default $"+config.EnvConfigPath+")")
}

// loadConfig loads the configuration from the file named by the flag or
// MIGRAWATCH_CONFIG and the environment, listing every problem.
func loadConfig(e *env, path string) (*config.Config, error) {
	if path == "" {
		path = e.getenv(config.EnvConfigPath)
	}
	cfg, err := config.Load(e.getenv, path)
	if err != nil {
		probs := config.Problems(err)
		var b strings.Builder
		fmt.Fprintf(&b, "the configuration has %d problem(s):", len(probs))
		for _, p := range probs {
			fmt.Fprintf(&b, "\n  %s", p)
		}
		return nil, errors.New(b.String())
	}
	return cfg, nil
}

// newLogger returns the process logger writing to w in the configured format.
func newLogger(c config.Log, w io.Writer) *slog.Logger {
	level, err := config.ParseLevel(c.Level)
	if err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// buildCommit is the commit set at build time, else the one the Go toolchain
// recorded from version control.
func buildCommit() string {
	if commit != "" {
		return commit
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		var rev, dirty string
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "-dirty"
				}
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			return rev + dirty
		}
	}
	return "unknown"
}

func cmdVersion(_ context.Context, e *env, args []string) error {
	fs := newFlagSet("version", "", "Print the version, the commit and the Go version MigraWatch was built with.")
	if _, err := parseFlags(fs, args, e); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "migrawatch %s (commit %s, %s %s/%s)\n", version, buildCommit(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}
