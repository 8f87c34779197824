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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Run(ctx, os.Args, output.System())
	stop()
	os.Exit(code)
}
