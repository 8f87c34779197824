package compose

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/services"
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
