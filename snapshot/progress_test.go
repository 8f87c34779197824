package snapshot

import (
	"strings"
	"testing"
	"time"
)

// Each service gets its own line with bytes and a rate; lines are not redrawn more often
// than progressEvery.
func TestProgressLines(t *testing.T) {
	lines := map[string][]string{}
	p := NewProgress("copied", func(key, text string) { lines[key] = append(lines[key], text) })
	p("postgres", 1<<20)
	p("postgres", 2<<20) // within progressEvery of the first: not drawn
	p("redis", 10)
	time.Sleep(progressEvery + 10*time.Millisecond)
	p("postgres", 3<<20)
	if len(lines["postgres"]) != 2 || len(lines["redis"]) != 1 {
		t.Fatalf("lines %v", lines)
	}
	last := lines["postgres"][1]
	if !strings.HasPrefix(last, "postgres") || !strings.Contains(last, "copied 3.0 MiB") || !strings.Contains(last, "/s)") {
		t.Fatalf("line %q", last)
	}
}
