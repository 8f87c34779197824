package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Where the last up put the project wins over the file and the default, unless the file
// changed since; the environment and the command line win over it.
func TestRememberedPlacement(t *testing.T) {
	hundred, loop6 := 100, "::1"
	tests := []struct {
		name       string
		file       string // devstack.yaml
		remembered *Placement
		env        map[string]string
		flagOffset *int
		wantOffset int
		wantBind   string
		wantFrom   Origin
	}{
		{"nothing remembered", "services: {redis: {}}\n", nil, nil, nil, 0, DefaultBind, FromDefault},
		{"remembered over the default", "services: {redis: {}}\n",
			&Placement{Offset: 100, Bind: DefaultBind, PlannedOffset: 0, PlannedBind: DefaultBind}, nil, nil, 100, DefaultBind, FromState},
		{"remembered over an unchanged file", "offset: 200\nservices: {redis: {}}\n",
			&Placement{Offset: 300, Bind: loop6, PlannedOffset: 200, PlannedBind: DefaultBind}, nil, nil, 300, loop6, FromState},
		{"the file changed since: the file", "offset: 500\nservices: {redis: {}}\n",
			&Placement{Offset: 300, Bind: DefaultBind, PlannedOffset: 200, PlannedBind: DefaultBind}, nil, nil, 500, DefaultBind, FromFile},
		{"the environment over remembered", "services: {redis: {}}\n",
			&Placement{Offset: 100, Bind: DefaultBind, PlannedBind: DefaultBind}, map[string]string{"DEVSTACK_OFFSET": "700"}, nil, 700, DefaultBind, FromEnv},
		{"a flag over remembered", "services: {redis: {}}\n",
			&Placement{Offset: 300, Bind: DefaultBind, PlannedBind: DefaultBind}, nil, &hundred, 100, DefaultBind, FromFlag},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, FileName), []byte(tt.file), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg, err := Load(Options{Dir: dir, Getenv: func(k string) string { return tt.env[k] }, Offset: tt.flagOffset,
				Remembered: func(root string) (*Placement, error) {
					if root != dir {
						t.Errorf("remembered asked for %s, not the project's root %s", root, dir)
					}
					return tt.remembered, nil
				}})
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Offset != tt.wantOffset || cfg.Bind != tt.wantBind || cfg.OffsetFrom != tt.wantFrom {
				t.Fatalf("offset %d bind %s from %s; want %d %s %s", cfg.Offset, cfg.Bind, cfg.OffsetFrom, tt.wantOffset, tt.wantBind, tt.wantFrom)
			}
		})
	}
}

// A DEVSTACK_IMAGE_* value that is no image reference is a configuration error (exit 2)
// naming the variable and the form, never a pull failure later.
func TestImageEnvMustBeAReference(t *testing.T) {
	tests := []struct {
		value string
		ok    bool
	}{
		{"redis:7.4", true},
		{"ghcr.io/org/redis:7@sha256:" + "0123456789012345678901234567890123456789012345678901234567890123", true},
		{"Redis:7", false},
		{"redis:7 --privileged", false},
		{"redis::7", false},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, FileName), []byte("services: {redis: {}}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(Options{Dir: dir, Getenv: func(k string) string {
				if k == "DEVSTACK_IMAGE_REDIS" {
					return tt.value
				}
				return ""
			}})
			var ce *Error
			if tt.ok != (err == nil) || !tt.ok && (!errors.As(err, &ce) || ce.Key != "DEVSTACK_IMAGE_REDIS" || ce.Fix == "") {
				t.Fatalf("err = %v; want ok %v, or a config error on DEVSTACK_IMAGE_REDIS with a fix", err, tt.ok)
			}
		})
	}
}
