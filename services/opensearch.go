package services

import (
	"time"

	"github.com/devstack-dev/devstack/grammar"
	"github.com/devstack-dev/devstack/probe/spec"
)

var _ = register(&Service{
	Name:  "opensearch",
	Order: 40,
	// 2.19: the last 2.x minor, which Invenio's template runs and the only one 3.x upgrades
	// from; there is no floating 2.19 tag, so the latest patch is pinned.
	Image: "opensearchproject/opensearch:2.19.6",
	Ports: []Port{
		{Name: "http", Container: 9200, Host: 9400},
		{Name: "performance-analyzer", Container: 9600, Host: 9800},
	},
	Mount: "/usr/share/opensearch/data",
	// Indices written by one major are not read by an older one, and 3.x reads only
	// what 2.19 wrote.
	Upgrade: &Upgrade{
		Move: func(string) string {
			return "reindex from your application's source of truth into a fresh volume (devstack down --volumes opensearch), " +
				"or take a snapshot with the old image and restore it into the new one"
		},
	},
	Ulimits: []Ulimit{{Name: "memlock", Soft: -1, Hard: -1}, {Name: "nofile", Soft: 65536, Hard: 65536}},
	Timeout: 180 * time.Second,
	Env: func(Params) map[string]string {
		return map[string]string{
			"discovery.type":          "single-node",
			"DISABLE_SECURITY_PLUGIN": "true",
			// From 2.12 the demo configuration step exits without an initial admin password.
			"DISABLE_INSTALL_DEMO_CONFIG": "true",
			"OPENSEARCH_JAVA_OPTS":        "-Xms512m -Xmx512m",
		}
	},
	Probe:    spec.Spec{Kind: "http", Port: "http", Path: "/_cluster/health", Body: "cluster-health"},
	Fixtures: &Fixtures{Kind: "opensearch", Files: "templates/*.json, indices/*.json or *.ndjson files", Keys: []FixtureOption{{Key: "index", Default: "none: each bulk action names its index", Check: grammar.IndexName}}},
	// In single-node mode OpenSearch only warns at start about a low map count: so does doctor.
	HostChecks: []HostCheck{{Sysctl: "vm.max_map_count", Min: 262144, For: "OpenSearch",
		Fix: "sudo sysctl -w vm.max_map_count=262144; keep it with: echo vm.max_map_count=262144 | sudo tee /etc/sysctl.d/99-opensearch.conf"}},
	Connection: func(ep Endpoint) []Setting {
		return []Setting{{Key: "OPENSEARCH_URL", Value: OpenSearchURL(ep)}}
	},
})

// OpenSearchURL is the REST endpoint (plain HTTP: the security plugin is off in dev).
func OpenSearchURL(ep Endpoint) string { return "http://" + ep.Addr("http") }
