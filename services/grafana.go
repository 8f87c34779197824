package services

import (
	"time"

	"github.com/devstack-dev/devstack/probe/spec"
)

var _ = register(&Service{
	Name:     "grafana",
	Order:    110,
	Optional: true,
	// 12.2: the current minor series; Grafana tags full versions only, and migrates its
	// database forward on upgrade.
	Image:   "grafana/grafana:12.2.1",
	Ports:   []Port{{Name: "http", Container: 3000, Host: 3200}},
	Mount:   "/var/lib/grafana",
	Timeout: 90 * time.Second,
	Env: func(p Params) map[string]string {
		return map[string]string{
			"GF_SECURITY_ADMIN_USER":     "admin",
			"GF_SECURITY_ADMIN_PASSWORD": p.Secret("GF_SECURITY_ADMIN_PASSWORD"),
		}
	},
	// /api/health answers once the database is up; /api/org with the generated admin
	// credentials proves they took (Grafana applies them only to a fresh database).
	Probe: spec.Spec{Kind: "all", All: []spec.Spec{
		{Kind: "http", Port: "http", Path: "/api/health"},
		{Kind: "http", Port: "http", Path: "/api/org", User: "{env:GF_SECURITY_ADMIN_USER}", Password: "{env:GF_SECURITY_ADMIN_PASSWORD}"},
	}},
	// GRAFANA_URL and GRAFANA_AUTH (user:password) are what Grafana's Terraform provider
	// and grafanactl-style tools read.
	Connection: func(ep Endpoint) []Setting {
		return []Setting{
			{Key: "GRAFANA_URL", Value: "http://" + ep.Addr("http")},
			{Key: "GRAFANA_AUTH", Value: ep.Env["GF_SECURITY_ADMIN_USER"] + ":" + ep.Env["GF_SECURITY_ADMIN_PASSWORD"], Secret: true},
		}
	},
})
