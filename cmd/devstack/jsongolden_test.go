package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/internal/enginetest"
	"github.com/devstack-dev/devstack/output"
)

// TestJSONGolden pins each command's --output json shape, the one docs/commands.md describes,
// in testdata/unit/json-golden (UPDATE_GOLDEN=1 rewrites them after a deliberate change;
// then make docs/commands.md say the same). Ids, times, the project's directory and the
// hash of it in the checkout's identity, which change from run to run, are normalised.
func TestJSONGolden(t *testing.T) {
	tests := []struct {
		golden string
		engine func(t *testing.T) *enginetest.Fake
		run    func(u *unit) error
	}{
		{"up.json", func(*testing.T) *enginetest.Fake {
			f := enginetest.New()
			f.LocalImage("memcached:1.6", nil)
			return f
		}, func(u *unit) error { return runUp(context.Background(), upOptions{env: u.e}) }},
		{"up-image-missing.json", func(*testing.T) *enginetest.Fake { return enginetest.New() },
			func(u *unit) error { return runUp(context.Background(), upOptions{env: u.e}) }},
		{"status.json", cacheUp, func(u *unit) error { return runStatus(context.Background(), statusOptions{env: u.e}) }},
		{"status-missing.json", func(*testing.T) *enginetest.Fake { return enginetest.New() },
			func(u *unit) error { return runStatus(context.Background(), statusOptions{env: u.e}) }},
		{"down.json", cacheUp, func(u *unit) error { return runDown(context.Background(), downOptions{env: u.e, volumes: true}) }},
		{"logs.json", func(t *testing.T) *enginetest.Fake {
			f := cacheUp(t)
			f.LogText, f.ErrText = "ready\n", "slow start\n"
			return f
		}, func(u *unit) error {
			return runLogs(context.Background(), logsOptions{env: u.e, service: "cache", tail: "all"})
		}},
		{"logs-unplanned.json", func(*testing.T) *enginetest.Fake { return enginetest.New() },
			func(u *unit) error {
				return runLogs(context.Background(), logsOptions{env: u.e, service: "nope", tail: "all"})
			}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			u := newUnit(t, "cache", tt.engine(t), output.JSON)
			u.code(tt.run(u))
			got := normaliseJSON(t, u.out.String(), u.root)
			matchJSONGolden(t, filepath.Join("testdata", "unit", "json-golden", tt.golden), got, u.errb.String())
		})
	}
}

// matchJSONGolden compares a command's normalised JSON stdout with the golden file at
// path (UPDATE_GOLDEN=1 rewrites it), and holds every line on stderr to JSON too.
func matchJSONGolden(t *testing.T, path, got, stderr string) {
	t.Helper()
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("%s differs:\ngot\n%s\nwant\n%s\nstderr:\n%s", path, got, want, stderr)
	}
	for _, line := range strings.Split(strings.TrimRight(stderr, "\n"), "\n") {
		if line != "" && !json.Valid([]byte(line)) {
			t.Fatalf("stderr line %q is not JSON", line)
		}
	}
}

// normaliseJSON re-encodes each JSON value of stdout with run-dependent values fixed.
func normaliseJSON(t *testing.T, stdout, root string) string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(stdout))
	var b strings.Builder
	for dec.More() {
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
		}
		data, _ := json.MarshalIndent(normalise(v, root), "", "  ")
		b.Write(data)
		b.WriteString("\n")
	}
	return b.String()
}

func normalise(v any, root string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			switch k {
			case "seconds", "uptime_seconds":
				x[k] = 0
			case "id":
				x[k] = "ID"
			default:
				x[k] = normalise(val, root)
			}
		}
	case []any:
		for i := range x {
			x[i] = normalise(x[i], root)
		}
	case string:
		return checkoutHash.ReplaceAllString(strings.ReplaceAll(x, root, "ROOT"), "${1}-HASH")
	}
	return v
}

// checkoutHash is the part of an identity that follows the checkout's path (project unit).
var checkoutHash = regexp.MustCompile(`\b(unit)-[0-9a-f]{8}\b`)
