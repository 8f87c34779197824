package compose

import (
	"fmt"
	"net/netip"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/devstack-dev/devstack/config"
)

// AuditConfig checks a project's devstack.yaml by the same rules, as devstack resolves it
// (the built-ins' own images and environment included), with the file's positions: a
// value the file does not write is reported at the service's line, or line 1.
func AuditConfig(cfg *config.Config, failOn string) *AuditReport {
	root := cfg.Root
	file := cfg.File
	src := newSources(root)
	var top *yaml.Node
	if file != "" {
		top = src.top(file)
	}
	rel := "devstack.yaml"
	if file != "" {
		rel = src.rel(file)
	}
	at := func(n *yaml.Node) Loc {
		if n == nil {
			return Loc{File: rel, Line: 1, Column: 1}
		}
		return Loc{File: rel, Line: n.Line, Column: n.Column}
	}
	svcs := get(top, "services")
	svcKey := func(name string) (*yaml.Node, *yaml.Node) {
		if svcs == nil || svcs.Kind != yaml.MappingNode {
			return nil, nil
		}
		for i := 0; i+1 < len(svcs.Content); i += 2 {
			if svcs.Content[i].Value == name {
				return svcs.Content[i], resolveAlias(svcs.Content[i+1])
			}
		}
		return nil, nil
	}
	rep := &AuditReport{File: rel, FailOn: failOn, OK: true, Findings: []Finding{}}
	add := func(id, service, msg string, loc Loc) {
		r := rule(id)
		rep.Findings = append(rep.Findings, Finding{Rule: r.ID, Name: r.Name, Severity: r.Severity, Service: service,
			Message: msg, Fix: r.Fix, Loc: loc, Related: []Loc{}})
	}
	if ip, err := netip.ParseAddr(cfg.Bind); err == nil && !ip.IsLoopback() {
		add("DS001", "", "bind: "+cfg.Bind+" publishes every port beyond this machine", at(get(top, "bind")))
	}
	for _, s := range cfg.Services {
		key, body := svcKey(s.Name)
		imgNode := get(body, "image")
		where := at(key)
		if imgNode != nil {
			where = at(imgNode)
		}
		suffix := ""
		if imgNode == nil {
			suffix = " (the built-in's image)"
		}
		if img, ok := parseImage(s.Image); ok {
			switch {
			case img.moved() != "":
				add("DS004", s.Name, fmt.Sprintf("%s is gone from its registry; the same release is %s", s.Image, img.moved()), where)
			case img.frozen() != "":
				add("DS005", s.Name, s.Image+": "+img.frozen(), where)
			}
			switch {
			case img.dig != "":
			case img.tag == "" || img.tag == "latest":
				add("DS002", s.Name, s.Image+" floats: no tag, or latest"+suffix, where)
			case majorOnlyRE.MatchString(img.tag):
				add("DS003", s.Name, s.Image+" pins the major only"+suffix, where)
			}
		}
		env := get(body, "env")
		names := make([]string, 0, len(s.Env))
		for k := range s.Env {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			v := s.Env[k]
			if !passwordKeyRE.MatchString(k) || !config.LooksSecret(k) || strings.Contains(v, "${secret:") {
				continue
			}
			_, vn := findKeyOrNil(env, k)
			if isWeak(v) {
				add("DS006", s.Name, fmt.Sprintf("%s.%s is a default or empty password", s.Name, k), at(vn))
			} else {
				add("DS007", s.Name, fmt.Sprintf("%s.%s is written in the file: use ${secret:NAME}", s.Name, k), at(vn))
			}
		}
	}
	for _, f := range rep.Findings {
		if Rank(f.Severity) >= Rank(failOn) {
			rep.OK = false
		}
	}
	return rep
}

func findKeyOrNil(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	return findKey(m, key)
}

// IsComposeFile tells a compose file from a devstack.yaml given to audit: by name.
func IsComposeFile(path string) bool {
	return filepath.Base(path) != config.FileName
}
