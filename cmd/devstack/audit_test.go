package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/output"
)

// audit's exit codes and formats, in process: 0 clean, 1 a finding at or above
// --fail-on, 2 unusable input; -o json and -o sarif (before or after the command) are
// JSON on stdout.
func TestAuditExitCodesAndFormats(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"clean.yml":  "services:\n  a:\n    image: nginx:1.27.2\n    ports: [\"127.0.0.1:8080:80\"]\n",
		"notes.yml":  "services:\n  a:\n    image: redis:7\n",
		"bad.yml":    "services:\n  a:\n    image: nginx:1.27.2\n    ports: [\"8080:80\"]\n",
		"broken.yml": "services: [\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"audit", "clean.yml"}, 0, "no findings"},
		{[]string{"audit", "notes.yml"}, 0, "notes.yml:3:12: note DS003"},
		{[]string{"audit", "--fail-on", "note", "notes.yml"}, 1, "DS003"},
		{[]string{"audit", "bad.yml"}, 1, "bad.yml:4:13: error DS001"},
		{[]string{"audit", "--fail-on", "none", "bad.yml"}, 0, "DS001"},
		{[]string{"audit", "bad.yml", "-o", "json"}, 1, `"rule": "DS001"`},
		{[]string{"audit", "bad.yml", "-o", "sarif"}, 1, `"version": "2.1.0"`},
		{[]string{"-o", "sarif", "audit", "bad.yml"}, 1, `"ruleId": "DS001"`},
		{[]string{"audit", "broken.yml"}, 2, ""},
		{[]string{"audit", "missing.yml"}, 2, ""},
		{[]string{"audit", "--fail-on", "fatal", "bad.yml"}, 2, ""},
		{[]string{"ports", "-o", "sarif"}, 2, ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			streams, out, errb := output.Test()
			code := runArgs(context.Background(), append([]string{"devstack"}, tt.args...), newEnv(streams, func(string) string { return "" }))
			if code != tt.code || !strings.Contains(out.String(), tt.out) {
				t.Fatalf("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errb)
			}
			if slices.Contains(tt.args, "-o") && tt.code != 2 && !json.Valid(out.Bytes()) {
				t.Errorf("not JSON:\n%s", out)
			}
		})
	}
}
