package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/services"
)

// What only a built-in's own file may say stays refused in devstack.yaml.
func TestCatalogKeysStayOutOfDevstackYAML(t *testing.T) {
	base := "services:\n  cache:\n    image: memcached:1.6\n    ports:\n      - {name: memcached, container: 11211}\n"
	for _, tt := range []struct{ extra, msg string }{
		{"    probe: {exec: [\"true\"]}\n    order: 5\n", `unknown key "order"`},
		{"    probe: {memcached: {port: memcached}}\n", `unknown probe "memcached"`},
		{"    probe: [{exec: [\"true\"]}]\n", "must name exactly one strategy"},
		{"    probe: {exec: [\"true\"]}\n    connection:\n      CACHE_URL: \"{addr:memcached}\"\n", "{addr:memcached} is not a reference devstack knows"},
		{"    probe: {exec: [\"true\"]}\n    connection:\n      CACHE_URL: \"{userinfo:A:B}\"\n", "{userinfo:A:B} is not a reference devstack knows"},
		{"    probe: {exec: [\"true\"]}\n    ulimits: [{name: nofile, soft: 1, hard: 1}]\n", `unknown key "ulimits"`},
		{"    probe: {exec: [\"true\"]}\n    fixtures: {kind: postgres, files: x}\n", `unknown key "fixtures"`},
		{"    probe: {http: {port: memcached, body: cluster-health}}\n", `unknown key "body"`},
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

// What a built-in's file says beyond a custom service's keys, and the mistakes in it.
func TestBuiltinOnlyKeys(t *testing.T) {
	base := "order: 5\nimage: x:1\nports:\n  - {name: http, container: 80}\nprobe: {http: {}}\n"
	for _, tt := range []struct{ text, msg string }{
		{base + "fixtures: {kind: x, files: \"*\", keys: [{key: db, check: nope}]}\n", `"nope" is not a check devstack knows`},
		{base + "fixtures: {kind: x}\n", "needs kind: and files:"},
		{base + "upgrade: {version_env: V}\n", "needs move:"},
		{base + "upgrade: {move: \"{host}\"}\n", "{host} is not a reference devstack knows"},
		{base + "upgrade: {move: m, version_files: nope}\n", `no version files hook "nope"`},
		{base + "mount_for: nope\n", `no mount hook "nope"`},
		{base + "command: [a, \"{port:http}\"]\n", "{port:http} is not a reference a command resolves"},
		{base + "ulimits: {nofile: 1}\n", "must be a list"},
		{base + "connection:\n  X_URL: \"{secret:X}\"\n", "{secret:X} is not a reference devstack knows"},
	} {
		_, err := decodeBuiltin("x", []byte(tt.text))
		if err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%q: %v; want %q", tt.text, err, tt.msg)
		}
	}
	s, err := decodeBuiltin("x", []byte(base+`env:
  U: devstack
  P: "${secret:P}"
  D: "a b/c"
command: [srv, "--user={env:U}", [--pass, "{env:P}"]]
ulimits: [{name: nofile, soft: 1, hard: 2}]
host_checks: [{sysctl: vm.x, min: 3, for: X, fix: f}]
after_ready: step
upgrade: {version_env: V, move: "docker exec {container} dump"}
fixtures: {kind: x, files: "*.sql files", keys: [{key: database, default: own, check: postgres-name}]}
connection:
  X_URL: "x://{userinfo:U:P}@{addr:http}/{path:D}"
  X_AUTH: "x://{auth:=default:P}{host}"
  X_USER: "{env:U}"
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.Cmd(map[string]string{"U": "u", "P": "p"}), " "); got != "srv --user=u --pass p" {
		t.Errorf("cmd %q", got)
	}
	if got := strings.Join(s.Cmd(map[string]string{"U": "u"}), " "); got != "srv --user=u" {
		t.Errorf("cmd without P %q", got)
	}
	if len(s.Ulimits) != 1 || s.Ulimits[0] != (services.Ulimit{Name: "nofile", Soft: 1, Hard: 2}) ||
		len(s.HostChecks) != 1 || s.HostChecks[0].Min != 3 || s.AfterReady != "step" {
		t.Errorf("%+v", s)
	}
	if s.Upgrade == nil || s.Upgrade.VersionEnv != "V" || s.Upgrade.Move("ctr") != "docker exec ctr dump" {
		t.Errorf("upgrade %+v", s.Upgrade)
	}
	if f := s.Fixtures; f == nil || f.Kind != "x" || len(f.Keys) != 1 || f.Keys[0].Check("ok_name") != nil || f.Keys[0].Check("Not Ok") == nil {
		t.Errorf("fixtures %+v", f)
	}
	ep := services.Endpoint{Host: "::1", Ports: map[string]int{"http": 8080}, Env: map[string]string{"U": "u@x", "P": "p/w:%", "D": "a b/c"}}
	got := map[string]services.Setting{}
	for _, st := range s.Connection(ep) {
		got[st.Key] = st
	}
	if st := got["X_URL"]; st.Value != "x://u%40x:p%2Fw%3A%25@[::1]:8080/a%20b/c" || !st.Secret {
		t.Errorf("X_URL %+v", st)
	}
	if st := got["X_AUTH"]; st.Value != "x://default:p%2Fw%3A%25@::1" || !st.Secret {
		t.Errorf("X_AUTH %+v", st)
	}
	if st := got["X_USER"]; st.Secret {
		t.Errorf("X_USER %+v", st)
	}
	ep.Env["P"] = ""
	for _, st := range s.Connection(ep) {
		if st.Key == "X_AUTH" && st.Value != "x://::1" {
			t.Errorf("X_AUTH without a password %q", st.Value)
		}
	}
}
