// Package output is devstack's one way to write to the user: it knows whether a stream is
// a terminal, whether colour is allowed (NO_COLOR, --no-color), and whether the user asked
// for JSON. Commands hand it results; they never format by hand.
package output

import (
	"bytes"
	"io"
	"os"

	"github.com/mattn/go-isatty"
	"golang.org/x/term"
)

// Streams carries the process's standard streams and what is known about them, so that
// tests can swap in buffers and pretend to be a terminal.
type Streams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer

	OutTTY bool
	ErrTTY bool
	// ErrColumns is the width of the terminal on Err, asked each time since a window can
	// be resized; nil, or 0 from it, when unknown.
	ErrColumns func() int
}

// System returns the process's own streams, with terminal detection done once.
func System() *Streams {
	return &Streams{
		In:         os.Stdin,
		Out:        os.Stdout,
		Err:        os.Stderr,
		OutTTY:     isTerminal(os.Stdout),
		ErrTTY:     isTerminal(os.Stderr),
		ErrColumns: Columns(os.Stderr),
	}
}

// Columns asks the terminal f for its width each time it is called; 0 when f is none.
func Columns(f *os.File) func() int {
	return func() int {
		w, _, err := term.GetSize(int(f.Fd()))
		if err != nil {
			return 0
		}
		return w
	}
}

// Test returns streams backed by buffers, not terminals.
func Test() (*Streams, *bytes.Buffer, *bytes.Buffer) {
	out, errb := &bytes.Buffer{}, &bytes.Buffer{}
	return &Streams{In: &bytes.Buffer{}, Out: out, Err: errb}, out, errb
}

func isTerminal(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}
