package output

import (
	"bytes"
	"strings"
	"testing"
)

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres -D /var/lib/postgresql", "postgres -D /var/lib/postgresql"},
		{"naïve ✓ 日本", "naïve ✓ 日本"},
		{"evil\x1b]0;pwned\x07", `evil\x1b]0;pwned\x07`},
		{"a\x1b[2Jb", `a\x1b[2Jb`},
		{"line\nok   postgres  fake", `line\x0aok   postgres  fake`},
		{"cr\rover", `cr\x0dover`},
		{"c1\u009b31m", `c1\x9b31m`},
		{"file\u202egnp.exe", `file\u202egnp.exe`},
		{"tab\tkept", "tab\tkept"},
	}
	for _, tt := range tests {
		if got := Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTerminalWriterKeepsOwnColourOnly(t *testing.T) {
	var buf bytes.Buffer
	w := terminalWriter{&buf}
	in := "\x1b[32mok\x1b[0m held by \x1b]52;c;ZXZpbA==\x07 \x1b[8mhidden\x1b[0m\n"
	if _, err := w.Write([]byte(in)); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	if !strings.HasPrefix(got, "\x1b[32mok\x1b[0m") {
		t.Errorf("devstack's own colour was escaped: %q", got)
	}
	for _, bad := range []string{"\x1b]52", "\x07", "\x1b[8m"} {
		if strings.Contains(got, bad) {
			t.Errorf("%q reached the terminal: %q", bad, got)
		}
	}
	if !strings.HasSuffix(got, "\n") || strings.Count(got, "\n") != 1 {
		t.Errorf("the line break the printer wrote must stay: %q", got)
	}
}

func TestPrinterEscapesOutsideText(t *testing.T) {
	s, out, errb := Test()
	s.OutTTY, s.ErrTTY = true, true
	p := NewPrinter(s, Options{})
	p.Warn("holder %s", "x\x1b]0;title\x07")
	p.Progress("%s", "\x1b[1Aup")
	_ = p.Print(lineReport("\x1b[2Kreport"))
	for _, b := range []string{out.String(), errb.String()} {
		if strings.Contains(b, "\x1b]") || strings.Contains(b, "\x1b[1A") || strings.Contains(b, "\x1b[2K") {
			t.Errorf("an escape sequence from outside reached the terminal: %q", b)
		}
	}
}

type lineReport string

func (r lineReport) WriteText(w *TextWriter) { w.Line(string(r)) }

// TestPipeKeepsData: in a pipe the printer's output is data, and stays byte for byte.
func TestPipeKeepsData(t *testing.T) {
	s, out, _ := Test()
	p := NewPrinter(s, Options{})
	_ = p.Print(lineReport("export S='carriage\r\nreturn'"))
	if out.String() != "export S='carriage\r\nreturn'\n" {
		t.Fatalf("a pipe got %q", out.String())
	}
}
