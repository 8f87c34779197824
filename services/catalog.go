// Package services holds the catalog of backing services devstack can run: for each, its
// default image, ports, volume, environment, readiness probe and the connection settings
// an application needs.
//
// A service definition is data: every built-in is a file in services/builtin
// (NAME.yaml), read by config with the decoder that reads a service devstack.yaml defines
// itself, and added here with Register. What a definition names but is code is
// registered here by name: the rules that make a project's name into what a server
// accepts (RegisterNameRule), and postgres's hooks (RegisterMountHook,
// RegisterVersionFilesHook). The drivers that speak a protocol are registered by kind
// elsewhere: probe strategies in probe (one file a kind), fixture loaders and steps in
// services/drivers (one file a kind). Only the commands that run things link the
// drivers, so config, which reads these definitions, links no client library.
//
// config accepts a service under services: (and fixtures: when Fixtures is set), plan
// resolves it, doctor runs its HostChecks, and stack waits on its Probe; the tests in
// services/builtin check every entry against a listener that accepts and closes.
package services

import (
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/devstack-dev/devstack/probe/spec"
)

// Port is one port a service publishes.
type Port struct {
	Name      string // stable key used in config and JSON: "http", "amqp"…
	Container int    // port inside the container
	Host      int    // default host port, before any offset
}

// Ulimit is one resource limit set on the container.
type Ulimit struct {
	Name       string
	Soft, Hard int64
}

// Params are what a service's environment is made from.
type Params struct {
	Project string
	// Secret returns the project's value for a credential, generated on first use and
	// kept in .devstack/secrets.env afterwards.
	Secret func(key string) string
}

// Endpoint is where a running service answers on the host, and with what credentials.
type Endpoint struct {
	Host  string            // the address to connect to (loopback when bound to a wildcard)
	Ports map[string]int    // host port by port name
	Env   map[string]string // the container's environment, credentials included
}

// Addr is host:port for the named port.
func (e Endpoint) Addr(port string) string {
	return net.JoinHostPort(e.Host, strconv.Itoa(e.Ports[port]))
}

// Setting is one connection setting an application reads, such as DATABASE_URL.
type Setting struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Secret bool   `json:"-"` // holds a credential
}

// Service is one catalog entry.
type Service struct {
	Name     string
	Order    int  // position in every listing, so output is stable
	Optional bool // started only when devstack.yaml lists it
	Image    string
	Ports    []Port
	Mount    string // where the service's named volume is mounted
	// MountFor, when set, picks the mount from the image's major version (PostgreSQL 18
	// moved its data); Mount applies when it is nil or the major is unknown.
	MountFor func(major int) string
	// InitOnce is set for a service whose image initialises its data (users, database)
	// only on its first start, over an empty volume: a first start cut short leaves data
	// the image never repairs, so up names such a volume rather than waiting on it.
	InitOnce bool
	// Upgrade is set for a service whose data on disk only its own major version reads;
	// nil when any version reads any other's data.
	Upgrade *Upgrade
	Ulimits []Ulimit
	// Timeout is how long up waits for readiness by default: OpenSearch needs longer.
	Timeout time.Duration
	// Env is the container's environment; devstack.yaml's env is applied on top of it.
	Env func(p Params) map[string]string
	// Cmd is the container's command, from its final environment; nil keeps the image's.
	Cmd func(env map[string]string) []string
	// Probe is one readiness attempt in the service's own protocol: never a TCP connect,
	// which Docker's proxy accepts before anything listens inside.
	Probe spec.Spec
	// Fixtures says which fixtures the service takes, and which driver loads them; nil
	// when it takes none.
	Fixtures *Fixtures
	// HostChecks are what the service needs of the host; doctor checks those of the
	// planned services.
	HostChecks []HostCheck
	// AfterReady names the step, registered by a driver, that prepares what the
	// connection settings promise (MinIO's bucket); "" for none.
	AfterReady string
	// Connection lists the settings an application needs to reach the service.
	Connection func(ep Endpoint) []Setting
	// DependsOn names the services this one needs answering before it starts (pgAdmin
	// PostgreSQL's); up waits for those it brings up with it. It never changes the
	// display order.
	DependsOn []string
}

// HostCheck is a kernel setting a service needs at least a value of (OpenSearch's
// vm.max_map_count); Linux only, and a warning, as the services still start without it.
type HostCheck struct {
	Sysctl string // the key, as sysctl names it
	Min    int
	For    string // who wants it, for the message
	Fix    string
}

// Upgrade says how to tell which major version of a service made its data, and how to
// carry data across majors.
type Upgrade struct {
	// VersionEnv is the image's environment variable holding its version (PG_MAJOR);
	// the image's tag and then its version label stand in when the image sets none.
	VersionEnv string
	// VersionFiles are the paths in the volume where the service may have left its major
	// version (PostgreSQL's PG_VERSION), to try in order; they are read from volumes made
	// before devstack labelled them. imageMajor is the configured image's (never 0).
	VersionFiles func(imageMajor int) []string
	// Move is how to carry data to another major version, for the refusal's fix; it
	// is given the name of the service's container.
	Move func(container string) string
}

// MountAt is where the volume is mounted for an image of the given major (0: unknown).
func (s *Service) MountAt(major int) string {
	if s.MountFor != nil && major > 0 {
		return s.MountFor(major)
	}
	return s.Mount
}

// Port returns the named port, or false.
func (s *Service) Port(name string) (Port, bool) {
	for _, p := range s.Ports {
		if p.Name == name {
			return p, true
		}
	}
	return Port{}, false
}

// ImageEnv is the environment variable that overrides the service's image.
func (s *Service) ImageEnv() string {
	return "DEVSTACK_IMAGE_" + strings.ToUpper(strings.ReplaceAll(s.Name, "-", "_"))
}

var catalog []*Service

// Register adds a built-in read from its data file (services/builtin, read by config) to
// the catalog; it is called at initialisation, before anything lists the catalog.
func Register(s *Service) *Service {
	catalog = append(catalog, s)
	return s
}

// All returns every service in the catalog, in display order.
func All() []*Service {
	out := append([]*Service(nil), catalog...)
	sort.Slice(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out
}

// Lookup finds a service by name.
func Lookup(name string) (*Service, error) {
	for _, s := range catalog {
		if s.Name == name {
			return s, nil
		}
	}
	return nil, fmt.Errorf("unknown service %q (known: %s)", name, strings.Join(Names(), ", "))
}

// Names lists every service name in display order.
func Names() []string {
	var names []string
	for _, s := range All() {
		names = append(names, s.Name)
	}
	return names
}

// Defaults lists the services started when devstack.yaml does not choose.
func Defaults() []*Service {
	var out []*Service
	for _, s := range All() {
		if !s.Optional {
			out = append(out, s)
		}
	}
	return out
}

// identifier turns a project name into one PostgreSQL, RabbitMQ and S3 all accept.
func identifier(project string, sep rune) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return sep
	}, project)
}
