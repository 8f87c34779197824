package enginecache

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func engineIs(id, version string) Identify {
	return func(context.Context) (string, string, error) { return id, version, nil }
}

func TestUlimitsRefusedIsKeptPerEngineAndVersion(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "devstack", FileName)
	if New(path, engineIs("A", "20.10")).UlimitsRefused(ctx) {
		t.Fatal("refused before anything was remembered")
	}
	if err := New(path, engineIs("A", "20.10")).RememberUlimitsRefused(ctx); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		identify Identify
		want     bool
	}{
		{"the engine that refused", engineIs("A", "20.10"), true},
		{"another engine", engineIs("B", "20.10"), false},
		{"the same engine, upgraded", engineIs("A", "24.0"), false},
		{"an engine that gives no ID", engineIs("", "20.10"), false},
		{"an engine that does not answer", func(context.Context) (string, string, error) { return "", "", errors.New("down") }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := New(path, tt.identify).UlimitsRefused(ctx); got != tt.want {
				t.Fatalf("UlimitsRefused = %v, want %v", got, tt.want)
			}
		})
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("cache file: %v %v", st, err)
	}
}

// A second engine's refusal is added next to the first's, not over it.
func TestRememberKeepsOtherEngines(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	for _, id := range []string{"A", "B"} {
		if err := New(path, engineIs(id, "1")).RememberUlimitsRefused(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{"A", "B"} {
		if !New(path, engineIs(id, "1")).UlimitsRefused(ctx) {
			t.Fatalf("engine %s forgotten", id)
		}
	}
}

// A damaged file knows nothing, and the next refusal replaces it.
func TestDamagedFileIsStartedOver(t *testing.T) {
	ctx := context.Background()
	data, err := os.ReadFile("testdata/damaged.json")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	c := New(path, engineIs("A", "20.10.24"))
	if c.UlimitsRefused(ctx) {
		t.Fatal("a damaged file answered")
	}
	if err := c.RememberUlimitsRefused(ctx); err != nil {
		t.Fatal(err)
	}
	if !New(path, engineIs("A", "20.10.24")).UlimitsRefused(ctx) {
		t.Fatal("not remembered after the damaged file")
	}
}

// The engine is asked who it is once per Cache, however often the cache is consulted.
func TestEngineAskedOnce(t *testing.T) {
	ctx := context.Background()
	asked := 0
	c := New(filepath.Join(t.TempDir(), FileName), func(context.Context) (string, string, error) {
		asked++
		return "A", "1", nil
	})
	c.UlimitsRefused(ctx)
	_ = c.RememberUlimitsRefused(ctx)
	c.UlimitsRefused(ctx)
	if asked != 1 {
		t.Fatalf("asked %d times", asked)
	}
}
