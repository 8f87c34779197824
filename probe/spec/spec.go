// Package spec is a readiness probe as data: which strategy, with which parameters. A
// service definition (a built-in's or one written in devstack.yaml) holds a Spec; the
// probe package builds the strategy that checks it, by kind. This package links no
// client library, so reading a definition needs none.
package spec

import (
	"fmt"
	"strings"
)

// Kinds are the strategies devstack.yaml can name under probe:, in the order the
// documentation lists them.
var Kinds = []string{"http", "postgres", "mysql", "redis", "amqp", "mongo", "exec", "tcp-banner"}

// Spec is one readiness check. String parameters (user, password, database…) are
// templates over the target: {host}, {port:NAME} and {env:KEY}.
type Spec struct {
	// Kind names the strategy: one of Kinds, "memcached", or "all" (ready when each of
	// All is, checked in order). "" is no probe.
	Kind string `yaml:"kind"`
	// Port is the port name; "" is the service's first port.
	Port string `yaml:"port,omitempty"`
	// Path and Status are an HTTP probe's request and wanted answer (200 when 0).
	Path   string `yaml:"path,omitempty"`
	Status int    `yaml:"status,omitempty"`
	// User and Password log in; Database and VHost are what to log in to.
	User     string `yaml:"user,omitempty"`
	Password string `yaml:"password,omitempty"`
	Database string `yaml:"database,omitempty"`
	VHost    string `yaml:"vhost,omitempty"`
	// Contains must appear in an HTTP answer's body.
	Contains string `yaml:"contains,omitempty"`
	// Body names a judge of an HTTP answer's body that the probe package knows
	// ("cluster-health": OpenSearch's status yellow or green).
	Body string `yaml:"body,omitempty"`
	// Expect is the start of a TCP greeting.
	Expect string `yaml:"expect,omitempty"`
	// Cmd is the command an exec probe runs in the container.
	Cmd []string `yaml:"cmd,omitempty"`
	// All are the checks of kind "all".
	All []Spec `yaml:"all,omitempty"`
}

// IsZero is true for no probe at all.
func (s Spec) IsZero() bool { return s.Kind == "" }

// String says what is checked, for messages: "http GET /minio/health/cluster = 200".
func (s Spec) String() string {
	switch s.Kind {
	case "all":
		parts := make([]string, len(s.All))
		for i, p := range s.All {
			parts[i] = p.String()
		}
		return strings.Join(parts, " and ")
	case "http":
		path, status := s.Path, s.Status
		if path == "" {
			path = "/"
		}
		if status == 0 {
			status = 200
		}
		return fmt.Sprintf("http GET %s = %d", path, status)
	case "postgres":
		return fmt.Sprintf("postgres SELECT 1 as %s", s.User)
	case "mysql":
		return fmt.Sprintf("mysql SELECT 1 as %s", s.User)
	case "mongo":
		return "mongo ping"
	case "redis":
		return "redis PING"
	case "amqp":
		return fmt.Sprintf("amqp open as %s", s.User)
	case "memcached":
		return "memcached version"
	case "exec":
		return "exec " + strings.Join(s.Cmd, " ")
	case "tcp-banner":
		return fmt.Sprintf("tcp greeting %q", s.Expect)
	}
	return s.Kind
}
