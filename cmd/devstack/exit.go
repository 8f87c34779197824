package main

import (
	"context"
	"errors"
	"os"
	"syscall"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/stack"
)

// Exit codes, documented in docs/commands.md and kept stable for scripts.
const (
	exitOK          = 0
	exitFailed      = 1   // something checked is not right: a failed check, a held port, a service not ready
	exitUsage       = 2   // bad flags, arguments or configuration
	exitInterrupted = 130 // 128 + SIGINT
	exitTerminated  = 143 // 128 + SIGTERM
)

// signalError is why the command's context was cancelled: the signal that ended it.
type signalError struct{ sig os.Signal }

func (e signalError) Error() string { return "interrupted by " + e.sig.String() }

// Unwrap makes every error that carries the cause (net/http returns context.Cause) still
// read as a cancellation.
func (e signalError) Unwrap() error { return context.Canceled }

// usageError is a mistake in how devstack was called.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(err error) error { return &usageError{err: err} }

// errSilent ends a command whose report already said what failed: exit 1, no message.
var errSilent = errors.New("failed; see the report above")

// exitCode prints err as the user should see it and returns the process's exit code.
func exitCode(ctx context.Context, p *output.Printer, err error) int {
	var ue *usageError
	var ce *config.Error
	var uv *stack.UnsafeValueError // a value from the configuration no .env can carry
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errSilent):
		return exitFailed
	case errors.Is(err, context.Canceled):
		var sig signalError
		if errors.As(context.Cause(ctx), &sig) && sig.sig == syscall.SIGTERM {
			p.Error(errors.New("terminated"))
			return exitTerminated
		}
		p.Error(errors.New("interrupted"))
		return exitInterrupted
	case errors.As(err, &ue), errors.As(err, &ce), errors.As(err, &uv):
		p.Error(err)
		return exitUsage
	}
	p.Error(err)
	return exitFailed
}
