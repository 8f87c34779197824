package output

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/fatih/color"
	"github.com/mattn/go-runewidth"
)

// Format is how results are written to stdout.
type Format string

const (
	Text Format = "text"
	JSON Format = "json"
)

// ParseFormat validates the value of --output.
func ParseFormat(s string) (Format, error) {
	switch Format(s) {
	case Text, JSON:
		return Format(s), nil
	}
	return "", fmt.Errorf("unknown output format %q: use --output text or --output json", s)
}

// Status is the verdict on one item of a report; its string form is part of the JSON shape.
type Status string

const (
	OK   Status = "ok"
	Warn Status = "warn"
	Fail Status = "fail"
	Skip Status = "skip"
)

// Report is a result that can be written for people. For JSON, the value itself is
// encoded, so its exported fields and tags are its documented shape.
type Report interface {
	WriteText(w *TextWriter)
}

// Options decide how a Printer writes.
type Options struct {
	Format  Format
	NoColor bool // --no-color, or NO_COLOR set in the environment
	Verbose bool
}

// Printer writes reports to stdout and progress and warnings to stderr. Its stderr
// methods may be called from several goroutines at once: mu keeps their lines whole.
type Printer struct {
	streams *Streams
	opts    Options

	mu sync.Mutex
	// live is the block of lines at the bottom of a terminal that Live rewrites in place;
	// drawn is how many of them are on the screen.
	live  []liveLine
	drawn int
	// reported is set once a report is on stdout; an error after none, in JSON mode,
	// puts a result there too, so that a script always has one document to parse.
	reported bool
}

type liveLine struct{ key, text string }

// NewPrinter builds the one printer a command uses.
func NewPrinter(s *Streams, opts Options) *Printer {
	if opts.Format == "" {
		opts.Format = Text
	}
	return &Printer{streams: s, opts: opts}
}

// Format reports the chosen output format.
func (p *Printer) Format() Format { return p.opts.Format }

// Verbose reports whether --verbose was given.
func (p *Printer) Verbose() bool { return p.opts.Verbose }

