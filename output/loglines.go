package output

import (
	"bytes"
	"encoding/json"
	"io"
	"sync"
)

// LogLine is one line of a service's log in JSON output: one object per line, so that a
// follow can be read as it comes.
type LogLine struct {
	Service string `json:"service"`
	Stream  string `json:"stream"` // stdout or stderr, as the container wrote it
	Line    string `json:"line"`
}

// LogStreams returns where a service's log goes. As text, its stdout and stderr go to
// ours, made safe for a terminal; as JSON, each line becomes a LogLine on stdout, since
// the whole log is the command's data. done writes a last line that had no newline.
func (p *Printer) LogStreams(service string) (stdout, stderr io.Writer, done func() error) {
	if p.opts.Format != JSON {
		return TerminalSafe(p.streams.Out, p.streams.OutTTY), TerminalSafe(p.streams.Err, p.streams.ErrTTY), func() error { return nil }
	}
	enc := &logEncoder{enc: json.NewEncoder(p.streams.Out)}
	out := &logLines{enc: enc, service: service, stream: "stdout"}
	errw := &logLines{enc: enc, service: service, stream: "stderr"}
	return out, errw, func() error {
		if err := out.flush(); err != nil {
			return err
		}
		return errw.flush()
	}
}

// logEncoder keeps the two streams' lines whole when they are written at once.
type logEncoder struct {
	mu  sync.Mutex
	enc *json.Encoder
}

func (e *logEncoder) line(l LogLine) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.enc.Encode(l)
}

// logLines cuts one stream into lines; the engine may hand over a line in pieces.
type logLines struct {
	enc     *logEncoder
	service string
	stream  string
	partial []byte
}

func (w *logLines) Write(b []byte) (int, error) {
	w.partial = append(w.partial, b...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			return len(b), nil
		}
		line := w.partial[:i]
		w.partial = w.partial[i+1:]
		if err := w.emit(line); err != nil {
			return len(b), err
		}
	}
}

func (w *logLines) flush() error {
	if len(w.partial) == 0 {
		return nil
	}
	line := w.partial
	w.partial = nil
	return w.emit(line)
}

func (w *logLines) emit(line []byte) error {
	// encoding/json writes invalid UTF-8 as U+FFFD, so any byte a container logs is safe.
	return w.enc.line(LogLine{Service: w.service, Stream: w.stream, Line: string(bytes.TrimSuffix(line, []byte("\r")))})
}
