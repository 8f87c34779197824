package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/devstack-dev/devstack/services"
)

func load(t *testing.T, file string, env map[string]string) (*Config, error) {
	t.Helper()
	return Load(Options{Path: filepath.Join("testdata", file), Dir: t.TempDir(), Getenv: func(k string) string { return env[k] }})
}

func TestLoadFull(t *testing.T) {
	cfg, err := load(t, "full.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Project != "myrepo" || cfg.Bind != "::1" || cfg.Offset != 100 {
		t.Fatalf("project/bind/offset = %q %q %d", cfg.Project, cfg.Bind, cfg.Offset)
	}
	var names []string
	for _, s := range cfg.Services {
		names = append(names, s.Name)
	}
	if got := strings.Join(names, ","); got != "redis,postgres,opensearch" {
		t.Fatalf("services = %s", got)
	}
	pg, _ := cfg.Service("postgres")
	if pg.Image != "postgres:16" || pg.Env["POSTGRES_DB"] != "myrepo" {
		t.Fatalf("postgres = %+v", pg)
	}
	if os, _ := cfg.Service("opensearch"); os.PortOverrides["http"] != 9401 {
		t.Fatalf("opensearch ports = %v", os.PortOverrides)
	}
	im, _ := cfg.Tool("imagemagick")
	if im.Constraint != ">=7" || im.Required {
		t.Fatalf("imagemagick = %+v", im)
	}
	node, _ := cfg.Tool("node")
	git, _ := cfg.Tool("git")
	if node.Constraint != "^14 || >=18" || !node.Required || git.Constraint != ">=2.30" {
		t.Fatalf("node = %+v, git = %+v", node, git)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		file string
		line int
		key  string
		msg  string
	}{
		{"unknown-top.yaml", 2, "bnd", `unknown key "bnd"`},
		{"unknown-tool.yaml", 3, "tools.pyhton", `unknown key "pyhton"`},
		{"bad-constraint.yaml", 2, "tools.node", `">=14 and more" is not a version constraint`},
		{"unknown-service.yaml", 3, "services.mysql", "is not a built-in service, and defines no image"},
		{"unknown-port.yaml", 5, "services.rabbitmq.ports.admin", `unknown key "admin"`},
		{"bad-offset.yaml", 1, "offset", `must be a whole number, not "lots"`},
		{"bad-bind.yaml", 1, "bind", `"localhost" is not an IP address`},
		{"bad-yaml.yaml", 2, "", "not valid YAML"},
		{"bad-required.yaml", 2, "tools.git.required", `must be true or false, not "maybe"`},
		{"duplicate.yaml", 2, "bind", "appears twice"},
		{"port-range.yaml", 2, "services.redis.ports.redis", "port 70000 is out of range"},
		{"custom-no-probe.yaml", 3, "services.cache", "has no probe"},
		{"custom-unknown-probe.yaml", 7, "services.cache.probe.ping", `unknown probe "ping"`},
		{"custom-probe-port.yaml", 7, "services.cache.probe.tcp-banner.port", `"http" is not one of its ports`},
		{"custom-bad-template.yaml", 9, "services.cache.connection.CACHE_URL", "{hots} is not a reference devstack knows"},
		{"custom-port-no-container.yaml", 5, "services.cache.ports[0].container", "is missing"},
		{"custom-bad-name.yaml", 3, "services.Cache", "is not a service name devstack can use"},
		{"custom-bad-timeout.yaml", 6, "services.cache.timeout", "must be a duration"},
		{"connection-bad-key.yaml", 4, "services.redis.connection.redis-url", `"redis-url" must be capitals, digits and '_'`},
		{"fixture-unknown-option.yaml", 6, "fixtures[0].bucket", `unknown key "bucket" for a postgres fixture`},
		{"frameworks-unknown.yaml", 2, "frameworks[1]", `"django" is not a framework devstack knows`},
		{"frameworks-frappe.yaml", 4, "frameworks[1]", "frappe reads its settings from a file of its own"},
		{"frameworks-twice.yaml", 1, "frameworks[2]", "celery appears twice"},
		{"frameworks-not-list.yaml", 1, "frameworks", "must be a list"},
		{"depends-unknown.yaml", 8, "services.worker.depends_on[1]", `"postgres" is not a service of the project`},
		{"depends-self.yaml", 7, "services.worker.depends_on[0]", "names the service itself"},
		{"depends-cycle.yaml", 6, "services.api.depends_on[0]", "makes a cycle: api → worker → api"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := load(t, tt.file, nil)
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v; want *config.Error", err)
			}
			if ce.Line != tt.line || ce.Key != tt.key || !strings.Contains(ce.Msg, tt.msg) {
				t.Fatalf("got line %d key %q msg %q; want line %d key %q msg containing %q", ce.Line, ce.Key, ce.Msg, tt.line, tt.key, tt.msg)
			}
			if !strings.Contains(err.Error(), tt.file) {
				t.Fatalf("error %q does not name the file", err)
			}
			if ce.Fix == "" {
				t.Fatalf("error %q has no fix", err)
			}
		})
	}
}