// Print writes a report to stdout in the chosen format.
func (p *Printer) Print(r Report) error {
	p.mu.Lock()
	p.reported = true
	p.mu.Unlock()
	if p.opts.Format == JSON {
		enc := json.NewEncoder(p.streams.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	w := p.text(p.streams.Out, p.streams.OutTTY)
	r.WriteText(w)
	return w.err
}

// Failure is the result on stdout, in JSON mode, of a command that failed before it had
// a report of its own: {"ok": false, "error": …, "fix": …}.
type Failure struct {
	OK    bool   `json:"ok"`
	Error string `json:"error"`
	Fix   string `json:"fix,omitempty"`
}

// Warn writes a warning to stderr; in JSON mode too, since stdout then holds only data,
// as a JSON line ({"warning": …}) so that stderr stays machine-readable.
func (p *Printer) Warn(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	defer p.keepLive()()
	if p.opts.Format == JSON {
		_ = json.NewEncoder(p.streams.Err).Encode(struct {
			Warning string `json:"warning"`
		}{fmt.Sprintf(format, args...)})
		return
	}
	w := p.text(p.streams.Err, p.streams.ErrTTY)
	w.Line(w.paint(Warn, "warning: ") + fmt.Sprintf(format, args...))
}

// Note writes a line of information a user should not miss to stderr: `note: …` for
// people, {"note": …} as a JSON line in JSON mode.
func (p *Printer) Note(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	defer p.keepLive()()
	if p.opts.Format == JSON {
		_ = json.NewEncoder(p.streams.Err).Encode(struct {
			Note string `json:"note"`
		}{fmt.Sprintf(format, args...)})
		return
	}
	w := p.text(p.streams.Err, p.streams.ErrTTY)
	w.Line(w.paint(Skip, "note: ") + fmt.Sprintf(format, args...))
}

// Error writes an error and the hint that fixes it to stderr, in the chosen format.
func (p *Printer) Error(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	defer p.keepLive()()
	hint := HintOf(err)
	if p.opts.Format == JSON {
		_ = json.NewEncoder(p.streams.Err).Encode(struct {
			Error string `json:"error"`
			Fix   string `json:"fix,omitempty"`
		}{err.Error(), hint})
		if !p.reported {
			p.reported = true
			enc := json.NewEncoder(p.streams.Out)
			enc.SetIndent("", "  ")
			_ = enc.Encode(Failure{Error: err.Error(), Fix: hint})
		}
		return
	}
	w := p.text(p.streams.Err, p.streams.ErrTTY)
	w.Line(w.paint(Fail, "error: ") + err.Error())
	if hint != "" {
		w.Line("  " + w.paint(Skip, "fix: ") + strings.ReplaceAll(hint, "\n", "\n       "))
	}
}

// Progress writes a line of progress to stderr, only for people (never in JSON mode).
func (p *Printer) Progress(format string, args ...any) {
	if p.opts.Format == JSON {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	defer p.keepLive()()
	fmt.Fprintf(TerminalSafe(p.streams.Err, p.streams.ErrTTY), format+"\n", args...)
}

// Interactive reports whether progress goes to a person at a terminal: stderr is one,
// and the output is text.
func (p *Printer) Interactive() bool { return p.streams.ErrTTY && p.opts.Format == Text }

// Live sets the line kept for key in a block at the bottom of a terminal, rewriting the
// block in place; lines appear in the order their keys first came. Elsewhere it writes
// nothing: a pipe gets plain lines through Progress instead.
func (p *Printer) Live(key, text string) {
	if !p.Interactive() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	found := false
	for i := range p.live {
		if p.live[i].key == key {
			p.live[i].text, found = text, true
		}
	}
	if !found {
		p.live = append(p.live, liveLine{key, text})
	}
	p.eraseLive()
	p.drawLive()
}

// EndLive leaves the block on the screen as it stands; later lines go below it.
func (p *Printer) EndLive() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.live, p.drawn = nil, 0
}

// Event writes v as one line of JSON on stderr: JSON mode's progress, kept off stdout so
// that stdout stays one JSON document. Only in JSON mode.
func (p *Printer) Event(v any) {
	if p.opts.Format != JSON {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = json.NewEncoder(p.streams.Err).Encode(v)
}

// keepLive lifts the live block off the screen so that a line can be written where it
// was, and returns what puts it back below that line. Called with mu held.
func (p *Printer) keepLive() func() {
	if p.drawn == 0 {
		return func() {}
	}
	p.eraseLive()
	return p.drawLive
}

// eraseLive moves to the top of the drawn block and clears to the end of the screen.
func (p *Printer) eraseLive() {
	if p.drawn > 0 {
		fmt.Fprintf(p.streams.Err, "\x1b[%dA\r\x1b[J", p.drawn)
		p.drawn = 0
	}
}

func (p *Printer) drawLive() {
	width := 0
	if p.streams.ErrColumns != nil {
		width = p.streams.ErrColumns()
	}
	for _, l := range p.live {
		fmt.Fprintln(p.streams.Err, liveText(l.text, width))
	}
	p.drawn = len(p.live)
}

// liveText is one entry of the live block as one screen line: text from outside (a
// registry's status) escaped like every line, and cut to the terminal's width, since a
// line the terminal wraps would make the block taller than counted and each redraw
// would leave a copy behind. One column is kept free: some terminals wrap on the last.
func liveText(s string, width int) string {
	s = Sanitize(strings.NewReplacer("\n", " ", "\t", " ").Replace(s))
	if width > 1 {
		s = runewidth.Truncate(s, width-1, "…")
	}
	return s
}

func (p *Printer) text(out io.Writer, tty bool) *TextWriter {
	return &TextWriter{out: TerminalSafe(out, tty), color: tty && !p.opts.NoColor, tty: tty, verbose: p.opts.Verbose}
}

// TextWriter is what a Report uses to write itself for people: colour and icons on a
// terminal, stable plain words in a pipe.
type TextWriter struct {
	out     io.Writer
	color   bool
	tty     bool
	verbose bool
	err     error
}

// Verbose reports whether details meant for --verbose should be written.
func (w *TextWriter) Verbose() bool { return w.verbose }

// Line writes one line as it is.
func (w *TextWriter) Line(s string) {
	if w.err == nil {
		_, w.err = fmt.Fprintln(w.out, s)
	}
}

// Item writes one line for one checked item: its status mark, then the text.
func (w *TextWriter) Item(st Status, text string) {
	w.Line(w.mark(st) + " " + text)
}

// Detail writes an indented line under an item, such as the fix for a failure.
func (w *TextWriter) Detail(label, text string) {
	lead := "    " + w.paint(Skip, label+": ")
	w.Line(lead + strings.ReplaceAll(text, "\n", "\n"+strings.Repeat(" ", 6+len(label))))
}

// Paint colours s as the given status would be coloured (nothing when colour is off).
func (w *TextWriter) Paint(st Status, s string) string { return w.paint(st, s) }

func (w *TextWriter) mark(st Status) string {
	if !w.tty {
		// A pipe gets fixed-width words a script can match on.
		return fmt.Sprintf("%-4s", string(st))
	}
	icon := map[Status]string{OK: "✓", Warn: "!", Fail: "✗", Skip: "-"}[st]
	return w.paint(st, icon)
}

func (w *TextWriter) paint(st Status, s string) string {
	if !w.color {
		return s
	}
	attr := map[Status]color.Attribute{OK: color.FgGreen, Warn: color.FgYellow, Fail: color.FgRed, Skip: color.FgHiBlack}[st]
	c := color.New(attr)
	c.EnableColor() // the decision was made here, not by fatih/color's global guess
	return c.Sprint(s)
}
