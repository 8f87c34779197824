package config

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/devstack-dev/devstack/grammar"
	"github.com/devstack-dev/devstack/probe/spec"
	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/tmpl"
)

// A service devstack.yaml defines itself (any name the catalog does not have) is made into
// the same services.Service a built-in is, so nothing after config tells them apart.

// customTimeout is how long up waits for a custom service when the file says nothing.
const customTimeout = 60 * time.Second

// customOrder puts custom services after every built-in, in the file's order.
const customOrder = 1000

// ConnectionSetting is one entry of a service's connection: in devstack.yaml: a setting
// added (or replacing the service's own of that name), or, written as null, one dropped.
type ConnectionSetting struct {
	Key      string
	Template string // over {host}, {port:NAME}, {env:KEY}, {secret:NAME}, {project}, {setting:KEY}
	Drop     bool
	Line     int
}

// ConnectionFix is the fix for a connection template that does not resolve.
const ConnectionFix = "write the value as a template over {host}, {port:NAME}, {env:KEY}, {secret:NAME}, {project} " +
	"and {setting:KEY} (one of the service's own settings), such as \"memcached://{host}:{port:memcached}\""

// connectionKinds are the references a connection template may use.
var connectionKinds = []string{"host", "port", "env", "secret", "project", "setting"}

// catalogConnectionKinds are those a built-in's own connection settings use: what its
// endpoint holds, {addr:NAME} being host:port with an IPv6 host in brackets.
// {userinfo:USER:PASSWORD} is the two variables as a URL's userinfo, escaped (either
// written =VALUE is that value itself); {auth:USER:PASSWORD} is the same followed by
// '@', or nothing when the password is empty; {path:KEY} is the variable escaped as a
// URL's path.
var catalogConnectionKinds = []string{"host", "port", "addr", "env", "userinfo", "auth", "path"}

