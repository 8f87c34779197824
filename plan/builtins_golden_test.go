package plan

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/internal/configtest"
	"github.com/devstack-dev/devstack/services"
)

var update = flag.Bool("update", false, "rewrite plan/testdata/builtins.golden")

// specialSecrets are credentials with every character a URL's userinfo escapes.
type specialSecrets struct{}

func (specialSecrets) Get(key string) string { return "p@ss/w:rd%?#&=+ " + strings.ToLower(key) }
func (specialSecrets) Save() error           { return nil }

// TestBuiltinsGolden pins what every built-in resolves to (container spec, probe,
// connection settings, fixtures, upgrades, host checks…) for two project names and
// two sets of secrets, one with URL-special characters, so that moving a built-in from
// Go to data (services/builtin) provably changes nothing. Rewrite it with -update only
// for a change you mean.
func TestBuiltinsGolden(t *testing.T) {
	all := services.Names()
	var b strings.Builder
	list := func(extra string) string {
		var s strings.Builder
		s.WriteString("services:\n")
		for _, n := range all {
			s.WriteString("  " + n + ":" + extra + "\n")
		}
		return s.String()
	}
	cases := []struct {
		name, yaml string
		secrets    Secrets
	}{
		{"shop", "project: shop\n" + list(""), fixedSecrets{}},
		{"9-select.app special secrets", "project: 9-select.app\nbind: 0.0.0.0\noffset: 3\n" + list(""), specialSecrets{}},
		// A credential emptied by env: (a service run without a password).
		{"empty credentials", "project: x\n" + list(` {env: {REDIS_PASSWORD: "", POSTGRES_PASSWORD: "", MARIADB_PASSWORD: "", RABBITMQ_DEFAULT_PASS: "", MONGO_INITDB_ROOT_PASSWORD: "", MINIO_ROOT_PASSWORD: ""}}`), fixedSecrets{}},
	}
	for _, c := range cases {
		pl, err := New(configtest.Load(t, c.yaml), c.secrets)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		fmt.Fprintf(&b, "##### %s\n", c.name)
		for _, u := range pl.Units {
			dumpUnit(t, &b, u, c.secrets)
		}
	}
	golden := filepath.Join("testdata", "builtins.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != b.String() {
		t.Errorf("built-ins resolve differently from %s (go test ./plan -run TestBuiltinsGolden -update to accept):\n%s", golden, firstDiff(string(want), b.String()))
	}
}

func dumpUnit(t *testing.T, b *strings.Builder, u Unit, secrets Secrets) {
	t.Helper()
	s := u.Service.Service
	js := func(v any) string {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	fmt.Fprintf(b, "=== %s order=%d optional=%t imageenv=%s timeout=%s init_once=%t after_ready=%q depends_on=%s\n",
		s.Name, s.Order, s.Optional, s.ImageEnv(), u.Timeout, s.InitOnce, s.AfterReady, js(s.DependsOn))
	fmt.Fprintf(b, "ports: %s\n", js(s.Ports))
	fmt.Fprintf(b, "mount: %q at 0: %q at 17: %q at 18: %q at 19: %q\n", s.Mount, s.MountAt(0), s.MountAt(17), s.MountAt(18), s.MountAt(19))
	spec, err := json.MarshalIndent(u.Spec, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(b, "spec: %s\n", spec)
	fmt.Fprintf(b, "spec hash: %s\n", u.Spec.Hash())
	fmt.Fprintf(b, "endpoint: host=%s ports=%s\n", u.Endpoint.Host, js(u.Endpoint.Ports))
	fmt.Fprintf(b, "probe: %s\n", js(s.Probe))
	fmt.Fprintf(b, "probe says: %s\n", s.Probe)
	settings, err := u.Settings("", secrets)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range settings {
		fmt.Fprintf(b, "setting: %s=%q secret=%t\n", st.Key, st.Value, st.Secret)
	}
	other, err := u.Settings("host.docker.internal", secrets)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range other {
		fmt.Fprintf(b, "setting from a container: %s=%q secret=%t\n", st.Key, st.Value, st.Secret)
	}
	if f := s.Fixtures; f != nil {
		fmt.Fprintf(b, "fixtures: kind=%s files=%q\n", f.Kind, f.Files)
		for _, o := range f.Keys {
			fmt.Fprintf(b, "fixture key %s default=%q check:", o.Key, o.Default)
			for _, name := range []string{"shop", "Shop", "9db", "a-b", "a.b", "_x", "ab", "a b", strings.Repeat("x", 64)} {
				fmt.Fprintf(b, " %s=%t", name[:min(len(name), 8)], o.Check(name) == nil)
			}
			b.WriteString("\n")
		}
	}
	if up := s.Upgrade; up != nil {
		fmt.Fprintf(b, "upgrade: version_env=%q move=%q\n", up.VersionEnv, up.Move("devstack-"+s.Name))
		if up.VersionFiles != nil {
			for _, m := range []int{15, 17, 18, 21} {
				fmt.Fprintf(b, "upgrade version files at %d: %s\n", m, js(up.VersionFiles(m)))
			}
		}
	}
	for _, hc := range s.HostChecks {
		fmt.Fprintf(b, "host check: %s\n", js(hc))
	}
}

// firstDiff shows the first line that differs, with its neighbours.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\nwant: %s\ngot:  %s", i+1, wl, gl)
		}
	}
	return ""
}
