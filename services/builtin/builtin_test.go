package builtin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	// config reads the files here into the catalog.
	_ "github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/grammar"
	"github.com/devstack-dev/devstack/internal/listentest"
	"github.com/devstack-dev/devstack/probe"
	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/services/builtin"
)

func secret(key string) string { return "pw-" + strings.ToLower(key) }

func endpoint(s *services.Service, host string, env map[string]string) services.Endpoint {
	ep := services.Endpoint{Host: host, Ports: map[string]int{}, Env: env}
	for _, p := range s.Ports {
		ep.Ports[p.Name] = p.Host
	}
	return ep
}

func settings(s *services.Service, ep services.Endpoint) map[string]string {
	got := map[string]string{}
	for _, st := range s.Connection(ep) {
		got[st.Key] = st.Value
	}
	return got
}

func lookup(t *testing.T, name string) *services.Service {
	t.Helper()
	s, err := services.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func check(ctx context.Context, s *services.Service, ep services.Endpoint) error {
	st, err := probe.Build(s.Probe)
	if err != nil {
		return err
	}
	return st.Check(ctx, services.NewTarget(s, ep, nil))
}

// Every file here is in the catalog, in its order.
func TestEveryFileIsABuiltIn(t *testing.T) {
	files, err := builtin.FS.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(f.Name(), ".yaml")
		if s := lookup(t, name); s.Order == 0 || s.Order >= 1000 {
			t.Errorf("%s: order %d", name, s.Order)
		}
	}
	if len(files) < 5 {
		t.Errorf("%d files", len(files))
	}
}

// The whole catalog, Go and data alike, has what up, status and env rely on; no two
// entries share a host port, an order or a setting; every setting's key fits the grammar.
func TestCatalogEntriesAreComplete(t *testing.T) {
	ports, orders, owner := map[int]string{}, map[int]string{}, map[string]string{}
	for _, s := range services.All() {
		if s.Image == "" || len(s.Ports) == 0 || s.Probe.IsZero() || s.Connection == nil || s.Env == nil || s.Timeout <= 0 {
			t.Errorf("%s is missing a field: %+v", s.Name, s)
		}
		if _, err := probe.Build(s.Probe); err != nil {
			t.Errorf("%s: %v", s.Name, err)
		}
		for _, p := range s.Ports {
			if other, dup := ports[p.Host]; dup {
				t.Errorf("%s and %s share default host port %d", s.Name, other, p.Host)
			}
			ports[p.Host] = s.Name
		}
		if other, dup := orders[s.Order]; dup {
			t.Errorf("%s and %s share Order %d", s.Name, other, s.Order)
		}
		orders[s.Order] = s.Name
		for _, st := range s.Connection(endpoint(s, "127.0.0.1", s.Env(services.Params{Project: "p", Secret: secret}))) {
			if other, dup := owner[st.Key]; dup {
				t.Errorf("%s and %s both write %s", s.Name, other, st.Key)
			}
			owner[st.Key] = s.Name
			if err := grammar.SettingKey(st.Key); err != nil {
				t.Errorf("%s writes %s: %v", s.Name, st.Key, err)
			}
		}
	}
	var defaults []string
	for _, s := range services.Defaults() {
		defaults = append(defaults, s.Name)
	}
	if got := strings.Join(defaults, ","); got != "redis,postgres,rabbitmq,opensearch,minio" {
		t.Fatalf("default services %s", got)
	}
}

// A TCP connect is never readiness: every probe must fail against an accepting proxy.
func TestProbesRefuseAnAcceptingProxy(t *testing.T) {
	port := listentest.ProxyLike(t)
	for _, s := range services.All() {
		t.Run(s.Name, func(t *testing.T) {
			ep := services.Endpoint{Host: "127.0.0.1", Ports: map[string]int{}, Env: s.Env(services.Params{Project: "p", Secret: secret})}
			for _, p := range s.Ports {
				ep.Ports[p.Name] = port
			}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			if err := check(ctx, s, ep); err == nil {
				t.Fatal("probe called an accept-and-close listener ready")
			}
		})
	}
}

func TestMemcachedSettings(t *testing.T) {
	s := lookup(t, "memcached")
	got := settings(s, endpoint(s, "127.0.0.1", s.Env(services.Params{Project: "p", Secret: secret})))
	if got["MEMCACHED_URL"] != "memcached://127.0.0.1:11411" || got["MEMCACHE_SERVERS"] != "127.0.0.1:11411" {
		t.Errorf("settings %v", got)
	}
}

