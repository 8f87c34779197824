package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/internal/enginetest"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services/engine"
)

// TestSaysWhichFileFromAParent: a devstack.yaml found above the working directory is named
// on stderr (a JSON line in JSON mode); one in the working directory only with --verbose.
func TestSaysWhichFileFromAParent(t *testing.T) {
	tests := []struct {
		name     string
		subdir   bool
		verbose  bool
		format   output.Format
		wantNote string // "" for no note at all
	}{
		{name: "from a subdirectory", subdir: true, format: output.Text, wantNote: "found in a parent directory"},
		{name: "from a subdirectory, JSON", subdir: true, format: output.JSON, wantNote: "found in a parent directory"},
		{name: "in the project directory: nothing", format: output.Text},
		{name: "in the project directory, --verbose", verbose: true, format: output.Text, wantNote: "using "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := newUnit(t, "cache", enginetest.New(), tt.format)
			u.e.cfgPath = "" // found by searching, as without --config
			u.e.printer = output.NewPrinter(u.e.streams, output.Options{Format: tt.format, Verbose: tt.verbose})
			dir := u.root
			if tt.subdir {
				dir = filepath.Join(u.root, "src", "app")
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			t.Chdir(dir)
			if code := u.code(runEnv(context.Background(), envOptions{env: u.e, format: "dotenv"})); code != 0 {
				t.Fatalf("exit %d\n%s", code, u.errb)
			}
			stderr := u.errb.String()
			if tt.wantNote == "" {
				if stderr != "" {
					t.Fatalf("stderr %q, want nothing", stderr)
				}
				return
			}
			if strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tt.wantNote) || !strings.Contains(stderr, filepath.Join(u.root, "devstack.yaml")) {
				t.Fatalf("stderr %q: want one line naming the file and %q", stderr, tt.wantNote)
			}
			if tt.format == output.JSON {
				var note struct{ Note string }
				if err := json.Unmarshal([]byte(stderr), &note); err != nil || note.Note == "" {
					t.Fatalf("stderr %q is not a JSON note: %v", stderr, err)
				}
			}
		})
	}
}

// TestDownByLabels: with devstack.yaml broken, down still takes this checkout's stack
// down, by the labels of what devstack made, and never another clone's of the same name;
// --project names a project (refused when several checkouts' stacks share the name, which
// are listed with their paths) or one checkout's identity.
func TestDownByLabels(t *testing.T) {
	const clone = "/elsewhere/clone"                             // another checkout of the same project
	cloneID := config.DeriveIdentity("cache", clone).ID          // its identity
	lonelyID := config.DeriveIdentity("lonely", "/somewhere").ID // the only stack of its name
	tests := []struct {
		name      string
		project   string // --project; "" with a broken devstack.yaml
		wantCode  int
		wantCalls string // ME is this checkout's identity
		wantErr   []string
		also      config.Identity // one more stack, when set
	}{
		{name: "broken devstack.yaml: this checkout's stack only", wantCalls: "remove mine; remove network ME-devstack"},
		{name: "a name two checkouts share is refused, each listed with its path", project: "cache", wantCode: 2,
			wantErr: []string{"shared by 2 stacks", cloneID + " (checkout " + clone + ", which no longer exists)", "(checkout ROOT)", "--project IDENTITY"}},
		{name: "an identity picks one checkout's", project: cloneID, wantCalls: "remove theirs; remove network " + cloneID + "-devstack"},
		{name: "a name only one stack has", project: "lonely", wantCalls: "remove alone; remove network " + lonelyID + "-devstack"},
		{name: "a legacy stack, the only one of its name", project: "old", wantCalls: "remove legacy; remove network old-devstack"},
		{name: "a legacy stack beside a checkout's of its name is listed with what it holds", project: "old", also: config.DeriveIdentity("old", "/new"), wantCode: 2,
			wantErr: []string{"old (made by an earlier devstack; no checkout has adopted it: container legacy, network old-devstack)", "(checkout /new, which no longer exists)"}},
		{name: "nothing of that name: exit 1 with the fix", project: "nope", wantCode: 1},
		{name: "a bad --project is a usage error", project: "Not A Name", wantCode: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := enginetest.New()
			u := newUnit(t, "cache", f, output.JSON)
			if err := os.WriteFile(u.e.cfgPath, []byte("services: [unclosed\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			real, err := filepath.EvalSymlinks(u.root)
			if err != nil {
				t.Fatal(err)
			}
			me := config.DeriveIdentity("cache", real)
			stacks := []struct {
				ctr string
				id  config.Identity
			}{
				{"mine", me},
				{"theirs", config.DeriveIdentity("cache", clone)},
				{"alone", config.DeriveIdentity("lonely", "/somewhere")},
				{"legacy", config.Identity{ID: "old", Name: "old"}},
			}
			if tt.also.ID != "" {
				stacks = append(stacks, struct {
					ctr string
					id  config.Identity
				}{"new", tt.also})
			}
			for _, s := range stacks {
				labels := plan.Labels(s.id, "")
				f.Networks[s.id.ID+"-devstack"] = labels
				labels = plan.Labels(s.id, "cache")
				f.Containers[s.ctr] = &engine.Container{ID: s.ctr, Name: s.ctr, State: "running", Labels: labels}
			}
			before := f.CallLog()
			code := u.code(runDown(context.Background(), downOptions{env: u.e, project: tt.project}))
			calls := strings.TrimPrefix(strings.TrimPrefix(f.CallLog(), before), "; ")
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s", code, tt.wantCode, u.out, u.errb)
			}
			if want := strings.ReplaceAll(tt.wantCalls, "ME", me.ID); code == 0 && calls != want {
				t.Fatalf("calls %q, want %q", calls, want)
			}
			if code != 0 && strings.Contains(calls, "remove") {
				t.Fatalf("removed something: %q", calls)
			}
			for _, w := range tt.wantErr {
				if w = strings.ReplaceAll(w, "ROOT", real); !strings.Contains(u.errb.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, u.errb)
				}
			}
			for _, line := range strings.Split(strings.TrimSpace(u.errb.String()), "\n") {
				if line != "" && !json.Valid([]byte(line)) {
					t.Fatalf("stderr line %q is not JSON", line)
				}
			}
		})
	}
}

// TestStatusNamesWhatChanged: a container made from another spec is reported with what
// differs, by name, never by value.
func TestStatusNamesWhatChanged(t *testing.T) {
	f := cacheUp(t)
	// As if up had made it from an older devstack.yaml: another image, one more env key.
	name := named(t, f, "unit-cache")
	old := f.Specs[name]
	old.Image = "memcached:1.5"
	old.Env = map[string]string{"EXTRA": "a secret value"}
	f.Containers[name].Labels[engine.LabelSpec] = old.Hash()
	f.Containers[name].Labels[engine.LabelFields] = old.FieldsLabel()
	u := newUnit(t, "cache", f, output.JSON)
	if code := u.code(runStatus(context.Background(), statusOptions{env: u.e})); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, u.out, u.errb)
	}
	var report struct {
		Services []struct {
			Changed []string
			Message string
		}
	}
	if err := json.Unmarshal(u.out.Bytes(), &report); err != nil {
		t.Fatal(err)
	}
	s := report.Services[0]
	if strings.Join(s.Changed, ",") != "image,env EXTRA" || !strings.Contains(s.Message, "(image, env EXTRA)") || strings.Contains(u.out.String(), "a secret value") {
		t.Fatalf("changed %q message %q", s.Changed, s.Message)
	}
}
