package config

import (
	"regexp"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/devstack-dev/devstack/grammar"
	"github.com/devstack-dev/devstack/tmpl"
)

// Where devstack.yaml's strings reach another interpreter, each is checked against that
// sink's grammar (package grammar) here, at load, so that a refused value never gets as
// far as a plan: exit 2 with file:line:col. docs/security.md lists every sink.

// serverNames are the environment variables of built-in services whose value the image
// hands to its server as a name: a database, a user, a bucket, a vhost. The entrypoints
// put them into SQL and InfluxQL (influxdb:1.x unquoted), devstack's loaders and resets
// into URLs and drops, so each has its server's grammar.
var serverNames = map[string]map[string]func(string) error{
	"postgres": {"POSTGRES_DB": grammar.PostgresName, "POSTGRES_USER": grammar.UserName},
	"mariadb":  {"MARIADB_DATABASE": grammar.MariaDBName, "MARIADB_USER": grammar.UserName},
	"mongodb": {"DEVSTACK_MONGODB_DATABASE": grammar.MongoDatabase, "MONGO_INITDB_DATABASE": grammar.MongoDatabase,
		"MONGO_INITDB_ROOT_USERNAME": grammar.UserName},
	"influxdb": {"INFLUXDB_DB": grammar.InfluxDBName, "INFLUXDB_ADMIN_USER": grammar.UserName, "INFLUXDB_USER": grammar.UserName},
	"minio":    {"DEVSTACK_BUCKET": grammar.BucketName, "MINIO_ROOT_USER": grammar.UserName},
	"rabbitmq": {"RABBITMQ_DEFAULT_VHOST": grammar.VHost, "RABBITMQ_DEFAULT_USER": grammar.UserName},
	"grafana":  {"GF_SECURITY_ADMIN_USER": grammar.UserName}, // reaches GRAFANA_AUTH as USER:PASSWORD
}

// envNames checks the server names a built-in's env: (n) gives.
func (d decoder) envNames(n *yaml.Node, at, service string) error {
	rules := serverNames[service]
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if rule, ok := rules[k.Value]; ok {
			if err := d.sink(v, join(at, k.Value), k.Value, v.Value, rule); err != nil {
				return err
			}
		}
	}
	return nil
}

// secretRefs checks the NAME of every secret reference re finds in s (written at n):
// ${secret:NAME} in env:, {secret:NAME} in templates. NAME becomes a line of
// .devstack/secrets.env.
func (d decoder) secretRefs(n *yaml.Node, key, s string, re *regexp.Regexp) error {
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		if err := grammar.SecretName(m[1]); err != nil {
			// Never quote the name: whatever it holds, it was meant to become a credential.
			return d.errf(n, key, grammar.SecretFix, "%s", err.Error())
		}
	}
	return nil
}

// templateSecrets checks the {secret:NAME} references of a template.
func (d decoder) templateSecrets(n *yaml.Node, key, template string) error {
	for _, r := range tmpl.Refs(template) {
		if r.Kind == "secret" {
			if err := grammar.SecretName(r.Arg); err != nil {
				return d.errf(n, key, grammar.SecretFix, "%s", err.Error())
			}
		}
	}
	return nil
}

// literal reports whether a probe parameter is written out rather than a template,
// so that its server's grammar applies now (a template is checked when it resolves).
func literal(s string) bool { return len(tmpl.Refs(s)) == 0 }

// probeKinds are the references a probe parameter may use (probe.Expand).
var probeKinds = []string{"host", "port", "env"}

// probeParams checks a custom probe's parameters (n is the probe's mapping) against their
// sinks: the HTTP path against the URL grammar, a written-out database or vhost against
// its server's, and every template against what a probe resolves.
func (d decoder) probeParams(n *yaml.Node, at string, p map[string]*scalar[string]) error {
	rules := map[string]func(string) error{"path": grammar.ProbePath, "vhost": grammar.VHost}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name, key := k.Value, join(at, k.Value)
		s := p[name]
		if s == nil {
			continue
		}
		for _, r := range tmpl.Refs(s.value) {
			if !slices.Contains(probeKinds, r.Kind) {
				return d.errf(v, key, "a probe parameter takes {host}, {port:NAME} or {env:KEY} (the container's environment, generated secrets included)",
					"%s is not a reference a probe resolves", quote(name, r.String()))
			}
		}
		rule := rules[name]
		if name == "database" {
			rule = probeDatabase[lastKey(at)]
		}
		if rule != nil && s.value != "" && literal(s.value) {
			if err := d.sink(v, key, name, s.value, rule); err != nil {
				return err
			}
		}
	}
	return nil
}

// probeDatabase is the grammar of a written-out database per probe.
var probeDatabase = map[string]func(string) error{
	"postgres": grammar.PostgresName, "mysql": grammar.MariaDBName, "mongo": grammar.MongoLoginDatabase,
}
