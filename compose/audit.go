package compose

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v3"

	"github.com/devstack-dev/devstack/config"
)

// Severities, as SARIF names its levels.
const (
	SevError   = "error"
	SevWarning = "warning"
	SevNote    = "note"
)

// Rank orders severities; "none" ranks above every one (nothing fails).
func Rank(sev string) int {
	switch sev {
	case SevError:
		return 3
	case SevWarning:
		return 2
	case SevNote:
		return 1
	}
	return 4
}

// Rule is one check the audit makes.
type Rule struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Severity string `json:"severity"`
	Text     string `json:"text"`
	Fix      string `json:"fix"`
}

// Rules are every check, in the order reports list them.
var Rules = []Rule{
	{"DS001", "port-on-all-interfaces", SevError, "a port published on every interface: anyone on the network reaches the service",
		`publish it on loopback: "127.0.0.1:HOST:CONTAINER" (or use devstack, which binds 127.0.0.1)`},
	{"DS002", "image-tag-latest", SevWarning, "an image with no tag, or latest: each pull may bring another major",
		"pin the major and minor the project runs, such as postgres:17"},
	{"DS003", "image-tag-major-only", SevNote, "an image pinned to a major only: minor releases arrive unannounced",
		"pin the minor too (redis:7.4) if the project depends on its behaviour"},
	{"DS004", "image-gone", SevError, "an image its registry no longer serves: a fresh machine cannot pull it",
		"use the same release where it still lives"},
	{"DS005", "image-frozen", SevWarning, "an image that gets no new releases (no security fixes)",
		"move to the project's official image"},
	{"DS006", "password-default-or-empty", SevError, "a default or empty password",
		"generate a password per machine (devstack does), or read it from .env without a default"},
	{"DS007", "password-in-file", SevWarning, "a password written in the compose file, which git shares with everyone",
		"read it from .env (${NAME}) and keep .env out of git"},
	{"DS008", "privileged", SevError, "a privileged container: root on the host for anything inside it",
		"drop privileged:, and add only the capability or device the service needs"},
	{"DS009", "host-namespace", SevError, "the host's network, process or IPC namespace shared with the container",
		"remove it: publish the ports the service needs on 127.0.0.1 instead of network_mode: host"},
	{"DS010", "engine-socket", SevError, "the engine's socket mounted: the container controls the whole machine",
		"remove the mount; give the tool a read-only proxy of the API if it truly needs one"},
	{"DS011", "dependency-without-healthcheck", SevWarning, "other services depend on this one, which has no healthcheck: they start before it is ready",
		"add a healthcheck in the service's own protocol, and depend on it with condition: service_healthy"},
}

func rule(id string) Rule {
	for _, r := range Rules {
		if r.ID == id {
			return r
		}
	}
	panic("no audit rule " + id)
}

// Finding is one problem at one place.
type Finding struct {
	Rule     string `json:"rule"`
	Name     string `json:"name"`
	Severity string `json:"severity"`
	Service  string `json:"service"`
	Message  string `json:"message"`
	Fix      string `json:"fix"`
	Loc
	Related []Loc `json:"related"`
}

// AuditReport is what the audit found, worst first by file position.
type AuditReport struct {
	File     string    `json:"file"`
	Findings []Finding `json:"findings"`
	// FailOn is the least severity that fails the command (exit 1); "none" never does.
	FailOn string `json:"fail_on"`
	OK     bool   `json:"ok"`
}

// Failed reports whether a finding is at or above FailOn.
func (r *AuditReport) Failed() bool { return !r.OK }

// weakPasswords are the values compose files and image docs ship as passwords.
var weakPasswords = []string{"", "admin", "password", "changeme", "change_me", "secret", "root", "guest",
	"postgres", "minioadmin", "invenio", "test", "123456", "pass", "default", "mysql", "example", "mariadb"}

// passwordKeyRE are the variables whose value is a password (not a user or a key id).
var passwordKeyRE = regexp.MustCompile(`(?i)pass(word)?\b|pass$|_pass_|secret|token`)

// majorOnlyRE is a tag that pins only the major: 7, v3, 3-management, 16-alpine.
var majorOnlyRE = regexp.MustCompile(`^v?[0-9]+(-[a-z]+)*$`)

