package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

type sample struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
}

func (s sample) WriteText(w *TextWriter) {
	w.Item(s.Status, s.Name)
	w.Detail("fix", "do this")
}

func TestPrinterModes(t *testing.T) {
	tests := []struct {
		name      string
		tty       bool
		opts      Options
		want      string
		wantColor bool
	}{
		{name: "pipe: plain words", opts: Options{}, want: "fail redis\n    fix: do this\n"},
		{name: "terminal: icons and colour", tty: true, opts: Options{}, want: "✗", wantColor: true},
		{name: "terminal with --no-color or NO_COLOR", tty: true, opts: Options{NoColor: true}, want: "✗ redis\n    fix: do this\n"},
		{name: "json", tty: true, opts: Options{Format: JSON}, want: "{\n  \"name\": \"redis\",\n  \"status\": \"fail\"\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, out, _ := Test()
			s.OutTTY = tt.tty
			if err := NewPrinter(s, tt.opts).Print(sample{Name: "redis", Status: Fail}); err != nil {
				t.Fatal(err)
			}
			got := out.String()
			if !strings.Contains(got, tt.want) || strings.Contains(got, "\x1b[") != tt.wantColor {
				t.Fatalf("got %q; want %q, colour %v", got, tt.want, tt.wantColor)
			}
		})
	}
}

func TestErrorShowsHintAndJSONGoesToStderr(t *testing.T) {
	err := WithHint(errors.New("port 5632 is held by postgres (pid 42)"), "stop it, or run devstack ports --suggest")
	s, out, errb := Test()
	NewPrinter(s, Options{}).Error(err)
	if out.Len() != 0 || !strings.Contains(errb.String(), "error: port 5632") || !strings.Contains(errb.String(), "fix: stop it") {
		t.Fatalf("stdout %q stderr %q", out, errb)
	}
	s, out, errb = Test()
	NewPrinter(s, Options{Format: JSON}).Error(err)
	var v struct{ Error, Fix string }
	if jerr := json.Unmarshal(errb.Bytes(), &v); jerr != nil || v.Fix == "" {
		t.Fatalf("json error %q: %v", errb, jerr)
	}
	// With no report printed, stdout gets the failure as the command's result.
	var r struct {
		OK         *bool
		Error, Fix string
	}
	if jerr := json.Unmarshal(out.Bytes(), &r); jerr != nil || r.OK == nil || *r.OK || r.Error != v.Error || r.Fix != v.Fix {
		t.Fatalf("stdout %q: %v", out, jerr)
	}
}

func TestErrorAfterAReportLeavesStdoutAlone(t *testing.T) {
	s, out, _ := Test()
	p := NewPrinter(s, Options{Format: JSON})
	if err := p.Print(sample{Name: "redis", Status: Fail}); err != nil {
		t.Fatal(err)
	}
	before := out.String()
	p.Error(errors.New("interrupted"))
	if out.String() != before {
		t.Fatalf("stdout grew after the report: %q", out)
	}
}

func TestProgressIsQuietInJSON(t *testing.T) {
	s, _, errb := Test()
	NewPrinter(s, Options{Format: JSON}).Progress("starting %s", "redis")
	if errb.Len() != 0 {
		t.Fatalf("progress in JSON mode: %q", errb)
	}
}

func TestParseFormat(t *testing.T) {
	if _, err := ParseFormat("yaml"); err == nil || !strings.Contains(err.Error(), "--output text or --output json") {
		t.Fatalf("err = %v", err)
	}
}

// Up's waits and pulls report from many goroutines at once: each line arrives whole.
// Under -race this also proves the printer guards its stream.
func TestPrinterStderrIsSafeFromGoroutines(t *testing.T) {
	for _, tty := range []bool{false, true} {
		s, _, errb := Test()
		s.ErrTTY = tty
		p := NewPrinter(s, Options{NoColor: true})
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				p.Progress("line %02d", i)
				p.Live(fmt.Sprint("k", i%3), fmt.Sprint("live ", i))
				p.Warn("warn %02d", i)
			})
		}
		wg.Wait()
		out := errb.String()
		for i := range 20 {
			if !strings.Contains(out, fmt.Sprintf("line %02d\n", i)) || !strings.Contains(out, fmt.Sprintf("warning: warn %02d\n", i)) {
				t.Fatalf("tty=%v: line %d torn or lost:\n%q", tty, i, out)
			}
		}
	}
}

// A warning in JSON mode is one JSON line on stderr, so a script can parse every line
// there; in text mode it is the words a person reads.
func TestWarnFormats(t *testing.T) {
	tests := []struct {
		format Format
		want   string
	}{
		{JSON, "{\"warning\":\"bind 0.0.0.0 is open\"}\n"},
		{Text, "warning: bind 0.0.0.0 is open\n"},
	}
	for _, tt := range tests {
		s, out, errb := Test()
		NewPrinter(s, Options{Format: tt.format}).Warn("bind %s is open", "0.0.0.0")
		if errb.String() != tt.want || out.Len() != 0 {
			t.Errorf("%v: stderr %q stdout %q; want stderr %q", tt.format, errb.String(), out.String(), tt.want)
		}
	}
}

func TestLiveTextIsOneScreenLine(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		width int
		want  string
	}{
		{"fits", "✓ redis ready", 40, "✓ redis ready"},
		{"width unknown: not cut", strings.Repeat("a", 200), 0, strings.Repeat("a", 200)},
		{"cut one short of the width, with …", "pulling postgres:17 downloading", 12, "pulling po…"},
		{"wide runes count two columns", "镜像下载中请稍候", 8, "镜像下…"},
		{"a line break or tab from outside is a space", "a\nb\tc", 20, "a b c"},
		{"escape sequences from outside are shown, then cut", "x\x1b]0;owned\x07y", 9, `x\x1b]0…`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := liveText(tt.text, tt.width); got != tt.want {
				t.Fatalf("liveText(%q, %d) = %q, want %q", tt.text, tt.width, got, tt.want)
			}
		})
	}
}