// A fixture's other keys are its service's loader's options, each kept for the loader.
func TestFixtureOptionsComeFromTheLoader(t *testing.T) {
	cfg, err := load(t, "fixture-options.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{
		"postgres":   {"database": "other_db"},
		"minio":      {"bucket": "uploads"},
		"opensearch": {"index": "records"},
	}
	for _, fx := range cfg.Fixtures {
		for k, v := range want[fx.Service] {
			if fx.Options[k] != v || len(fx.Options) != 1 {
				t.Errorf("%s fixture options %v, want %s=%s", fx.Service, fx.Options, k, v)
			}
		}
	}
	if len(cfg.Fixtures) != 3 {
		t.Fatalf("%d fixtures", len(cfg.Fixtures))
	}
	_, err = load(t, "fixture-unknown-option.yaml", nil)
	var ce *Error
	if !errors.As(err, &ce) || !strings.Contains(ce.Fix, "database (default: the service's own database)") {
		t.Fatalf("the fix does not name the keys that fit: %v", err)
	}
}

func TestUnknownKeyListsKnownOnes(t *testing.T) {
	_, err := load(t, "unknown-top.yaml", nil)
	if h := err.(*Error).Hint(); !strings.Contains(h, "bind") || !strings.Contains(h, "services") {
		t.Fatalf("hint %q does not list the known keys", h)
	}
}

func TestDefaults(t *testing.T) {
	for _, file := range []string{"", "empty.yaml"} {
		opts := Options{Dir: filepath.Join(t.TempDir(), "My Repo"), Getenv: func(string) string { return "" }}
		if file != "" {
			opts.Path = filepath.Join("testdata", file)
		}
		cfg, err := Load(opts)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Bind != "127.0.0.1" || cfg.Offset != 0 || len(cfg.Tools) != 8 {
			t.Fatalf("%s: bind %q offset %d tools %d", file, cfg.Bind, cfg.Offset, len(cfg.Tools))
		}
		if len(cfg.Services) != 5 {
			t.Fatalf("%s: %d services, want the 5 defaults", file, len(cfg.Services))
		}
		if file == "" && (cfg.Project != "my-repo" || cfg.File != "") {
			t.Fatalf("project %q file %q", cfg.Project, cfg.File)
		}
	}
}

func TestOptionalServicesOnlyWhenListed(t *testing.T) {
	cfg, err := load(t, "optional-service.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Services) != 2 || cfg.Services[0].Name != "postgres" || cfg.Services[1].Name != "pgadmin" {
		t.Fatalf("services = %v", cfg.Services)
	}
}

func TestFoundInParentDirectory(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, FileName), []byte("project: parent\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(Options{Dir: sub, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Project != "parent" || cfg.Root != root {
		t.Fatalf("project %q root %q", cfg.Project, cfg.Root)
	}
}

func TestMissingExplicitFile(t *testing.T) {
	_, err := Load(Options{Path: "testdata/nope.yaml", Dir: t.TempDir()})
	var ce *Error
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "nope.yaml") {
		t.Fatalf("err = %v", err)
	}
}

