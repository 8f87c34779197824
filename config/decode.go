package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/devstack-dev/devstack/grammar"
	"github.com/devstack-dev/devstack/services"
)

// file is devstack.yaml as written, with the line of every value for error messages.
type file struct {
	Project  scalar[string]
	Bind     scalar[string]
	Offset   scalar[int]
	Tools    []toolEntry
	Services []serviceEntry // nil: the key is absent, so the defaults apply
	EnvFile  scalar[string]
	Fixtures []Fixture
	// Frameworks whose own setting names to print as well; nil: the key is absent.
	Frameworks []scalar[string]
}

type scalar[T any] struct {
	value T
	line  int
	col   int
}

type toolEntry struct {
	name     string
	line     int
	col      int
	version  string
	required *bool
	needed   *bool // false: the project does not use the tool (`compose: false`)
}

type serviceEntry struct {
	name       string
	line       int
	image      string
	env        map[string]string
	ports      map[string]int
	connection []ConnectionSetting
	acks       []Acknowledgement
	custom     *services.Service // a service the file defines itself; nil for a built-in
	depends    []dependency      // depends_on: of a service the file defines itself
	key        string            // services.NAME, for errors
}

// dependency is one name under a custom service's depends_on:, with where it is written.
type dependency struct {
	scalar[string]
	key string
}

// decoder walks the YAML tree itself, rather than unmarshalling into structs, so every
// unknown key and wrong type is reported with its own line and the keys that would fit.
type decoder struct {
	path string
	// catalog is set while reading a built-in's own file (services/builtin): it may say
	// order: and optional:, write several probes (all must answer), use the probe kinds
	// only built-ins use, and {addr:NAME} in its connection settings.
	catalog bool
}

func decode(path string, data []byte, f *file) error {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return syntaxError(path, data, err)
	}
	// A second document would be ignored: what a reader sees below `---` must not differ
	// from what devstack uses.
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		return &Error{File: path, Line: max(next.Line, 1), Msg: "holds more than one YAML document",
			Fix: "devstack.yaml is one document: remove the `---` line and what follows it, or merge the two"}
	case !errors.Is(err, io.EOF):
		return syntaxError(path, data, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil // an empty file means the defaults
	}
	d := decoder{path: path}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil
	}
	return d.mapping(root, "", map[string]func(*yaml.Node, string) error{
		"project":    func(n *yaml.Node, k string) error { return d.str(n, k, &f.Project) },
		"bind":       func(n *yaml.Node, k string) error { return d.str(n, k, &f.Bind) },
		"offset":     func(n *yaml.Node, k string) error { return d.integer(n, k, &f.Offset) },
		"tools":      func(n *yaml.Node, k string) error { return d.tools(n, k, &f.Tools) },
		"services":   func(n *yaml.Node, k string) error { return d.services(n, k, &f.Services) },
		"env_file":   func(n *yaml.Node, k string) error { return d.str(n, k, &f.EnvFile) },
		"fixtures":   func(n *yaml.Node, k string) error { return d.fixtures(n, k, &f.Fixtures) },
		"frameworks": func(n *yaml.Node, k string) error { return d.frameworks(n, k, &f.Frameworks) },
		"kubernetes": func(n *yaml.Node, k string) error { return d.kubernetes(n, k) }, // config/kubernetes.go
	})
}

// prefixText bounds a parser's message, which may quote the file.
func prefixText(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// fixtures reads the list of fixtures: each a source and the service it is loaded into.
func (d decoder) fixtures(n *yaml.Node, at string, out *[]Fixture) error {
	if n.Kind != yaml.SequenceNode {
		return d.errf(n, at, "write a list: each item starts with `- source: …`", "must be a list, not %s", kind(n, at))
	}
	for i, item := range n.Content {
		fx := Fixture{Line: item.Line}
		key := fmt.Sprintf("%s[%d]", at, i)
		field := func(dst *string) func(*yaml.Node, string) error {
			return func(v *yaml.Node, k string) error {
				var s scalar[string]
				err := d.str(v, k, &s)
				*dst = s.value
				return err
			}
		}
		fields := map[string]func(*yaml.Node, string) error{
			"name": field(&fx.Name), "service": field(&fx.Service),
			"source": func(v *yaml.Node, k string) error {
				fx.sourceAt = [2]int{v.Line, v.Column}
				return field(&fx.Source)(v, k)
			},
			"rerunnable": func(v *yaml.Node, k string) error { return d.boolean(v, k, &fx.Rerunnable) },
		}
		// Any other key is an option for the service's loader: which ones fit is known
		// once the service is, so resolveFixtures checks them.
		if item.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(item.Content); j += 2 {
				k := item.Content[j]
				if _, fixed := fields[k.Value]; fixed {
					continue
				}
				if fx.Options == nil {
					fx.Options, fx.optionLines = map[string]string{}, map[string]int{}
				}
				name := k.Value
				fx.optionLines[name] = k.Line
				fields[name] = func(v *yaml.Node, k string) error {
					var s scalar[string]
					err := d.str(v, k, &s)
					fx.Options[name] = s.value
					if fx.optionAt == nil {
						fx.optionAt = map[string][2]int{}
					}
					fx.optionAt[name] = [2]int{v.Line, v.Column}
					return err
				}
			}
		}
		if err := d.mapping(item, key, fields); err != nil {
			return err
		}
		*out = append(*out, fx)
	}
	return nil
}

