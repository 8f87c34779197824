package bootstrap

import (
	"context"
	"errors"
	"testing"

	"github.com/devstack-dev/devstack/checks"
	"github.com/devstack-dev/devstack/internal/configtest"
	"github.com/devstack-dev/devstack/internal/enginetest"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/stack"
)

// One doctor for `devstack doctor` and bootstrap: with an engine both get the images
// check; the port check only when asked (bootstrap's ports step is that check).
func TestDoctorHasTheEngineChecksForEveryCaller(t *testing.T) {
	cfg := configtest.Load(t, "project: p\noffset: 10000\nservices:\n  redis:\n")
	f := enginetest.New()
	f.LocalImage(cfg.Services[0].Image, nil)
	connect := func(context.Context) (stack.Engine, func(), error) { return f, func() {}, nil }
	pl, err := plan.New(cfg, plan.NoSecrets{})
	if err != nil {
		t.Fatal(err)
	}
	base := checks.Options{
		Getenv:     func(string) string { return "" },
		EngineInfo: func(context.Context) (engine.Info, error) { return engine.Info{}, errors.New("no engine in this test") },
	}
	tests := []struct {
		name      string
		opts      DoctorOptions
		wantPorts bool
		wantImage bool
	}{
		{name: "doctor", opts: DoctorOptions{Options: base, Connect: connect, Ports: true}, wantPorts: true, wantImage: true},
		{name: "bootstrap", opts: DoctorOptions{Options: base, Connect: connect}, wantImage: true},
		{name: "no engine", opts: DoctorOptions{Options: base}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Doctor(context.Background(), pl, tt.opts)
			got := map[string]checks.Result{}
			for _, c := range r.Checks {
				got[c.Name] = c
			}
			if _, ok := got["ports"]; ok != tt.wantPorts {
				t.Errorf("ports check present: %v, want %v", ok, tt.wantPorts)
			}
			if c, ok := got["images"]; ok != tt.wantImage {
				t.Errorf("images check present: %v, want %v", ok, tt.wantImage)
			} else if ok && c.Status != "ok" {
				t.Errorf("images check %s: %s", c.Status, c.Message)
			}
		})
	}
}
