package main

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"testing"

	"github.com/devstack-dev/devstack/output"
)

// TestExitCodeOfASignal: libraries hand back the context's cause (net/http does), not
// context.Canceled; either way a signal ends the command with 128 + its number.
func TestExitCodeOfASignal(t *testing.T) {
	tests := []struct {
		sig  syscall.Signal
		err  func(cause error) error
		want int
	}{
		{syscall.SIGINT, func(error) error { return fmt.Errorf("wait: %w", context.Canceled) }, 130},
		{syscall.SIGINT, func(c error) error { return fmt.Errorf("inspect: Get …: %w", c) }, 130},
		{syscall.SIGTERM, func(c error) error { return fmt.Errorf("inspect: Get …: %w", c) }, 143},
		{syscall.SIGTERM, func(error) error { return errors.New("unrelated") }, 1},
	}
	for _, tt := range tests {
		ctx, cancel := context.WithCancelCause(context.Background())
		cause := signalError{tt.sig}
		cancel(cause)
		s, _, _ := output.Test()
		if got := exitCode(ctx, output.NewPrinter(s, output.Options{}), tt.err(cause)); got != tt.want {
			t.Errorf("%v, %v: exit %d, want %d", tt.sig, tt.err(cause), got, tt.want)
		}
	}
}
