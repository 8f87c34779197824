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

// A built-in's file is held to the decoder's rules, and to a name rule that exists.
func TestBuiltinFileErrors(t *testing.T) {
	base := "order: 5\nimage: x:1\nports:\n  - {name: http, container: 80}\nprobe: {http: {}}\n"
	for _, tt := range []struct{ text, msg string }{
		{base + "env: {A_NAME: \"${project:nope}\"}\n", `no name rule "nope"`},
		{base + "colour: blue\n", `unknown key "colour"`},
		{base + "connection:\n  X_URL: \"{project}\"\n", "{project} is not a reference devstack knows"},
	} {
		_, err := decodeBuiltin("x", []byte(tt.text))
		if err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%q: %v; want %q", tt.text, err, tt.msg)
		}
	}
	s, err := decodeBuiltin("x", []byte(base+"optional: true\ninit_once: true\nvolume: /data\n"))
	if err != nil || s.Order != 5 || !s.Optional || !s.InitOnce || s.Mount != "/data" {
		t.Fatalf("%v %+v", err, s)
	}
}