// sink checks value, written at n, against the grammar of the sink it reaches (package
// grammar), and refuses it as `file:line:col: key: "value" the rule` with the grammar's
// fix. The value is quoted as quote allows for what (a secret-looking name hides it).
func (d decoder) sink(n *yaml.Node, key, what, value string, rule func(string) error) error {
	err := rule(value)
	if err == nil {
		return nil
	}
	fix := "see docs/security.md"
	var v *grammar.Violation
	if errors.As(err, &v) {
		fix = v.Fix
	}
	return d.errf(n, key, fix, "%s %s", quote(what, value), err.Error())
}

func (d decoder) errf(n *yaml.Node, key, fix, format string, args ...any) error {
	return &Error{File: d.path, Line: n.Line, Col: n.Column, Key: key, Msg: fmt.Sprintf(format, args...), Fix: fix}
}

// mapping calls the handler of each key in n, and refuses keys it has no handler for.
func (d decoder) mapping(n *yaml.Node, at string, fields map[string]func(*yaml.Node, string) error) error {
	if n.Kind != yaml.MappingNode {
		return d.errf(n, orTop(at), "write it as `key: value` lines indented under it", "must be a mapping of keys to values, not %s", kind(n, orTop(at)))
	}
	known := make([]string, 0, len(fields))
	for k := range fields {
		known = append(known, k)
	}
	sort.Strings(known)
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := join(at, k.Value)
		if seen[k.Value] {
			return d.errf(k, key, "keep one of them", "appears twice")
		}
		seen[k.Value] = true
		h, ok := fields[k.Value]
		if !ok {
			return d.errf(k, key, "known keys here: "+strings.Join(known, ", "), "unknown key %q", prefix(k.Value))
		}
		if err := h(v, key); err != nil {
			return err
		}
	}
	return nil
}

func (d decoder) str(n *yaml.Node, key string, out *scalar[string]) error {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return d.errf(n, key, "write a value, in quotes if it has special characters", "must be a string, not %s", kind(n, key))
	}
	*out = scalar[string]{value: n.Value, line: n.Line, col: n.Column}
	return nil
}

// constraint is a tool's version constraint: a string, and not an empty one, which
// would read as "any version" to a person and as an error to semver.
func (d decoder) constraint(n *yaml.Node, key string, out *scalar[string]) error {
	if err := d.str(n, key, out); err != nil {
		return err
	}
	if strings.TrimSpace(out.value) == "" {
		return d.errf(n, key, `write a constraint such as ">=3.9", or leave the tool out to keep its default`, "is an empty constraint")
	}
	return nil
}

func (d decoder) boolean(n *yaml.Node, key string, out *bool) error {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		return d.errf(n, key, "write true or false", "must be true or false, not %s", kind(n, key))
	}
	*out = n.Value == "true" || n.Value == "True" || n.Value == "TRUE"
	return nil
}

func (d decoder) integer(n *yaml.Node, key string, out *scalar[int]) error {
	v, err := strconv.Atoi(n.Value)
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || err != nil {
		return d.errf(n, key, "write a whole number, such as 100", "must be a whole number, not %s", kind(n, key))
	}
	*out = scalar[int]{value: v, line: n.Line, col: n.Column}
	return nil
}

func (d decoder) tools(n *yaml.Node, at string, out *[]toolEntry) error {
	fields := map[string]func(*yaml.Node, string) error{}
	for _, t := range DefaultTools() {
		name := t.Name
		fields[name] = func(v *yaml.Node, key string) error {
			e := toolEntry{name: name, line: v.Line, col: v.Column}
			switch {
			case v.Kind == yaml.ScalarNode && v.Tag == "!!bool":
				// `compose: false`: the project does not use it; `true`: it does, as the
				// default says.
				b, _ := strconv.ParseBool(v.Value)
				e.needed = &b
			case v.Kind == yaml.ScalarNode:
				// The short form: just the constraint.
				var s scalar[string]
				if err := d.constraint(v, key, &s); err != nil {
					return err
				}
				e.version = s.value
			default:
				if err := d.toolMapping(v, key, &e); err != nil {
					return err
				}
			}
			*out = append(*out, e)
			return nil
		}
	}
	return d.mapping(n, at, fields)
}

