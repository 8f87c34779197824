// Package builtin holds the built-in services written as data: one NAME.yaml a service,
// in the schema of a service devstack.yaml defines itself (image, ports, env, volume,
// command, probe, timeout, connection, depends_on) plus what only a built-in says: its
// order in every listing, whether it is optional, and its ulimits, host checks,
// fixtures, upgrade, after-ready step and the hooks it names (docs/services.md lists
// them). config reads them with the decoder it reads devstack.yaml's own services with,
// and adds them to the catalog. Every built-in is here.
//
// Adding a built-in that speaks a protocol devstack knows (a probe kind, a fixture kind)
// is its YAML file here and nothing else.
package builtin

import "embed"

// FS holds every built-in's NAME.yaml.
//
//go:embed *.yaml
var FS embed.FS
