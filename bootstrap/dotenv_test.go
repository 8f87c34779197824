package bootstrap

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/devstack-dev/devstack/internal/testenv"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/stack"
	"github.com/devstack-dev/devstack/userfile"
)

var update = flag.Bool("update", false, "rewrite testdata/merge/*.after.env from the merge's output")

var settings = []services.Setting{
	{Key: "REDIS_URL", Value: "redis://:pw@127.0.0.1:6579/0"},
	{Key: "DATABASE_URL", Value: "postgresql://devstack:pw@127.0.0.1:5632/app"},
	{Key: "S3_BUCKET", Value: "app"},
	{Key: "WITH_SPACE", Value: "a b"},
}

// Each testdata/merge/NAME.before.env is a .env a user could have; NAME.after.env is
// what the merge must make of it (reviewed by hand: -update rewrites them).
func TestMergeEnvCases(t *testing.T) {
	befores, _ := filepath.Glob("testdata/merge/*.before.env")
	if len(befores) < 10 {
		t.Fatalf("only %d cases in testdata/merge", len(befores))
	}
	for _, before := range befores {
		name := strings.TrimSuffix(filepath.Base(before), ".before.env")
		t.Run(name, func(t *testing.T) {
			in, err := os.ReadFile(before)
			if err != nil {
				t.Fatal(err)
			}
			got, err := mergeEnv(in, settings)
			if err != nil {
				t.Fatal(err)
			}
			after := strings.TrimSuffix(before, ".before.env") + ".after.env"
			if *update {
				if err := os.WriteFile(after, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(after)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Fatalf("got:\n%q\nwant:\n%q", got, want)
			}
			again, err := mergeEnv(got, settings)
			if err != nil || string(again) != string(got) {
				t.Fatalf("a second merge changed the file:\n%q\n%v", again, err)
			}
			checkMergeInvariants(t, in, got, settings)
		})
	}
}

func TestMergeEnvFile(t *testing.T) {
	t.Run("new file is private", func(t *testing.T) {
		root := t.TempDir()
		if changed, err := MergeEnv(root, ".env", settings[:1]); err != nil || !changed {
			t.Fatalf("changed %v, %v", changed, err)
		}
		got, _ := os.ReadFile(filepath.Join(root, ".env"))
		if !strings.HasSuffix(string(got), "REDIS_URL=redis://:pw@127.0.0.1:6579/0\n") {
			t.Fatalf("%q", got)
		}
		if st, _ := os.Stat(filepath.Join(root, ".env")); st.Mode().Perm() != 0o600 {
			t.Fatalf("mode %v", st.Mode())
		}
		if changed, err := MergeEnv(root, ".env", settings[:1]); err != nil || changed {
			t.Fatalf("second merge: changed %v, %v", changed, err)
		}
	})
	t.Run("existing file keeps its mode", func(t *testing.T) {
		root := t.TempDir()
		writeFile(t, filepath.Join(root, ".env"), "APP=1\n", 0o644)
		if _, err := MergeEnv(root, ".env", settings); err != nil {
			t.Fatal(err)
		}
		if st, _ := os.Stat(filepath.Join(root, ".env")); st.Mode().Perm() != 0o644 {
			t.Fatalf("mode %v; the user's 0644 was changed", st.Mode())
		}
	})
	t.Run("owner kept when run as root", func(t *testing.T) {
		if os.Getuid() != 0 {
			testenv.Missing(t, "this test needs root to own a file as another user: run it as root, as .ci/run does")
		}
		root := t.TempDir()
		path := filepath.Join(root, ".env")
		writeFile(t, path, "APP=1\n", 0o640)
		if err := os.Chown(path, 1234, 1234); err != nil {
			t.Fatal(err)
		}
		if _, err := MergeEnv(root, ".env", settings); err != nil {
			t.Fatal(err)
		}
		st, _ := os.Stat(path)
		if s := st.Sys().(*syscall.Stat_t); s.Uid != 1234 || s.Gid != 1234 || st.Mode().Perm() != 0o640 {
			t.Fatalf("now %d:%d %v; want 1234:1234 0640", s.Uid, s.Gid, st.Mode().Perm())
		}
	})
	t.Run("link inside the project is written through", func(t *testing.T) {
		root := t.TempDir()
		writeFile(t, filepath.Join(root, "config", "app.env"), "APP=1\n", 0o600)
		if err := os.Symlink("config/app.env", filepath.Join(root, ".env")); err != nil {
			t.Fatal(err)
		}
		if _, err := MergeEnv(root, ".env", settings); err != nil {
			t.Fatal(err)
		}
		if st, err := os.Lstat(filepath.Join(root, ".env")); err != nil || st.Mode()&os.ModeSymlink == 0 {
			t.Fatal(".env is no longer a link")
		}
		if got, _ := os.ReadFile(filepath.Join(root, "config", "app.env")); !strings.Contains(string(got), "REDIS_URL=") {
			t.Fatalf("target not written: %q", got)
		}
	})
	refused := []struct {
		name    string
		prepare func(t *testing.T, root, outside string) string // returns env_file
		want    any
	}{
		{"link out of the project", func(t *testing.T, root, outside string) string {
			writeFile(t, filepath.Join(outside, ".bashrc"), "alias ll='ls -l'\n", 0o644)
			if err := os.Symlink(filepath.Join(outside, ".bashrc"), filepath.Join(root, ".env")); err != nil {
				t.Fatal(err)
			}
			return ".env"
		}, new(*userfile.OutsideError)},
		{"path out of the project", func(t *testing.T, root, outside string) string {
			writeFile(t, filepath.Join(outside, ".bashrc"), "alias ll='ls -l'\n", 0o644)
			rel, _ := filepath.Rel(root, filepath.Join(outside, ".bashrc"))
			return rel
		}, new(*userfile.OutsideError)},
		{"read-only file", func(t *testing.T, root, _ string) string {
			writeFile(t, filepath.Join(root, ".env"), "APP=1\n", 0o400)
			return ".env"
		}, new(*userfile.ReadOnlyError)},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			root, outside := t.TempDir(), t.TempDir()
			envFile := tt.prepare(t, root, outside)
			snapshot := snapshotDirs(t, root, outside)
			_, err := MergeEnv(root, envFile, settings)
			if !errors.As(err, tt.want) || output.HintOf(err) == "" {
				t.Fatalf("err = %v; want %T with a fix", err, tt.want)
			}
			if now := snapshotDirs(t, root, outside); now != snapshot {
				t.Fatalf("files changed:\n%s\nwas:\n%s", now, snapshot)
			}
		})
	}
	t.Run("unsafe value refused, key named, value not", func(t *testing.T) {
		root := t.TempDir()
		writeFile(t, filepath.Join(root, ".env"), "APP=1\n", 0o600)
		_, err := MergeEnv(root, ".env", []services.Setting{{Key: "MINIO_ROOT_PASSWORD", Value: "it's\n`touch /tmp/pwned`"}})
		var ue *stack.UnsafeValueError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "MINIO_ROOT_PASSWORD") || strings.Contains(err.Error(), "pwned") {
			t.Fatalf("err = %v", err)
		}
		if got, _ := os.ReadFile(filepath.Join(root, ".env")); string(got) != "APP=1\n" {
			t.Fatalf(".env changed: %q", got)
		}
	})
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// snapshotDirs lists every file under dirs with its mode and content.
func snapshotDirs(t *testing.T, dirs ...string) string {
	t.Helper()
	var b strings.Builder
	for _, dir := range dirs {
		_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			data, _ := os.ReadFile(p)
			b.WriteString(p + " " + info.Mode().String() + " " + string(data) + "\n")
			return nil
		})
	}
	return b.String()
}

// A quote never closed would swallow the lines devstack writes after it.
func TestMergeEnvRefusesAnUnclosedQuote(t *testing.T) {
	in, err := os.ReadFile("testdata/merge/unclosed-quote.refused.env")
	if err != nil {
		t.Fatal(err)
	}
	_, err = mergeEnv(in, settings)
	var uq *UnclosedQuoteError
	if !errors.As(err, &uq) || uq.Line != 1 || uq.Key != "BROKEN" || uq.Hint() == "" {
		t.Fatalf("err = %v; want an UnclosedQuoteError for line 1 (BROKEN)", err)
	}
	// Nothing to change: no reason to refuse a file devstack leaves alone.
	done := "BROKEN=\"never closed\nREDIS_URL=redis://:pw@127.0.0.1:6579/0\n"
	if out, err := mergeEnv([]byte(done), settings[:1]); err != nil || string(out) != done {
		t.Fatalf("untouched file refused: %q %v", out, err)
	}
}