func TestMailpitSettings(t *testing.T) {
	s := lookup(t, "mailpit")
	got := settings(s, endpoint(s, "127.0.0.1", s.Env(services.Params{Project: "p", Secret: secret})))
	want := map[string]string{"SMTP_HOST": "127.0.0.1", "SMTP_PORT": "1225", "MAIL_URL": "smtp://127.0.0.1:1225", "MAILPIT_URL": "http://127.0.0.1:8225"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

func TestPrometheusSettings(t *testing.T) {
	s := lookup(t, "prometheus")
	if got := settings(s, endpoint(s, "::1", s.Env(services.Params{Project: "p", Secret: secret}))); got["PROMETHEUS_URL"] != "http://[::1]:9290" {
		t.Errorf("PROMETHEUS_URL = %q", got["PROMETHEUS_URL"])
	}
}

func TestDashboardsDependOnOpenSearch(t *testing.T) {
	s := lookup(t, "opensearch-dashboards")
	if !slices.Equal(s.DependsOn, []string{"opensearch"}) || s.Env(services.Params{})["OPENSEARCH_HOSTS"] != `["http://opensearch:9200"]` {
		t.Errorf("depends_on %v env %v", s.DependsOn, s.Env(services.Params{}))
	}
}

// Grafana applies GF_SECURITY_ADMIN_PASSWORD to a fresh database only: healthy with
// other credentials is not ready.
func TestGrafanaProbeChecksTheGeneratedPassword(t *testing.T) {
	s := lookup(t, "grafana")
	env := s.Env(services.Params{Project: "p", Secret: secret})
	for _, tt := range []struct {
		password string
		ready    bool
	}{{env["GF_SECURITY_ADMIN_PASSWORD"], true}, {"admin", false}} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u, p, _ := r.BasicAuth()
			switch {
			case r.URL.Path == "/api/health":
			case r.URL.Path == "/api/org" && u == "admin" && p == tt.password:
			default:
				w.WriteHeader(http.StatusUnauthorized)
			}
		}))
		su, _ := url.Parse(srv.URL)
		port, _ := strconv.Atoi(su.Port())
		ep := services.Endpoint{Host: su.Hostname(), Ports: map[string]int{"http": port}, Env: env}
		err := check(context.Background(), s, ep)
		srv.Close()
		if (err == nil) != tt.ready {
			t.Errorf("server password %q: %v, want ready %v", tt.password, err, tt.ready)
		}
	}
	got := settings(s, endpoint(s, "127.0.0.1", env))
	if got["GRAFANA_URL"] != "http://127.0.0.1:3200" || got["GRAFANA_AUTH"] != "admin:pw-gf_security_admin_password" {
		t.Errorf("settings %v", got)
	}
	for _, st := range s.Connection(endpoint(s, "127.0.0.1", env)) {
		if st.Secret != (st.Key == "GRAFANA_AUTH") {
			t.Errorf("%s secret %v", st.Key, st.Secret)
		}
	}
}

// Ready means /ping answers 204 and the generated admin can query: an image started
// without auth, or before the admin exists, is not ready.
func TestInfluxDBProbe(t *testing.T) {
	s := lookup(t, "influxdb")
	env := s.Env(services.Params{Project: "my-app", Secret: secret})
	for _, tt := range []struct {
		admin bool
		ready bool
	}{{true, true}, {false, false}} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u, p, _ := r.BasicAuth()
			switch {
			case r.URL.Path == "/ping":
				w.WriteHeader(http.StatusNoContent)
			case r.URL.Path == "/query" && r.URL.Query().Get("q") == "SHOW DATABASES" && tt.admin && u == "devstack" && p == env["INFLUXDB_ADMIN_PASSWORD"]:
				fmt.Fprint(w, `{"results":[{"statement_id":0}]}`)
			default:
				w.WriteHeader(http.StatusUnauthorized)
			}
		}))
		su, _ := url.Parse(srv.URL)
		port, _ := strconv.Atoi(su.Port())
		err := check(context.Background(), s, services.Endpoint{Host: su.Hostname(), Ports: map[string]int{"http": port}, Env: env})
		srv.Close()
		if (err == nil) != tt.ready {
			t.Errorf("admin exists %v: %v, want ready %v", tt.admin, err, tt.ready)
		}
	}
	got := settings(s, endpoint(s, "127.0.0.1", env))
	want := map[string]string{"INFLUXDB_URL": "http://127.0.0.1:8286", "INFLUXDB_DATABASE": "my_app",
		"INFLUX_USERNAME": "devstack", "INFLUX_PASSWORD": "pw-influxdb_admin_password"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if env["INFLUXDB_HTTP_AUTH_ENABLED"] != "true" {
		t.Error("auth is not on")
	}
}

// Exactly the images whose entrypoints initialise a data directory only when it is empty
// are judged after a cut-short first start; judging another would tell its user to
// delete data that its next start would have carried on with.
func TestInitOnceServices(t *testing.T) {
	want := map[string]bool{"postgres": true, "mariadb": true, "mongodb": true, "influxdb": true}
	for _, s := range services.All() {
		if s.InitOnce != want[s.Name] {
			t.Errorf("%s: InitOnce = %v, want %v", s.Name, s.InitOnce, want[s.Name])
		}
		if s.InitOnce && s.Mount == "" {
			t.Errorf("%s initialises once but keeps no volume", s.Name)
		}
	}
}

