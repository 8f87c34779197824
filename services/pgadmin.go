package services

import (
	"time"

	"github.com/devstack-dev/devstack/probe"
)

var _ = register(&Service{
	Name:     "pgadmin",
	Order:    70,
	Optional: true,
	// A major tag: pgAdmin's configuration database migrates forward within it.
	Image: "dpage/pgadmin4:9",
	Ports: []Port{
		{Name: "http", Container: 80, Host: 5250},
		{Name: "https", Container: 443, Host: 5251},
	},
	Mount:   "/var/lib/pgadmin",
	Timeout: 120 * time.Second,
	Env: func(p Params) map[string]string {
		return map[string]string{
			"PGADMIN_DEFAULT_EMAIL":    "admin@" + identifier(p.Project, '-') + ".localhost",
			"PGADMIN_DEFAULT_PASSWORD": p.Secret("PGADMIN_DEFAULT_PASSWORD"),
		}
	},
	Probe: probe.HTTP{Port: "http", Path: "/misc/ping"},
	Connection: func(ep Endpoint) []Setting {
		return []Setting{
			{Key: "PGADMIN_URL", Value: "http://" + ep.Addr("http")},
			{Key: "PGADMIN_EMAIL", Value: ep.Env["PGADMIN_DEFAULT_EMAIL"]},
			{Key: "PGADMIN_PASSWORD", Value: ep.Env["PGADMIN_DEFAULT_PASSWORD"], Secret: true},
		}
	},
})
