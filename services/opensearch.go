package services

// opensearch's definition is data (services/builtin/opensearch.yaml); the drivers and
// the frameworks' settings reach it at this URL, the one its OPENSEARCH_URL setting holds.

// OpenSearchURL is the REST endpoint (plain HTTP: the security plugin is off in dev).
func OpenSearchURL(ep Endpoint) string { return "http://" + ep.Addr("http") }
