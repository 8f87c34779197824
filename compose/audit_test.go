package compose

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/services"
)

func auditFile(t *testing.T, dir, file string) *AuditReport {
	t.Helper()
	r, err := Audit(context.Background(), dir, file, SevError)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// portItemRE is a short-syntax port item on a line of its own: the oracle the audit's
// positions are checked against, read from the file's text rather than its YAML.
var portItemRE = regexp.MustCompile(`^(\s+)- "?[0-9.:]*[0-9]+"?\s*$`)

// Every port the Invenio-shaped file publishes on all interfaces is found, at the exact
// line and column of its item, and nothing else is called one.
func TestAuditFindsEveryAllInterfacePort(t *testing.T) {
	data, err := os.ReadFile("testdata/invenio/docker-services.yml")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	inPorts := false
	for i, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasSuffix(trimmed, ":") && !strings.HasPrefix(trimmed, "-"):
			inPorts = trimmed == "ports:"
		case inPorts:
			if m := portItemRE.FindStringSubmatch(line); m != nil && !strings.Contains(line, "127.0.0.1") {
				want = append(want, fmt.Sprintf("%d:%d", i+1, len(m[1])+3))
			}
		}
	}
	if len(want) < 13 {
		t.Fatalf("the oracle found %d port lines: it is broken", len(want))
	}
	r := auditFile(t, copyCorpus(t, "invenio"), "docker-services.yml")
	var got []string
	for _, f := range r.Findings {
		if f.Rule == "DS001" {
			if f.File != "docker-services.yml" || f.Severity != SevError {
				t.Errorf("finding %+v", f)
			}
			got = append(got, fmt.Sprintf("%d:%d", f.Line, f.Column))
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("all-interface ports at %v, want %v", got, want)
	}
	if r.OK {
		t.Error("a file with errors passed at --fail-on error")
	}
}

// Through an anchor or extends: the line where the value is written, once, with the
// services inheriting it as related locations.
func TestAuditPositionsThroughAnchorsAndExtends(t *testing.T) {
	r := auditFile(t, copyCorpus(t, "anchors"), "compose.yml")
	var ports []Finding
	for _, f := range r.Findings {
		if f.Rule == "DS001" {
			ports = append(ports, f)
		}
	}
	if len(ports) != 1 || ports[0].Line != 6 || ports[0].Column != 7 {
		t.Fatalf("the anchored port: %+v, want one finding at 6:7", ports)
	}
	related := fmt.Sprint(ports[0].Related)
	if !strings.Contains(related, "{compose.yml 15 5 merged into blue}") || !strings.Contains(related, "{compose.yml 17 5 also merged into green}") {
		t.Errorf("related = %s, want the merges in blue (15:5) and green (17:5)", related)
	}
	pw := findRule(r, "DS006")
	if pw == nil || pw.Line != 11 || pw.Column != 26 || !strings.Contains(fmt.Sprint(pw.Related), "{compose.yml 21 7 merged into db's environment}") {
		t.Errorf("the anchored default password: %+v, want 11:26 related to 21:7", pw)
	}

	full := auditFile(t, copyCorpus(t, "invenio"), "docker-compose.full.yml")
	var dbPort *Finding
	for i, f := range full.Findings {
		if f.Rule == "DS001" && f.Service == "db" {
			dbPort = &full.Findings[i]
		}
	}
	if dbPort == nil || dbPort.File != "docker-services.yml" || dbPort.Line != 46 ||
		!strings.Contains(fmt.Sprint(dbPort.Related), "{docker-compose.full.yml 10 7 extended by db}") {
		t.Errorf("db's port through extends: %+v, want docker-services.yml:46 related to docker-compose.full.yml:10:7", dbPort)
	}
}

