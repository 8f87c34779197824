package main

// In-process unit tests of the stack commands: each runs its run function over a
// factory whose engine is internal/enginetest's fake, and whose streams are buffers.
// The end-to-end tests beside them run the binary against the real engine.

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/internal/enginetest"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/state"
)

// unit is one in-process run: the factory, its buffers and the project directory.
type unit struct {
	e         *env
	out, errb *bytes.Buffer
	root      string
}

// unitRoots are the checkouts made for each fake engine: every unit of one name over one
// engine is the same checkout, as when a user runs several commands in one directory.
var unitRoots sync.Map // unitKey → string

type unitKey struct {
	f    *enginetest.Fake
	name string
}

// unitRoot is the checkout of testdata/unit/NAME for the fake engine f, copied into a
// fresh directory the first time.
func unitRoot(t *testing.T, f *enginetest.Fake, name string) string {
	t.Helper()
	if root, ok := unitRoots.Load(unitKey{f, name}); ok {
		return root.(string)
	}
	root := t.TempDir()
	if err := os.CopyFS(root, os.DirFS(filepath.Join("testdata", "unit", name))); err != nil {
		t.Fatal(err)
	}
	unitRoots.Store(unitKey{f, name}, root)
	return root
}

// unitID is the identity of the checkout unitRoot made for f: what its objects are
// named after (project unit).
func unitID(t *testing.T, f *enginetest.Fake, name string) string {
	t.Helper()
	real, err := filepath.EvalSymlinks(unitRoot(t, f, name))
	if err != nil {
		t.Fatal(err)
	}
	return config.DeriveIdentity("unit", real).ID
}

// named puts the identity of f's cache checkout in place of "unit-" in s: the fake's
// record and the tests' expectations name objects as unit-SERVICE.
func named(t *testing.T, f *enginetest.Fake, s string) string {
	t.Helper()
	return strings.ReplaceAll(s, "unit-", unitID(t, f, "cache")+"-")
}

// newUnit builds a factory over the checkout of testdata/unit/NAME for f: an empty
// environment, the fake engine f, and output in format.
func newUnit(t *testing.T, name string, f *enginetest.Fake, format output.Format) *unit {
	t.Helper()
	root := unitRoot(t, f, name)
	streams, out, errb := output.Test()
	e := &env{streams: streams, getenv: func(string) string { return "" },
		connect:  func(context.Context) (Engine, error) { return f, nil },
		discover: func() (engine.Endpoint, error) { return f.At, nil },
		cfgPath:  filepath.Join(root, "devstack.yaml")}
	e.printer = output.NewPrinter(streams, output.Options{Format: format})
	return &unit{e: e, out: out, errb: errb, root: root}
}

// code is the exit code devstack would end with, having printed err as it would.
func (u *unit) code(err error) int { return exitCode(context.Background(), u.e.printer, err) }

// cacheUp is the fake engine with the cache project already up.
func cacheUp(t *testing.T) *enginetest.Fake {
	t.Helper()
	f := enginetest.New()
	f.LocalImage("memcached:1.6", nil)
	u := newUnit(t, "cache", f, output.JSON)
	if err := runUp(context.Background(), upOptions{env: u.e}); err != nil {
		t.Fatalf("up: %v\n%s", err, u.errb)
	}
	return f
}

