package compose

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v3"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/grammar"
	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/tmpl"
)

// Note kinds: what the import did with something it could not copy as written.
const (
	NotCarried = "not-carried"  // a key or service devstack has no safe equivalent for
	Secret     = "secret"       // a literal credential replaced by a generated one
	Moved      = "image-moved"  // an image known to be gone, mapped to where it lives
	Unset      = "unset"        // a variable the project's .env does not set
	Renamed    = "renamed"      // a compose service that became a built-in or a new name
	Refused    = "refused"      // a value devstack's own grammar refuses
	Placed     = "placed"       // ports or data moved to devstack's placement and volume
	Frozen     = "image-frozen" // an image that still resolves but gets no new releases
)

// Note is one thing the import reports: never a secret's value.
type Note struct {
	Service string `json:"service,omitempty"`
	Key     string `json:"key,omitempty"`
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// Mapped is one compose service and what it became.
type Mapped struct {
	Compose  string `json:"compose"`
	Devstack string `json:"devstack"`
	Builtin  bool   `json:"builtin"`
}

// Result is a devstack.yaml made from a compose file, and what did not carry over.
type Result struct {
	File     string   `json:"file"`
	Project  string   `json:"project"`
	Services []Mapped `json:"services"`
	Notes    []Note   `json:"notes"`
	// YAML is the devstack.yaml: it passes config.Load.
	YAML []byte `json:"-"`
}

// Import reads the compose file and writes the devstack.yaml that runs the same services
// the devstack way. Everything it cannot carry is a Note.
func Import(ctx context.Context, dir, file string) (*Result, error) {
	l, err := Load(ctx, dir, file)
	if err != nil {
		return nil, err
	}
	return FromLoaded(l)
}

// FromLoaded maps a loaded compose project.
func FromLoaded(l *Loaded) (*Result, error) {
	im := &importer{l: l, res: &Result{File: l.File, Project: config.ProjectName(l.Project.Name), Notes: []Note{}, Services: []Mapped{}},
		names: map[string]string{}, hostPorts: map[int]bool{}, specs: map[string]*serviceSpec{}}
	for _, v := range l.Unset {
		im.note("", v, Unset, "the project's .env does not set it: the file's default (or nothing) was used, never a value from your environment")
	}
	im.assign()
	for _, name := range im.order {
		if err := im.service(name); err != nil {
			return nil, err
		}
	}
	for _, name := range im.order {
		im.dependsOn(name)
	}
	data, err := im.render()
	if err != nil {
		return nil, err
	}
	// The whole file must load as devstack.yaml: a failure here is devstack's own bug.
	if err := tryLoad(data); err != nil {
		return nil, fmt.Errorf("the devstack.yaml made from %s does not load (a devstack bug; please report it): %w", l.File, err)
	}
	im.res.YAML = data
	return im.res, nil
}

// serviceSpec is one devstack service as it will be written.
type serviceSpec struct {
	compose string
	name    string
	builtin bool
	image   string
	env     [][2]string
	ports   []portSpec
	volume  string
	command []string
	probe   []string // exec
	redis   bool     // a protocol probe instead (redis)
	depends []string
}

// portSpec is one port of a custom service; host 0 leaves devstack's default (the
// container's port).
type portSpec struct {
	name            string
	container, host int
}

type importer struct {
	l         *Loaded
	res       *Result
	order     []string          // compose names, in the order they are written
	names     map[string]string // compose name -> devstack name ("" when not carried)
	hostPorts map[int]bool
	specs     map[string]*serviceSpec
}

func (im *importer) note(service, key, kind, msg string) {
	im.res.Notes = append(im.res.Notes, Note{Service: service, Key: key, Kind: kind, Message: msg})
}

func (im *importer) svcModel(name string) map[string]any {
	all, _ := im.l.Model["services"].(map[string]any)
	m, _ := all[name].(map[string]any)
	return m
}

var nameFixRE = regexp.MustCompile(`[^a-z0-9-]+`)
var nonSecretRE = regexp.MustCompile(`[^A-Z0-9_]`)

// urlPasswordRE is a URL with a password in it (scheme://user:password@host…).
var urlPasswordRE = regexp.MustCompile(`^([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*:)([^@\s]+)(@.*)$`)
var serviceNameRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`)
var portNameRE = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

// assign decides each service's devstack name: the first service running a built-in's
// image becomes that built-in (a service already named so first), the rest keep their
// name in devstack's grammar.
func (im *importer) assign() {
	names := make([]string, 0, len(im.l.Project.Services))
	for n := range im.l.Project.Services {
		names = append(names, n)
	}
	sort.Strings(names)
	sort.SliceStable(names, func(i, j int) bool { // a service named as its built-in claims it first
		return im.isOwnBuiltin(names[i]) && !im.isOwnBuiltin(names[j])
	})
	taken := map[string]bool{}
	for _, n := range names {
		s := im.l.Project.Services[n]
		if s.Build != nil || s.Image == "" {
			im.names[n] = ""
			continue
		}
		img, _ := parseImage(s.Image)
		if b := img.builtin(); b != "" && !taken[b] {
			taken[b] = true
			im.names[n] = b
			continue
		}
	}
	for _, n := range names {
		if _, done := im.names[n]; done {
			continue
		}
		dn := strings.Trim(nameFixRE.ReplaceAllString(strings.ToLower(n), "-"), "-")
		if _, err := services.Lookup(dn); err == nil || taken[dn] {
			dn += "-svc"
		}
		if !serviceNameRE.MatchString(dn) || taken[dn] {
			im.names[n] = ""
			im.note(n, "", NotCarried, "the name cannot become a devstack service name (lower-case letters, digits and '-', starting with a letter, at most 31 characters): rename the service")
			continue
		}
		taken[dn] = true
		im.names[n] = dn
	}
	im.order = names
	slices.Sort(im.order)
}

func (im *importer) isOwnBuiltin(n string) bool {
	s := im.l.Project.Services[n]
	img, _ := parseImage(s.Image)
	return img.builtin() == n
}

// handled are the keys the import carries over (or deliberately replaces) for every
// service; any other key the file sets is reported.
var handled = map[string]bool{"image": true, "environment": true, "env_file": true, "ports": true,
	"depends_on": true, "healthcheck": true, "volumes": true, "command": true}

// why says why a key is not carried, where the answer is more than "no equivalent".
var why = map[string]string{
	"build":          "devstack runs images and builds none: build it yourself, or push it and name the image",
	"privileged":     "devstack never runs a container privileged",
	"network_mode":   "devstack puts every service on the project's own network; host networking would publish every port on every interface",
	"pid":            "devstack never shares a process namespace with the host or another container",
	"ipc":            "devstack never shares an IPC namespace",
	"devices":        "devstack mounts no host device",
	"cap_add":        "devstack adds no capability",
	"security_opt":   "devstack keeps the engine's default security profile",
	"userns_mode":    "devstack keeps the engine's default user namespace",
	"container_name": "devstack names containers after the project and its checkout, so two checkouts never collide",
	"restart":        "devstack starts services when asked (up, bootstrap)",
	"profiles":       "devstack runs every service listed; run part of the stack with devstack up NAME…",
	"networks":       "devstack puts every service on the project's own network",
	"expose":         "only published ports are carried; services reach each other on the project's network",
	"entrypoint":     "devstack runs the image's own entrypoint",
	"user":           "the built-in runs as its image's user, as devstack vetted it",
	"read_only":      "the built-in runs as devstack vetted it; its file system is not made read-only",
	"cap_drop":       "the built-in keeps the engine's default capabilities, as devstack vetted it",
}

func (im *importer) service(cname string) error {
	s := im.l.Project.Services[cname]
	dname := im.names[cname]
	model := im.svcModel(cname)
	if s.Build != nil {
		im.note(cname, "build", NotCarried, why["build"])
	}
	if dname == "" {
		if s.Build == nil && s.Image == "" {
			im.note(cname, "image", NotCarried, "the service names no image: give it one")
		}
		return nil
	}
	spec := &serviceSpec{compose: cname, name: dname}
	img, _ := parseImage(s.Image)
	spec.image = s.Image
	if to := img.moved(); to != "" {
		spec.image = to
		im.note(cname, "image", Moved, fmt.Sprintf("%s is gone from its registry; the same release is %s", s.Image, to))
	}
	if why := img.frozen(); why != "" {
		im.note(cname, "image", Frozen, why)
	}
	spec.builtin = dname == img.builtin()
	if spec.builtin || dname != cname {
		msg := "became devstack service " + dname
		if spec.builtin {
			msg = "became the built-in " + dname + " (its image, user and database kept; passwords generated by devstack)"
		}
		im.note(cname, "", Renamed, msg)
	}
	for _, k := range keysOf(model) {
		if handled[k] || k == "extends" || k == "networks" && onlyDefaultNetwork(model[k]) || !spec.builtin && k == hardening(s) {
			continue // a hardening key of a custom service has its own note below
		}
		msg, ok := why[k]
		if !ok {
			msg = "devstack has no equivalent; set it by hand if the service needs it"
		}
		im.note(cname, k, NotCarried, msg)
	}
	if spec.builtin {
		im.builtinService(cname, s, spec)
	} else if key := hardening(s); key != "" {
		// A custom service has no key for it, and running without it is less confined
		// than the file asked: the service is left to be written by hand.
		im.note(cname, key, NotCarried, "devstack cannot carry "+key+", and the service would run less confined without it: define it in devstack.yaml by hand")
		im.names[cname] = ""
		return nil
	} else if !im.customService(cname, s, spec) {
		im.names[cname] = ""
		return nil
	}
	im.specs[cname] = spec
	im.res.Services = append(im.res.Services, Mapped{Compose: cname, Devstack: dname, Builtin: spec.builtin})
	return nil
}

// hardening names a key that confines the container more than the engine's default, which
// a custom service cannot carry; "" when there is none.
func hardening(s types.ServiceConfig) string {
	switch {
	case s.User != "" && s.User != "root" && s.User != "0" && !strings.HasPrefix(s.User, "0:") && !strings.HasPrefix(s.User, "root:"):
		return "user"
	case s.ReadOnly:
		return "read_only"
	case len(s.CapDrop) > 0:
		return "cap_drop"
	}
	for _, o := range s.SecurityOpt {
		if !strings.Contains(o, "unconfined") && o != "label:disable" && o != "label=disable" {
			return "security_opt"
		}
	}
	return ""
}

// builtinService keeps what the file chose of what the built-in sets itself (image, user,
// database) and nothing that would weaken it.
func (im *importer) builtinService(cname string, s types.ServiceConfig, spec *serviceSpec) {
	b, _ := services.Lookup(spec.name)
	own := b.Env(services.Params{Project: "p", Secret: func(string) string { return "\x00secret" }})
	def, _ := parseImage(b.Image)
	if img, _ := parseImage(spec.image); img.repo == def.repo && img.tag == def.tag && img.dig == "" {
		spec.image = "" // the built-in's own
	}
	for _, k := range sortedEnv(s.Environment) {
		v := s.Environment[k]
		if v == nil {
			continue
		}
		ownV, known := own[k]
		switch {
		case known && strings.Contains(ownV, "\x00secret"):
			im.note(cname, "environment."+k, Secret, "not copied: devstack generates this credential (devstack env shows it)")
		case !known && config.LooksSecret(k):
			im.note(cname, "environment."+k, NotCarried, "not copied: the built-in sets its own credentials")
		case !known:
			im.note(cname, "environment."+k, NotCarried, "the built-in sets its own environment; add it under env: by hand if the service needs it")
		case *v == ownV:
		case im.mentionsService(*v):
			im.note(cname, "environment."+k, NotCarried, "it names another service of the file; the built-in's own value names devstack's")
		default:
			if err := tryEnv(spec.name, k, *v); err != nil {
				im.note(cname, "environment."+k, Refused, err.Error())
				continue
			}
			spec.env = append(spec.env, [2]string{k, *v})
		}
	}
	if len(s.Ports) > 0 {
		im.note(cname, "ports", Placed, "published on devstack's placement: the bind address (127.0.0.1) and the built-in's ports plus the offset (devstack ports shows them)")
	}
	for _, v := range s.Volumes {
		im.volumeNote(cname, v, true)
	}
	if len(s.Command) > 0 {
		im.note(cname, "command", NotCarried, "the built-in runs its own command (its password, its data directory)")
	}
	if s.HealthCheck != nil {
		im.note(cname, "healthcheck", Renamed, "the built-in's own probe, in the service's protocol, replaces it")
	}
}

func (im *importer) volumeNote(cname string, v types.ServiceVolumeConfig, builtin bool) {
	switch {
	case v.Type == types.VolumeTypeBind && (strings.HasSuffix(v.Source, "docker.sock") || strings.HasSuffix(v.Source, "podman.sock")):
		im.note(cname, "volumes", NotCarried, "the engine's socket is never mounted: it gives the container the whole machine")
	case v.Type == types.VolumeTypeBind:
		im.note(cname, "volumes", NotCarried, "a bind mount of "+relTo(im.l.Root, v.Source)+" at "+v.Target+" is not carried: devstack keeps a service's data in its own named volume")
	case builtin:
		im.note(cname, "volumes", Placed, "the built-in keeps its data in its own named volume")
	default:
		im.note(cname, "volumes", NotCarried, "one named volume per service is carried; "+v.Target+" is not")
	}
}

func relTo(root, p string) string {
	if r, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(r, "..") {
		return "./" + r
	}
	return "a host path"
}

// customService maps a service devstack does not know; false when it cannot run.
func (im *importer) customService(cname string, s types.ServiceConfig, spec *serviceSpec) bool {
	if grammar.ImageRef(spec.image) != nil {
		im.note(cname, "image", Refused, "not an image reference devstack accepts")
		return false
	}
	// Probe: the file's healthcheck, run in the container as it would be.
	hc := s.HealthCheck
	switch {
	case hc != nil && !hc.Disable && len(hc.Test) > 1 && hc.Test[0] == "CMD":
		spec.probe = hc.Test[1:]
	case hc != nil && !hc.Disable && len(hc.Test) == 2 && hc.Test[0] == "CMD-SHELL":
		spec.probe = []string{"sh", "-c", hc.Test[1]}
	default:
		img, _ := parseImage(spec.image)
		if img.repo == "docker.io/library/redis" {
			spec.redis = true
			break
		}
		im.note(cname, "healthcheck", NotCarried, "the service has no healthcheck, and devstack needs a probe to know it is ready: add a healthcheck (or a probe: in devstack.yaml) and import again")
		return false
	}
	for _, arg := range spec.probe {
		// devstack reads {kind:arg} in a probe as its own template ({env:…}, {secret:…}):
		// text the compose file meant literally must not become one.
		if len(tmpl.Refs(arg)) > 0 {
			im.note(cname, "healthcheck", Refused, "the test holds {…}, which devstack's probes read as a template: write the probe by hand")
			return false
		}
	}
	seen := map[uint32]bool{}
	for _, p := range s.Ports {
		if p.Protocol != "" && p.Protocol != "tcp" {
			im.note(cname, "ports", NotCarried, fmt.Sprintf("%d/%s: devstack publishes TCP ports only", p.Target, p.Protocol))
			continue
		}
		if seen[p.Target] {
			continue
		}
		seen[p.Target] = true
		// The file's host port is kept as the port before devstack's offset (a privileged
		// one is not: the container's is used), on devstack's bind address.
		base := int(p.Target)
		if pub, err := strconv.Atoi(p.Published); err == nil && pub >= 1024 && pub <= 65535 {
			base = pub
		}
		used := base
		for im.hostPorts[used] && used < 65535 { // two services on one port: the next free one
			used++
		}
		im.hostPorts[used] = true
		host := used
		if host == int(p.Target) {
			host = 0 // devstack's default: the container's port
		}
		name := "port-" + strconv.Itoa(int(p.Target))
		if portNameRE.MatchString(p.Name) && !slices.ContainsFunc(spec.ports, func(x portSpec) bool { return x.name == p.Name }) {
			name = p.Name
		}
		spec.ports = append(spec.ports, portSpec{name, int(p.Target), host})
	}
	if spec.redis && len(spec.ports) == 0 {
		spec.ports = append(spec.ports, portSpec{"port-6379", 6379, 0})
	}
	if len(s.Ports) > 0 {
		im.note(cname, "ports", Placed, "devstack publishes them on 127.0.0.1, the file's host port plus the offset (devstack ports shows them)")
	}
	for _, k := range sortedEnv(s.Environment) {
		v := s.Environment[k]
		if v == nil {
			continue
		}
		key := "environment." + k
		switch {
		case grammar.EnvKey(k) != nil:
			im.note(cname, key, Refused, "not a variable name devstack accepts: "+grammar.EnvKey(k).Error())
		case strings.Contains(*v, "${secret:"):
			im.note(cname, key, Refused, "a value that names one of devstack's generated secrets is never carried from a compose file")
		case config.LooksSecret(k):
			ref := secretName(spec.name, k)
			spec.env = append(spec.env, [2]string{k, "${secret:" + ref + "}"})
			im.note(cname, key, Secret, "not copied: devstack generates "+ref+" (kept in .devstack/secrets.env); give the same value to whatever else used it")
		case urlPasswordRE.MatchString(*v):
			ref := secretName(spec.name, k+"_PASSWORD")
			nv := im.rehost(urlPasswordRE.ReplaceAllString(*v, "${1}$${secret:"+ref+"}${3}"))
			spec.env = append(spec.env, [2]string{k, nv})
			im.note(cname, key, Secret, "the password in the URL is not copied: devstack generates "+ref+"; point the URL at the credentials of the service it names (devstack env shows them)")
		default:
			nv := im.rehost(*v)
			if nv != *v {
				im.note(cname, key, Renamed, "the host names in it are the devstack services' names")
			}
			spec.env = append(spec.env, [2]string{k, nv})
		}
	}
	named := 0
	for _, v := range s.Volumes {
		if v.Type == types.VolumeTypeVolume && v.Source != "" && named == 0 && grammar.MountPath(v.Target) == nil {
			spec.volume = v.Target
			named++
			continue
		}
		im.volumeNote(cname, v, false)
	}
	if len(s.Command) > 0 {
		spec.command = s.Command
	}
	// Whatever the grammar refuses is dropped from the service, reported, and the rest kept.
	if err := trySpec(spec); err != nil {
		im.note(cname, "", Refused, "not carried: "+err.Error())
		return false
	}
	return true
}

// secretName is the generated credential for a service's variable: capitals, digits and
// '_' (grammar.SecretName).
func secretName(service, key string) string {
	n := strings.ToUpper(nameFixRE.ReplaceAllString(strings.ToLower(service+"_"+key), "_"))
	n = nonSecretRE.ReplaceAllString(n, "_")
	if n == "" || n[0] < 'A' || n[0] > 'Z' {
		n = "S_" + n
	}
	if len(n) > 64 {
		n = n[:64]
	}
	return n
}

func sortedEnv(m types.MappingWithEquals) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (im *importer) dependsOn(cname string) {
	spec := im.specs[cname]
	if spec == nil || spec.builtin {
		return
	}
	s := im.l.Project.Services[cname]
	deps := make([]string, 0, len(s.DependsOn))
	for d := range s.DependsOn {
		deps = append(deps, d)
	}
	sort.Strings(deps)
	for _, d := range deps {
		dn := im.names[d]
		if dn == "" || im.specs[d] == nil {
			im.note(cname, "depends_on."+d, NotCarried, d+" is not carried, so nothing waits for it")
			continue
		}
		if c := s.DependsOn[d].Condition; c == types.ServiceConditionCompletedSuccessfully {
			im.note(cname, "depends_on."+d, NotCarried, "devstack waits for a service to be ready, not for it to exit")
		}
		spec.depends = append(spec.depends, dn)
	}
}

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

// onlyDefaultNetwork is the networks entry compose-go gives a service that names none.
func onlyDefaultNetwork(v any) bool {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return false
	}
	_, ok = m["default"]
	return ok
}

// hostRE finds NAME used as a host in a value: at the start or after '/' or '@', and
// followed by ':', '/' or the end.
func hostRE(name string) *regexp.Regexp {
	return regexp.MustCompile(`(^|[/@])` + regexp.QuoteMeta(name) + `(:|/|$)`)
}

// rehost rewrites the compose names of renamed services to their devstack names, where a
// value uses them as a host (DB_HOST: db, redis-cache:6379, http://search:9200).
func (im *importer) rehost(v string) string {
	for c, d := range im.names {
		if d != "" && d != c {
			v = hostRE(c).ReplaceAllString(v, "${1}"+d+"${2}")
		}
	}
	return v
}

// mentionsService reports whether v uses another service's compose name as a host.
func (im *importer) mentionsService(v string) bool {
	for c := range im.names {
		if hostRE(c).MatchString(v) {
			return true
		}
	}
	return false
}