// Audit checks the compose file (relative to dir) and says where each problem is written.
func Audit(ctx context.Context, dir, file, failOn string) (*AuditReport, error) {
	l, err := Load(ctx, dir, file)
	if err != nil {
		return nil, err
	}
	a := &auditor{l: l, src: newSources(l.Root)}
	a.run()
	rep := &AuditReport{File: a.src.rel(l.File), Findings: a.findings, FailOn: failOn, OK: true}
	sort.SliceStable(rep.Findings, func(i, j int) bool {
		x, y := rep.Findings[i], rep.Findings[j]
		if x.File != y.File {
			return x.File < y.File
		}
		if x.Line != y.Line {
			return x.Line < y.Line
		}
		return x.Column < y.Column
	})
	for _, f := range rep.Findings {
		if Rank(f.Severity) >= Rank(failOn) {
			rep.OK = false
		}
	}
	return rep, nil
}

type auditor struct {
	l        *Loaded
	src      *sources
	findings []Finding
	seen     map[string]bool // a value written once in an anchor is one finding
}

func (a *auditor) add(id, service, msg string, w *written, fallback string) {
	r := rule(id)
	f := Finding{Rule: r.ID, Name: r.Name, Severity: r.Severity, Service: service, Message: msg, Fix: r.Fix, Related: []Loc{}}
	switch {
	case w != nil:
		f.Loc = a.src.loc(w.file, w.node, "")
		f.Related = append(f.Related, w.related...)
	default:
		file := a.fileOf(service)
		_, key := a.src.serviceNode(file, service)
		if key == nil {
			f.Loc = Loc{File: a.src.rel(a.l.File), Line: 1, Column: 1}
		} else {
			f.Loc = a.src.loc(file, key, "")
		}
		if fallback != "" {
			f.Message += " (" + fallback + ")"
		}
	}
	if a.seen == nil {
		a.seen = map[string]bool{}
	}
	k := fmt.Sprintf("%s %s:%d:%d", id, f.File, f.Line, f.Column)
	if a.seen[k] {
		// The same written value, inherited by another service: one finding, whose
		// related locations already name the others.
		return
	}
	a.seen[k] = true
	a.findings = append(a.findings, f)
}

func (a *auditor) where(service, key string) *written {
	return a.src.where(a.fileOf(service), service, key, 0)
}

// fileOf is the file that defines service: the compose file, or one it includes.
func (a *auditor) fileOf(service string) string {
	if f := a.src.fileOf(a.l.File, service, 0); f != "" {
		return f
	}
	return a.l.File
}

func (a *auditor) run() {
	names := make([]string, 0, len(a.l.Project.Services))
	for n := range a.l.Project.Services {
		names = append(names, n)
	}
	sort.Strings(names)
	dependedOn := map[string][]string{}
	for _, n := range names {
		for d := range a.l.Project.Services[n].DependsOn {
			dependedOn[d] = append(dependedOn[d], n)
		}
	}
	for _, n := range names {
		s := a.l.Project.Services[n]
		a.ports(n)
		a.image(n, s)
		a.passwords(n, s)
		if s.Privileged {
			a.add("DS008", n, n+" runs privileged", a.where(n, "privileged"), "")
		}
		for _, ns := range []struct{ key, val string }{{"network_mode", s.NetworkMode}, {"pid", s.Pid}, {"ipc", s.Ipc}} {
			if ns.val == "host" {
				a.add("DS009", n, n+" shares the host's "+map[string]string{"network_mode": "network", "pid": "processes", "ipc": "IPC"}[ns.key], a.where(n, ns.key), "")
			}
		}
		a.socket(n, s)
		if deps := dependedOn[n]; len(deps) > 0 && (s.HealthCheck == nil || s.HealthCheck.Disable || len(s.HealthCheck.Test) == 0) {
			sort.Strings(deps)
			verb := "depends"
			if len(deps) > 1 {
				verb = "depend"
			}
			a.add("DS011", n, fmt.Sprintf("%s has no healthcheck, and %s %s on it", n, strings.Join(deps, ", "), verb), nil, "")
		}
	}
}

// ports finds every published port on all interfaces, at the item that writes it.
func (a *auditor) ports(service string) {
	w := a.where(service, "ports")
	if w == nil || w.node.Kind != yaml.SequenceNode {
		return
	}
	env := a.l.Project.Environment
	interpolate := func(v string) (string, error) {
		return template.SubstituteWithOptions(v, func(k string) (string, bool) { x, ok := env[k]; return x, ok }, template.WithoutLogging)
	}
	for _, item := range w.node.Content {
		item = resolveAlias(item)
		var hostIP, desc string
		switch item.Kind {
		case yaml.ScalarNode:
			v, err := interpolate(item.Value)
			if err != nil {
				continue
			}
			ps, err := types.ParsePortConfig(v)
			if err != nil || len(ps) == 0 {
				continue
			}
			hostIP, desc = ps[0].HostIP, v
		case yaml.MappingNode:
			if h := get(item, "host_ip"); h != nil {
				v, err := interpolate(h.Value)
				if err != nil {
					continue
				}
				hostIP = v
			}
			if t := get(item, "target"); t != nil {
				desc = "target " + t.Value
			}
		default:
			continue
		}
		if hostIP != "" && hostIP != "0.0.0.0" && hostIP != "::" && hostIP != "[::]" {
			continue
		}
		iw := &written{file: w.file, node: item, related: w.related}
		a.add("DS001", service, fmt.Sprintf("%s publishes %s on every interface", service, desc), iw, "")
	}
}

