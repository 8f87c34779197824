//go:build e2e

package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type doctorJSON struct {
	OK     bool `json:"ok"`
	Checks []struct {
		Name       string `json:"name"`
		Kind       string `json:"kind"`
		Status     string `json:"status"`
		Required   bool   `json:"required"`
		Version    string `json:"version"`
		Constraint string `json:"constraint"`
		Path       string `json:"path"`
		Message    string `json:"message"`
		Fix        string `json:"fix"`
		From       string `json:"from"`
	} `json:"checks"`
	Note string `json:"note"`
}

type want struct {
	status, version, path, message string
}

// usesCompose is a project whose own scripts call Compose, so it says so under tools:;
// the variants below run in it unless they bring their own devstack.yaml.
const usesCompose = "tools:\n  compose: \">=2.0\"\n"

// noFile runs a case with no devstack.yaml at all.
const noFile = "-"

func TestDoctorToolVariants(t *testing.T) {
	tests := []struct {
		name   string
		tools  map[string]string
		config string
		want   map[string]want
	}{
		{
			name:  "healthy toolchain: npm warnings on stderr ignored, -desktop suffix and +dfsg accepted",
			tools: healthy,
			want: map[string]want{
				"python": {status: "ok", version: "3.11.7", path: "python3"}, "pipenv": {status: "ok", version: "2024.4.0"},
				"node": {status: "ok", version: "20.20.2"}, "npm": {status: "ok", version: "10.8.2"},
				"docker": {status: "ok", version: "20.10.24+dfsg1"}, "compose": {status: "ok", version: "v2.31.0-desktop.2"},
				"imagemagick": {status: "ok", version: "7.1.2-10", path: "magick"}, "git": {status: "ok", version: "2.39.5"},
			},
		},
		{
			name:  "python 2 answers on stderr and is too old",
			tools: with(healthy, map[string]string{"python3": "", "python": "python2-stderr"}),
			want:  map[string]want{"python": {status: "fail", version: "2.7.18", path: "python", message: "does not satisfy >=3.9"}},
		},
		{
			name:  "pyenv shim for an unselected version exits 127",
			tools: with(healthy, map[string]string{"python3": "pyenv-shim-127"}),
			want:  map[string]want{"python": {status: "fail", message: "exited with status 127: pyenv: python3: command not found"}},
		},
		{
			name:  "pipenv with its version on a second line",
			tools: with(healthy, map[string]string{"pipenv": "pipenv-split"}),
			want:  map[string]want{"pipenv": {status: "ok", version: "2023.8.19"}},
		},
		{
			name:  "node too old, and missing pipenv",
			tools: with(healthy, map[string]string{"node": "node-old", "pipenv": ""}),
			want: map[string]want{
				"node":   {status: "fail", version: "12.22.12", message: "does not satisfy >=14"},
				"pipenv": {status: "fail", message: "not found on PATH"},
			},
		},
		{
			name:  "no compose plugin: the --version trap is not taken, v1 is found and is too old",
			tools: with(healthy, map[string]string{"docker": "docker-no-plugin", "docker-compose": "docker-compose-v1"}),
			want: map[string]want{
				"docker":  {status: "fail", version: "17.03.0-ce", message: "does not satisfy >=20.10"},
				"compose": {status: "fail", version: "1.29.2", path: "docker-compose", message: "Compose v1"},
			},
		},
		{
			name:  "no compose at all, in a project that uses it",
			tools: with(healthy, map[string]string{"docker": "docker-no-plugin"}),
			want:  map[string]want{"compose": {status: "fail", message: "`docker compose version` exited with status 1"}},
		},
		{
			name:   "no compose at all, in a project that does not say it uses it: not needed, not run",
			tools:  with(healthy, map[string]string{"docker": "docker-no-plugin"}),
			config: "services:\n  redis: {}\n",
			want:   map[string]want{"compose": {status: "skip", message: "not needed by this project"}},
		},
		{
			name:   "a tool the project says it does not need is not run, even when broken",
			tools:  with(healthy, map[string]string{"git": "exit-3", "pipenv": ""}),
			config: "tools:\n  git: false\n  pipenv: {needed: false}\n",
			want: map[string]want{"git": {status: "skip", message: "not needed by this project"},
				"pipenv": {status: "skip", message: "not needed by this project"}},
		},
		{
			name:   "no devstack.yaml: the default stack's tools are advice, a missing one only warns",
			tools:  with(healthy, map[string]string{"pipenv": "", "node": "node-old", "docker": "docker-no-plugin"}),
			config: noFile,
			want: map[string]want{"pipenv": {status: "warn", message: "not found on PATH"},
				"node":    {status: "warn", version: "12.22.12", message: "does not satisfy >=14"},
				"compose": {status: "skip", message: "not needed"}},
		},
		{
			name:  "ImageMagick 6 through convert; Windows git",
			tools: with(healthy, map[string]string{"magick": "", "convert": "convert-6", "git": "git-windows"}),
			want: map[string]want{
				"imagemagick": {status: "ok", version: "6.9.11-60", path: "convert"},
				"git":         {status: "ok", version: "2.50.1.windows.1"},
			},
		},
		{
			name:   "Windows convert is a disk tool: no version, quoted; optional so only a warning",
			tools:  with(healthy, map[string]string{"magick": "", "convert": "convert-windows"}),
			config: "tools:\n  imagemagick: {required: false}\n",
			want:   map[string]want{"imagemagick": {status: "warn", message: `no version in its output: "Invalid Parameter - -version"`}},
		},
		{
			name:  "a tool that crashes",
			tools: with(healthy, map[string]string{"git": "exit-3"}),
			want:  map[string]want{"git": {status: "fail", message: "exited with status 3: segmentation fault"}},
		},
		{
			name:   "a tightened constraint from devstack.yaml",
			tools:  healthy,
			config: "tools:\n  node: \"^14 || >=22\"\n",
			want:   map[string]want{"node": {status: "fail", version: "20.20.2", message: "does not satisfy ^14 || >=22"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			config := tt.config
			if config == "" {
				config = usesCompose
			}
			if config != noFile {
				if err := os.WriteFile(filepath.Join(dir, "devstack.yaml"), []byte(config), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			bin := fakeTools(t, tt.tools)
			inv := invocation{dir: dir, env: []string{"PATH=" + bin, "HOME=" + dir, "DOCKER_HOST=" + os.Getenv("DOCKER_HOST")}}
			r := inv.run(t, "doctor", "--output", "json", "--timeout", "5s")
			var rep doctorJSON
			if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s\nstderr: %s", err, r.stdout, r.stderr)
			}
			got := map[string]int{}
			for i, c := range rep.Checks {
				got[c.Name] = i
			}
			anyFail := false
			for _, c := range rep.Checks {
				anyFail = anyFail || c.Status == "fail"
			}
			if anyFail == rep.OK || (r.code == 0) != rep.OK {
				t.Fatalf("ok=%v, exit %d, some check failed=%v", rep.OK, r.code, anyFail)
			}
			for name, w := range tt.want {
				i, ok := got[name]
				if !ok {
					t.Fatalf("no check %q in %s", name, r.stdout)
				}
				c := rep.Checks[i]
				if c.Status != w.status || c.Version != w.version || !strings.Contains(c.Message, w.message) {
					t.Errorf("%s: got status %q version %q message %q; want %q %q %q", name, c.Status, c.Version, c.Message, w.status, w.version, w.message)
				}
				if w.path != "" && c.Path != filepath.Join(bin, w.path) {
					t.Errorf("%s: path %q, want %q", name, c.Path, filepath.Join(bin, w.path))
				}
				if c.Status == "fail" && c.Fix == "" {
					t.Errorf("%s failed without a fix", name)
				}
				if c.Kind == "tool" && c.From == "" {
					t.Errorf("%s does not say where its requirement comes from", name)
				}
			}
		})
	}
}

func TestDoctorHungToolTimesOut(t *testing.T) {
	dir := t.TempDir()
	// A project's file: its tools are required (with no file they would only warn).
	if err := os.WriteFile(filepath.Join(dir, "devstack.yaml"), []byte("services:\n  redis: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := fakeTools(t, with(healthy, map[string]string{"git": "hang"}))
	inv := invocation{dir: dir, env: []string{"PATH=" + bin, "HOME=" + dir}}
	r := inv.run(t, "doctor", "--output", "json", "--timeout", "1s")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The hung script's own child (sleep 30) must be killed too, or doctor waits for it.
	if r.took > 4*time.Second {
		t.Fatalf("doctor took %s with a 1s timeout", r.took)
	}
	var rep doctorJSON
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	for _, c := range rep.Checks {
		if c.Name == "git" && (c.Status != "fail" || !strings.Contains(c.Message, "did not answer: timed out after 1s")) {
			t.Fatalf("git: %+v", c)
		}
	}
}

func TestDoctorStoppedDaemon(t *testing.T) {
	dir := t.TempDir()
	bin := fakeTools(t, healthy)
	inv := invocation{dir: dir, env: []string{"PATH=" + bin, "HOME=" + dir, "DOCKER_HOST=unix://" + filepath.Join(dir, "no-docker.sock")}}
	r := inv.run(t, "doctor")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1", r.code)
	}
	// Piped output: stable words, no colour codes.
	if !strings.Contains(r.stdout, "fail docker-daemon") || !strings.Contains(r.stdout, "fix: start Docker") || strings.Contains(r.stdout, "\x1b[") {
		t.Fatalf("stdout:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "skip disk") {
		t.Fatalf("disk should be skipped without a daemon:\n%s", r.stdout)
	}
}

// With every tool passing and the real engine answering, doctor exits 0; warnings (old
// engine, vm.max_map_count) do not change that.
func TestDoctorAllGoodExitsZero(t *testing.T) {
	requireEngine(t)
	dir := t.TempDir()
	bin := fakeTools(t, healthy)
	inv := invocation{dir: dir, env: []string{"PATH=" + bin, "HOME=" + dir, "DOCKER_HOST=" + os.Getenv("DOCKER_HOST")}}
	// The images check wants the planned images at hand: the ones this environment chose.
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "DEVSTACK_IMAGE_") {
			inv.env = append(inv.env, kv)
		}
	}
	r := inv.run(t, "doctor", "--output", "json")
	var rep doctorJSON
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if r.code != 0 || !rep.OK {
		t.Fatalf("exit %d ok=%v:\n%s", r.code, rep.OK, r.stdout)
	}
	for _, c := range rep.Checks {
		if c.Name == "docker-daemon" && (c.Status != "ok" || c.Version == "" || !strings.HasPrefix(c.Message, "API 1.")) {
			t.Fatalf("daemon: %+v", c)
		}
	}
}

func TestUsageAndConfigErrorsExitTwo(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "devstack.yaml"), []byte("project: x\nbnd: 127.0.0.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"doctor"}, `devstack.yaml:2:1: bnd: unknown key "bnd"`},
		{[]string{"doctor", "--output", "yaml", "--config", "/dev/null"}, `unknown output format "yaml"`},
		{[]string{"--output", "xml", "doctor"}, `unknown output format "xml"`},
		{[]string{"doctor", "--timeout", "soon"}, `--timeout "soon" is not a duration`},
		{[]string{"doctor", "--config", "missing.yaml"}, "missing.yaml: cannot be read"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"doctor", "extra"}, "unexpected argument extra"},
	}
	for _, tt := range tests {
		r := invocation{dir: dir}.run(t, tt.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
}

func TestVersionAndCompletion(t *testing.T) {
	r := invocation{}.run(t, "--version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "devstack version ") {
		t.Fatalf("--version: %d %q", r.code, r.stdout)
	}
	r = invocation{}.run(t, "completion", "bash")
	if r.code != 0 || !strings.Contains(r.stdout, "complete -o default -F _devstack_complete devstack") {
		t.Fatalf("completion bash: %d %q", r.code, r.stdout)
	}
	r = invocation{}.run(t, "--generate-bash-completion")
	if !strings.Contains(r.stdout, "doctor") {
		t.Fatalf("completion candidates: %q", r.stdout)
	}
}

// Issue 20: doctor passes a Redis-only project on a machine with no Compose. The PATH is
// a directory of links to only the real tools kept: this machine's docker CLI, which has
// no compose plugin (HOME is empty, so no ~/.docker/cli-plugins either), and no
// docker-compose. The project says what it uses; Compose is left out, so it is not needed.
func TestDoctorRedisOnlyWithoutCompose(t *testing.T) {
	requireEngine(t)
	dir := t.TempDir()
	bin := t.TempDir()
	for _, tool := range []string{"docker", "node", "npm", "git"} {
		real, err := exec.LookPath(tool)
		if err != nil {
			t.Skipf("SKIPPED: this machine has no %s to link (%v)", tool, err)
		}
		if err := os.Symlink(real, filepath.Join(bin, tool)); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{"PATH=" + bin, "HOME=" + dir, "DOCKER_HOST=" + os.Getenv("DOCKER_HOST")}
	// The precondition, checked rather than assumed: Compose is absent from this PATH.
	probe := exec.Command(filepath.Join(bin, "docker"), "compose", "version")
	probe.Env = env
	if out, err := probe.CombinedOutput(); err == nil {
		t.Fatalf("docker compose answers on this PATH, so this test proves nothing: %s", out)
	}
	if _, err := os.Stat(filepath.Join(bin, "docker-compose")); err == nil {
		t.Fatal("docker-compose is on this PATH")
	}
	// A high offset keeps the port check off other projects' ports.
	yaml := "offset: 23000\nservices:\n  redis: {}\ntools:\n  python: false\n  pipenv: false\n  imagemagick: false\n"
	if err := os.WriteFile(filepath.Join(dir, "devstack.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	if img := os.Getenv("DEVSTACK_IMAGE_REDIS"); img != "" {
		env = append(env, "DEVSTACK_IMAGE_REDIS="+img) // the images check wants it at hand
	}
	r := invocation{dir: dir, env: env}.run(t, "doctor", "--output", "json")
	var rep doctorJSON
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s\n%s", err, r.stdout, r.stderr)
	}
	if r.code != 0 || !rep.OK {
		t.Fatalf("exit %d ok=%v:\n%s", r.code, rep.OK, r.stdout)
	}
	seen := map[string]string{}
	for _, c := range rep.Checks {
		seen[c.Name] = c.Status
		if c.Name == "compose" && (c.Status != "skip" || c.Path != "" || !strings.Contains(c.Message, "not needed")) {
			t.Fatalf("compose: %+v", c)
		}
	}
	if seen["compose"] == "" || seen["docker"] != "ok" || seen["docker-daemon"] != "ok" || seen["python"] != "skip" {
		t.Fatalf("checks: %v", seen)
	}
}
