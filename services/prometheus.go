package services

import (
	"time"

	"github.com/devstack-dev/devstack/probe"
)

var _ = register(&Service{
	Name:     "prometheus",
	Order:    100,
	Optional: true,
	// v3.5: Prometheus's long-term-support release (LTS since July 2025); the image is
	// tagged by full version only.
	Image: "prom/prometheus:v3.5.0",
	Ports: []Port{{Name: "http", Container: 9090, Host: 9290}},
	// The image's own configuration scrapes Prometheus itself: enough to query at once.
	Mount:   "/prometheus",
	Timeout: 60 * time.Second,
	// Prometheus takes no credentials without a web configuration file; on loopback, a
	// development server goes without, as the image ships.
	Env: func(Params) map[string]string { return map[string]string{} },
	// /-/ready answers 503 while the TSDB replays its write-ahead log, 200 once queries work.
	Probe: probe.HTTP{Port: "http", Path: "/-/ready"},
	Connection: func(ep Endpoint) []Setting {
		return []Setting{{Key: "PROMETHEUS_URL", Value: "http://" + ep.Addr("http")}}
	},
})
