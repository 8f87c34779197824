package compose

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v3"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/probe/spec"
	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/tmpl"
	"github.com/devstack-dev/devstack/userfile"
)

// Exported is a compose file equivalent to a project's stack.
type Exported struct {
	File    string `json:"file,omitempty"` // where it was written; "" for stdout
	Project string `json:"project"`
	Notes   []Note `json:"notes"`
	YAML    []byte `json:"-"`
	Compose string `json:"compose"`
}

// secretMark wraps a generated credential's name while the plan is resolved, so that the
// value can become a compose variable: the secret itself is never read or written.
const secretMark = "\x00devstack-secret:"

var secretMarkRE = regexp.MustCompile("\x00devstack-secret:([A-Z][A-Z0-9_]*)\x00")

type markedSecrets struct{}

func (markedSecrets) Get(key string) string { return secretMark + key + "\x00" }
func (markedSecrets) Save() error           { return nil }

// unmark turns each marked credential into ${NAME}: Compose reads it from an env file
// (docker compose --env-file .devstack/secrets.env), never from the compose file.
func unmark(s string) string { return secretMarkRE.ReplaceAllString(s, "$${$1}") }

// dollar escapes what Compose would interpolate in a value devstack means literally.
func dollar(s string) string { return strings.ReplaceAll(s, "$", "$$") }

// ExportOptions say where the compose file goes.
type ExportOptions struct {
	// File is where to write it (inside the project, links followed, written whole);
	// "" leaves it to the caller to print.
	File string
}

// Export writes the compose file that runs cfg's services as devstack plans them: the
// same images, ports on the bind address with the current placement, the environment
// with every generated credential as a ${NAME} variable, one named volume per service,
// and a healthcheck where the probe has a compose equivalent (an exec probe).
func Export(ctx context.Context, cfg *config.Config, opts ExportOptions) (*Exported, error) {
	p, err := plan.New(cfg, markedSecrets{})
	if err != nil {
		return nil, err
	}
	out := &Exported{Project: cfg.Project, Notes: []Note{}}
	top := mapping()
	add(top, "name", str(composeName(cfg.Project)))
	svcs := mapping()
	vols := mapping()
	for _, u := range p.Units {
		m := mapping()
		add(m, "image", str(u.Spec.Image))
		if len(u.Spec.Cmd) > 0 {
			cmd := make([]string, len(u.Spec.Cmd))
			for i, c := range u.Spec.Cmd {
				cmd[i] = unmark(dollar(c))
			}
			add(m, "command", strList(cmd))
		}
		if len(u.Spec.Env) > 0 {
			env := mapping()
			keys := make([]string, 0, len(u.Spec.Env))
			for k := range u.Spec.Env {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				add(env, k, str(unmark(dollar(u.Spec.Env[k]))))
			}
			add(m, "environment", env)
		}
		if len(u.Spec.Ports) > 0 {
			l := &yaml.Node{Kind: yaml.SequenceNode}
			for _, pt := range u.Spec.Ports {
				pm := mapping()
				if name := portName(u, pt.ContainerPort); name != "" {
					add(pm, "name", str(name))
				}
				add(pm, "target", num(pt.ContainerPort))
				add(pm, "published", str(strconv.Itoa(pt.HostPort)))
				add(pm, "host_ip", str(pt.HostIP))
				l.Content = append(l.Content, pm)
			}
			add(m, "ports", l)
		}
		if u.Spec.Mount != "" {
			vol := u.Name() + "-data"
			add(m, "volumes", strList([]string{vol + ":" + u.Spec.Mount}))
			add(vols, vol, &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle})
		}
		if len(u.Spec.Ulimits) > 0 {
			ul := mapping()
			for _, x := range u.Spec.Ulimits {
				lm := mapping()
				lm.Style = yaml.FlowStyle
				add(lm, "soft", num(int(x.Soft)))
				add(lm, "hard", num(int(x.Hard)))
				add(ul, x.Name, lm)
			}
			add(m, "ulimits", ul)
		}
		if len(u.DependsOn) > 0 {
			add(m, "depends_on", strList(u.DependsOn))
		}
		switch hc := healthcheck(u.Probe); {
		case hc != nil:
			h := mapping()
			add(h, "test", strList(hc))
			add(m, "healthcheck", h)
		case !builtin(u.Name()):
			out.Notes = append(out.Notes, Note{Service: u.Name(), Key: "probe", Kind: NotCarried,
				Message: "the " + u.Probe.Kind + " probe has no compose equivalent: the service gets no healthcheck"})
		}
		add(svcs, u.Name(), m)
	}
	add(top, "services", svcs)
	if len(vols.Content) > 0 {
		add(top, "volumes", vols)
	}
	top.Content[0].HeadComment = "Made by devstack export compose from " + config.FileName + ". Generated credentials are ${NAME} variables:\n" +
		"docker compose --env-file .devstack/secrets.env -f FILE up (devstack bootstrap creates that file)."
	data, err := yaml.Marshal(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{top}})
	if err != nil {
		return nil, err
	}
	if err := validate(ctx, cfg.Root, data); err != nil {
		return nil, fmt.Errorf("the compose file made from %s does not pass the compose specification (a devstack bug; please report it): %w", cfg.File, err)
	}
	out.YAML, out.Compose = data, string(data)
	if opts.File != "" {
		if err := userfile.Write(cfg.Root, opts.File, data, userfile.Options{Mode: 0o644}); err != nil {
			return nil, err
		}
		out.File = opts.File
	}
	return out, nil
}

func builtin(name string) bool {
	_, err := services.Lookup(name)
	return err == nil
}

// portName is the devstack name of the service's port on container port c.
func portName(u plan.Unit, c int) string {
	for _, p := range u.Ports {
		if p.Container == c {
			return p.Name
		}
	}
	return ""
}

// healthcheck is the compose test of an exec probe; nil when the probe has no compose
// equivalent (a protocol probe runs from the host, with no client in the image), or its
// command holds devstack templates, which Compose would pass literally.
func healthcheck(p spec.Spec) []string {
	if p.Kind != "exec" || len(p.Cmd) == 0 {
		return nil
	}
	for _, a := range p.Cmd {
		if len(tmpl.Refs(a)) > 0 {
			return nil
		}
	}
	out := []string{"CMD"}
	for _, a := range p.Cmd {
		out = append(out, dollar(a))
	}
	return out
}

var nonName = regexp.MustCompile(`[^a-z0-9_-]+`)

// composeName is the project's name as Compose accepts it.
func composeName(s string) string {
	n := loader.NormalizeProjectName(nonName.ReplaceAllString(strings.ToLower(s), "-"))
	if n == "" {
		return "devstack"
	}
	return n
}

// validate loads the compose file with compose-go, validation on, with every variable
// set: what Compose itself would say of it.
func validate(ctx context.Context, dir string, data []byte) error {
	details := types.ConfigDetails{
		WorkingDir:  dir,
		ConfigFiles: []types.ConfigFile{{Filename: "compose.yaml", Content: data}},
		Environment: types.Mapping{},
	}
	_, err := loader.LoadWithContext(ctx, details, func(o *loader.Options) {
		o.SkipResolveEnvironment = true
		o.Interpolate.LookupValue = func(string) (string, bool) { return "set", true }
	})
	return err
}