var (
	serviceNameRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`)
	portNameRE    = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	secretRE      = regexp.MustCompile(`\$\{secret:([^}]*)\}`)
)

// ExpandSecrets replaces ${secret:NAME} in an environment value with the project's
// generated credential NAME.
func ExpandSecrets(v string, secret func(string) string) (string, error) {
	var bad error
	out := secretRE.ReplaceAllStringFunc(v, func(m string) string {
		name := secretRE.FindStringSubmatch(m)[1]
		if err := grammar.SecretName(name); err != nil {
			bad = err // never quoting the name: it was meant to become a credential
			return m
		}
		return secret(name)
	})
	return out, bad
}

// custom decodes a service the catalog does not know into a catalog entry.
func (d decoder) custom(v *yaml.Node, key, name string, order int) (serviceEntry, error) {
	e := serviceEntry{name: name, line: v.Line, key: key}
	if !serviceNameRE.MatchString(name) {
		return e, d.errf(v, key, "use lower-case letters, digits and '-', starting with a letter, at most 31 characters",
			"%s is not a service name devstack can use", quote("service", name))
	}
	svc := &services.Service{Name: name, Order: customOrder + order, Timeout: customTimeout}
	var probeNode *yaml.Node
	var probeKey string
	var command []string
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		v = &yaml.Node{Kind: yaml.MappingNode, Line: v.Line, Column: v.Column} // "name:" alone: no image, said below
	}
	fields := map[string]func(*yaml.Node, string) error{
		"image": func(v *yaml.Node, k string) error {
			var s scalar[string]
			if err := d.str(v, k, &s); err != nil {
				return err
			}
			svc.Image = s.value
			return d.sink(v, k, "image", s.value, grammar.ImageRef)
		},
		"ports": func(v *yaml.Node, k string) error { return d.portList(v, k, &svc.Ports) },
		"env":   func(v *yaml.Node, k string) error { return d.env(v, k, &e.env) },
		"volume": func(v *yaml.Node, k string) error {
			var s scalar[string]
			if err := d.str(v, k, &s); err != nil {
				return err
			}
			if err := d.sink(v, k, "volume", s.value, grammar.MountPath); err != nil {
				return err
			}
			svc.Mount = s.value
			return nil
		},
		"command":    func(v *yaml.Node, k string) error { return d.strings(v, k, &command) },
		"depends_on": func(v *yaml.Node, k string) error { return d.dependsOn(v, k, &e.depends) },
		"probe":      func(v *yaml.Node, k string) error { probeNode, probeKey = v, k; return nil },
		"timeout": func(v *yaml.Node, k string) error {
			t, err := time.ParseDuration(v.Value)
			if v.Kind != yaml.ScalarNode || err != nil || t <= 0 {
				return d.errf(v, k, "write a duration such as 60s or 3m", "must be a duration, not %s", kind(v, k))
			}
			svc.Timeout = t
			return nil
		},
		"connection":  func(v *yaml.Node, k string) error { return d.connection(v, k, &e.connection) },
		"acknowledge": func(v *yaml.Node, k string) error { return d.acknowledge(v, k, &e.acks) },
	}
	if d.catalog {
		fields["order"] = func(v *yaml.Node, k string) error {
			var o scalar[int]
			err := d.integer(v, k, &o)
			svc.Order = o.value
			return err
		}
		fields["optional"] = func(v *yaml.Node, k string) error { return d.boolean(v, k, &svc.Optional) }
		fields["init_once"] = func(v *yaml.Node, k string) error { return d.boolean(v, k, &svc.InitOnce) }
		d.catalogFields(fields, svc)
	}
	if err := d.mapping(v, key, fields); err != nil {
		return e, err
	}
	if svc.Image == "" {
		return e, d.errf(v, key, "use a built-in ("+strings.Join(services.Names(), ", ")+"), or define the service with image:, ports: and probe:",
			"is not a built-in service, and defines no image")
	}
	if probeNode == nil {
		return e, d.errf(v, key, "say how devstack knows it is ready: probe: with one of "+strings.Join(spec.Kinds, ", "),
			"has no probe; a published port accepts connections before the service listens, so devstack cannot guess")
	}
	p, err := d.probe(probeNode, probeKey, svc.Ports)
	if err != nil {
		return e, err
	}
	svc.Probe = p
	if command != nil {
		svc.Cmd = func(map[string]string) []string { return command }
	}
	for _, dep := range e.depends {
		svc.DependsOn = append(svc.DependsOn, dep.value)
	}
	e.custom = svc
	return e, nil
}

// dependsOn reads the services a custom service needs ready before it starts; which of
// them the project has, and that they make no cycle, is checked once all are read.
func (d decoder) dependsOn(n *yaml.Node, key string, out *[]dependency) error {
	if n.Kind != yaml.SequenceNode {
		return d.errf(n, key, "write a list of the project's services, such as depends_on: [postgres]", "must be a list, not %s", kind(n, key))
	}
	for i, v := range n.Content {
		k := fmt.Sprintf("%s[%d]", key, i)
		var s scalar[string]
		if err := d.str(v, k, &s); err != nil {
			return err
		}
		if slices.ContainsFunc(*out, func(o dependency) bool { return o.value == s.value }) {
			return d.errf(v, k, "name each service once", "names %s twice", quote("service", s.value))
		}
		*out = append(*out, dependency{scalar: s, key: k})
	}
	return nil
}

// portList is a custom service's ports: each a name, the container's port and the host's
// before the offset (the container's when left out).
func (d decoder) portList(n *yaml.Node, at string, out *[]services.Port) error {
	if n.Kind != yaml.SequenceNode {
		return d.errf(n, at, "write a list: each item `- {name: http, container: 80, host: 8280}`", "must be a list, not %s", kind(n, at))
	}
	for i, item := range n.Content {
		key := fmt.Sprintf("%s[%d]", at, i)
		var p services.Port
		var name scalar[string]
		var container, host scalar[int]
		if err := d.mapping(item, key, map[string]func(*yaml.Node, string) error{
			"name":      func(v *yaml.Node, k string) error { return d.str(v, k, &name) },
			"container": func(v *yaml.Node, k string) error { return d.port(v, k, &container) },
			"host":      func(v *yaml.Node, k string) error { return d.port(v, k, &host) },
		}); err != nil {
			return err
		}
		switch {
		case !portNameRE.MatchString(name.value):
			return d.errf(item, key+".name", "name the port in lower-case letters, digits and '-', such as http", "is missing or not a port name")
		case container.value == 0:
			return d.errf(item, key+".container", "give the port the service listens on inside the container", "is missing")
		case slices.ContainsFunc(*out, func(o services.Port) bool { return o.Name == name.value }):
			return d.errf(item, key+".name", "give each port its own name", "%q names two ports", name.value)
		}
		p.Name, p.Container, p.Host = name.value, container.value, host.value
		if p.Host == 0 {
			p.Host = p.Container
		}
		*out = append(*out, p)
	}
	return nil
}

func (d decoder) port(v *yaml.Node, key string, out *scalar[int]) error {
	if err := d.integer(v, key, out); err != nil {
		return err
	}
	if out.value < 1 || out.value > 65535 {
		return d.errf(v, key, "use a port from 1 to 65535", "port %d is out of range", out.value)
	}
	return nil
}

func (d decoder) strings(n *yaml.Node, key string, out *[]string) error {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		return d.errf(n, key, `write the command as a list, such as ["memcached", "-m", "64"]`, "must be a non-empty list of strings, not %s", kind(n, key))
	}
	*out = []string{}
	for i, v := range n.Content {
		var s scalar[string]
		if err := d.str(v, fmt.Sprintf("%s[%d]", key, i), &s); err != nil {
			return err
		}
		*out = append(*out, s.value)
	}
	return nil
}

// connection reads settings to add (KEY: template), replace or drop (KEY: null).
func (d decoder) connection(n *yaml.Node, at string, out *[]ConnectionSetting) error {
	if n.Kind != yaml.MappingNode {
		return d.errf(n, at, "write it as `NAME: \"template\"` lines indented under it", "must be a mapping of setting names to templates, not %s", kind(n, at))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := join(at, k.Value)
		// The key reaches a shell and every dotenv reader: grammar.SettingKey says why
		// it is an allowlist of shapes.
		if err := d.sink(k, key, "name", k.Value, grammar.SettingKey); err != nil {
			return err
		}
		if slices.ContainsFunc(*out, func(c ConnectionSetting) bool { return c.Key == k.Value }) {
			return d.errf(k, key, "keep one of them", "appears twice")
		}
		c := ConnectionSetting{Key: k.Value, Line: k.Line}
		switch {
		case v.Kind == yaml.ScalarNode && v.Tag == "!!null":
			c.Drop = true
		case v.Kind != yaml.ScalarNode:
			return d.errf(v, key, ConnectionFix, "must be a string, not %s", kind(v, key))
		default:
			c.Template = v.Value
			kinds := connectionKinds
			if d.catalog {
				kinds = catalogConnectionKinds
			}
			for _, r := range tmpl.Refs(v.Value) {
				if !slices.Contains(kinds, r.Kind) {
					return d.errf(v, key, ConnectionFix, "%s is not a reference devstack knows", r)
				}
			}
			if err := d.templateSecrets(v, key, v.Value); err != nil {
				return err
			}
		}
		*out = append(*out, c)
	}
	return nil
}

