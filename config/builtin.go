package config

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/devstack-dev/devstack/grammar"
	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/services/builtin"
	"github.com/devstack-dev/devstack/tmpl"
)

// The built-ins written as data (services/builtin/NAME.yaml) are read by the decoder
// that reads a service devstack.yaml defines itself, and join the catalog when config
// is initialised, before anything reads the catalog.
var _ = registerBuiltins()

func registerBuiltins() bool {
	files, err := builtin.FS.ReadDir(".")
	if err != nil {
		panic(err)
	}
	for _, f := range files {
		name, ok := strings.CutSuffix(f.Name(), ".yaml")
		if !ok {
			continue
		}
		data, err := builtin.FS.ReadFile(f.Name())
		if err != nil {
			panic(err)
		}
		svc, err := decodeBuiltin(name, data)
		if err != nil {
			panic(fmt.Sprintf("built-in service %s: %v", name, err)) // the build's own file: a test reads them all
		}
		services.Register(svc)
	}
	return true
}

// projectRuleRE is ${project:RULE} in a built-in's env: the project's name made into what
// the server accepts by the rule registered under RULE (services.NameFor).
var projectRuleRE = regexp.MustCompile(`\$\{project:([a-z0-9-]+)\}`)

// decodeBuiltin reads one built-in's file into a catalog entry: its environment and
// connection settings become the functions a Go built-in's are, expanded per project.
func decodeBuiltin(name string, data []byte) (*services.Service, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, fmt.Errorf("services/builtin/%s.yaml holds no service", name)
	}
	d := decoder{path: "services/builtin/" + name + ".yaml", catalog: true}
	e, err := d.custom(doc.Content[0], name, name, 0)
	if err != nil {
		return nil, err
	}
	svc := e.custom
	env := e.env
	secretEnv := map[string]bool{} // the variables that hold a generated credential
	for k, v := range env {
		secretEnv[k] = secretRE.MatchString(v)
		for _, m := range projectRuleRE.FindAllStringSubmatch(v, -1) {
			if _, ok := services.NameFor(m[1], "p"); !ok {
				return nil, fmt.Errorf("env.%s: no name rule %q (known: %s)", k, m[1], strings.Join(services.NameRules(), ", "))
			}
		}
	}
	svc.Env = func(p services.Params) map[string]string {
		out := make(map[string]string, len(env))
		for k, v := range env {
			v = projectRuleRE.ReplaceAllStringFunc(v, func(m string) string {
				name, _ := services.NameFor(projectRuleRE.FindStringSubmatch(m)[1], p.Project)
				return name
			})
			out[k], _ = ExpandSecrets(v, p.Secret) // the names were checked when read
		}
		return out
	}
	conn := e.connection
	svc.Connection = func(ep services.Endpoint) []services.Setting {
		out := make([]services.Setting, 0, len(conn))
		for _, c := range conn {
			secret := false
			v, _ := tmpl.Expand(c.Template, func(r tmpl.Ref) (string, error) {
				switch r.Kind {
				case "host":
					return ep.Host, nil
				case "port":
					return strconv.Itoa(ep.Ports[r.Arg]), nil
				case "addr":
					return ep.Addr(r.Arg), nil
				case "env":
					secret = secret || secretEnv[r.Arg]
					return ep.Env[r.Arg], nil
				case "userinfo", "auth":
					userRef, passRef, _ := strings.Cut(r.Arg, ":")
					user, s1 := userinfoPart(ep.Env, secretEnv, userRef)
					pass, s2 := userinfoPart(ep.Env, secretEnv, passRef)
					secret = secret || s1 || s2
					if r.Kind == "userinfo" {
						return url.UserPassword(user, pass).String(), nil
					}
					if pass == "" { // no password, no login: a server without one refuses AUTH
						return "", nil
					}
					return url.UserPassword(user, pass).String() + "@", nil
				case "path":
					secret = secret || secretEnv[r.Arg]
					// escaped as url.URL escapes the path after its leading '/'
					return strings.TrimPrefix((&url.URL{Path: "/" + ep.Env[r.Arg]}).EscapedPath(), "/"), nil
				}
				return "", fmt.Errorf("not a reference a built-in's setting resolves")
			})
			out = append(out, services.Setting{Key: c.Key, Value: v, Secret: secret})
		}
		return out
	}
	return svc, nil
}

// fixtureChecks are the grammars a built-in's fixture keys name (fixtures.keys[].check):
// what the server accepts as the name of what a fixture writes to.
var fixtureChecks = map[string]func(string) error{
	"postgres-name":    grammar.PostgresName,
	"mariadb-name":     grammar.MariaDBName,
	"mongo-database":   grammar.MongoDatabase,
	"mongo-collection": grammar.MongoCollection,
	"index-name":       grammar.IndexName,
	"bucket-name":      grammar.BucketName,
}

