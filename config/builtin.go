package config

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

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
					return net.JoinHostPort(ep.Host, strconv.Itoa(ep.Ports[r.Arg])), nil
				case "env":
					secret = secret || secretEnv[r.Arg]
					return ep.Env[r.Arg], nil
				}
				return "", fmt.Errorf("not a reference a built-in's setting resolves")
			})
			out = append(out, services.Setting{Key: c.Key, Value: v, Secret: secret})
		}
		return out
	}
	return svc, nil
}
