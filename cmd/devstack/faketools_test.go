package main

// Fake toolchains for doctor's tests, unit and end-to-end alike (untagged: both use them).

import (
	"os"
	"path/filepath"
	"testing"
)

// fakeTools makes a directory holding testdata/tools scripts under the names given, to be
// the whole PATH of a doctor run.
func fakeTools(t *testing.T, tools map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, script := range tools {
		data, err := os.ReadFile(filepath.Join("testdata", "tools", script))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// healthy is a full, passing toolchain; cases change one or two tools of it.
var healthy = map[string]string{
	"python3": "python3-ok", "pipenv": "pipenv-ok", "node": "node-ok", "npm": "npm-warn",
	"docker": "docker-plugin", "magick": "magick-7", "git": "git-apple",
}

func with(base map[string]string, changes map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range changes {
		if v == "" {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}