func TestEnvironmentOverridesFile(t *testing.T) {
	tests := []struct {
		env     map[string]string
		bind    string
		offset  int
		image   string
		wantErr string
	}{
		{env: map[string]string{}, bind: "::1", offset: 100, image: "postgres:16"},
		{env: map[string]string{"DEVSTACK_BIND": "0.0.0.0", "DEVSTACK_OFFSET": "300", "DEVSTACK_IMAGE_POSTGRES": "local/pg:1"},
			bind: "0.0.0.0", offset: 300, image: "local/pg:1"},
		{env: map[string]string{"DEVSTACK_BIND": "my-laptop"}, wantErr: "environment: DEVSTACK_BIND"},
		{env: map[string]string{"DEVSTACK_OFFSET": "1e3"}, wantErr: "environment: DEVSTACK_OFFSET"},
		{env: map[string]string{"DEVSTACK_OFFSET": "-5"}, wantErr: "out of range"},
	}
	for _, tt := range tests {
		cfg, err := load(t, "full.yaml", tt.env)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("%v: err = %v; want %q", tt.env, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		pg, _ := cfg.Service("postgres")
		if cfg.Bind != tt.bind || cfg.Offset != tt.offset || pg.Image != tt.image {
			t.Fatalf("%v: bind %q offset %d image %q", tt.env, cfg.Bind, cfg.Offset, pg.Image)
		}
	}
}

func TestProjectName(t *testing.T) {
	for in, want := range map[string]string{"invenio-rdm": "invenio-rdm", "My Repo": "my-repo", "__x": "x", "???": "devstack", "App.v2": "app.v2"} {
		if got := ProjectName(in); got != want {
			t.Errorf("ProjectName(%q) = %q, want %q", in, got, want)
		}
	}
}

// The issue's memcached example loads as written, after the built-ins, with its probe
// and its connection template; a built-in's connection: is kept for the plan.
func TestCustomServiceAsTheIssueWritesIt(t *testing.T) {
	cfg, err := load(t, "custom-memcached.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := planned(cfg); got != "postgres,cache" {
		t.Fatalf("services %s", got)
	}
	cache, _ := cfg.Service("cache")
	if cache.Image != "memcached:1.6" || len(cache.Ports) != 1 || cache.Ports[0] != (services.Port{Name: "memcached", Container: 11211, Host: 11411}) {
		t.Fatalf("cache = %+v", cache.Service)
	}
	if !strings.HasPrefix(cache.Probe.String(), "exec bash -c exec 3<>/dev/tcp/127.0.0.1/11211 && printf 'version\\r\\n'") {
		t.Fatalf("probe %s", cache.Probe)
	}
	if len(cache.ConnectionEdits) != 1 || cache.ConnectionEdits[0].Template != "memcached://{host}:{port:memcached}" {
		t.Fatalf("connection %+v", cache.ConnectionEdits)
	}
	if cache.Timeout != 60*time.Second || cache.Mount != "" || cache.Cmd != nil {
		t.Fatalf("defaults: %+v", cache.Service)
	}
	pg, _ := cfg.Service("postgres")
	if len(pg.ConnectionEdits) != 2 || pg.ConnectionEdits[0].Key != "INVENIO_SQLALCHEMY_DATABASE_URI" || !pg.ConnectionEdits[1].Drop {
		t.Fatalf("postgres connection %+v", pg.ConnectionEdits)
	}
}

func TestCustomServiceFields(t *testing.T) {
	cfg, err := load(t, "custom-full.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	mail, _ := cfg.Service("mail")
	if mail.Ports[1] != (services.Port{Name: "web", Container: 8025, Host: 8025}) {
		t.Errorf("a port without host keeps the container's: %+v", mail.Ports[1])
	}
	if mail.Mount != "/data" || mail.Timeout != 90*time.Second || strings.Join(mail.Cmd(nil), " ") != "/mailpit --db-file /data/mail.db" {
		t.Errorf("mail = %+v", mail.Service)
	}
	if mail.Probe.String() != `tcp greeting "220"` || mail.Env["MP_UI_AUTH"] != "admin:${secret:MAIL_PASSWORD}" {
		t.Errorf("probe %s env %v", mail.Probe, mail.Env)
	}
	// DEVSTACK_IMAGE_<NAME> overrides a custom service's image like a built-in's.
	cfg, err = load(t, "custom-full.yaml", map[string]string{"DEVSTACK_IMAGE_MAIL": "mailpit:local"})
	if err != nil {
		t.Fatal(err)
	}
	if mail, _ := cfg.Service("mail"); mail.Image != "mailpit:local" {
		t.Errorf("image %s", mail.Image)
	}
}

func TestExpandSecrets(t *testing.T) {
	secret := func(k string) string { return "s-" + k }
	tests := []struct{ in, want, err string }{
		{"admin:${secret:MAIL_PASSWORD}", "admin:s-MAIL_PASSWORD", ""},
		{"no secret {host}", "no secret {host}", ""},
		{"${secret:lower}", "", "secret name must be capitals"},
	}
	for _, tt := range tests {
		got, err := ExpandSecrets(tt.in, secret)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: err %v", tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%q = %q, %v", tt.in, got, err)
		}
	}
}