// A service from an included file is reported in that file.
func TestAuditPositionsInAnIncludedFile(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"compose.yml": "include:\n  - sub/db.yml\nservices:\n  web:\n    image: nginx:1.27.2\n    healthcheck: {test: [CMD, \"true\"]}\n    depends_on: [db]\n",
		"sub/db.yml":  "services:\n  db:\n    image: postgres:16.4\n    ports:\n      - \"5432:5432\"\n",
	}
	for name, text := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := auditFile(t, dir, "compose.yml")
	var got []string
	for _, f := range r.Findings {
		got = append(got, fmt.Sprintf("%s %s:%d:%d", f.Rule, f.File, f.Line, f.Column))
	}
	want := []string{"DS011 sub/db.yml:2:3", "DS001 sub/db.yml:5:9"}
	if !slices.Equal(got, want) {
		t.Errorf("findings %v, want %v", got, want)
	}
}

func findRule(r *AuditReport, id string) *Finding {
	for i := range r.Findings {
		if r.Findings[i].Rule == id {
			return &r.Findings[i]
		}
	}
	return nil
}

// Each rule on the smallest file that breaks it, and a clean file that breaks none.
func TestAuditRules(t *testing.T) {
	const hc = "    healthcheck: {test: [CMD, /bin/true]}\n"
	tests := []struct {
		rule, compose string
	}{
		{"DS001", "services:\n  a:\n    image: nginx:1.27.2\n" + hc + "    ports: [\"0.0.0.0:80:80\"]\n"},
		{"DS001", "services:\n  a:\n    image: nginx:1.27.2\n" + hc + "    ports: [{target: 80, published: \"8080\"}]\n"},
		{"DS001", "services:\n  a:\n    image: nginx:1.27.2\n" + hc + "    ports: [{target: 80, published: \"8080\", host_ip: \"${BIND:-0.0.0.0}\"}]\n"},
		{"DS002", "services:\n  a:\n    image: nginx\n" + hc},
		{"DS002", "services:\n  a:\n    image: nginx:latest\n" + hc},
		{"DS003", "services:\n  a:\n    image: postgres:16-alpine\n" + hc},
		{"DS004", "services:\n  a:\n    image: minio/minio:RELEASE.2025-09-07T16-13-09Z\n" + hc},
		{"DS005", "services:\n  a:\n    image: bitnami/redis:7.4.1\n" + hc},
		{"DS006", "services:\n  a:\n    image: postgres:16.4\n" + hc + "    environment: {POSTGRES_PASSWORD: \"\"}\n"},
		{"DS006", "services:\n  a:\n    image: postgres:16.4\n" + hc + "    environment: [\"POSTGRES_PASSWORD=${PGPW:-postgres}\"]\n"},
		{"DS007", "services:\n  a:\n    image: postgres:16.4\n" + hc + "    environment: {POSTGRES_PASSWORD: s3cr3t-but-committed}\n"},
		{"DS008", "services:\n  a:\n    image: nginx:1.27.2\n" + hc + "    privileged: true\n"},
		{"DS009", "services:\n  a:\n    image: nginx:1.27.2\n" + hc + "    network_mode: host\n"},
		{"DS009", "services:\n  a:\n    image: nginx:1.27.2\n" + hc + "    pid: host\n"},
		{"DS010", "services:\n  a:\n    image: nginx:1.27.2\n" + hc + "    volumes: [\"/var/run/docker.sock:/var/run/docker.sock:ro\"]\n"},
		{"DS011", "services:\n  a:\n    image: nginx:1.27.2\n  b:\n    image: nginx:1.27.2\n" + hc + "    depends_on: [a]\n"},
		{"", "services:\n  a:\n    image: postgres:16.4@sha256:" + strings.Repeat("a", 64) + "\n" + hc +
			"    ports: [\"127.0.0.1:5432:5432\"]\n    environment: {POSTGRES_PASSWORD: \"${PGPW}\"}\n  b:\n    image: nginx:1.27.2\n" + hc + "    depends_on: [a]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.rule+" "+tt.compose, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "compose.yml"), []byte(tt.compose), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, ".env"), []byte("PGPW=a-long-generated-value\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			r := auditFile(t, dir, "compose.yml")
			var rules []string
			for _, f := range r.Findings {
				rules = append(rules, f.Rule)
				if f.Line < 1 || f.Column < 1 || f.File != "compose.yml" || f.Fix == "" {
					t.Errorf("finding without a place or a fix: %+v", f)
				}
				if strings.Contains(f.Message, "s3cr3t") {
					t.Errorf("a finding quotes a password: %s", f.Message)
				}
			}
			if tt.rule == "" {
				if len(rules) != 0 || !r.OK {
					t.Errorf("a clean file has findings %v", rules)
				}
				return
			}
			if !slices.Contains(rules, tt.rule) {
				t.Errorf("findings %v, want %s", rules, tt.rule)
			}
			if failed := Rank(rule(tt.rule).Severity) >= Rank(SevError); r.OK == failed {
				t.Errorf("OK = %v at --fail-on error with a %s finding", r.OK, rule(tt.rule).Severity)
			}
		})
	}
}

