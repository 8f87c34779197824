// Package bootstrap is the whole onboarding in one command: doctor, ports, up, the
// application's .env, and fixtures; and init, which starts a devstack.yaml.
package bootstrap

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strings"

	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/stack"
	"github.com/devstack-dev/devstack/state"
)

// assignment finds the key of a dotenv line, with or without `export`.
var assignment = regexp.MustCompile(`^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)\s*=`)

// MergeEnv writes devstack's settings into a dotenv file: its own keys are updated where
// they stand, missing ones are added at the end, and every other line (foreign keys,
// comments, blank lines) stays as it was, in its place. The file is private (0600).
// It reports whether the file changed.
func MergeEnv(path string, settings []services.Setting) (bool, error) {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("read %s: %w", path, err)
	}
	want := map[string]string{}
	for _, s := range settings {
		want[s.Key] = stack.DotenvQuote(s.Value)
	}
	written := map[string]bool{}
	text := strings.TrimSuffix(string(old), "\n")
	var lines []string
	if text != "" {
		lines = strings.Split(text, "\n")
	}
	for i, line := range lines {
		m := assignment.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if v, ours := want[m[2]]; ours && !written[m[2]] {
			lines[i] = m[1] + m[2] + "=" + v
			written[m[2]] = true
		}
	}
	var added []string
	for _, s := range settings {
		if !written[s.Key] {
			added = append(added, s.Key+"="+want[s.Key])
		}
	}
	if len(added) > 0 {
		if len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) != "" {
			lines = append(lines, "")
		}
		lines = append(lines, "# Written by devstack (devstack env); it updates these keys in place.")
		lines = append(lines, added...)
	}
	data := []byte(strings.Join(lines, "\n") + "\n")
	if bytes.Equal(data, old) {
		return false, os.Chmod(path, 0o600)
	}
	return true, state.WriteFileAtomic(path, data, 0o600)
}
