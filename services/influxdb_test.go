package services

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Ready means /ping answers 204 and the generated admin can query: an image started
// without auth, or before the admin exists, is not ready.
func TestInfluxDBProbe(t *testing.T) {
	s, _ := Lookup("influxdb")
	env := s.Env(Params{Project: "my-app", Secret: secret})
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
		err := s.Probe.Check(context.Background(), NewTarget(s, servedAt(t, s, srv, env), nil))
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