// toolMapping reads the long form of a tool: {version, required, needed}.
func (d decoder) toolMapping(v *yaml.Node, key string, e *toolEntry) error {
	flag := func(dst **bool) func(*yaml.Node, string) error {
		return func(v *yaml.Node, k string) error {
			b, err := strconv.ParseBool(v.Value)
			if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" || err != nil {
				return d.errf(v, k, "write true or false", "must be true or false, not %s", kind(v, k))
			}
			*dst = &b
			return nil
		}
	}
	var neededNode *yaml.Node
	if err := d.mapping(v, key, map[string]func(*yaml.Node, string) error{
		"version": func(v *yaml.Node, k string) error {
			var s scalar[string]
			err := d.constraint(v, k, &s)
			e.version = s.value
			return err
		},
		"required": flag(&e.required),
		"needed": func(v *yaml.Node, k string) error {
			neededNode = v
			return flag(&e.needed)(v, k)
		},
	}); err != nil {
		return err
	}
	if e.needed != nil && !*e.needed && (e.version != "" || e.required != nil && *e.required) {
		return d.errf(neededNode, key+".needed", "keep needed: false alone (doctor then lists the tool as not needed), or drop it to check the tool",
			"is false, yet a version or required: true is given for the same tool")
	}
	return nil
}

func (d decoder) services(n *yaml.Node, at string, out *[]serviceEntry) error {
	*out = []serviceEntry{}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return d.errf(n, at, "write it as `name: {…}` lines indented under it", "must be a mapping of service names, not %s", kind(n, at))
	}
	// A name the catalog knows changes a built-in; any other defines a custom service.
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := join(at, k.Value)
		if slices.ContainsFunc(*out, func(e serviceEntry) bool { return e.name == k.Value }) {
			return d.errf(k, key, "keep one of them", "appears twice")
		}
		if _, err := services.Lookup(k.Value); err == nil {
			if err := d.builtin(v, key, k.Value, out); err != nil {
				return err
			}
			continue
		}
		e, err := d.custom(v, key, k.Value, i/2)
		if err != nil {
			return err
		}
		*out = append(*out, e)
	}
	return nil
}

// builtin reads what the file changes about a catalog service.
func (d decoder) builtin(v *yaml.Node, key, name string, out *[]serviceEntry) error {
	svc, _ := services.Lookup(name)
	e := serviceEntry{name: svc.Name, line: v.Line}
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		*out = append(*out, e) // "redis:" alone means the service as it comes
		return nil
	}
	if err := d.mapping(v, key, map[string]func(*yaml.Node, string) error{
		"image": func(v *yaml.Node, k string) error {
			var s scalar[string]
			if err := d.str(v, k, &s); err != nil {
				return err
			}
			e.image = s.value
			return d.sink(v, k, "image", s.value, grammar.ImageRef)
		},
		"env": func(v *yaml.Node, k string) error {
			if err := d.env(v, k, &e.env); err != nil {
				return err
			}
			return d.envNames(v, k, svc.Name)
		},
		"ports":       func(v *yaml.Node, k string) error { return d.ports(v, k, svc, &e.ports) },
		"connection":  func(v *yaml.Node, k string) error { return d.connection(v, k, &e.connection) },
		"acknowledge": func(v *yaml.Node, k string) error { return d.acknowledge(v, k, &e.acks) },
	}); err != nil {
		return err
	}
	*out = append(*out, e)
	return nil
}

func (d decoder) env(n *yaml.Node, at string, out *map[string]string) error {
	if n.Kind != yaml.MappingNode {
		return d.errf(n, at, "write it as `NAME: value` lines indented under it", "must be a mapping of variable names to values, not %s", kind(n, at))
	}
	*out = map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := join(at, k.Value)
		switch {
		case k.Kind != yaml.ScalarNode || k.Value == "":
			return d.errf(k, at, "give every variable a name", "has a variable with an empty name")
		case grammar.EnvKey(k.Value) != nil:
			return d.sink(k, at, "name", k.Value, grammar.EnvKey)
		case v.Kind != yaml.ScalarNode:
			return d.errf(v, key, "quote the value", "must be a string, not %s", kind(v, key))
		}
		if _, dup := (*out)[k.Value]; dup {
			return d.errf(k, key, "keep one of them", "appears twice")
		}
		if err := d.secretRefs(v, key, v.Value, secretRE); err != nil {
			return err
		}
		(*out)[k.Value] = v.Value
	}
	return nil
}

func (d decoder) ports(n *yaml.Node, at string, svc *services.Service, out *map[string]int) error {
	*out = map[string]int{}
	fields := map[string]func(*yaml.Node, string) error{}
	for _, p := range svc.Ports {
		name := p.Name
		fields[name] = func(v *yaml.Node, key string) error {
			var s scalar[int]
			if err := d.integer(v, key, &s); err != nil {
				return err
			}
			if s.value < 1 || s.value > 65535 {
				return d.errf(v, key, "use a port from 1 to 65535", "port %d is out of range", s.value)
			}
			(*out)[name] = s.value
			return nil
		}
	}
	return d.mapping(n, at, fields)
}

func join(at, key string) string {
	if at == "" {
		return key
	}
	return at + "." + key
}

func orTop(at string) string {
	if at == "" {
		return "(top level)"
	}
	return at
}

// kind names what was found where something else was expected; a scalar is quoted only
// as far as quote allows for that key.
func kind(n *yaml.Node, key string) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if n.Tag == "!!null" {
		return "an empty value"
	}
	return quote(key, n.Value)
}