// probe reads `probe:`: exactly one strategy with its parameters.
func (d decoder) probe(n *yaml.Node, at string, ports []services.Port) (spec.Spec, error) {
	fix := "write one of " + strings.Join(spec.Kinds, ", ") + ", such as probe: {http: {path: /health, status: 200}}"
	if d.catalog && n.Kind == yaml.SequenceNode && len(n.Content) > 0 {
		all := spec.Spec{Kind: "all"}
		for i, item := range n.Content {
			p, err := d.probe(item, fmt.Sprintf("%s[%d]", at, i), ports)
			if err != nil {
				return spec.Spec{}, err
			}
			all.All = append(all.All, p)
		}
		return all, nil
	}
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return spec.Spec{}, d.errf(n, at, fix, "must name exactly one strategy")
	}
	k, v := n.Content[0], n.Content[1]
	key := join(at, k.Value)
	p := map[string]*scalar[string]{}
	field := func(name string) func(*yaml.Node, string) error {
		p[name] = &scalar[string]{}
		return func(v *yaml.Node, k string) error { return d.str(v, k, p[name]) }
	}
	params := func(names ...string) error {
		fields := map[string]func(*yaml.Node, string) error{}
		for _, n := range names {
			fields[n] = field(n)
		}
		if err := d.mapping(v, key, fields); err != nil {
			return err
		}
		if err := d.probeParams(v, key, p); err != nil {
			return err
		}
		if port := p["port"]; port != nil && port.value != "" && !slices.ContainsFunc(ports, func(sp services.Port) bool { return sp.Name == port.value }) {
			return d.errf(v, key+".port", "name one of the service's ports", "%q is not one of its ports", port.value)
		}
		if p["port"] != nil && p["port"].value == "" && len(ports) == 0 {
			return d.errf(v, key, "give the service a port under ports:, or probe it with exec", "needs a port, and the service has none")
		}
		return nil
	}
	val := func(name string) string { return p[name].value }
	switch k.Value {
	case "http":
		names := []string{"port", "path", "status", "user", "password", "contains"}
		if d.catalog {
			names = append(names, "body") // a judge the probe package knows by name
		}
		if err := params(names...); err != nil {
			return spec.Spec{}, err
		}
		h := spec.Spec{Kind: "http", Port: val("port"), Path: val("path"), User: val("user"), Password: val("password"), Contains: val("contains")}
		if d.catalog {
			h.Body = val("body")
		}
		if s := val("status"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 100 || n > 599 {
				return spec.Spec{}, d.errf(v, key+".status", "write an HTTP status such as 200", "%s is not an HTTP status", quote("status", s))
			}
			h.Status = n
		}
		return h, nil
	case "postgres", "mysql", "mongo":
		if err := params("port", "user", "password", "database"); err != nil {
			return spec.Spec{}, err
		}
		u, pw, db := val("user"), val("password"), val("database")
		switch k.Value {
		case "postgres":
			return spec.Spec{Kind: "postgres", Port: val("port"), User: u, Password: pw, Database: db}, nil
		case "mysql":
			return spec.Spec{Kind: "mysql", Port: val("port"), User: u, Password: pw, Database: db}, nil
		}
		return spec.Spec{Kind: "mongo", Port: val("port"), User: u, Password: pw, Database: db}, nil
	case "redis":
		if err := params("port", "password"); err != nil {
			return spec.Spec{}, err
		}
		return spec.Spec{Kind: "redis", Port: val("port"), Password: val("password")}, nil
	case "amqp":
		if err := params("port", "user", "password", "vhost"); err != nil {
			return spec.Spec{}, err
		}
		return spec.Spec{Kind: "amqp", Port: val("port"), User: val("user"), Password: val("password"), VHost: val("vhost")}, nil
	case "tcp-banner":
		if err := params("port", "expect"); err != nil {
			return spec.Spec{}, err
		}
		if val("expect") == "" {
			return spec.Spec{}, d.errf(v, key+".expect", `write the greeting's start, such as expect: "220"`, "is missing")
		}
		return spec.Spec{Kind: "tcp-banner", Port: val("port"), Expect: val("expect")}, nil
	case "memcached":
		if !d.catalog {
			break
		}
		if err := params("port"); err != nil {
			return spec.Spec{}, err
		}
		return spec.Spec{Kind: "memcached", Port: val("port")}, nil
	case "exec":
		var cmd []string
		if err := d.strings(v, key, &cmd); err != nil {
			return spec.Spec{}, err
		}
		return spec.Spec{Kind: "exec", Cmd: cmd}, nil
	}
	return spec.Spec{}, d.errf(k, key, fix, "unknown probe %q", prefix(k.Value))
}