// The server options reach mariadbd only as arguments starting with '-' (the image's
// entrypoint runs any other first argument as a command), and they are the ones Frappe
// checks before bench new-site.
func TestMariaDBServerOptionsForFrappe(t *testing.T) {
	s := lookup(t, "mariadb")
	cmd := s.Cmd(s.Env(services.Params{Project: "my-app", Secret: secret}))
	want := map[string]bool{"--character-set-server=utf8mb4": true, "--collation-server=utf8mb4_unicode_ci": true}
	for _, arg := range cmd {
		if arg == "" || arg[0] != '-' {
			t.Errorf("argument %q does not start with '-': the entrypoint would run it as the command", arg)
		}
		delete(want, arg)
	}
	for missing := range want {
		t.Errorf("%s is not passed to the server (cmd %q)", missing, cmd)
	}
}

// Every framework names built-in services only, Go and data alike.
func TestFrameworksNameBuiltins(t *testing.T) {
	for _, f := range services.Frameworks() {
		for name := range f.For {
			if _, err := services.Lookup(name); err != nil {
				t.Errorf("%s: %v", f.Name, err)
			}
		}
	}
}

func TestConnectionSettings(t *testing.T) {
	tests := []struct {
		service string
		host    string
		want    map[string]string
	}{
		{"redis", "127.0.0.1", map[string]string{"REDIS_URL": "redis://default:pw-redis_password@127.0.0.1:6579/0"}},
		{"postgres", "::1", map[string]string{"DATABASE_URL": "postgresql://devstack:pw-postgres_password@[::1]:5632/my_app"}},
		{"rabbitmq", "127.0.0.1", map[string]string{
			"AMQP_URL":                "amqp://devstack:pw-rabbitmq_default_pass@127.0.0.1:5872/",
			"RABBITMQ_MANAGEMENT_URL": "http://devstack:pw-rabbitmq_default_pass@127.0.0.1:15872"}},
		{"opensearch", "127.0.0.1", map[string]string{"OPENSEARCH_URL": "http://127.0.0.1:9400"}},
		{"minio", "127.0.0.1", map[string]string{"S3_ENDPOINT_URL": "http://127.0.0.1:9000", "S3_ACCESS_KEY_ID": "devstack",
			"S3_SECRET_ACCESS_KEY": "pw-minio_root_password", "S3_BUCKET": "my-app"}},
	}
	for _, tt := range tests {
		s, err := services.Lookup(tt.service)
		if err != nil {
			t.Fatal(err)
		}
		env := s.Env(services.Params{Project: "my-app", Secret: secret})
		got := map[string]string{}
		for _, st := range s.Connection(endpoint(s, tt.host, env)) {
			got[st.Key] = st.Value
		}
		for k, v := range tt.want {
			if got[k] != v {
				t.Errorf("%s %s = %q, want %q", tt.service, k, got[k], v)
			}
		}
	}
}

// The password reaches the server as an argument, and an emptied one leaves it out.
func TestRedisCommandCarriesPasswordAndData(t *testing.T) {
	s := lookup(t, "redis")
	cmd := strings.Join(s.Cmd(map[string]string{"REDIS_PASSWORD": "x1"}), " ")
	if !strings.Contains(cmd, "--requirepass x1") || !strings.Contains(cmd, "--dir /data") || !strings.Contains(cmd, "--appendonly yes") {
		t.Fatalf("cmd %q", cmd)
	}
	if cmd := strings.Join(s.Cmd(map[string]string{"REDIS_PASSWORD": ""}), " "); cmd != "redis-server --dir /data --appendonly yes" {
		t.Fatalf("without a password: cmd %q", cmd)
	}
}

// The drivers and the frameworks connect with URLs built in Go (services.PostgresURL…):
// they are the ones the built-ins' own settings hold, special characters included.
func TestDriverURLsAreTheSettings(t *testing.T) {
	for _, tt := range []struct {
		service, key string
		url          func(services.Endpoint) string
	}{
		{"postgres", "DATABASE_URL", services.PostgresURL},
		{"rabbitmq", "AMQP_URL", services.AMQPURL},
		{"mongodb", "MONGODB_URL", services.MongoDBURL},
		{"opensearch", "OPENSEARCH_URL", services.OpenSearchURL},
	} {
		s := lookup(t, tt.service)
		for _, host := range []string{"127.0.0.1", "::1", "host.docker.internal"} {
			env := s.Env(services.Params{Project: "9-select.app", Secret: func(k string) string { return "p@ss/w:rd%?#& " + k }})
			ep := endpoint(s, host, env)
			if got, want := tt.url(ep), settings(s, ep)[tt.key]; got != want {
				t.Errorf("%s at %s: the drivers use %q, %s is %q", tt.service, host, got, tt.key, want)
			}
		}
	}
}