// catalogFields are the keys only a built-in's file may set besides order, optional and
// init_once: what a service needs of the engine, of the host, of its fixtures and of an
// upgrade. Where the answer is code (a path that depends on the major), the file names
// a hook registered in services.
func (d decoder) catalogFields(fields map[string]func(*yaml.Node, string) error, svc *services.Service) {
	fields["command"] = func(v *yaml.Node, k string) error { return d.builtinCommand(v, k, svc) }
	fields["after_ready"] = func(v *yaml.Node, k string) error {
		var s scalar[string]
		err := d.str(v, k, &s)
		svc.AfterReady = s.value
		return err
	}
	fields["ulimits"] = func(n *yaml.Node, at string) error {
		return d.list(n, at, func(item *yaml.Node, key string) error {
			var name scalar[string]
			var soft, hard scalar[int]
			if err := d.mapping(item, key, map[string]func(*yaml.Node, string) error{
				"name": func(v *yaml.Node, k string) error { return d.str(v, k, &name) },
				"soft": func(v *yaml.Node, k string) error { return d.integer(v, k, &soft) },
				"hard": func(v *yaml.Node, k string) error { return d.integer(v, k, &hard) },
			}); err != nil {
				return err
			}
			svc.Ulimits = append(svc.Ulimits, services.Ulimit{Name: name.value, Soft: int64(soft.value), Hard: int64(hard.value)})
			return nil
		})
	}
	fields["host_checks"] = func(n *yaml.Node, at string) error {
		return d.list(n, at, func(item *yaml.Node, key string) error {
			var sysctl, forWhom, fix scalar[string]
			var minimum scalar[int]
			if err := d.mapping(item, key, map[string]func(*yaml.Node, string) error{
				"sysctl": func(v *yaml.Node, k string) error { return d.str(v, k, &sysctl) },
				"min":    func(v *yaml.Node, k string) error { return d.integer(v, k, &minimum) },
				"for":    func(v *yaml.Node, k string) error { return d.str(v, k, &forWhom) },
				"fix":    func(v *yaml.Node, k string) error { return d.str(v, k, &fix) },
			}); err != nil {
				return err
			}
			svc.HostChecks = append(svc.HostChecks, services.HostCheck{Sysctl: sysctl.value, Min: minimum.value, For: forWhom.value, Fix: fix.value})
			return nil
		})
	}
	fields["fixtures"] = func(n *yaml.Node, at string) error {
		var fkind, files scalar[string]
		f := &services.Fixtures{}
		if err := d.mapping(n, at, map[string]func(*yaml.Node, string) error{
			"kind":  func(v *yaml.Node, k string) error { return d.str(v, k, &fkind) },
			"files": func(v *yaml.Node, k string) error { return d.str(v, k, &files) },
			"keys": func(n *yaml.Node, at string) error {
				return d.list(n, at, func(item *yaml.Node, key string) error {
					var name, def, check scalar[string]
					if err := d.mapping(item, key, map[string]func(*yaml.Node, string) error{
						"key":     func(v *yaml.Node, k string) error { return d.str(v, k, &name) },
						"default": func(v *yaml.Node, k string) error { return d.str(v, k, &def) },
						"check":   func(v *yaml.Node, k string) error { return d.str(v, k, &check) },
					}); err != nil {
						return err
					}
					fn, ok := fixtureChecks[check.value]
					if !ok {
						return d.errf(item, key+".check", "name one of "+strings.Join(slices.Sorted(maps.Keys(fixtureChecks)), ", "), "%q is not a check devstack knows", check.value)
					}
					f.Keys = append(f.Keys, services.FixtureOption{Key: name.value, Default: def.value, Check: fn})
					return nil
				})
			},
		}); err != nil {
			return err
		}
		if fkind.value == "" || files.value == "" {
			return d.errf(n, at, "name the driver's kind and the files it loads", "needs kind: and files:")
		}
		f.Kind, f.Files = fkind.value, files.value
		svc.Fixtures = f
		return nil
	}
	fields["upgrade"] = func(n *yaml.Node, at string) error {
		var versionEnv, move, versionFiles scalar[string]
		if err := d.mapping(n, at, map[string]func(*yaml.Node, string) error{
			"version_env":   func(v *yaml.Node, k string) error { return d.str(v, k, &versionEnv) },
			"move":          func(v *yaml.Node, k string) error { return d.str(v, k, &move) },
			"version_files": func(v *yaml.Node, k string) error { return d.str(v, k, &versionFiles) },
		}); err != nil {
			return err
		}
		if move.value == "" {
			return d.errf(n, at, "say how to carry data to another major, {container} being the service's container", "needs move:")
		}
		for _, r := range tmpl.Refs(move.value) {
			if r.Kind != "container" {
				return d.errf(n, at+".move", "use {container}, the service's container", "%s is not a reference devstack knows", r)
			}
		}
		up := &services.Upgrade{VersionEnv: versionEnv.value, Move: func(ctr string) string {
			out, _ := tmpl.Expand(move.value, func(tmpl.Ref) (string, error) { return ctr, nil })
			return out
		}}
		if versionFiles.value != "" {
			fn, ok := services.VersionFilesHook(versionFiles.value)
			if !ok {
				return d.errf(n, at+".version_files", "name a hook registered in services", "no version files hook %q", versionFiles.value)
			}
			up.VersionFiles = fn
		}
		svc.Upgrade = up
		return nil
	}
	fields["mount_for"] = func(v *yaml.Node, k string) error {
		var s scalar[string]
		if err := d.str(v, k, &s); err != nil {
			return err
		}
		fn, ok := services.MountHook(s.value)
		if !ok {
			return d.errf(v, k, "name a hook registered in services", "no mount hook %q", s.value)
		}
		svc.MountFor = fn
		return nil
	}
}

