package compose

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/devstack-dev/devstack/config"
)

// The devstack.yaml an import writes, built as YAML nodes (keys in order, every string
// quoted as YAML needs), and checked with devstack's own loader.

// render writes the devstack.yaml.
func (im *importer) render() ([]byte, error) {
	top := mapping()
	add(top, "project", str(im.res.Project))
	add(top, "bind", str(config.DefaultBind))
	add(top, "offset", num(0))
	add(top, "env_file", str(config.DefaultEnvFile))
	svcs := mapping()
	specs := make([]*serviceSpec, 0, len(im.specs))
	for _, s := range im.specs {
		specs = append(specs, s)
	}
	sort.Slice(specs, func(i, j int) bool { return specs[i].name < specs[j].name })
	for _, s := range specs {
		add(svcs, s.name, s.node(true))
	}
	add(top, "services", svcs)
	top.Content[0].HeadComment = "devstack.yaml made by devstack init --from-compose " + filepath.Base(im.l.File) +
		"\nWhat could not be carried over was listed by the import (init -o json: import.notes)."
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{top}}
	return yaml.Marshal(doc)
}

func (s *serviceSpec) node(withDeps bool) *yaml.Node {
	m := mapping()
	m.Style = 0
	if s.image != "" {
		add(m, "image", str(s.image))
	}
	if len(s.ports) > 0 {
		l := &yaml.Node{Kind: yaml.SequenceNode}
		for _, p := range s.ports {
			pm := mapping()
			pm.Style = yaml.FlowStyle
			add(pm, "name", str(p.name))
			add(pm, "container", num(p.container))
			if p.host != 0 {
				add(pm, "host", num(p.host))
			}
			l.Content = append(l.Content, pm)
		}
		add(m, "ports", l)
	}
	if len(s.env) > 0 {
		e := mapping()
		for _, kv := range s.env {
			add(e, kv[0], str(kv[1]))
		}
		add(m, "env", e)
	}
	if s.volume != "" {
		add(m, "volume", str(s.volume))
	}
	if len(s.command) > 0 {
		add(m, "command", strList(s.command))
	}
	if withDeps && len(s.depends) > 0 {
		add(m, "depends_on", strList(s.depends))
	}
	if s.redis {
		// devstack env gives the second Redis's URL as it gives the built-in's.
		c := mapping()
		add(c, strings.ToUpper(strings.ReplaceAll(s.name, "-", "_"))+"_URL", str("redis://{host}:{port:"+s.ports[0].name+"}/0"))
		add(m, "connection", c)
	}
	switch {
	case s.redis:
		p := mapping()
		r := mapping()
		r.Style = yaml.FlowStyle
		add(r, "port", str(s.ports[0].name))
		add(p, "redis", r)
		add(m, "probe", p)
	case len(s.probe) > 0:
		p := mapping()
		add(p, "exec", strList(s.probe))
		add(m, "probe", p)
	}
	if len(m.Content) == 0 && s.builtin {
		return &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	}
	return m
}

func mapping() *yaml.Node     { return &yaml.Node{Kind: yaml.MappingNode} }
func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
func num(i int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(i)}
}
func strList(l []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, s := range l {
		n.Content = append(n.Content, str(s))
	}
	return n
}
func add(m *yaml.Node, k string, v *yaml.Node) { m.Content = append(m.Content, str(k), v) }

// tryLoad loads data as a project's devstack.yaml, in a directory of its own, with no
// environment: what config.Load says of it is what every command will say.
func tryLoad(data []byte) error {
	dir, err := os.MkdirTemp("", "devstack-import-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, config.FileName), data, 0o600); err != nil {
		return err
	}
	_, err = config.Load(config.Options{Dir: dir, Getenv: func(string) string { return "" }})
	return err
}

// trySpec loads one service alone (without its dependencies).
func trySpec(s *serviceSpec) error {
	top := mapping()
	add(top, "project", str("import-check"))
	svcs := mapping()
	add(svcs, s.name, s.node(false))
	add(top, "services", svcs)
	data, err := yaml.Marshal(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{top}})
	if err != nil {
		return err
	}
	return stripPath(tryLoad(data))
}

// tryEnv loads a built-in with one variable set as the file sets it.
func tryEnv(service, key, value string) error {
	s := &serviceSpec{name: service, builtin: true, env: [][2]string{{key, value}}}
	return trySpec(s)
}

// stripPath drops the temporary file's path from a loader error: the rest names the key
// and the rule.
func stripPath(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if i := strings.Index(msg, config.FileName+":"); i >= 0 {
		msg = msg[i:]
	}
	return fmt.Errorf("%s", msg)
}
