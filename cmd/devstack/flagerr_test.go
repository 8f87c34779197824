package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/output"
)

// TestFlagErrorsTeach: each parse error names the flag and the value, the form wanted,
// and an example that works, with exit 2; in JSON mode, wherever --output stands.
func TestFlagErrorsTeach(t *testing.T) {
	tests := []struct {
		args      []string
		want, fix string
	}{
		{[]string{"up", "--timeout", "5"}, `--timeout "5" is not a duration: a number with a unit, such as 5s`, "devstack up --timeout 2m"},
		{[]string{"up", "--offset", "abc"}, `--offset "abc" is not a whole number`, "devstack up --offset 100"},
		{[]string{"ports", "--offset"}, "--offset needs a value: a whole number", "devstack ports --offset 100"},
		{[]string{"up", "--bogus"}, "devstack up has no flag --bogus", "devstack up --help"},
		{[]string{"doctor", "--timeout=ten"}, `--timeout "ten" is not a duration`, "devstack doctor --timeout 2m"},
		{[]string{"--bogus", "doctor"}, "devstack has no flag --bogus", "devstack --help"},
		{[]string{"up", "--offest", "5"}, "devstack up has no flag --offest: did you mean --offset?", "use --offset"},
		{[]string{"down", "--volume"}, "did you mean --volumes?", "use --volumes"},
		{[]string{"doctor", "--outptu", "json"}, "did you mean --output?", "use --output"},
		{[]string{"stauts"}, `unknown command "stauts": did you mean "status"?`, "devstack status"},
		{[]string{"stop"}, `did you mean "down"?`, "devstack down"},
		{[]string{"start"}, `did you mean "up"?`, "devstack up"},
		{[]string{"check"}, `did you mean "doctor"?`, "devstack doctor"},
		{[]string{"fixture", "seed"}, `did you mean "fixtures"?`, "devstack fixtures"},
		{[]string{"xyzzy"}, `unknown command "xyzzy"`, "devstack --help"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			streams, out, errb := output.Test()
			code := Run(context.Background(), append([]string{"devstack"}, tt.args...), streams)
			if code != 2 {
				t.Fatalf("exit %d, want 2\n%s", code, errb)
			}
			if out.Len() != 0 {
				t.Errorf("stdout: %q", out)
			}
			if !strings.Contains(errb.String(), tt.want) || !strings.Contains(errb.String(), "fix:") || !strings.Contains(errb.String(), tt.fix) {
				t.Errorf("stderr %q\nwant %q and a fix with %q", errb, tt.want, tt.fix)
			}
			// The same error as JSON, with --output after the command.
			streams, _, errb = output.Test()
			jsonArgs := append([]string{"devstack"}, tt.args...)
			if !strings.HasPrefix(tt.args[0], "-") { // after the command name, where people add it
				jsonArgs = append([]string{"devstack", tt.args[0], "--output", "json"}, tt.args[1:]...)
			} else {
				jsonArgs = append(jsonArgs, "--output", "json")
			}
			Run(context.Background(), jsonArgs, streams)
			var e struct{ Error, Fix string }
			if err := json.Unmarshal(errb.Bytes(), &e); err != nil || !strings.Contains(e.Error, tt.want) || e.Fix == "" {
				t.Errorf("JSON error %q (%v)", errb, err)
			}
		})
	}
}

// TestClosest: a typo finds its word, a word too far from every candidate finds none.
func TestClosest(t *testing.T) {
	candidates := []string{"doctor", "ports", "up", "status", "logs", "env", "down", "bootstrap", "fixtures", "init", "completion"}
	tests := []struct{ typed, want string }{
		{"stauts", "status"}, {"statsu", "status"}, {"dcotor", "doctor"}, {"bootstarp", "bootstrap"},
		{"UP", "up"}, {"lgos", "logs"}, {"fixtrues", "fixtures"}, {"comp", "completion"},
		{"xyzzy", ""}, {"q", ""}, {"", ""}, {"deploy", ""}, {"upgrade", ""},
	}
	for _, tt := range tests {
		if got := closest(candidates, tt.typed); got != tt.want {
			t.Errorf("closest(%q) = %q, want %q", tt.typed, got, tt.want)
		}
	}
}

// TestVersionAfterCommand: --version is global, wherever it is typed.
func TestVersionAfterCommand(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"up", "--version"}, {"doctor", "--version"}} {
		streams, out, errb := output.Test()
		if code := Run(context.Background(), append([]string{"devstack"}, args...), streams); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errb)
		}
		if !strings.HasPrefix(out.String(), "devstack version ") {
			t.Errorf("%v: %q", args, out)
		}
	}
}

func TestSplitDefault(t *testing.T) {
	tests := []struct{ usage, def, wantUsage, wantDef string }{
		{"how long to wait (default: each service's own, 30s to 3m)", "", "how long to wait", "each service's own, 30s to 3m"},
		{"host address (default 127.0.0.1; also DEVSTACK_BIND)", "", "host address", "127.0.0.1; also DEVSTACK_BIND"},
		{"plain usage", "", "plain usage", ""},
		{"kept (default: x)", "already", "kept (default: x)", "already"},
	}
	for _, tt := range tests {
		u, d := splitDefault(tt.usage, tt.def)
		if u != tt.wantUsage || d != tt.wantDef {
			t.Errorf("splitDefault(%q) = %q, %q", tt.usage, u, d)
		}
	}
}
