// Command devstack takes a developer from git clone to a working local environment.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/devstack-dev/devstack/output"
)

func main() {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sigs
		// A second Ctrl-C gets the default behaviour: the user means it.
		signal.Stop(sigs)
		cancel(signalError{s})
	}()
	code := Run(ctx, os.Args, output.System())
	os.Exit(code)
}