// devstack's own built-ins pass its own audit at the default --fail-on error.
func TestBuiltinsPassTheirOwnAudit(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("services:\n")
	for _, n := range services.Names() {
		fmt.Fprintf(&b, "  %s: {}\n", n)
	}
	if err := os.WriteFile(filepath.Join(dir, config.FileName), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Options{Dir: dir, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Services) != len(services.Names()) {
		t.Fatalf("planned %d services, want every built-in (%d)", len(cfg.Services), len(services.Names()))
	}
	r := AuditConfig(cfg, SevError)
	if !r.OK {
		t.Errorf("the built-ins fail their own audit: %+v", r.Findings)
	}
	// The same audit finds what a devstack.yaml gets wrong.
	bad := "bind: 0.0.0.0\nservices:\n  redis: {image: redis}\n  cache:\n    image: memcached:1.6.31\n    ports: [{name: m, container: 11211}]\n" +
		"    env: {ADMIN_PASSWORD: admin}\n    probe: {exec: [/bin/true]}\n"
	if err := os.WriteFile(filepath.Join(dir, config.FileName), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if cfg, err = config.Load(config.Options{Dir: dir, Getenv: func(string) string { return "" }}); err != nil {
		t.Fatal(err)
	}
	r = AuditConfig(cfg, SevError)
	var got []string
	for _, f := range r.Findings {
		got = append(got, fmt.Sprintf("%s@%d:%d", f.Rule, f.Line, f.Column))
	}
	for _, want := range []string{"DS001@1:7", "DS002@3:18", "DS006@7:27"} {
		if !slices.Contains(got, want) {
			t.Errorf("findings %v, want %s", got, want)
		}
	}
}

// The SARIF log is valid against the official SARIF 2.1.0 schema (OASIS sarif-spec,
// sarif-2.1/schema/sarif-schema-2.1.0.json, vendored under testdata/sarif).
func TestAuditSARIFIsValid(t *testing.T) {
	schemaFile, err := os.Open("testdata/sarif/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer schemaFile.Close()
	doc, err := jsonschema.UnmarshalJSON(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	reports := []*AuditReport{
		auditFile(t, copyCorpus(t, "invenio"), "docker-compose.full.yml"),
		auditFile(t, copyCorpus(t, "monitoring"), "docker-compose.yml"),
		auditFile(t, copyCorpus(t, "anchors"), "compose.yml"),
	}
	related := 0
	for _, r := range reports {
		data, err := json.Marshal(SARIF{r})
		if err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(inst); err != nil {
			t.Errorf("%s: SARIF not valid: %v", r.File, err)
		}
		if len(r.Findings) == 0 {
			t.Errorf("%s: the log carries no finding", r.File)
		}
		related += strings.Count(string(data), `"relatedLocations"`)
	}
	if related == 0 {
		t.Error("no log carries related locations: the anchors and extends are not in what was validated")
	}
	// The check can fail: a log without its version is refused.
	inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"runs": []}`))
	if schema.Validate(inst) == nil {
		t.Error("the schema accepts a log without version: the check is broken")
	}
}
