// Command migrawatch is MigraWatch: a Telegram bot that follows migration news
// in Arabic, French and English, keeps what is about migration (or matches a
// chat's keyword alerts), and delivers each article as headline, gist and key
// quotes with their speakers. See run.go for the subcommands.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "migrawatch: %v\n", err)
		var ue *usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}
