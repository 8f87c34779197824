package compose

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/grammar"
	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/tmpl"
)

// What one service becomes: a built-in keeping the file's choices, or a custom service
// with what devstack's grammar accepts of it.

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
