package config

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// A checkout's identity follows its real root path: two clones of one repository (the
// same project name) have two, a link to a checkout is that checkout, and the name in
// devstack.yaml stays the name people read.
func TestIdentityPerCheckout(t *testing.T) {
	base := t.TempDir()
	yaml := []byte("project: shop\n")
	for _, d := range []string{"a", "b", "nested/a"} {
		if err := os.MkdirAll(filepath.Join(base, d), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(base, d, FileName), yaml, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(base, "a", "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(base, "a"), filepath.Join(base, "link")); err != nil {
		t.Fatal(err)
	}
	load := func(dir string) Identity {
		t.Helper()
		cfg, err := Load(Options{Dir: filepath.Join(base, dir), Getenv: func(string) string { return "" }})
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Project != "shop" || cfg.Identity.Name != "shop" {
			t.Fatalf("%s: project %q, identity's name %q", dir, cfg.Project, cfg.Identity.Name)
		}
		return cfg.Identity
	}
	realA, err := filepath.EvalSymlinks(filepath.Join(base, "a"))
	if err != nil {
		t.Fatal(err)
	}
	a := load("a")
	// Engine object names take [a-zA-Z0-9][a-zA-Z0-9_.-]*; the identity is also a
	// project name, so that down --project takes it.
	valid := regexp.MustCompile(`^shop-[0-9a-f]{8}$`)
	tests := []struct {
		name string
		dir  string
		same bool
	}{
		{"the same checkout again", "a", true},
		{"a link to the checkout is the checkout", "link", true},
		{"a subdirectory finds the checkout's devstack.yaml", "a/sub", true},
		{"another clone, same project name", "b", false},
		{"a clone with the same directory name elsewhere", "nested/a", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := load(tt.dir)
			if (got == a) != tt.same {
				t.Fatalf("identity %+v, checkout a's %+v: same = %v, want %v", got, a, got == a, tt.same)
			}
			if !valid.MatchString(got.ID) || !ValidProjectName(got.ID) || got.Legacy {
				t.Fatalf("identity %q is not NAME-HASH", got.ID)
			}
		})
	}
	if a.Checkout != realA || a != DeriveIdentity("shop", realA) {
		t.Fatalf("checkout %q, want the real path %q", a.Checkout, realA)
	}
	if l := LegacyIdentity("shop", realA); l.ID != "shop" || !l.Legacy || l.String() != "shop" {
		t.Fatalf("legacy identity %+v", l)
	}
}
