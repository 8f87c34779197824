package services

import (
	"time"

	"github.com/devstack-dev/devstack/probe/spec"
)

var _ = register(&Service{
	Name:     "prometheus",
	Order:    100,
	Optional: true,
	// v3.5: Prometheus's long-term-support release (LTS since July 2025); the image is
	// tagged by full version only, so the pin follows the line's fixes by hand: v3.5.5
	// (2026-07-09) after 3.5.2-3.5.5 fixed stored XSS in the web UI (CVE-2026-40179,
	// GHSA-fw8g-cg8f-9j28), credentials shown by /-/config (CVE-2026-42151,
	// GHSA-39j6-789q-qxvh) and unbounded snappy decoding (CVE-2026-42154), and changed
	// nothing else a dev stack uses (CHANGELOG.md of prometheus's release-3.5 branch).
	Image: "prom/prometheus:v3.5.5",
	Ports: []Port{{Name: "http", Container: 9090, Host: 9290}},
	// The image's own configuration scrapes Prometheus itself: enough to query at once.
	Mount:   "/prometheus",
	Timeout: 60 * time.Second,
	// Prometheus takes no credentials without a web configuration file; on loopback, a
	// development server goes without, as the image ships.
	Env: func(Params) map[string]string { return map[string]string{} },
	// /-/ready answers 503 while the TSDB replays its write-ahead log, 200 once queries work.
	Probe: spec.Spec{Kind: "http", Port: "http", Path: "/-/ready"},
	Connection: func(ep Endpoint) []Setting {
		return []Setting{{Key: "PROMETHEUS_URL", Value: "http://" + ep.Addr("http")}}
	},
})
