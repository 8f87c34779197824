package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad: whatever bytes devstack.yaml holds, loading it never panics, and every
// refusal is a config.Error (exit 2, with a line and a fix), never a crash or a bare error.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	root := f.TempDir()
	path := filepath.Join(root, FileName)
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := fromBytes(path, root, data, Options{Getenv: func(string) string { return "" }, Publish: true})
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("not a config.Error: %T %v", err, err)
			}
			return
		}
		if !cfg.Loopback() && cfg.BindFrom != FromFlag {
			t.Fatalf("bind %s from %s accepted for a command that publishes", cfg.Bind, cfg.BindFrom)
		}
		if err := cfg.ValidateOffset(cfg.Offset); err != nil {
			t.Fatalf("accepted offset: %v", err)
		}
	})
}
