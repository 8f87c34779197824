package services

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
)

// servedAt is an endpoint whose every port is srv's.
func servedAt(t *testing.T, s *Service, srv *httptest.Server, env map[string]string) Endpoint {
	t.Helper()
	u, _ := url.Parse(srv.URL)
	port, _ := strconv.Atoi(u.Port())
	ep := Endpoint{Host: u.Hostname(), Ports: map[string]int{}, Env: env}
	for _, p := range s.Ports {
		ep.Ports[p.Name] = port
	}
	return ep
}

// Grafana applies GF_SECURITY_ADMIN_PASSWORD to a fresh database only: healthy with
// other credentials is not ready.
func TestGrafanaProbeChecksTheGeneratedPassword(t *testing.T) {
	s, _ := Lookup("grafana")
	env := s.Env(Params{Project: "p", Secret: secret})
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
		err := check(context.Background(), s, NewTarget(s, servedAt(t, s, srv, env), nil))
		srv.Close()
		if (err == nil) != tt.ready {
			t.Errorf("server password %q: %v, want ready %v", tt.password, err, tt.ready)
		}
	}
	got := settings(s, endpoint(s, "127.0.0.1", env))
	if got["GRAFANA_URL"] != "http://127.0.0.1:3200" || got["GRAFANA_AUTH"] != "admin:pw-gf_security_admin_password" {
		t.Errorf("settings %v", got)
	}
}