func TestUpInProcess(t *testing.T) {
	type service struct {
		Name   string `json:"name"`
		Action string `json:"action"`
		Ready  bool   `json:"ready"`
		Error  string `json:"error"`
	}
	tests := []struct {
		name      string
		setup     func(f *enginetest.Fake)
		opts      upOptions
		wantCode  int
		wantCalls string // the fake's record of what changed, after setup
		want      service
		wantErr   string // on stderr
	}{
		{name: "creates what the plan says and waits on its probe",
			wantCalls: "network unit-devstack; volume unit-cache-data; create unit-cache; start unit-cache; exec id1 sh -c true",
			want:      service{Name: "cache", Action: "created", Ready: true}},
		{name: "a running container with the same spec is left alone",
			setup: func(f *enginetest.Fake) {
				u := newUnit(t, "cache", f, output.JSON)
				if err := runUp(context.Background(), upOptions{env: u.e, noWait: true}); err != nil {
					t.Fatal(err)
				}
			},
			wantCalls: "network unit-devstack; exec id1 sh -c true",
			want:      service{Name: "cache", Action: "unchanged", Ready: true}},
		{name: "--no-wait starts without probing",
			opts:      upOptions{noWait: true},
			wantCalls: "network unit-devstack; volume unit-cache-data; create unit-cache; start unit-cache",
			want:      service{Name: "cache", Action: "created"}},
		{name: "a probe that never answers fails the service: exit 1",
			setup:    func(f *enginetest.Fake) { f.ExecCode[named(t, f, "unit-cache")] = 1 },
			opts:     upOptions{timeout: 200 * time.Millisecond},
			wantCode: 1,
			want:     service{Name: "cache", Action: "created", Error: "not ready after 200ms"}},
		{name: "a negative --timeout is a usage error", opts: upOptions{timeout: -time.Second}, wantCode: 2,
			wantErr: "--timeout"},
		{name: "an unknown service is a usage error", opts: upOptions{services: []string{"nope"}}, wantCode: 2,
			wantErr: "nope"},
		{name: "an image neither here nor in a registry stops up before anything is made",
			setup: func(f *enginetest.Fake) { delete(f.Images, "memcached:1.6") }, wantCode: 1,
			wantErr: "memcached:1.6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := enginetest.New()
			f.LocalImage("memcached:1.6", nil)
			if tt.setup != nil {
				tt.setup(f)
			}
			before := f.CallLog()
			u := newUnit(t, "cache", f, output.JSON)
			opts := tt.opts
			opts.env = u.e
			code := u.code(runUp(context.Background(), opts))
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s", code, tt.wantCode, u.out, u.errb)
			}
			if tt.wantErr != "" {
				// The error is on stderr, and a failed result, with the same error, on stdout.
				var result struct {
					OK    *bool
					Error string
				}
				if err := json.Unmarshal(u.out.Bytes(), &result); err != nil || result.OK == nil || *result.OK ||
					!strings.Contains(result.Error, tt.wantErr) || !strings.Contains(u.errb.String(), tt.wantErr) {
					t.Fatalf("stderr %q, stdout %q: want %q in both, ok false (%v)", u.errb, u.out, tt.wantErr, err)
				}
				return
			}
			calls := strings.TrimPrefix(strings.TrimPrefix(f.CallLog(), before), "; ")
			if named(t, f, tt.wantCalls) != "" && calls != named(t, f, tt.wantCalls) {
				t.Fatalf("calls %q\nwant  %q", calls, named(t, f, tt.wantCalls))
			}
			var report struct {
				Project  string    `json:"project"`
				OK       bool      `json:"ok"`
				Services []service `json:"services"`
			}
			if err := json.Unmarshal(u.out.Bytes(), &report); err != nil {
				t.Fatalf("stdout is not the JSON report: %v\n%s", err, u.out)
			}
			got := report.Services[0]
			if len(report.Services) != 1 || report.Project != "unit" || report.OK != (tt.wantCode == 0) ||
				got.Name != tt.want.Name || got.Action != tt.want.Action || got.Ready != tt.want.Ready ||
				!strings.Contains(got.Error, tt.want.Error) || (tt.want.Error == "") != (got.Error == "") {
				t.Fatalf("report %+v, want service %+v", report, tt.want)
			}
		})
	}
}

