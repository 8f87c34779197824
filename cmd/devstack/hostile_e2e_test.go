//go:build e2e

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The trust model, tried as an attacker writing a repository would: every devstack.yaml
// below tries to make devstack read or write outside the project, or open a port to the
// network, and each is refused before anything happens, with the user's files unchanged.

// fileState is what a snapshot keeps of one path.
type fileState struct {
	mode   fs.FileMode
	digest string // content, or a link's target
}

// snapshot records every path under the roots, so that any change to them shows.
func snapshot(t *testing.T, roots ...string) map[string]fileState {
	t.Helper()
	out := map[string]fileState{}
	for _, root := range roots {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			info, err := os.Lstat(p)
			if err != nil {
				return err
			}
			st := fileState{mode: info.Mode()}
			switch {
			case info.Mode()&fs.ModeSymlink != 0:
				st.digest, _ = os.Readlink(p)
			case info.Mode().IsRegular():
				data, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				sum := sha256.Sum256(data)
				st.digest = hex.EncodeToString(sum[:])
			}
			out[p] = st
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func sameSnapshot(t *testing.T, before, after map[string]fileState) {
	t.Helper()
	for p, b := range before {
		if a, ok := after[p]; !ok {
			t.Errorf("%s was removed", p)
		} else if a != b {
			t.Errorf("%s changed: %+v → %+v", p, b, a)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s was created", p)
		}
	}
}

// victimHome is a home directory with what an attacker wants: keys and a shell profile.
func victimHome(t *testing.T) (home, outside string) {
	t.Helper()
	home, outside = t.TempDir(), t.TempDir()
	files := map[string]string{
		filepath.Join(home, ".bashrc"):              "export PATH=$HOME/bin:$PATH\n",
		filepath.Join(home, ".ssh", "id_ed25519"):   "-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n",
		filepath.Join(outside, "victim.env"):        "KEEP=1\n",
		filepath.Join(outside, "data", "seed.sql"):  "CREATE TABLE stolen (x int);\n",
		filepath.Join(outside, "data", "note.json"): "{}\n",
	}
	for p, data := range files {
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return home, outside
}

func TestHostileRepositoryIsRefused(t *testing.T) {
	home, outside := victimHome(t)
	lan := nonLoopbackAddr()
	type attack struct {
		name  string
		yaml  string
		links map[string]string // project path → target
		files map[string]string // project path → content, written before the links
		cmds  [][]string
		want  string // in stderr
	}
	all := [][]string{{"bootstrap", "--skip-doctor"}, {"up"}, {"fixtures"}, {"env"}}
	attacks := []attack{
		{name: "env_file climbs out", yaml: "env_file: {{REL}}/victim.env\n", cmds: all, want: "env_file"},
		{name: "env_file absolute", yaml: "env_file: {{OUT}}/victim.env\n", cmds: all, want: "env_file"},
		{name: "env_file is the user's bashrc", yaml: "env_file: {{HOME}}/.bashrc\n", cmds: all, want: "env_file"},
		{name: ".env links out", yaml: "env_file: .env\n", links: map[string]string{".env": "{{OUT}}/victim.env"}, cmds: all, want: "env_file"},
		{name: "fixture climbs out", yaml: "fixtures:\n  - {service: minio, source: {{REL}}/data}\n", cmds: all, want: "source"},
		{name: "fixture reads the user's keys", yaml: "fixtures:\n  - {service: minio, source: {{HOME}}/.ssh}\n", cmds: all, want: "source"},
		{name: "fixture file URL", yaml: "fixtures:\n  - {service: minio, source: \"file://{{HOME}}/.ssh\"}\n", cmds: all, want: "source"},
		{name: "fixture forced file getter", yaml: "fixtures:\n  - {service: minio, source: \"file::{{HOME}}/.ssh\"}\n", cmds: all, want: "source"},
		{name: "fixture through a link", yaml: "fixtures:\n  - {service: minio, source: ./keys}\n", links: map[string]string{"keys": "{{HOME}}/.ssh"}, cmds: all, want: "source"},
		{name: "fixture single file out", yaml: "fixtures:\n  - {service: postgres, source: {{OUT}}/data/seed.sql}\n", cmds: all, want: "source"},
		{name: "fixture local git repo out", yaml: "fixtures:\n  - {service: minio, source: \"git::file://{{OUT}}/data\"}\n", cmds: all, want: "source"},
		{name: "bind to every interface", yaml: "bind: 0.0.0.0\n", cmds: [][]string{{"bootstrap", "--skip-doctor"}, {"up"}}, want: "--bind"},
		{name: "bind to every IPv6 interface", yaml: "bind: \"::\"\n", cmds: [][]string{{"bootstrap", "--skip-doctor"}, {"up"}}, want: "--bind"},
	}
	if lan != "" {
		attacks = append(attacks, attack{name: "bind to the LAN address", yaml: "bind: " + lan + "\n",
			cmds: [][]string{{"bootstrap", "--skip-doctor"}, {"up"}}, want: "--bind"})
	}
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			dir := t.TempDir()
			rel, err := filepath.Rel(dir, outside)
			if err != nil {
				t.Fatal(err)
			}
			expand := strings.NewReplacer("{{REL}}", rel, "{{OUT}}", outside, "{{HOME}}", home).Replace
			yaml := "project: hostile\nservices: {redis: {}, postgres: {}, minio: {}}\n" + expand(a.yaml)
			if err := os.WriteFile(filepath.Join(dir, "devstack.yaml"), []byte(yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			for p, content := range a.files {
				path := filepath.Join(dir, p)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(expand(content)), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for p, target := range a.links {
				if err := os.Symlink(expand(target), filepath.Join(dir, p)); err != nil {
					t.Fatal(err)
				}
			}
			before := snapshot(t, home, outside)
			for _, args := range a.cmds {
				r := invocation{dir: dir, extraEnv: []string{"HOME=" + home}}.run(t, args...)
				if r.code != 2 {
					t.Errorf("devstack %s: exit %d, want 2\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
					continue
				}
				if !strings.Contains(r.stderr, a.want) || !strings.Contains(r.stderr, "fix:") {
					t.Errorf("devstack %s: the error must name %q and say how to fix it:\n%s", strings.Join(args, " "), a.want, r.stderr)
				}
			}
			sameSnapshot(t, before, snapshot(t, home, outside))
			if _, err := os.Stat(filepath.Join(dir, ".devstack")); err == nil {
				t.Errorf("a refused command left state behind in the project")
			}
		})
	}
}

// TestConfigErrorsKeepSecrets: pointing --config at a .env must not print its values.
func TestConfigErrorsKeepSecrets(t *testing.T) {
	dir := t.TempDir()
	secret := "s3cr3t-Value-never-shown-0123456789"
	env := "API_TOKEN=" + secret + "\nDATABASE_PASSWORD: " + secret + "\n"
	if err := os.WriteFile(filepath.Join(dir, ".env"), []byte(env), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"doctor", "--config", ".env"}, {"env", "--config", ".env", "-o", "json"}} {
		r := invocation{dir: dir}.run(t, args...)
		if r.code != 2 {
			t.Errorf("devstack %s: exit %d, want 2: %s", strings.Join(args, " "), r.code, r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, secret[:12]) {
			t.Errorf("devstack %s printed the file's secret:\n%s%s", strings.Join(args, " "), r.stdout, r.stderr)
		}
	}
}

// TestHostileValuesExecuteNothing: values a repository chose reach .env and `devstack
// env`; sourcing either in bash runs nothing and gives back the value exactly.
func TestHostileValuesExecuteNothing(t *testing.T) {
	home, outside := victimHome(t)
	pwned := filepath.Join(outside, "pwned")
	value := fmt.Sprintf("`touch %s`$(touch %s)'\"#\\ ${HOME} x", pwned, pwned)
	p := newStackProject(t, fmt.Sprintf("services:\n  redis:\n    env:\n      REDIS_PASSWORD: %q\n", value))
	before := snapshot(t, home)
	r := invocation{dir: p.dir, extraEnv: []string{"HOME=" + home}}.run(t, "bootstrap", "--skip-doctor")
	if r.code != 0 {
		t.Fatalf("bootstrap: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	want := p.env()["REDIS_URL"]
	if !strings.Contains(want, "touch") {
		t.Fatalf("REDIS_URL does not carry the repository's password: %q", want)
	}
	for name, script := range map[string]string{
		".env":                 "set -a; . ./.env; set +a; printf %s \"$REDIS_URL\"",
		"devstack env --shell": "eval \"$(" + binary + " env --format shell)\"; printf %s \"$REDIS_URL\"",
	} {
		cmd := exec.Command("bash", "-c", script)
		cmd.Dir = p.dir
		cmd.Env = append(os.Environ(), "HOME="+home)
		var stderr strings.Builder
		cmd.Stderr = &stderr // devstack's own warnings (the overridden credential) go here
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: bash: %v\n%s%s", name, err, out, stderr.String())
		}
		if string(out) != want {
			t.Errorf("%s: bash read REDIS_URL=%q, want %q", name, out, want)
		}
		if _, err := os.Stat(pwned); err == nil {
			t.Fatalf("%s: sourcing it ran the repository's command", name)
		}
	}
	sameSnapshot(t, before, snapshot(t, home))
}

// nonLoopbackAddr is an IPv4 address of this machine that is not loopback, or "".
func nonLoopbackAddr() string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return ""
	}
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil && !ipn.IP.IsLoopback() && ipn.IP.IsGlobalUnicast() {
			return ipn.IP.String()
		}
	}
	return ""
}
