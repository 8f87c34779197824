package services

import (
	"time"

	"github.com/devstack-dev/devstack/probe/spec"
)

var _ = register(&Service{
	Name:     "opensearch-dashboards",
	Order:    60,
	Optional: true,
	// Dashboards must match OpenSearch's version.
	Image:   "opensearchproject/opensearch-dashboards:2.19.6",
	Ports:   []Port{{Name: "http", Container: 5601, Host: 5801}},
	Timeout: 180 * time.Second,
	Env: func(p Params) map[string]string {
		return map[string]string{
			"OPENSEARCH_HOSTS":                   `["http://opensearch:9200"]`,
			"DISABLE_SECURITY_DASHBOARDS_PLUGIN": "true",
		}
	},
	Probe: spec.Spec{Kind: "http", Port: "http", Path: "/api/status"},
	// It needs OpenSearch answering: OPENSEARCH_HOSTS above.
	DependsOn: []string{"opensearch"},
	Connection: func(ep Endpoint) []Setting {
		return []Setting{{Key: "OPENSEARCH_DASHBOARDS_URL", Value: "http://" + ep.Addr("http")}}
	},
})