func planned(cfg *Config) string {
	var names []string
	for _, s := range cfg.Services {
		names = append(names, s.Name)
	}
	return strings.Join(names, ",")
}

// frameworks: is what the file lists; a file without it has none, and no file at all
// has the default stack's, Invenio's.
func TestFrameworks(t *testing.T) {
	tests := []struct {
		name string
		file string // "" for no file at all
		want []string
	}{
		{"listed", "frameworks.yaml", []string{"invenio", "celery"}},
		{"absent from a file", "optional-service.yaml", nil},
		{"empty list", "", nil},
		{"no file", "", []string{"invenio"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cfg *Config
			var err error
			switch {
			case tt.file != "":
				cfg, err = load(t, tt.file, nil)
			case tt.name == "empty list":
				dir := t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, FileName), []byte("frameworks: []\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				cfg, err = Load(Options{Dir: dir, Getenv: func(string) string { return "" }})
			default:
				cfg, err = Load(Options{Dir: t.TempDir(), Getenv: func(string) string { return "" }})
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(cfg.Frameworks, tt.want) {
				t.Fatalf("frameworks %q, want %q", cfg.Frameworks, tt.want)
			}
		})
	}
	// The frappe refusal says how its settings are printed.
	_, err := load(t, "frameworks-frappe.yaml", nil)
	if ce := (*Error)(nil); !errors.As(err, &ce) || !strings.Contains(ce.Fix, "devstack env --format frappe") {
		t.Fatalf("fix of %v", err)
	}
}

// TestSyntaxErrorPosition: a YAML syntax error names the line and column a person would
// fix, not the parser's context line (go.yaml.in/yaml/v3 reports where the enclosing
// mapping or flow collection began, and no column).
func TestSyntaxErrorPosition(t *testing.T) {
	tests := []struct {
		file      string
		line, col int
		msg       string
	}{
		{"indent-line7.yaml", 7, 2, "did not find expected key"},          // yaml/v3 says line 6
		{"indent-less.yaml", 8, 4, "did not find expected key"},           // yaml/v3 says line 6
		{"indent-more.yaml", 6, 5, "mapping values are not allowed"},      // a key under a scalar
		{"tab.yaml", 3, 1, "cannot start any token"},                      // a tab indents
		{"unclosed-quote.yaml", 2, 7, "end of stream"},                    // yaml/v3 says line 4
		{"unclosed-list.yaml", 2, 11, "did not find expected ',' or ']'"}, // yaml/v3 says line 1
		{"unclosed-map.yaml", 2, 8, "did not find expected ',' or '}'"},
		{"two-colons.yaml", 3, 3, "did not find expected comment or line break"},
		// A flow list over two lines is not the error: its first line alone fails otherwise.
		{"flow-then-indent.yaml", 5, 3, "mapping values are not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "syntax", tt.file)
			_, err := Load(Options{Path: path, Getenv: func(string) string { return "" }})
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v; want *config.Error", err)
			}
			if ce.Line != tt.line || ce.Col != tt.col || !strings.Contains(ce.Msg, tt.msg) || ce.Fix == "" {
				t.Fatalf("got %d:%d %q (fix %q); want %d:%d %q", ce.Line, ce.Col, ce.Msg, ce.Fix, tt.line, tt.col, tt.msg)
			}
			if want := fmt.Sprintf("%s:%d:%d: not valid YAML: ", tt.file, tt.line, tt.col); !strings.Contains(err.Error(), want) {
				t.Fatalf("error %q; want it to contain %q", err, want)
			}
			if yamlLine.MatchString(strings.TrimPrefix(ce.Msg, "not valid YAML: ")) {
				t.Fatalf("message %q still carries the parser's own line", ce.Msg)
			}
		})
	}
}
