//go:build e2e

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// noEngine points devstack at an engine that cannot answer: a command that exits 2 with
// the expected configuration error under it never reached the engine.
var noEngine = []string{"DOCKER_HOST=unix:///nonexistent/devstack-test/docker.sock", "DEVSTACK_BIND=", "DEVSTACK_OFFSET="}

// A hostile devstack.yaml is refused by bootstrap and up (exit 2) before the engine is
// asked anything, and leaves the files it aimed at untouched.
func TestHostileConfigRefusedBeforeTheEngine(t *testing.T) {
	base := t.TempDir()
	home, project := filepath.Join(base, "home"), filepath.Join(base, "project")
	for _, d := range []string{home, project, filepath.Join(home, ".ssh")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bashrc := filepath.Join(home, ".bashrc")
	if err := os.WriteFile(bashrc, []byte("alias ll='ls -l'\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(home, ".ssh"), filepath.Join(project, "keys")); err != nil {
		t.Fatal(err)
	}
	env := append([]string{"HOME=" + home}, noEngine...)
	tests := []struct {
		name, yaml string
		env        []string
		want       []string
	}{
		{"bind from the file", "bind: 0.0.0.0\n", nil, []string{"devstack.yaml:1: bind: 0.0.0.0 would publish", "bypass the host firewall", "fix: ", "--bind 0.0.0.0"}},
		{"a LAN bind from the file", "bind: 192.168.1.20\n", nil, []string{"bind: 192.168.1.20 would publish"}},
		{"bind from the environment", "", []string{"DEVSTACK_BIND=0.0.0.0"}, []string{"environment: DEVSTACK_BIND: 0.0.0.0 would publish"}},
		{"env_file up and out", "env_file: ../home/.bashrc\n", nil, []string{"env_file: ../home/.bashrc", "outside the project", "--allow-outside"}},
		{"env_file absolute", "env_file: " + bashrc + "\n", nil, []string{"env_file: " + bashrc + " is outside the project"}},
		{"fixture through a link", "services:\n  minio:\nfixtures:\n  - {service: minio, source: ./keys}\n", nil, []string{"fixtures[0].source: ./keys leads to " + filepath.Join(home, ".ssh")}},
		{"fixture by file URL", "services:\n  minio:\nfixtures:\n  - {service: minio, source: \"file://" + home + "\"}\n", nil, []string{"outside the project"}},
		{"forced file getter", "services:\n  minio:\nfixtures:\n  - {service: minio, source: \"file::/etc\"}\n", nil, []string{"file:: sources are not fetched"}},
		{"weak checksum", "services:\n  minio:\nfixtures:\n  - {service: minio, source: \"https://example.org/a.tgz?checksum=md5:d41d8cd98f00b204e9800998ecf8427e\"}\n", nil, []string{"too weak"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.WriteFile(filepath.Join(project, "devstack.yaml"), []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, cmd := range []string{"bootstrap", "up"} {
				r := invocation{dir: project, extraEnv: append(append([]string{}, env...), tt.env...)}.run(t, cmd, "--no-color")
				if r.code != 2 {
					t.Fatalf("%s: exit %d; want 2\n%s", cmd, r.code, r.stderr)
				}
				for _, w := range tt.want {
					if !strings.Contains(r.stderr, w) {
						t.Errorf("%s: stderr lacks %q:\n%s", cmd, w, r.stderr)
					}
				}
				if strings.Contains(r.stderr, "nonexistent/devstack-test") {
					t.Errorf("%s reached for the engine: %s", cmd, r.stderr)
				}
			}
			if data, err := os.ReadFile(bashrc); err != nil || string(data) != "alias ll='ls -l'\n" {
				t.Fatalf(".bashrc changed: %q %v", data, err)
			}
		})
	}
}

// ports says, and doctor would too, that a bind from the file opens the services and
// will be refused by up.
func TestPortsWarnsOfABindFromTheFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "devstack.yaml"), []byte("offset: 3000\nbind: 0.0.0.0\nservices:\n  redis:\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := invocation{dir: dir, extraEnv: noEngine}.run(t, "ports", "-o", "json")
	var rep struct {
		Bind    string `json:"bind"`
		Warning string `json:"warning"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || r.code == 2 {
		t.Fatalf("exit %d %v %s %s", r.code, err, r.stdout, r.stderr)
	}
	if rep.Bind != "0.0.0.0" || !strings.Contains(rep.Warning, "devstack.yaml:2 (bind:)") || !strings.Contains(rep.Warning, "refuse it unless you type --bind 0.0.0.0") {
		t.Fatalf("warning %q", rep.Warning)
	}
}

// With the engine: bind 0.0.0.0 in the file is refused and creates nothing; typed on the
// command line, up goes ahead and warns.
func TestUpBindFromTheFileNeedsTheFlag(t *testing.T) {
	p := newStackProject(t, "bind: 0.0.0.0\nservices:\n  redis:\n")
	r := p.run("up", "-o", "json")
	if r.code != 2 || !strings.Contains(r.stderr, "bypass the host firewall") {
		t.Fatalf("up: exit %d; want 2: %s", r.code, r.stderr)
	}
	if st := p.run("status", "-o", "json"); !strings.Contains(st.stdout, `"missing"`) {
		t.Fatalf("a refused up created something: %s", st.stdout)
	}
	r = p.run("up", "--bind", "0.0.0.0", "-o", "json")
	var u upJSON
	if err := json.Unmarshal([]byte(r.stdout), &u); err != nil || r.code != 0 || !u.OK {
		t.Fatalf("up --bind 0.0.0.0: exit %d %v %s %s", r.code, err, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, `{"warning":"binding on 0.0.0.0 opens every service to the network`) {
		t.Fatalf("no warning: %q", r.stderr)
	}
}
