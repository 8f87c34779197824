package stack

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/mattn/go-runewidth"

	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/services/engine"
)

// liveScript is what up says during a run with a warning (said twice, as a retry would), a
// service that becomes ready and one that fails.
func liveScript(v *LiveView, pause func()) {
	v.Service("redis", "creating container")
	v.Service("postgres", "creating container")
	v.Service("redis", "warning: started without the memlock ulimit")
	v.Service("redis", "warning: started without the memlock ulimit")
	v.Service("redis", "waiting until it answers")
	v.Service("postgres", "waiting until it answers")
	pause()
	v.Service("redis", "ready in 0.50s")
	v.Service("postgres", "failed: password authentication failed for user \"devstack\"")
	v.Close()
}

// The pipe form is the plain lines of before, one per step, nothing rewritten.
func TestLiveViewPipeGolden(t *testing.T) {
	streams, stdout, stderr := output.Test()
	liveScript(NewLiveView(output.NewPrinter(streams, output.Options{})), func() {})
	if stdout.Len() != 0 || strings.Contains(stderr.String(), "\x1b") {
		t.Fatalf("stdout %q, stderr %q", stdout, stderr)
	}
	matchGolden(t, "live-pipe.golden", stderr.Bytes())
}

// JSON mode: services' steps are not progress events; stderr stays empty.
func TestLiveViewJSONSaysNothingOfServices(t *testing.T) {
	streams, stdout, stderr := output.Test()
	liveScript(NewLiveView(output.NewPrinter(streams, output.Options{Format: output.JSON})), func() {})
	if stdout.Len() != 0 || stderr.Len() != 0 {
		t.Fatalf("stdout %q, stderr %q", stdout, stderr)
	}
}

// On a real pseudo-terminal: one line per service, rewritten in place (the cursor moves
// up over the block), spinners that move while waiting, the warning once, and each
// service's end state left on the screen.
func TestLiveViewOnPseudoTerminal(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("open a pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	read := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(ptmx) // ends with EIO once the terminal side is closed
		read <- b
	}()
	streams := &output.Streams{In: &bytes.Buffer{}, Out: io.Discard, Err: tty, ErrTTY: true}
	v := NewLiveView(output.NewPrinter(streams, output.Options{NoColor: true}))
	v.Every = 5 * time.Millisecond
	liveScript(v, func() { time.Sleep(60 * time.Millisecond) })
	tty.Close()
	raw := string(<-read)

	if !strings.Contains(raw, "\x1b[2A\r\x1b[J") {
		t.Fatalf("no redraw in place over two lines in %q", raw)
	}
	frames := 0
	for _, f := range spinner {
		if strings.Contains(raw, f+" postgres") {
			frames++
		}
	}
	if frames < 2 {
		t.Fatalf("the spinner did not move while waiting (%d frames) in %q", frames, raw)
	}
	if n := strings.Count(raw, "warning: redis: started without the memlock ulimit"); n != 1 {
		t.Fatalf("warning printed %d times in %q", n, raw)
	}
	want := []string{
		"warning: redis: started without the memlock ulimit",
		"✓ redis        ready in 0.50s",
		"✗ postgres     failed  0s",
	}
	if got := screen(raw); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("screen:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// screen replays what a terminal does with the few sequences the printer writes (cursor
// up, carriage return, clear to the end of the screen, newline) and returns its lines.
func screen(raw string) []string {
	var lines []string
	row := 0
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case c == 0x1b && i+1 < len(raw) && raw[i+1] == '[':
			j := i + 2
			for j < len(raw) && raw[j] >= '0' && raw[j] <= '9' {
				j++
			}
			n, _ := strconv.Atoi(raw[i+2 : j])
			switch raw[j] {
			case 'A':
				row = max(0, row-n)
			case 'J':
				lines = lines[:min(row, len(lines))]
			}
			i = j
		case c == '\r':
		case c == '\n':
			row++
		default:
			for len(lines) <= row {
				lines = append(lines, "")
			}
			lines[row] += raw[i : i+1] // bytes: a multi-byte rune is rebuilt whole
		}
	}
	return lines
}

// After live lines, the summary says only what they did not: failures in full, and
// where the ready services listen; not the ready lines again, nor the warnings.
func TestUpReportAfterLiveLines(t *testing.T) {
	r := &UpReport{Project: "p", Bind: "127.0.0.1", Waited: true, Live: true, Services: []ServiceResult{
		{Name: "redis", Ready: true, Seconds: 0.5, Action: Created, Warnings: []string{"started without the memlock ulimit"},
			Ports: []engine.PortBinding{{HostIP: "127.0.0.1", HostPort: 6379}}},
		{Name: "postgres", Seconds: 3, Action: Created, Error: "password authentication failed", Fix: "reset postgres"},
	}}
	streams, stdout, _ := output.Test()
	if err := output.NewPrinter(streams, output.Options{}).Print(r); err != nil {
		t.Fatal(err)
	}
	want := "fail postgres  failed (created)\n" +
		"    why: password authentication failed\n" +
		"    fix: reset postgres\n" +
		"ports: redis 127.0.0.1:6379\n" +
		"\n" +
		"some services are not ready; the others stay up. Read a log with devstack logs SERVICE\n"
	if stdout.String() != want {
		t.Fatalf("summary:\n%s\nwant:\n%s", stdout, want)
	}
}

// On a terminal 24 columns wide, a long status (a registry's message, an error) is cut,
// never wrapped: a wrapped line makes the block taller than the printer counts, and each
// redraw would leave a copy of it behind.
func TestLiveLinesFitTheTerminalWidth(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("open a pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 24, Cols: 24}); err != nil {
		t.Fatal(err)
	}
	read := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(ptmx)
		read <- b
	}()
	streams := &output.Streams{In: &bytes.Buffer{}, Out: io.Discard, Err: tty, ErrTTY: true, ErrColumns: output.Columns(tty)}
	v := NewLiveView(output.NewPrinter(streams, output.Options{NoColor: true}))
	v.Every = 5 * time.Millisecond
	v.Service("postgres", "waiting until it answers: the database system is starting up")
	time.Sleep(30 * time.Millisecond)
	v.Service("postgres", "ready in 0.50s")
	v.Close()
	tty.Close()
	raw := string(<-read)
	for _, line := range strings.Split(raw, "\n") {
		// What is left after the cursor moves is what the terminal shows on one row.
		if i := strings.LastIndex(line, "\x1b[J"); i >= 0 {
			line = line[i+len("\x1b[J"):]
		}
		line = strings.TrimRight(line, "\r")
		if w := runewidth.StringWidth(line); w > 23 {
			t.Errorf("a live line %d columns wide on a 24-column terminal: %q", w, line)
		}
	}
	if !strings.Contains(raw, " postgres     waiting…") {
		t.Errorf("the cut line does not end with …: %q", raw)
	}
}
