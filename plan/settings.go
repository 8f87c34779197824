package plan

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/tmpl"
)

// Settings are the connection settings of every planned service, in plan order: each
// service's own, then what devstack.yaml's connection: adds, renames or drops. host is
// where the application reaches the services ("" for the plan's own host).
func (p *Plan) Settings(host string, secrets Secrets) ([]services.Setting, error) {
	var out []services.Setting
	for _, u := range p.Units {
		s, err := u.Settings(host, secrets)
		if err != nil {
			return nil, err
		}
		out = append(out, s...)
	}
	return out, nil
}

// Settings are u's connection settings for an application reaching it at host ("" for
// the plan's own host).
func (u Unit) Settings(host string, secrets Secrets) ([]services.Setting, error) {
	ep := u.Endpoint
	if host != "" {
		ep.Host = host
	}
	var own []services.Setting
	if u.Service.Connection != nil {
		own = u.Service.Connection(ep)
	}
	// The frameworks' names come after the generic ones, and before connection:, which
	// may use ({setting:INVENIO_CACHE_REDIS_URL}), replace or drop them like any other.
	for _, f := range u.frameworks {
		own = append(own, u.frameworkSettings(f, ep)...)
	}
	if len(u.ConnectionEdits) == 0 {
		return own, nil
	}
	byKey := map[string]services.Setting{}
	for _, s := range own {
		byKey[s.Key] = s
	}
	dropped := map[string]bool{}
	var added []services.Setting
	for _, c := range u.ConnectionEdits { // in the file's order
		if c.Drop {
			dropped[c.Key] = true
			continue
		}
		secret := false
		v, err := tmpl.Expand(c.Template, func(r tmpl.Ref) (string, error) {
			switch r.Kind {
			case "setting":
				s, ok := byKey[r.Arg]
				if !ok {
					return "", fmt.Errorf("%s has no setting %s", u.Name(), r.Arg)
				}
				secret = secret || s.Secret
				return s.Value, nil
			case "secret", "env":
				secret = true
			}
			return lookup(ep, u.project, secrets, r)
		})
		if err != nil {
			return nil, &config.Error{File: u.ConnectionFile, Line: c.Line, Key: "services." + u.Name() + ".connection." + c.Key,
				Msg: err.Error(), Fix: config.ConnectionFix}
		}
		added = append(added, services.Setting{Key: c.Key, Value: v, Secret: secret})
	}
	var out []services.Setting
	for _, s := range own {
		if !dropped[s.Key] && !overridden(added, s.Key) {
			out = append(out, s)
		}
	}
	return append(out, added...), nil
}

func overridden(list []services.Setting, key string) bool {
	for _, s := range list {
		if s.Key == key {
			return true
		}
	}
	return false
}

// frameworkSettings are f's settings for u at ep; none for a service f does not use (f
// knows built-ins only, and devstack.yaml cannot define a service under a built-in's name).
func (u Unit) frameworkSettings(f *services.Framework, ep services.Endpoint) []services.Setting {
	fn := f.For[u.Name()]
	if fn == nil {
		return nil
	}
	return fn(ep, func(name string) bool { return u.planned[name] })
}

// FrameworkSettings are the named framework's settings for every planned service it
// uses, for an application reaching them at host ("" for the plan's own host): Frappe's
// common_site_config.json keys, which devstack env --format frappe prints. A framework
// that uses none of the planned services is an error that says which it needs.
func (p *Plan) FrameworkSettings(name, host string) ([]services.Setting, error) {
	f, ok := services.LookupFramework(name)
	if !ok {
		return nil, fmt.Errorf("unknown framework %q", name)
	}
	var out []services.Setting
	for _, u := range p.Units {
		ep := u.Endpoint
		if host != "" {
			ep.Host = host
		}
		out = append(out, u.frameworkSettings(f, ep)...)
	}
	if len(out) == 0 {
		uses := slices.Sorted(maps.Keys(f.For))
		return nil, &config.Error{File: p.Config.File, Key: "services",
			Msg: fmt.Sprintf("none of the planned services is one %s uses (%s)", f.Name, strings.Join(uses, ", ")),
			Fix: fmt.Sprintf("add %s under services: in %s", strings.Join(uses, " and "), config.FileName)}
	}
	return out, nil
}

// lookup resolves the references every template may use: {host}, {port:NAME},
// {env:KEY}, {secret:NAME} and {project}.
func lookup(ep services.Endpoint, project string, secrets Secrets, r tmpl.Ref) (string, error) {
	switch r.Kind {
	case "host":
		return ep.Host, nil
	case "port":
		if n, ok := ep.Ports[r.Arg]; ok {
			return strconv.Itoa(n), nil
		}
		return "", fmt.Errorf("no port named %q", r.Arg)
	case "env":
		v, ok := ep.Env[r.Arg]
		if !ok {
			return "", fmt.Errorf("the container's environment has no %s", r.Arg)
		}
		return v, nil
	case "secret":
		return secrets.Get(r.Arg), nil
	case "project":
		return project, nil
	}
	return "", fmt.Errorf("unknown reference")
}

// Target is u as its probe sees it; run executes a command in its container.
func (u Unit) Target(run func(ctx context.Context, cmd []string) (int, []byte, error)) services.Target {
	return services.NewTarget(u.Service.Service, u.Endpoint, run)
}
