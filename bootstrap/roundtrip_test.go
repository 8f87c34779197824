package bootstrap

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	composeenv "github.com/compose-spec/compose-go/v2/dotenv"

	"github.com/devstack-dev/devstack/internal/testenv"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/stack"
)

// adversarial values: each either reads back exactly through every reader, or is refused
// before anything is written. "MARKER" is replaced by a file that must never appear.
var adversarial = []struct {
	value string
	safe  bool
}{
	{"`touch MARKER`", true},
	{"$(touch MARKER)", true},
	{"a;touch MARKER", true},
	{"x' ; touch MARKER; '", true}, // a ' but no $ ` " \ or newline: double quotes hold it
	{"trailing spaces  ", true},
	{"  leading spaces", true},
	{"#not-a-comment", true},
	{"value # with a hash", true},
	{`back\slash`, true},
	{`C:\Users\dev\app`, true},
	{"it's", true},
	{`say "hi"`, true},
	{"multi\nline\n value", true},
	{"unicode: żółć 日本 🚀", true},
	{"tab\there", true},
	{"$HOME and $1 and $", true},
	{"=leading-equals", true},
	{"", true},
	{"semi;colon&amp|pipe>redir<", true},
	{"*glob?[a]", true},
	{"~/tilde:~", true},
	{"!bang", true},
	{"postgresql://u:p%40ss@127.0.0.1:5432/db?sslmode=disable&x=1", true},
	{"redis://:0123abcd@127.0.0.1:6379/0", true},
	{`both"and'quotes`, false},
	{"it's\nmulti-line", false},
	{"it's $(touch MARKER)", false},
	{"nul\x00byte", false},
	{"carriage\r\nreturn", false},
	{"${HOME}", false},
	{`ends in a backslash\`, false},
	{`double\\backslash`, false},
	{"\x1b[31mred", false},
	{"invalid \xff utf-8", false},
}

// TestDotenvRoundTrip writes adversarial values the way devstack does (.env merge, and
// devstack env in dotenv and shell form) and reads them back with bash, docker compose's
// dotenv parser, python-dotenv and node's dotenv: each value must come back exactly and
// nothing may run. Readers that are missing skip, except under DEVSTACK_E2E=required or
// CI=true, where they fail: .ci/run installs them.
func TestDotenvRoundTrip(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "pwned")
	var safe []services.Setting
	for i, a := range adversarial {
		s := services.Setting{Key: fmt.Sprintf("V%02d", i), Value: strings.ReplaceAll(a.value, "MARKER", marker)}
		_, err := stack.DotenvValue(s.Key, s.Value)
		if a.safe != (err == nil) {
			t.Errorf("%q: safe %v, DotenvValue err %v", a.value, a.safe, err)
		}
		if err != nil {
			var ue *stack.UnsafeValueError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), s.Key) || (len(s.Value) > 3 && strings.Contains(err.Error(), s.Value)) {
				t.Errorf("%q: refusal %v must name the key and never the value", a.value, err)
			}
			continue
		}
		safe = append(safe, s)
	}
	want := map[string]string{"FOREIGN": "kept", "FOREIGN_MULTI": "a\nb"}
	for _, s := range safe {
		want[s.Key] = s.Value
	}

	// The .env merge, into a file that already holds foreign lines.
	merged := filepath.Join(dir, "merged.env")
	if err := os.WriteFile(merged, []byte("# app settings\nexport FOREIGN=kept\nFOREIGN_MULTI='a\nb'\nV00=stale\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := MergeEnv(dir, merged, safe); err != nil {
		t.Fatal(err)
	}
	// devstack env > .env
	printed := filepath.Join(dir, "printed.env")
	writeEnvOutput(t, "dotenv", safe, printed)
	onlySafe := map[string]string{}
	for _, s := range safe {
		onlySafe[s.Key] = s.Value
	}

	readers := map[string]func(t *testing.T, path string, names []string) map[string]string{
		"bash":          readBash,
		"compose":       readCompose,
		"python-dotenv": readPython,
		"node-dotenv":   readNode,
	}
	for name, read := range readers {
		t.Run(name, func(t *testing.T) {
			compare(t, name+" of the merged .env", read(t, merged, keys(want)), want)
			compare(t, name+" of devstack env", read(t, printed, keys(onlySafe)), onlySafe)
		})
	}

	// devstack env --format shell, evaluated: every value but a NUL round-trips.
	t.Run("bash-eval-shell-format", func(t *testing.T) {
		var all []services.Setting
		wantAll := map[string]string{}
		for i, a := range adversarial {
			v := strings.ReplaceAll(a.value, "MARKER", marker)
			if strings.ContainsRune(v, 0) {
				if _, err := stack.ShellValue("K", v); err == nil {
					t.Error("a NUL was accepted in shell form")
				}
				continue
			}
			k := fmt.Sprintf("S%02d", i)
			all = append(all, services.Setting{Key: k, Value: v})
			wantAll[k] = v
		}
		shell := filepath.Join(dir, "shell.sh")
		writeEnvOutput(t, "shell", all, shell)
		compare(t, "bash eval", runBash(t, `eval "$(cat "$1")"`, shell, keys(wantAll)), wantAll)
	})
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("a value ran a command: the marker file exists")
	}
}

func writeEnvOutput(t *testing.T, format string, settings []services.Setting, path string) {
	t.Helper()
	report, err := stack.NewEnvReport(format, settings)
	if err != nil {
		t.Fatal(err)
	}
	streams, out, _ := output.Test()
	if err := output.NewPrinter(streams, output.Options{}).Print(report); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func compare(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if got == nil {
		return // the reader skipped
	}
	for k, v := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: %s missing", what, k)
		} else if g != v {
			t.Errorf("%s: %s = %q, want %q", what, k, g, v)
		}
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// missingReader skips, or fails where CI promised the reader would be there.
func missingReader(t *testing.T, format string, args ...any) {
	t.Helper()
	testenv.Missing(t, format, args...)
}

func readBash(t *testing.T, path string, names []string) map[string]string {
	return runBash(t, `set -a; . "$1"; set +a`, path, names)
}

// runBash loads path with script in a clean bash and prints each key's value, NUL-separated.
func runBash(t *testing.T, script, path string, names []string) map[string]string {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		missingReader(t, "bash not found")
	}
	full := script + `; shift; for k in "$@"; do if [ "${!k+set}" = set ]; then printf '%s\0%s\0' "$k" "${!k}"; fi; done`
	cmd := exec.Command(bash, append([]string{"--norc", "--noprofile", "-c", full, "bash", path}, names...)...)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir()}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("bash: %v\n%s", err, stderr.String())
	}
	got := map[string]string{}
	parts := strings.Split(string(out), "\x00")
	for i := 0; i+1 < len(parts); i += 2 {
		got[parts[i]] = parts[i+1]
	}
	return got
}

// readCompose uses the parser docker compose itself reads env_file with (compose-go).
func readCompose(t *testing.T, path string, _ []string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := map[string]string{}
	if err := composeenv.ParseWithFormat(f, path, got, func(string) (string, bool) { return "", false }, ""); err != nil {
		t.Fatalf("compose: %v", err)
	}
	return got
}

func readPython(t *testing.T, path string, _ []string) map[string]string {
	t.Helper()
	candidates := []string{os.Getenv("DEVSTACK_PYTHON"), "python3", "/usr/bin/python3"}
	for _, py := range candidates {
		if py == "" {
			continue
		}
		if exec.Command(py, "-c", "import dotenv").Run() != nil {
			continue
		}
		v, _ := exec.Command(py, "-c", "import importlib.metadata as m; print(m.version('python-dotenv'))").Output()
		t.Logf("python-dotenv %s (%s)", strings.TrimSpace(string(v)), py)
		return runJSONReader(t, py, "testdata/readers/read.py", path)
	}
	missingReader(t, "no python3 with python-dotenv (apt-get install python3-dotenv)")
	return nil
}

func readNode(t *testing.T, path string, _ []string) map[string]string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		missingReader(t, "node not found (apt-get install nodejs npm)")
		return nil
	}
	if _, err := os.Stat("testdata/readers/node_modules/dotenv/package.json"); err != nil {
		missingReader(t, "node's dotenv is not installed: cd bootstrap/testdata/readers && npm ci")
		return nil
	}
	return runJSONReader(t, "node", "testdata/readers/read.js", path)
}

func runJSONReader(t *testing.T, prog, script, path string) map[string]string {
	t.Helper()
	cmd := exec.Command(prog, script, path)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", prog, script, err, stderr.String())
	}
	var got map[string]*string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%s: %v\n%s", prog, err, out)
	}
	m := map[string]string{}
	for k, v := range got {
		if v != nil {
			m[k] = *v
		}
	}
	return m
}