func TestStatusInProcess(t *testing.T) {
	tests := []struct {
		name      string
		engine    func(t *testing.T) *enginetest.Fake
		wantCode  int
		wantState string
		wantReady bool
	}{
		{"running and answering", cacheUp, 0, "running", true},
		{"missing", func(*testing.T) *enginetest.Fake { return enginetest.New() }, 1, "missing", false},
		{"exited", func(t *testing.T) *enginetest.Fake {
			f := cacheUp(t)
			f.Containers[named(t, f, "unit-cache")].State = "exited"
			return f
		}, 1, "exited", false},
		{"running, not answering", func(t *testing.T) *enginetest.Fake {
			f := cacheUp(t)
			f.ExecCode[named(t, f, "unit-cache")] = 1
			return f
		}, 1, "running", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := newUnit(t, "cache", tt.engine(t), output.JSON)
			code := u.code(runStatus(context.Background(), statusOptions{env: u.e}))
			var report struct {
				OK       bool `json:"ok"`
				Services []struct {
					Name  string `json:"name"`
					State string `json:"state"`
					Ready bool   `json:"ready"`
				} `json:"services"`
				Engine *engine.Ref `json:"engine"`
			}
			if err := json.Unmarshal(u.out.Bytes(), &report); err != nil {
				t.Fatalf("exit %d, stdout is not JSON: %v\n%s\n%s", code, err, u.out, u.errb)
			}
			s := report.Services[0]
			if code != tt.wantCode || report.OK != (tt.wantCode == 0) || s.Name != "cache" || s.State != tt.wantState ||
				s.Ready != tt.wantReady || report.Engine == nil || report.Engine.FoundBy != "test" {
				t.Fatalf("exit %d, report %s", code, u.out)
			}
		})
	}
}

func TestEnvInProcess(t *testing.T) {
	tests := []struct {
		format   string
		wantCode int
		golden   string // testdata/unit/env-golden/<golden>, or "" for an error
	}{
		{format: "dotenv", golden: "dotenv"},
		{format: "shell", golden: "shell"},
		{format: "json", golden: "json"},
		{format: "frappe", golden: "frappe"}, // redis's keys only: the project has no MariaDB
		{format: "yaml", wantCode: 2},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			u := newUnit(t, "env", enginetest.New(), output.Text)
			// The password redis would be given is fixed, as if an earlier run had made it.
			if err := os.MkdirAll(filepath.Join(u.root, state.Dir), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(filepath.Join(u.root, "secrets.env"), filepath.Join(u.root, state.Dir, "secrets.env")); err != nil {
				t.Fatal(err)
			}
			code := u.code(runEnv(context.Background(), envOptions{env: u.e, format: tt.format}))
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\n%s", code, tt.wantCode, u.errb)
			}
			if tt.golden == "" {
				if !strings.Contains(u.errb.String(), "--format takes") || u.out.Len() != 0 {
					t.Fatalf("stderr %q stdout %q", u.errb, u.out)
				}
				return
			}
			if os.Getenv("UPDATE_GOLDEN") != "" { // rewrite the golden files after a deliberate change
				_ = os.WriteFile(filepath.Join("testdata", "unit", "env-golden", tt.golden), u.out.Bytes(), 0o644)
			}
			want, err := os.ReadFile(filepath.Join("testdata", "unit", "env-golden", tt.golden))
			if err != nil {
				t.Fatal(err)
			}
			if u.out.String() != string(want) {
				t.Fatalf("stdout:\n%s\nwant:\n%s", u.out, want)
			}
		})
	}
}

