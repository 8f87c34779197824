package compose

import (
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"
)

// Loc is a place in a file, as a finding or its related locations name it.
type Loc struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message,omitempty"`
}

// sources are the compose files an audit reads positions from, parsed once each. compose-go
// drops positions, so where a value is written is found in the YAML nodes: through
// anchors (<< merges) and extends.
type sources struct {
	root  string
	files map[string]*yaml.Node // absolute path -> top mapping
}

func newSources(root string) *sources { return &sources{root: root, files: map[string]*yaml.Node{}} }

func (s *sources) top(file string) *yaml.Node {
	if n, ok := s.files[file]; ok {
		return n
	}
	var doc yaml.Node
	var top *yaml.Node
	if data, err := os.ReadFile(file); err == nil && yaml.Unmarshal(data, &doc) == nil && len(doc.Content) > 0 {
		top = doc.Content[0]
	}
	s.files[file] = top
	return top
}

// rel names file as the user knows it: relative to the project.
func (s *sources) rel(file string) string {
	if r, err := filepath.Rel(s.root, file); err == nil {
		return r
	}
	return file
}

func (s *sources) loc(file string, n *yaml.Node, msg string) Loc {
	return Loc{File: s.rel(file), Line: n.Line, Column: n.Column, Message: msg}
}

// written is where a service's key is written: in the service itself, in an anchor it
// merges (related: the merge in this service and every other service merging it), or in
// the service it extends (related: the extends line).
type written struct {
	file    string
	node    *yaml.Node // the value
	key     *yaml.Node // the key
	related []Loc
}

// serviceNode is the service's own mapping in file, and its key.
func (s *sources) serviceNode(file, service string) (*yaml.Node, *yaml.Node) {
	svcs := get(s.top(file), "services")
	if svcs == nil || svcs.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(svcs.Content); i += 2 {
		if svcs.Content[i].Value == service {
			return resolveAlias(svcs.Content[i+1]), svcs.Content[i]
		}
	}
	return nil, nil
}

// where finds key of service in file, following merges and extends (depth bounds a cycle).
func (s *sources) where(file, service, key string, depth int) *written {
	svc, _ := s.serviceNode(file, service)
	if svc == nil || depth > 8 {
		return nil
	}
	for i := 0; i+1 < len(svc.Content); i += 2 {
		if svc.Content[i].Value == key {
			return &written{file: file, key: svc.Content[i], node: resolveAlias(svc.Content[i+1])}
		}
	}
	for i := 0; i+1 < len(svc.Content); i += 2 {
		if svc.Content[i].Value != "<<" {
			continue
		}
		for _, src := range mergeSources(svc.Content[i+1]) {
			k, v := findKey(src, key)
			if v == nil {
				continue
			}
			w := &written{file: file, key: k, node: v}
			w.related = append(w.related, s.loc(file, svc.Content[i], "merged into "+service))
			w.related = append(w.related, s.otherMergers(file, service, src)...)
			return w
		}
	}
	if ext := get(svc, "extends"); ext != nil {
		base, baseFile := ext, file
		name := ""
		if ext.Kind == yaml.ScalarNode {
			name = ext.Value
		} else if n := get(ext, "service"); n != nil {
			name = n.Value
			if f := get(ext, "file"); f != nil && f.Kind == yaml.ScalarNode {
				baseFile = filepath.Join(filepath.Dir(file), f.Value)
			}
		}
		if name != "" {
			if w := s.where(baseFile, name, key, depth+1); w != nil {
				w.related = append(w.related, s.loc(file, base, "extended by "+service))
				return w
			}
		}
	}
	return nil
}

// mergeSources are the mappings a << value brings in, in order.
func mergeSources(v *yaml.Node) []*yaml.Node {
	var out []*yaml.Node
	for _, m := range seqOrOne(v) {
		if m != nil && m.Kind == yaml.MappingNode {
			out = append(out, m)
		}
	}
	return out
}

// findKey finds key in a merged mapping, and in what it merges in turn.
func findKey(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], resolveAlias(m.Content[i+1])
		}
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "<<" {
			for _, src := range mergeSources(m.Content[i+1]) {
				if k, v := findKey(src, key); v != nil {
					return k, v
				}
			}
		}
	}
	return nil, nil
}

// otherMergers are the other services of file that merge the same anchor.
func (s *sources) otherMergers(file, except string, anchor *yaml.Node) []Loc {
	var out []Loc
	svcs := get(s.top(file), "services")
	if svcs == nil || svcs.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(svcs.Content); i += 2 {
		name := svcs.Content[i].Value
		svc := resolveAlias(svcs.Content[i+1])
		if name == except || svc == nil || svc.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(svc.Content); j += 2 {
			if svc.Content[j].Value == "<<" && mergesIn(svc.Content[j+1], anchor) {
				out = append(out, s.loc(file, svc.Content[j], "also merged into "+name))
			}
		}
	}
	return out
}

func mergesIn(v, anchor *yaml.Node) bool {
	for _, m := range mergeSources(v) {
		if m == anchor {
			return true
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == "<<" && mergesIn(m.Content[i+1], anchor) {
				return true
			}
		}
	}
	return false
}

// fileOf is the compose file that defines service: the main file, or one it includes
// (depth bounds a cycle, which compose-go has refused already).
func (s *sources) fileOf(file, service string, depth int) string {
	if svc, _ := s.serviceNode(file, service); svc != nil {
		return file
	}
	if depth > 8 {
		return ""
	}
	for _, inc := range seqOrOne(get(s.top(file), "include")) {
		paths := []*yaml.Node{inc}
		if inc.Kind == yaml.MappingNode {
			paths = seqOrOne(get(inc, "path"))
		}
		for _, p := range paths {
			if p == nil || p.Kind != yaml.ScalarNode {
				continue
			}
			path := p.Value
			if !filepath.IsAbs(path) {
				path = filepath.Join(filepath.Dir(file), path)
			}
			if f := s.fileOf(path, service, depth+1); f != "" {
				return f
			}
		}
	}
	return ""
}
