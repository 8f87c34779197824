package bootstrap

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/config"
)

// Every preset writes a devstack.yaml that loads, plans exactly its services, carries
// its tool constraints, and says what it is for.
func TestEveryPresetWritesAFileThatLoads(t *testing.T) {
	all, err := Presets()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range all {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, ","); got != "frappe,invenio,mlp,openvle,realmocean" {
		t.Fatalf("presets %s", got)
	}
	for _, p := range all {
		t.Run(p.Name, func(t *testing.T) {
			root := t.TempDir()
			if _, err := Init(context.Background(), InitOptions{Root: root, Preset: p.Name}); err != nil {
				t.Fatal(err)
			}
			cfg, err := config.Load(config.Options{Dir: root, Getenv: func(string) string { return "" }})
			if err != nil {
				t.Fatalf("the written file does not load: %v", err)
			}
			var planned []string
			for _, s := range cfg.Services {
				planned = append(planned, s.Name)
			}
			if strings.Join(planned, ",") != strings.Join(p.Services, ",") {
				t.Errorf("planned %v, preset lists %v (a preset lists services in catalog order)", planned, p.Services)
			}
			for name, pt := range p.Tools {
				tool, ok := cfg.Tool(name)
				if !ok {
					t.Fatalf("preset sets unknown tool %s", name)
				}
				if pt.Version != "" && tool.Constraint != pt.Version || pt.Required != nil && tool.Required != *pt.Required ||
					pt.Needed != nil && tool.NotNeeded == *pt.Needed {
					t.Errorf("tool %s = %+v, preset says %+v", name, tool, pt)
				}
			}
			if !slices.Equal(cfg.Frameworks, p.Frameworks) {
				t.Errorf("frameworks %v, preset lists %v", cfg.Frameworks, p.Frameworks)
			}
			data, _ := os.ReadFile(filepath.Join(root, config.FileName))
			first := strings.Split(strings.TrimSpace(p.Header), "\n")[0]
			if p.About == "" || !strings.Contains(string(data), "# "+first) {
				t.Errorf("the file's header does not say what the preset is for:\n%s", data)
			}
		})
	}
}

// The stacks named after a framework print its names: Invenio's INVENIO_*, the ML
// platform's Celery settings; Frappe's are a file's keys, which its header points to.
func TestPresetFrameworks(t *testing.T) {
	want := map[string][]string{"invenio": {"invenio"}, "mlp": {"celery"}}
	all, err := Presets()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all {
		if !slices.Equal(p.Frameworks, want[p.Name]) {
			t.Errorf("%s: frameworks %v, want %v", p.Name, p.Frameworks, want[p.Name])
		}
	}
	frappe, _ := LookupPreset("frappe")
	if !strings.Contains(frappe.Header, "devstack env --format frappe") {
		t.Errorf("the frappe header does not say how to print bench's settings:\n%s", frappe.Header)
	}
}

func TestUnknownPresetListsTheKnownOnes(t *testing.T) {
	_, err := Init(context.Background(), InitOptions{Root: t.TempDir(), Preset: "django"})
	if !errors.Is(err, ErrUnknownPreset) || !strings.Contains(err.Error(), "frappe, invenio, mlp, openvle, realmocean") {
		t.Fatalf("err = %v", err)
	}
}