func TestDownInProcess(t *testing.T) {
	tests := []struct {
		name      string
		opts      downOptions
		noNetwork bool // the network was already gone
		wantCode  int
		wantCalls string // what down changed
	}{
		{name: "containers and network, volumes kept",
			wantCalls: "remove unit-cache; remove network unit-devstack"},
		{name: "a network already gone is not reported as removed", noNetwork: true,
			wantCalls: "remove unit-cache"},
		{name: "--volumes removes the project's volume too",
			opts:      downOptions{volumes: true},
			wantCalls: "remove unit-cache; remove network unit-devstack; remove volume unit-cache-data"},
		{name: "a named service: its container only", opts: downOptions{services: []string{"cache"}, volumes: true},
			wantCalls: "remove unit-cache; remove volume unit-cache-data"},
		{name: "an unknown service is a usage error, nothing removed", opts: downOptions{services: []string{"nope"}},
			wantCode: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := cacheUp(t)
			// Another project's container and volume, which down must not touch.
			other := map[string]string{engine.LabelProject: "other", engine.LabelService: "cache"}
			f.Containers["other-cache"] = &engine.Container{ID: "theirs", Name: "other-cache", State: "running", Labels: other}
			f.VolumeSet["other-cache-data"] = &engine.Volume{Name: "other-cache-data", Labels: other}
			if tt.noNetwork {
				delete(f.Networks, named(t, f, "unit-devstack"))
			}
			before := f.CallLog()
			u := newUnit(t, "cache", f, output.JSON)
			opts := tt.opts
			opts.env = u.e
			code := u.code(runDown(context.Background(), opts))
			calls := strings.TrimPrefix(strings.TrimPrefix(f.CallLog(), before), "; ")
			if code != tt.wantCode || calls != named(t, f, tt.wantCalls) {
				t.Fatalf("exit %d calls %q; want %d, %q\n%s", code, calls, tt.wantCode, named(t, f, tt.wantCalls), u.errb)
			}
			if code == 0 {
				// The report names the network exactly when down removed it.
				var report struct{ Network string }
				if err := json.Unmarshal(u.out.Bytes(), &report); err != nil {
					t.Fatalf("stdout is not JSON: %v\n%s", err, u.out)
				}
				if removed := strings.Contains(calls, "remove network"); removed != (report.Network != "") {
					t.Fatalf("network %q reported; removed: %v", report.Network, removed)
				}
			}
			if _, ok := f.Containers["other-cache"]; !ok {
				t.Fatal("another project's container was removed")
			}
			if _, ok := f.VolumeSet["other-cache-data"]; !ok {
				t.Fatal("another project's volume was removed")
			}
		})
	}
}

func TestLogsInProcess(t *testing.T) {
	tests := []struct {
		name       string
		opts       logsOptions
		format     output.Format
		noEngine   bool // the project was never brought up
		wantCode   int
		wantOut    string
		wantStderr string
	}{
		{name: "text: each stream to its own", opts: logsOptions{service: "cache"}, format: output.Text,
			wantOut: "ready\n", wantStderr: "slow start\n"},
		{name: "json: one object per line", opts: logsOptions{service: "cache"}, format: output.JSON,
			wantOut: `{"service":"cache","stream":"stdout","line":"ready"}` + "\n" +
				`{"service":"cache","stream":"stderr","line":"slow start"}` + "\n"},
		{name: "an unknown service: exit 2 with the fix", opts: logsOptions{service: "nope"}, format: output.Text,
			wantCode: 2, wantStderr: "error: service \"nope\" is not planned (planned: cache)\n  fix: name one of those, or add nope under services: in devstack.yaml\n"},
		{name: "no container: exit 1, start it", opts: logsOptions{service: "cache"}, format: output.Text, noEngine: true,
			wantCode: 1, wantStderr: "error: cache has no container\n  fix: start it: devstack up cache\n"},
		{name: "a bad --tail is a usage error", opts: logsOptions{service: "cache", tail: "-3"}, format: output.Text,
			wantCode: 2, wantStderr: "error: --tail takes a number of lines or all, not \"-3\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := enginetest.New()
			if !tt.noEngine {
				f = cacheUp(t)
			}
			f.LogText, f.ErrText = "ready\n", "slow start\n"
			u := newUnit(t, "cache", f, tt.format)
			opts := tt.opts
			opts.env = u.e
			if opts.tail == "" {
				opts.tail = "all"
			}
			code := u.code(runLogs(context.Background(), opts))
			if code != tt.wantCode || u.out.String() != tt.wantOut || u.errb.String() != tt.wantStderr {
				t.Fatalf("exit %d\nstdout %q\nstderr %q\nwant %d, %q, %q", code, u.out, u.errb, tt.wantCode, tt.wantOut, tt.wantStderr)
			}
		})
	}
}
