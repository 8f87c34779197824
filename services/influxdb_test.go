package services

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/influxdata/influxql"
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
		err := check(context.Background(), s, NewTarget(s, servedAt(t, s, srv, env), nil))
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

// Every project name gives a database name InfluxQL's own parser (the package InfluxDB
// 1.x parses with) reads bare in the image's unquoted CREATE DATABASE; the names that
// already worked are unchanged, so existing volumes keep their database.
func TestInfluxDBDatabaseNameParsesBare(t *testing.T) {
	tests := []struct{ project, want string }{
		{"realmocean", "realmocean"},
		{"my-ocean", "my_ocean"},
		{"my.app", "my_app"},
		{"1ocean", "db_1ocean"},
		{"2024", "db_2024"},
		{"select", "select_db"},
		{"series", "series_db"},
		{"user", "user_db"},
		{"true", "true_db"},
		{"and", "and_db"},
		{"café", "caf_"},
		{"日本", "__"},
		{"_lead", "_lead"},
		{"", "devstack"},
		{"Upper", "upper"},
		{strings.Repeat("9", 80), "db_" + strings.Repeat("9", 57)},
		{strings.Repeat("x", 80), strings.Repeat("x", 60)},
	}
	for _, tt := range tests {
		got := influxDatabase(tt.project)
		if got != tt.want {
			t.Errorf("%q: %q, want %q", tt.project, got, tt.want)
		}
		stmt, err := influxql.ParseStatement("CREATE DATABASE " + got)
		if err != nil {
			t.Errorf("%q: CREATE DATABASE %s: %v", tt.project, got, err)
			continue
		}
		if c, ok := stmt.(*influxql.CreateDatabaseStatement); !ok || c.Name != got {
			t.Errorf("%q: parsed as %#v", tt.project, stmt)
		}
	}
	// Every keyword of the parser, as a project name; and the control: the names the old
	// derivation gave are refused by the same parser.
	for kw := range influxqlKeywords {
		if _, err := influxql.ParseStatement("CREATE DATABASE " + influxDatabase(kw)); err != nil {
			t.Errorf("%q: %v", kw, err)
		}
	}
	// The list is the parser's own: every token whose name it reads back as a keyword.
	for tok := influxql.Token(0); tok < 256; tok++ {
		word := strings.ToLower(tok.String())
		if word != "" && influxql.Lookup(word) == tok && tok != influxql.IDENT && !influxqlKeywords[word] {
			t.Errorf("InfluxQL keyword %q is missing from influxqlKeywords", word)
		}
	}
	for _, old := range []string{"1ocean", "select", "series"} {
		if _, err := influxql.ParseStatement("CREATE DATABASE " + identifier(old, '_')); err == nil {
			t.Errorf("the parser took CREATE DATABASE %s: the control proves nothing", old)
		}
	}
}
