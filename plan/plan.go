// Package plan resolves, once per command, what the project will run: the configuration
// (with the environment and the command line already applied, see config.Load) and the
// project's secrets become one value with the bind address, the offset, and for each
// planned service its container spec, where it answers, its probe, its connection
// settings, its fixture loader and its host checks. Every command works from a Plan; none
// repeats the resolution.
package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"net"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/ports"
	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/state"
)

// Secrets is where generated credentials come from, and where they are kept.
type Secrets interface {
	Get(key string) string
	Save() error
}

// NoSecrets stands in where credentials are not needed and must not be generated: doctor
// judges images, CPU floors and ports, none of which depends on a password.
type NoSecrets struct{}

func (NoSecrets) Get(string) string { return "" }
func (NoSecrets) Save() error       { return nil }

// Plan is the project resolved: every planned service, ready to act on.
type Plan struct {
	Config  *config.Config // what it was made from: root, file, fixtures, tools, env file
	Project string         // the project's name, for people and for the services (database names)
	// Identity is the checkout's: it names and labels every object (config.Identity).
	Identity config.Identity
	// Bind and Offset as config decided them (flag > environment > file > default); their
	// origins stay in Config (BindFrom, OffsetFrom) for messages.
	Bind   string
	Offset int
	// Host is where devstack itself connects: the bind address, or loopback for a wildcard.
	Host  string
	Ports *ports.Plan
	Units []Unit
	// Warnings are what the configuration does that the user may not mean: an env: that
	// overrides a credential devstack manages.
	Warnings []string
	// dataSets points a service at the volume a snapshot restore made (state.DataSets).
	dataSets *state.DataSets
}

// Unit is one planned service, resolved.
type Unit struct {
	*config.Service // the definition (built-in or from devstack.yaml) with the file's changes
	Spec            engine.ContainerSpec
	Endpoint        services.Endpoint
	Timeout         time.Duration
	project         string // the project's name, for connection templates
	// frameworks are the environment frameworks devstack.yaml lists, and planned the
	// names of every planned service, for the settings a framework adds (settings.go).
	frameworks []*services.Framework
	planned    map[string]bool
	// Credentials identifies the generated secrets the service was given (a hash, never
	// the values): its data volume remembers it, so that new secrets over old data are
	// noticed before the service is started with credentials its data does not know.
	Credentials string
}

// Name is the service's name.
func (u Unit) Name() string { return u.Service.Name }

// Names of the objects devstack makes for a checkout, from its identity (config.Identity.ID).
func ContainerName(identity, service string) string { return identity + "-" + service }
func VolumeName(identity, service string) string    { return identity + "-" + service + "-data" }
func NetworkName(identity string) string            { return identity + "-devstack" }

// Labels marks an object as the checkout's, and the service's when given: the identity
// (what every command filters on), and for people and for the engine itself, the
// project's name and the checkout's real path.
func Labels(id config.Identity, service string) map[string]string {
	l := map[string]string{engine.LabelProject: id.ID}
	if id.Name != "" {
		l[engine.LabelName] = id.Name
	}
	if id.Checkout != "" {
		l[engine.LabelCheckout] = id.Checkout
	}
	if service != "" {
		l[engine.LabelService] = service
	}
	return l
}

// IdentityOf is the identity a configuration acts as (config.Config.StackIdentity).
func IdentityOf(cfg *config.Config) config.Identity { return cfg.StackIdentity() }

// New resolves cfg. Secrets are generated as the services' environments ask for them;
// the caller saves them when it acts.
func New(cfg *config.Config, secrets Secrets) (*Plan, error) {
	pp, err := ports.NewPlan(cfg)
	if err != nil {
		return nil, err
	}
	p := &Plan{Config: cfg, Project: cfg.Project, Identity: IdentityOf(cfg), Bind: cfg.Bind, Offset: cfg.Offset, Host: connectHost(cfg.Bind), Ports: pp}
	if cfg.Root != "" {
		// A restored snapshot lives in another volume than the default (docs/snapshots.md).
		if p.dataSets, err = state.LoadDataSets(cfg.Root); err != nil {
			return nil, err
		}
	}
	for i := range cfg.Services {
		u, err := p.unit(&cfg.Services[i], secrets)
		if err != nil {
			return nil, err
		}
		p.Units = append(p.Units, u)
	}
	return p, nil
}

// Unit returns the planned service with that name.
func (p *Plan) Unit(name string) (Unit, bool) {
	for _, u := range p.Units {
		if u.Name() == name {
			return u, true
		}
	}
	return Unit{}, false
}

// Select returns the services named (all when none is), refusing a name not planned.
func (p *Plan) Select(only []string) ([]Unit, error) {
	if len(only) == 0 {
		return p.Units, nil
	}
	var out []Unit
	for _, name := range only {
		if _, ok := p.Unit(name); !ok {
			return nil, &config.Error{File: p.Config.File, Key: "services",
				Msg: fmt.Sprintf("service %q is not planned", name),
				Fix: fmt.Sprintf("name one of: %s; or add %s under services: in %s", p.names(), name, config.FileName)}
		}
	}
	for _, u := range p.Units { // plan order, whatever order they were named in
		for _, name := range only {
			if u.Name() == name {
				out = append(out, u)
				break
			}
		}
	}
	return out, nil
}