func (a *auditor) image(service string, s types.ServiceConfig) {
	if s.Image == "" {
		return
	}
	w := a.where(service, "image")
	img, ok := parseImage(s.Image)
	if !ok {
		return
	}
	switch {
	case img.moved() != "":
		a.add("DS004", service, fmt.Sprintf("%s is gone from its registry; the same release is %s", s.Image, img.moved()), w, "")
	case img.frozen() != "":
		a.add("DS005", service, s.Image+": "+img.frozen(), w, "")
	}
	switch {
	case img.dig != "":
	case img.tag == "" || img.tag == "latest":
		a.add("DS002", service, s.Image+" floats: no tag, or latest", w, "")
	case majorOnlyRE.MatchString(img.tag):
		a.add("DS003", service, s.Image+" pins the major only", w, "")
	}
}

func (a *auditor) passwords(service string, s types.ServiceConfig) {
	keys := make([]string, 0, len(s.Environment))
	for k := range s.Environment {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := s.Environment[k]
		if v == nil || !passwordKeyRE.MatchString(k) || !config.LooksSecret(k) {
			continue
		}
		w := a.envWritten(service, k)
		switch {
		case isWeak(*v):
			what := "a default password"
			if *v == "" {
				what = "an empty password"
			}
			// Never the value: a finding goes to logs and code scanning.
			a.add("DS006", service, fmt.Sprintf("%s.%s is %s", service, k, what), w, "")
		case w != nil && weakDefault(w.node.Value):
			a.add("DS006", service, fmt.Sprintf("%s.%s falls back to a default password when .env does not set it", service, k), w, "")
		case w != nil && !strings.Contains(w.node.Value, "$"):
			a.add("DS007", service, fmt.Sprintf("%s.%s is written in the file", service, k), w, "")
		}
	}
}

func isWeak(v string) bool { return slices.Contains(weakPasswords, strings.ToLower(v)) }

// defaultRE is the default of ${NAME:-default} or ${NAME-default}.
var defaultRE = regexp.MustCompile(`\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}`)

// weakDefault reports whether a written value falls back to a weak password.
func weakDefault(raw string) bool {
	for _, m := range defaultRE.FindAllStringSubmatch(raw, -1) {
		if isWeak(m[1]) {
			return true
		}
	}
	return false
}

// envWritten is where variable k of a service's environment is written: an entry of a
// mapping (through merges) or a KEY=value item of a list.
func (a *auditor) envWritten(service, k string) *written {
	w := a.where(service, "environment")
	if w == nil {
		return nil
	}
	switch w.node.Kind {
	case yaml.MappingNode:
		m := w.node
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == k {
				return &written{file: w.file, node: resolveAlias(m.Content[i+1]), related: w.related}
			}
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value != "<<" {
				continue
			}
			for _, src := range mergeSources(m.Content[i+1]) {
				if _, v := findKey(src, k); v != nil {
					related := append([]Loc{a.src.loc(w.file, m.Content[i], "merged into "+service+"'s environment")}, w.related...)
					return &written{file: w.file, node: v, related: related}
				}
			}
		}
	case yaml.SequenceNode:
		for _, item := range w.node.Content {
			item = resolveAlias(item)
			if name, _, _ := strings.Cut(item.Value, "="); name == k {
				return &written{file: w.file, node: item, related: w.related}
			}
		}
	}
	return nil
}

func (a *auditor) socket(service string, s types.ServiceConfig) {
	for _, v := range s.Volumes {
		if v.Type != types.VolumeTypeBind || !(strings.HasSuffix(v.Source, "/docker.sock") || strings.HasSuffix(v.Source, "/podman.sock")) {
			continue
		}
		var iw *written
		if w := a.where(service, "volumes"); w != nil && w.node.Kind == yaml.SequenceNode {
			for _, item := range w.node.Content {
				item = resolveAlias(item)
				text := item.Value
				if src := get(item, "source"); src != nil {
					text = src.Value
				}
				if strings.Contains(text, ".sock") {
					iw = &written{file: w.file, node: item, related: w.related}
				}
			}
		}
		a.add("DS010", service, service+" mounts "+v.Source, iw, "")
	}
}
