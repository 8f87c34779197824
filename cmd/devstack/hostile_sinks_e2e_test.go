//go:build e2e

package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
)

// Issue 18, rule 2 (every sink has a grammar), tried as a hostile repository would, one
// case per row: each devstack.yaml below hands a string to another interpreter (the
// engine's mount syntax, a shell, git's argv, .devstack/secrets.env, a URL, OpenSearch's
// index API). Every command refuses it at load: exit 2 with the key and a fix, nothing
// created in the project or on the engine, the fake HOME unchanged, no marker file, no
// canary printed, and no request to the canary listener. Run on Docker, and on Podman
// with DOCKER_HOST=unix:///run/podman/podman.sock (row 1 broke on Podman).
func TestHostileSinksAreRefusedAtLoad(t *testing.T) {
	requireEngine(t) // a refusal that failed would start containers: this must see them
	home, outside := victimHome(t)
	marker := filepath.Join(outside, "pwned")
	// A shell script a child bash would run if BASH_ENV reached it.
	if err := os.WriteFile(filepath.Join(outside, "evil.sh"), []byte("touch "+marker+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	const canary = "BEGIN OPENSSH PRIVATE KEY" // in the fake HOME's ~/.ssh/id_ed25519

	// canary listener: row 9 tries to make the probe talk to it.
	var stolen atomic.Int32
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { stolen.Add(1) })}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })

	const app = "  app:\n    image: \"ghcr.io/org/app:1\"\n    ports: [{name: http, container: 8080}]\n"
	up := [][]string{{"bootstrap", "--skip-doctor"}, {"up"}, {"env"}, {"env", "--format", "shell"}, {"status"}}
	attacks := []struct {
		name string
		yaml string
		cmds [][]string
		want string // in stderr, with "fix:"
		repo bool   // the project holds a git repository at ./repo
	}{
		{name: "row 1: mount options after a custom volume's path (Podman bound HOME)",
			yaml: "services:\n" + app + "    volume: \"/data,src={{HOME}},dst=/h\"\n    probe: {http: {path: /health}}\n",
			cmds: up, want: "services.app.volume"},
		{name: "row 1: short mount syntax in a custom volume",
			yaml: "services:\n" + app + "    volume: \"{{HOME}}:/data:rw\"\n    probe: {http: {path: /health}}\n",
			cmds: up, want: "services.app.volume"},
		{name: "row 3: BASH_ENV as a connection key",
			yaml: "services:\n  redis:\n    connection:\n      BASH_ENV: \"{{OUT}}/evil.sh\"\n",
			cmds: up, want: "connection.BASH_ENV"},
		{name: "row 3: PROMPT_COMMAND as a custom service's connection key",
			yaml: "services:\n" + app + "    probe: {http: {path: /health}}\n    connection:\n      PROMPT_COMMAND: \"touch {{OUT}}/pwned\"\n",
			cmds: up, want: "connection.PROMPT_COMMAND"},
		{name: "row 3: PATH as a connection key",
			yaml: "services:\n  redis:\n    connection:\n      PATH: \"{{OUT}}\"\n",
			cmds: up, want: "connection.PATH"},
		{name: "row 4: a git ref that is an option to git",
			yaml: "services: {minio: {}}\nfixtures:\n  - service: minio\n    source: \"git::https://127.0.0.1:1/r.git?ref=--pathspec-from-file={{HOME}}/.ssh/id_ed25519\"\n",
			cmds: [][]string{{"bootstrap", "--skip-doctor"}, {"up"}, {"fixtures"}}, want: "fixtures[0].source"},
		{name: "row 4: the same against a local repository, which git would clone offline",
			yaml: "services: {minio: {}}\nfixtures:\n  - service: minio\n    source: \"git::./repo?ref=--pathspec-from-file={{HOME}}/.ssh/id_ed25519\"\n",
			cmds: [][]string{{"bootstrap", "--skip-doctor"}, {"fixtures"}}, want: "fixtures[0].source", repo: true},
		{name: "row 4: a git host that is an option to ssh",
			yaml: "services: {minio: {}}\nfixtures:\n  - service: minio\n    source: \"git::ssh://-oProxyCommand=sh/r.git\"\n",
			cmds: [][]string{{"bootstrap", "--skip-doctor"}, {"fixtures"}}, want: "fixtures[0].source"},
		{name: "row 8: a secret name with a newline becomes a line of secrets.env",
			yaml: "services:\n  redis:\n    connection:\n      APP_PASSWORD: \"{secret:X\\nREDIS_PASSWORD=chosen}\"\n",
			cmds: up, want: "connection.APP_PASSWORD"},
		{name: "row 8: the same in env:",
			yaml: "services:\n  redis:\n    env:\n      APP_PASSWORD: \"${secret:X\\nREDIS_PASSWORD=chosen}\"\n",
			cmds: up, want: "env.APP_PASSWORD"},
		{name: "row 9: a probe path that names another host",
			yaml: "services:\n" + app + "    probe: {http: {path: \"@{{CANARY}}/steal\"}}\n",
			cmds: up, want: "probe.http.path"},
		{name: "index row: index * on an OpenSearch fixture (stand-in image on this machine)",
			yaml: "services: {opensearch: {}}\nfixtures:\n  - {service: opensearch, source: ./data, index: \"*\"}\n",
			cmds: [][]string{{"bootstrap", "--skip-doctor"}, {"up"}, {"fixtures"}, {"fixtures", "--reset"}}, want: "fixtures[0].index"},
		{name: "index row: _all on an OpenSearch fixture",
			yaml: "services: {opensearch: {}}\nfixtures:\n  - {service: opensearch, source: ./data, index: _all}\n",
			cmds: [][]string{{"fixtures", "--reset"}}, want: "fixtures[0].index"},
	}
	for i, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			dir := t.TempDir()
			project := fmt.Sprintf("hostile-sink-%d-%d", os.Getpid(), i)
			expand := strings.NewReplacer("{{OUT}}", outside, "{{HOME}}", home, "{{CANARY}}", ln.Addr().String()).Replace
			yaml := "project: " + project + "\n" + expand(a.yaml)
			if err := os.WriteFile(filepath.Join(dir, "devstack.yaml"), []byte(yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "data", "docs.ndjson"), []byte("{\"index\":{\"_id\":\"1\"}}\n{\"x\":1}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if a.repo {
				repo := filepath.Join(dir, "repo")
				if err := os.MkdirAll(repo, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(repo, "a.txt"), []byte("fixture\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				gitRepo(t, repo)
			}
			before, project0 := snapshot(t, home, outside), snapshot(t, dir)
			env := []string{"HOME=" + home}
			for _, args := range a.cmds {
				r := invocation{dir: dir, extraEnv: env}.run(t, args...)
				if r.code != 2 {
					t.Errorf("devstack %s: exit %d, want 2\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
				}
				if !strings.Contains(r.stderr, a.want) || !strings.Contains(r.stderr, "fix:") {
					t.Errorf("devstack %s: the error must name %q and say how to fix it:\n%s", strings.Join(args, " "), a.want, r.stderr)
				}
				for _, leak := range []string{canary, "chosen"} {
					if strings.Contains(r.stdout+r.stderr, leak) {
						t.Errorf("devstack %s printed %q:\n%s%s", strings.Join(args, " "), leak, r.stdout, r.stderr)
					}
				}
			}
			// What the user would do: eval the shell form, then start a shell from it.
			sh := exec.Command("bash", "-c", "eval \"$("+binary+" env --format shell 2>/dev/null)\"; bash -c true")
			sh.Dir, sh.Env = dir, append(os.Environ(), env...)
			_ = sh.Run() // exit status is devstack's refusal; what counts is what ran
			if _, err := os.Stat(marker); err == nil {
				t.Errorf("the repository's command ran")
				os.Remove(marker)
			}
			sameSnapshot(t, before, snapshot(t, home, outside))
			sameSnapshot(t, project0, snapshot(t, dir)) // no .devstack, no .env, nothing
			if n := stolen.Load(); n != 0 {
				t.Errorf("the canary listener got %d requests", n)
			}
			noEngineObjects(t, project)
		})
	}
}

// noEngineObjects fails when the engine holds a container, volume or network whose name
// carries project: a refused configuration creates nothing.
func noEngineObjects(t *testing.T, project string) {
	t.Helper()
	api := dockerAPI(t)
	ctx := context.Background()
	ctrs, err := api.ContainerList(ctx, container.ListOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	vols, err := api.VolumeList(ctx, volume.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	nets, err := api.NetworkList(ctx, network.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range ctrs {
		names = append(names, c.Names...)
	}
	for _, v := range vols.Volumes {
		names = append(names, v.Name)
	}
	for _, n := range nets {
		names = append(names, n.Name)
	}
	for _, n := range names {
		if strings.Contains(n, project) {
			t.Errorf("a refused configuration left %s on the engine", n)
		}
	}
}
