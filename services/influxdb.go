package services

import (
	"net/http"
	"strings"
	"time"

	"github.com/devstack-dev/devstack/probe/spec"
)

var _ = register(&Service{
	Name:     "influxdb",
	Order:    120,
	Optional: true,
	// 1.11: the 1.x API (InfluxQL, /write, /query) that Realmocean and Telegraf's
	// influxdb output speak; the 2.x and 3.x images answer another API.
	Image: "influxdb:1.11",
	Ports: []Port{{Name: "http", Container: 8086, Host: 8286}},
	Mount: "/var/lib/influxdb",
	// init-influxdb.sh makes the database and admin user only when the meta directory is absent.
	InitOnce: true,
	Timeout:  60 * time.Second,
	Env: func(p Params) map[string]string {
		return map[string]string{
			"INFLUXDB_DB":                influxDatabase(p.Project),
			"INFLUXDB_HTTP_AUTH_ENABLED": "true",
			"INFLUXDB_ADMIN_USER":        "devstack",
			"INFLUXDB_ADMIN_PASSWORD":    p.Secret("INFLUXDB_ADMIN_PASSWORD"),
		}
	},
	// /ping answers 204 without credentials even with auth on; the query proves the
	// generated admin exists, which the image makes behind a server on loopback only.
	Probe: spec.Spec{Kind: "all", All: []spec.Spec{
		{Kind: "http", Port: "http", Path: "/ping", Status: http.StatusNoContent},
		{Kind: "http", Port: "http", Path: "/query?q=SHOW%20DATABASES", User: "{env:INFLUXDB_ADMIN_USER}", Password: "{env:INFLUXDB_ADMIN_PASSWORD}", Contains: `"results"`},
	}},
	// INFLUX_USERNAME and INFLUX_PASSWORD are what the 1.x influx CLI reads.
	Connection: func(ep Endpoint) []Setting {
		return []Setting{
			{Key: "INFLUXDB_URL", Value: "http://" + ep.Addr("http")},
			{Key: "INFLUXDB_DATABASE", Value: ep.Env["INFLUXDB_DB"]},
			{Key: "INFLUX_USERNAME", Value: ep.Env["INFLUXDB_ADMIN_USER"]},
			{Key: "INFLUX_PASSWORD", Value: ep.Env["INFLUXDB_ADMIN_PASSWORD"], Secret: true},
		}
	},
})

// influxDatabase is the database name the image creates. influxdata-docker's
// influxdb/1.11/init-influxdb.sh (read at d457cb9, 2026-08) sends
// CREATE_DB_QUERY="CREATE DATABASE $INFLUXDB_DB" unquoted, so the name must be what
// InfluxQL's scanner reads as one bare identifier (influxdata/influxql scanner.go:
// isIdentFirstChar is an ASCII letter or '_', isIdentChar adds digits) that is not a
// keyword (token.go). A name that already is one stays as it was, so existing volumes
// keep their database; otherwise a leading digit gets "db_" before it, a keyword "_db"
// after it, and the name is cut to 63 characters like the other services' names.
func influxDatabase(project string) string {
	name := identifier(strings.ToLower(project), '_')
	if name == "" {
		name = "devstack"
	}
	if name[0] >= '0' && name[0] <= '9' {
		name = "db_" + name
	}
	if len(name) > 60 {
		name = name[:60]
	}
	if influxqlKeywords[name] {
		name += "_db"
	}
	return name
}

// influxqlKeywords are the words InfluxQL's scanner returns as keywords, never as an
// identifier: every token between keywordBeg and keywordEnd in influxdata/influxql's
// token.go (read at 8c3e70e, 2025-03), plus and, or, true and false, which its init()
// adds. InfluxDB 1.x parses with that package.
var influxqlKeywords = map[string]bool{
	"all": true, "alter": true, "analyze": true, "any": true, "as": true, "asc": true,
	"begin": true, "by": true, "cardinality": true, "create": true, "continuous": true,
	"database": true, "databases": true, "default": true, "delete": true, "desc": true,
	"destinations": true, "diagnostics": true, "distinct": true, "drop": true,
	"duration": true, "end": true, "every": true, "exact": true, "explain": true,
	"field": true, "for": true, "from": true, "future": true, "grant": true,
	"grants": true, "group": true, "groups": true, "in": true, "inf": true,
	"insert": true, "into": true, "key": true, "keys": true, "kill": true,
	"limit": true, "measurement": true, "measurements": true, "name": true,
	"offset": true, "on": true, "order": true, "password": true, "past": true,
	"policy": true, "policies": true, "privileges": true, "queries": true,
	"query": true, "read": true, "replication": true, "resample": true,
	"retention": true, "revoke": true, "select": true, "series": true, "set": true,
	"show": true, "shard": true, "shards": true, "slimit": true, "soffset": true,
	"stats": true, "subscription": true, "subscriptions": true, "tag": true,
	"to": true, "user": true, "users": true, "values": true, "verbose": true,
	"where": true, "with": true, "write": true,
	"and": true, "or": true, "true": true, "false": true,
}
