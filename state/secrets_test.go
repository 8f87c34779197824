package state

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSecretsAreMadeOnceKeptPrivateAndReused(t *testing.T) {
	root := t.TempDir()
	s, err := LoadSecrets(root)
	if err != nil {
		t.Fatal(err)
	}
	a, b := s.Get("POSTGRES_PASSWORD"), s.Get("REDIS_PASSWORD")
	if len(a) != 32 || a == b || s.Get("POSTGRES_PASSWORD") != a {
		t.Fatalf("secrets %q %q", a, b)
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(root, Dir, "secrets.env"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v %v", st, err)
	}
	if ig, err := os.ReadFile(filepath.Join(root, Dir, ".gitignore")); err != nil || !strings.Contains(string(ig), "*") {
		t.Fatalf(".gitignore %q %v", ig, err)
	}
	again, err := LoadSecrets(root)
	if err != nil || again.Get("POSTGRES_PASSWORD") != a || again.Get("REDIS_PASSWORD") != b {
		t.Fatalf("not reused: %v", err)
	}
}

func TestBadLineIsReportedWithoutItsContent(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, Dir), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, Dir, "secrets.env"), []byte("A=1\nhunter2-no-equals\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadSecrets(root)
	if err == nil || !strings.Contains(err.Error(), "secrets.env:2") || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("err = %v", err)
	}
}