func (p *Plan) unit(svc *config.Service, secrets Secrets) (Unit, error) {
	used := map[string]string{}
	get := func(key string) string {
		v := secrets.Get(key)
		used[key] = v
		return v
	}
	env := map[string]string{}
	managed := map[string]bool{} // env keys holding a credential devstack generated
	if svc.Service.Env != nil {
		var generated []string
		env = svc.Service.Env(services.Params{Project: p.Project, Secret: func(key string) string {
			v := get(key)
			generated = append(generated, v)
			return v
		}})
		for k, v := range env {
			if v != "" && slices.Contains(generated, v) {
				managed[k] = true
			}
		}
	}
	var overridden []string
	for k, v := range svc.Env {
		v, err := config.ExpandSecrets(v, get)
		if err != nil {
			return Unit{}, &config.Error{File: p.Config.File, Key: "services." + svc.Name + ".env." + k, Msg: err.Error(),
				Fix: "write a generated credential as ${secret:NAME}, NAME in capitals, digits and _"}
		}
		if managed[k] && v != env[k] {
			overridden = append(overridden, k)
		}
		env[k] = v
	}
	if len(overridden) > 0 {
		// The service takes the user's value on a fresh volume only; devstack's probes and
		// .env follow env:, so a volume made with the old value fails every login.
		sort.Strings(overridden)
		p.Warnings = append(p.Warnings, fmt.Sprintf(
			"services.%s.env in %s sets %s, overriding the credential devstack generates (kept in .devstack/secrets.env): "+
				"%s's data made with the other value keeps it, and logins fail until that data is reset; "+
				"remove it from env: to use devstack's, or keep yours and reset %s's data once: devstack down --volumes %s",
			svc.Name, config.FileName, strings.Join(overridden, ", "), svc.Name, svc.Name, svc.Name))
	}
	spec := engine.ContainerSpec{
		Name:     ContainerName(p.Identity.ID, svc.Name),
		Image:    svc.Image,
		Hostname: svc.Name, // fixed: RabbitMQ keys its data on the node name
		Env:      env,
		Labels:   placed(Labels(p.Identity, svc.Name), p.Offset, p.Bind),
		Network:  NetworkName(p.Identity.ID),
		Alias:    svc.Name,
	}
	if svc.Cmd != nil {
		spec.Cmd = svc.Cmd(env)
	}
	if svc.Mount != "" {
		spec.Volume, spec.Mount = VolumeName(p.Identity.ID, svc.Name), svc.Mount
		if v := restoredVolume(p.dataSets, svc.Name, spec.Volume); v != "" {
			spec.Volume = v
		}
	}
	for _, u := range svc.Ulimits {
		spec.Ulimits = append(spec.Ulimits, engine.Ulimit{Name: u.Name, Soft: u.Soft, Hard: u.Hard})
	}
	ep := services.Endpoint{Host: p.Host, Ports: map[string]int{}, Env: env}
	for _, pt := range p.Ports.Ports {
		if pt.Service == svc.Name {
			spec.Ports = append(spec.Ports, engine.PortBinding{HostIP: p.Bind, HostPort: pt.Host, ContainerPort: pt.Container})
			ep.Ports[pt.Name] = pt.Host
		}
	}
	planned := map[string]bool{}
	for _, s := range p.Config.Services {
		planned[s.Name] = true
	}
	var fws []*services.Framework
	for _, name := range p.Config.Frameworks { // config accepts known names only
		if f, ok := services.LookupFramework(name); ok {
			fws = append(fws, f)
		}
	}
	return Unit{Service: svc, Spec: spec, Endpoint: ep, Timeout: svc.Timeout, project: p.Project, Credentials: fingerprint(used),
		frameworks: fws, planned: planned}, nil
}

// fingerprint is a short hash of the secrets by name; "" when the service uses none.
// The secrets are random and long, so the hash tells nothing about them.
func fingerprint(used map[string]string) string {
	if len(used) == 0 {
		return ""
	}
	keys := slices.Sorted(maps.Keys(used))
	h := sha256.New()
	for _, k := range keys {
		fmt.Fprintf(h, "%s=%s\n", k, used[k])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// placed adds where the ports are published to a container's labels.
func placed(l map[string]string, offset int, bind string) map[string]string {
	l[engine.LabelOffset], l[engine.LabelBind] = strconv.Itoa(offset), bind
	return l
}

// connectHost is where devstack itself connects: a wildcard bind is reached on loopback.
func connectHost(bind string) string {
	ip := net.ParseIP(bind)
	switch {
	case ip == nil:
		return bind
	case ip.IsUnspecified() && ip.To4() != nil:
		return "127.0.0.1"
	case ip.IsUnspecified():
		return "::1"
	}
	return bind
}

func (p *Plan) names() string {
	s := ""
	for i, u := range p.Units {
		if i > 0 {
			s += ", "
		}
		s += u.Name()
	}
	return s
}

// restoredVolume is the volume a snapshot restore made for service, when it made one
// from this identity's default volume name def (a pointer written under another
// identity, or by hand, is not followed).
func restoredVolume(d *state.DataSets, service, def string) string {
	if d == nil {
		return ""
	}
	if v := d.Volumes[service]; strings.HasPrefix(v, def+"-") {
		return v
	}
	return ""
}
