package bootstrap

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/userfile"
)

// A directory name that YAML reads as something else must still come back as the name.
func TestInitQuotesTheProjectName(t *testing.T) {
	for _, dir := range []string{"null", "true", "yes", "no", "123", "1e3", "0x1f", "1.5", "on", "nan"} {
		t.Run(dir, func(t *testing.T) {
			root := filepath.Join(t.TempDir(), dir)
			if err := os.Mkdir(root, 0o755); err != nil {
				t.Fatal(err)
			}
			if _, err := Init(context.Background(), InitOptions{Root: root}); err != nil {
				t.Fatal(err)
			}
			cfg, err := config.Load(config.Options{Dir: root, Getenv: func(string) string { return "" }})
			if err != nil {
				t.Fatalf("the written file does not load: %v", err)
			}
			if cfg.Project != dir {
				t.Fatalf("project %q, want %q", cfg.Project, dir)
			}
		})
	}
}

// Ctrl-C before init writes (e.g. during --from-machine's probes): nothing is written.
func TestInitAfterCancelWritesNothing(t *testing.T) {
	root := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Init(ctx, InitOptions{Root: root}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want context.Canceled", err)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Fatalf("wrote %v after Ctrl-C", entries)
	}
}

// Two inits at once used to truncate .gitignore and write it again: a 108 KB file was
// lost in 4 runs of 300. Now it is replaced whole, so no reader ever sees it shorter.
func TestConcurrentInitsKeepTheGitignore(t *testing.T) {
	big := strings.Repeat("node_modules/\n*.log\n/build/\n", 108<<10/27)
	for round := 0; round < 30; round++ {
		root := t.TempDir()
		writeFile(t, filepath.Join(root, ".gitignore"), big, 0o644)
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _ = Init(context.Background(), InitOptions{Root: root, Force: true})
			}()
		}
		// A reader racing the writers, as git status would.
		for i := 0; i < 20; i++ {
			if got, err := os.ReadFile(filepath.Join(root, ".gitignore")); err == nil && !strings.HasPrefix(string(got), big) {
				t.Fatalf("round %d: .gitignore read as %d bytes, lost the user's %d", round, len(got), len(big))
			}
		}
		wg.Wait()
		got, _ := os.ReadFile(filepath.Join(root, ".gitignore"))
		if !strings.HasPrefix(string(got), big) || strings.Count(string(got), ".devstack/") < 1 {
			t.Fatalf("round %d: .gitignore is %d bytes", round, len(got))
		}
	}
}

func TestInitForceRefusesALinkOut(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	target := filepath.Join(outside, "devstack.yaml")
	writeFile(t, target, "# someone else's file\n", 0o644)
	if err := os.Symlink(target, filepath.Join(root, config.FileName)); err != nil {
		t.Fatal(err)
	}
	_, err := Init(context.Background(), InitOptions{Root: root, Force: true})
	var oe *userfile.OutsideError
	if !errors.As(err, &oe) {
		t.Fatalf("err = %v; want an OutsideError", err)
	}
	if got, _ := os.ReadFile(target); string(got) != "# someone else's file\n" {
		t.Fatalf("the file outside changed: %q", got)
	}
}