// list calls item for each entry of the sequence n.
func (d decoder) list(n *yaml.Node, at string, item func(*yaml.Node, string) error) error {
	if n.Kind != yaml.SequenceNode {
		return d.errf(n, at, "write a list, each item on a line starting with -", "must be a list, not %s", kind(n, at))
	}
	for i, v := range n.Content {
		if err := item(v, fmt.Sprintf("%s[%d]", at, i)); err != nil {
			return err
		}
	}
	return nil
}

// commandPart is one argument of a built-in's command, or a group of them written as a
// list inside it: a group is passed only when every {env:KEY} it names is set and not
// empty (Redis's --requirepass PASSWORD, left out when the password is emptied).
type commandPart struct {
	args  []string
	group bool
}

// builtinCommand reads a built-in's command: arguments are templates over {env:KEY}, the
// container's final environment (devstack.yaml's env: applied).
func (d decoder) builtinCommand(n *yaml.Node, at string, svc *services.Service) error {
	fix := `write the command as a list of arguments, such as [redis-server, --dir, /data, [--requirepass, "{env:REDIS_PASSWORD}"]]`
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		return d.errf(n, at, fix, "must be a non-empty list, not %s", kind(n, at))
	}
	arg := func(v *yaml.Node, key string) (string, error) {
		var s scalar[string]
		if err := d.str(v, key, &s); err != nil {
			return "", err
		}
		for _, r := range tmpl.Refs(s.value) {
			if r.Kind != "env" {
				return "", d.errf(v, key, fix, "%s is not a reference a command resolves; use {env:KEY}", r)
			}
		}
		return s.value, nil
	}
	var parts []commandPart
	for i, v := range n.Content {
		key := fmt.Sprintf("%s[%d]", at, i)
		if v.Kind != yaml.SequenceNode {
			a, err := arg(v, key)
			if err != nil {
				return err
			}
			parts = append(parts, commandPart{args: []string{a}})
			continue
		}
		p := commandPart{group: true}
		if err := d.list(v, key, func(item *yaml.Node, k string) error {
			a, err := arg(item, k)
			p.args = append(p.args, a)
			return err
		}); err != nil {
			return err
		}
		parts = append(parts, p)
	}
	svc.Cmd = func(env map[string]string) []string {
		out := []string{}
		for _, p := range parts {
			var args []string
			missing := false
			for _, a := range p.args {
				v, _ := tmpl.Expand(a, func(r tmpl.Ref) (string, error) {
					missing = missing || env[r.Arg] == ""
					return env[r.Arg], nil
				})
				args = append(args, v)
			}
			if !p.group || !missing {
				out = append(out, args...)
			}
		}
		return out
	}
	return nil
}

// userinfoPart is one side of {userinfo:USER:PASSWORD} or {auth:USER:PASSWORD}: the
// value of the environment variable it names, or, written =VALUE, that value itself.
func userinfoPart(env map[string]string, secretEnv map[string]bool, ref string) (value string, secret bool) {
	if lit, ok := strings.CutPrefix(ref, "="); ok {
		return lit, false
	}
	return env[ref], secretEnv[ref]
}
