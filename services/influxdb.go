package services

import (
	"net/http"
	"time"

	"github.com/devstack-dev/devstack/probe"
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
			"INFLUXDB_DB":                identifier(p.Project, '_'),
			"INFLUXDB_HTTP_AUTH_ENABLED": "true",
			"INFLUXDB_ADMIN_USER":        "devstack",
			"INFLUXDB_ADMIN_PASSWORD":    p.Secret("INFLUXDB_ADMIN_PASSWORD"),
		}
	},
	// /ping answers 204 without credentials even with auth on; the query proves the
	// generated admin exists, which the image makes behind a server on loopback only.
	Probe: probe.All(
		probe.HTTP{Port: "http", Path: "/ping", Status: http.StatusNoContent},
		probe.HTTP{Port: "http", Path: "/query?q=SHOW%20DATABASES", User: "{env:INFLUXDB_ADMIN_USER}", Password: "{env:INFLUXDB_ADMIN_PASSWORD}", Contains: `"results"`},
	),
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
