package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// What only a built-in's own file may say stays refused in devstack.yaml.
func TestCatalogKeysStayOutOfDevstackYAML(t *testing.T) {
	base := "services:\n  cache:\n    image: memcached:1.6\n    ports:\n      - {name: memcached, container: 11211}\n"
	for _, tt := range []struct{ extra, msg string }{
		{"    probe: {exec: [\"true\"]}\n    order: 5\n", `unknown key "order"`},
		{"    probe: {memcached: {port: memcached}}\n", `unknown probe "memcached"`},
		{"    probe: [{exec: [\"true\"]}]\n", "must name exactly one strategy"},
		{"    probe: {exec: [\"true\"]}\n    connection:\n      CACHE_URL: \"{addr:memcached}\"\n", "{addr:memcached} is not a reference devstack knows"},
	} {
		_, err := loadText(t, base+tt.extra)
		var ce *Error
		if !errors.As(err, &ce) || !strings.Contains(ce.Msg, tt.msg) {
			t.Errorf("%q: %v; want %q", tt.extra, err, tt.msg)
		}
	}
}

func loadText(t *testing.T, text string) (*Config, error) {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, FileName)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return Load(Options{Path: p, Dir: dir, Getenv: func(string) string { return "" }})
}
