// Command bonfire runs and uses a Bonfire compute network: `bonfire up`
// starts a market with local providers, `bonfire job run` submits work,
// `bonfire demo` shows the whole loop with a real AI sweep. Wiring of the
// packages happens here and in package localnet, nowhere else.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/bonfirenet/bonfire"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRootCmd()
	err := root.ExecuteContext(ctx)
	if err != nil {
		printError(os.Stderr, err)
		os.Exit(1)
	}
}

// printError shows an error with its hint, one problem per line.
func printError(w *os.File, err error) {
	var list bonfire.Errors
	var one *bonfire.Error
	switch {
	case errors.As(err, &list):
		fmt.Fprintf(w, "error: %d problems:\n", len(list))
		for _, e := range list {
			fmt.Fprintf(w, "  %s\n", e.Error())
		}
	case errors.As(err, &one):
		fmt.Fprintf(w, "error: %s\n", one.Error())
	default:
		fmt.Fprintf(w, "error: %v\n", err)
	}
}
