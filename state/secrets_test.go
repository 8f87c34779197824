package state

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/output"
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

// A bufio.Scanner stopped at a line over 64 KiB and every later key was made anew.
func TestSecretsReadPastALongLine(t *testing.T) {
	root := t.TempDir()
	writeState(t, root, "secrets.env", "A=1\nLONG="+strings.Repeat("x", 100<<10)+"\nPOSTGRES_PASSWORD=kept\n")
	s, err := LoadSecrets(root)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Get("POSTGRES_PASSWORD"); got != "kept" {
		t.Fatalf("POSTGRES_PASSWORD = %q: the key after the long line was generated again", got)
	}
	if s.dirty {
		t.Fatal("nothing was generated, yet the secrets would be saved")
	}
}

func TestMalformedSecretsAreAnErrorWithAFix(t *testing.T) {
	for _, content := range []string{"=novalue\n", "A B=1\n", "just-a-secret\n", "A=1\n\x00=2\n"} {
		root := t.TempDir()
		writeState(t, root, "secrets.env", content)
		_, err := LoadSecrets(root)
		if err == nil || output.HintOf(err) == "" {
			t.Errorf("%q: err = %v, want an error with a fix", content, err)
		}
	}
}

func writeState(t *testing.T, root, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(root, Dir), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, Dir, name), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// The writer of secrets.env refuses a name outside the secret-name grammar, whatever
// let it through: a newline in a name would write a line of the repository's choosing
// (issue 18, row 8). Nothing is written.
func TestSaveRefusesANameOutsideTheGrammar(t *testing.T) {
	for _, name := range []string{"X\nPOSTGRES_PASSWORD=chosen", "A=B", "lower", "X Y", "#X", ""} {
		root := t.TempDir()
		s, err := LoadSecrets(root)
		if err != nil {
			t.Fatal(err)
		}
		s.Get("REDIS_PASSWORD")
		s.Get(name)
		err = s.Save()
		if err == nil {
			t.Errorf("%q: saved", name)
		} else if strings.Contains(err.Error(), "chosen") || output.HintOf(err) == "" {
			t.Errorf("%q: %v (hint %q) quotes the name or has no fix", name, err, output.HintOf(err))
		}
		if _, err := os.Stat(filepath.Join(root, Dir)); err == nil {
			t.Errorf("%q: .devstack was made", name)
		}
	}
}
