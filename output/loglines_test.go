package output

import (
	"io"
	"testing"
)

func TestLogStreams(t *testing.T) {
	type write struct {
		stderr bool
		text   string
	}
	tests := []struct {
		name   string
		format Format
		writes []write
		want   string // stdout
		errOut string // stderr
	}{
		{name: "text: each stream to its own", format: Text,
			writes: []write{{text: "ready\n"}, {stderr: true, text: "warn\n"}},
			want:   "ready\n", errOut: "warn\n"},
		{name: "json: a line in pieces is one object", format: JSON,
			writes: []write{{text: "hel"}, {text: "lo\nwor"}, {text: "ld\n"}},
			want:   `{"service":"redis","stream":"stdout","line":"hello"}` + "\n" + `{"service":"redis","stream":"stdout","line":"world"}` + "\n"},
		{name: "json: stderr is named, on stdout; CRLF and a last line without newline", format: JSON,
			writes: []write{{stderr: true, text: "FATAL: x\r\n"}, {text: "tail"}},
			want:   `{"service":"redis","stream":"stderr","line":"FATAL: x"}` + "\n" + `{"service":"redis","stream":"stdout","line":"tail"}` + "\n"},
		{name: "json: control bytes are escaped, invalid UTF-8 replaced", format: JSON,
			writes: []write{{text: "\x1b[31mred\xff\n"}},
			want:   `{"service":"redis","stream":"stdout","line":"\u001b[31mred\ufffd"}` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, out, errb := Test()
			stdout, stderr, done := NewPrinter(s, Options{Format: tt.format}).LogStreams("redis")
			for _, w := range tt.writes {
				to := stdout
				if w.stderr {
					to = stderr
				}
				if _, err := io.WriteString(to, w.text); err != nil {
					t.Fatal(err)
				}
			}
			if err := done(); err != nil {
				t.Fatal(err)
			}
			if out.String() != tt.want || errb.String() != tt.errOut {
				t.Fatalf("stdout %q stderr %q; want %q, %q", out.String(), errb.String(), tt.want, tt.errOut)
			}
		})
	}
}
