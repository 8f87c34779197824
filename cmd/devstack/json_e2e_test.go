//go:build e2e

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryCommandSpeaksJSON runs every command with --output json against the real
// engine, in success and failure, and checks what a script relies on: stdout parses as
// JSON (one document, or JSON lines for logs), and stderr is empty or JSON lines only
// (no driver's log line, no text error). completion prints a shell script by design.
func TestEveryCommandSpeaksJSON(t *testing.T) {
	p := newStackProject(t, "services:\n  redis:\n")
	p.base += "tools: {python: {required: false}, pipenv: {required: false}, node: {required: false}, npm: {required: false}, " +
		"docker: {required: false}, compose: {required: false}, imagemagick: {required: false}, git: {required: false}}\n"
	p.write("services:\n  redis:\n")
	missing := invocation{dir: p.dir, extraEnv: []string{"DEVSTACK_IMAGE_REDIS=devstack-missing/redis:0"}}
	empty := t.TempDir()
	sub := filepath.Join(p.dir, "src")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name     string
		inv      *invocation // default: the project's directory
		args     []string
		wantCode int
		wantOK   string // "true", "false", or "" when the shape has no ok
	}{
		// Failures that need no container.
		{name: "status, nothing up", args: []string{"status"}, wantCode: 1, wantOK: "false"},
		{name: "logs of a service not up", args: []string{"logs", "redis"}, wantCode: 1, wantOK: "false"},
		{name: "logs of an unplanned service", args: []string{"logs", "nosuch"}, wantCode: 2, wantOK: "false"},
		{name: "a bad flag after the command", args: []string{"up", "--bogus"}, wantCode: 2, wantOK: "false"},
		{name: "a bad value", args: []string{"ports", "--offset", "abc"}, wantCode: 2, wantOK: "false"},
		{name: "env, a bad format", args: []string{"env", "--format", "yaml"}, wantCode: 2, wantOK: "false"},
		{name: "fixtures, an unknown name", args: []string{"fixtures", "nosuch"}, wantCode: 2, wantOK: "false"},
		{name: "init over a devstack.yaml", args: []string{"init"}, wantCode: 2, wantOK: "false"},
		{name: "up, an image neither here nor pullable", inv: &missing, args: []string{"up"}, wantCode: 1, wantOK: "false"},
		{name: "down of a project that has nothing", args: []string{"down", "--project", "e2e-nothing-here"}, wantCode: 1},
		{name: "down, devstack.yaml broken, nothing of the directory's project", inv: &invocation{dir: empty},
			args: []string{"down", "--config", filepath.Join(empty, "broken.yaml")}, wantCode: 1},
		// Success, with redis only.
		{name: "doctor", args: []string{"doctor"}, wantOK: "true"},
		{name: "ports", args: []string{"ports"}, wantOK: "true"},
		{name: "up", args: []string{"up", "redis"}, wantOK: "true"},
		{name: "status", args: []string{"status"}, wantOK: "true"},
		{name: "status from a subdirectory", inv: &invocation{dir: sub}, args: []string{"status"}, wantOK: "true"},
		{name: "logs", args: []string{"logs", "--tail", "3", "redis"}},
		{name: "env", args: []string{"env", "--format", "json"}},
		{name: "fixtures, none", args: []string{"fixtures"}, wantOK: "true"},
		{name: "bootstrap", args: []string{"bootstrap", "--skip-doctor"}, wantOK: "true"},
		{name: "down by labels, devstack.yaml broken", inv: &invocation{dir: empty},
			args: []string{"down", "--config", filepath.Join(empty, "broken.yaml"), "--project", p.name}},
		{name: "down, nothing left", args: []string{"down"}},
		{name: "init", inv: &invocation{dir: empty}, args: []string{"init"}},
	}
	if err := os.WriteFile(filepath.Join(empty, "broken.yaml"), []byte("services: [unclosed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, st := range steps {
		inv := invocation{dir: p.dir}
		if st.inv != nil {
			inv = *st.inv
		}
		r := inv.run(t, append(st.args, "--output", "json")...)
		if r.code != st.wantCode {
			t.Errorf("%s: exit %d, want %d\nstdout %s\nstderr %s", st.name, r.code, st.wantCode, r.stdout, r.stderr)
			continue
		}
		docs := jsonValues(t, st.name, r.stdout)
		if st.wantOK != "" {
			var ok struct{ OK *bool }
			if err := json.Unmarshal(docs[len(docs)-1], &ok); err != nil || ok.OK == nil || *ok.OK != (st.wantOK == "true") {
				t.Errorf("%s: ok is not %s: %s", st.name, st.wantOK, r.stdout)
			}
		}
		for _, line := range strings.Split(strings.TrimRight(r.stderr, "\n"), "\n") {
			if line != "" && !json.Valid([]byte(line)) {
				t.Errorf("%s: a stderr line is not JSON: %q", st.name, line)
			}
		}
	}
}

// jsonValues decodes every JSON value on stdout; there must be at least one and nothing
// else.
func jsonValues(t *testing.T, name, stdout string) []json.RawMessage {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(stdout))
	var out []json.RawMessage
	for {
		var v json.RawMessage
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: stdout is not JSON: %v\n%s", name, err, stdout)
		}
		out = append(out, v)
	}
	if len(out) == 0 || len(bytes.TrimSpace([]byte(stdout))) == 0 {
		t.Fatalf("%s: nothing on stdout", name)
	}
	return out
}
