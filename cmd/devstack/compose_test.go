package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/output"
)

// export compose in process: printed, written inside the project, refused outside it
// (exit 2, nothing written), and a usage error without what to export.
func TestExportComposeCommand(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "devstack.yaml"), []byte("project: shop\nservices:\n  redis: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	outside := filepath.Join(t.TempDir(), "compose.yaml")
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"export", "compose"}, 0, "host_ip: 127.0.0.1"},
		{[]string{"export", "compose", "--offset", "300"}, 0, `published: "6879"`},
		{[]string{"export", "compose", "--file", "compose.devstack.yaml"}, 0, "wrote " + filepath.Join(dir, "compose.devstack.yaml")},
		{[]string{"export", "compose", "-o", "json"}, 0, `"compose": "`},
		{[]string{"export", "compose", "--file", outside}, 2, ""},
		{[]string{"export"}, 2, ""},
		{[]string{"export", "helm"}, 2, ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			streams, out, errb := output.Test()
			code := runArgs(context.Background(), append([]string{"devstack"}, tt.args...), newEnv(streams, func(string) string { return "" }))
			if code != tt.code || !strings.Contains(out.String(), tt.out) {
				t.Fatalf("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errb)
			}
		})
	}
	if !strings.Contains(readOr(t, filepath.Join(dir, "compose.devstack.yaml")), "${REDIS_PASSWORD}") {
		t.Error("the written file does not take the password from a variable")
	}
	if _, err := os.Stat(outside); !os.IsNotExist(err) {
		t.Errorf("a file was written outside the project: %v", err)
	}
}

func readOr(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
