// Package compose reads a Compose file as the Compose CLI would (compose-go: .env and
// ${VAR:-default} interpolation, anchors, extends, include, profiles, env_file) and turns
// it into devstack's own configuration, saying what could not be carried over.
//
// A compose file is untrusted input: values come only from the project's .env and the
// file's own defaults, never from the environment of whoever runs devstack, and every file
// it names (extends, include, env_file) must stay inside the project.
package compose

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v3"

	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/userfile"
)

// ErrInput marks a compose file devstack cannot read: a usage error (exit 2).
var ErrInput = errors.New("unusable compose file")

// maxFileSize bounds every file the import reads, as config bounds devstack.yaml.
const maxFileSize = 1 << 20

// Loaded is a compose project as compose-go resolved it, with what the resolution took
// from where.
type Loaded struct {
	Root    string // the project directory: the compose file's own
	File    string // the compose file, as given
	Project *types.Project
	// Model is the resolved file before compose-go's types: which keys each service set.
	Model map[string]any
	// Unset are the variables the file uses that the project's .env does not set; the
	// file's default (or nothing) was used, never the caller's environment.
	Unset []string
}

// Load reads file (relative to dir unless absolute) the way the Compose CLI does, with
// the interpolation values of the project's .env only.
func Load(ctx context.Context, dir, file string) (*Loaded, error) {
	if !filepath.IsAbs(file) {
		file = filepath.Join(dir, file)
	}
	file, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	info, err := os.Stat(file)
	if err != nil {
		return nil, inputErr(output.WithHint(fmt.Errorf("read %s: %w", file, err), "name the project's compose file, such as docker-compose.yml"))
	}
	if !info.Mode().IsRegular() || info.Size() > maxFileSize {
		return nil, inputErr(output.WithHint(fmt.Errorf("%s: not a regular file under 1 MiB", file), "name the project's compose file"))
	}
	// The project is where devstack.yaml goes (dir); the compose file, and every file it
	// names, must be inside it. Compose's own project directory is the file's.
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := confine(root, file, map[string]bool{}); err != nil {
		return nil, err
	}
	workDir := filepath.Dir(file)
	env, err := projectEnv(root, workDir)
	if err != nil {
		return nil, err
	}
	unset := map[string]bool{}
	lookup := func(name string) (string, bool) {
		v, ok := env[name]
		if !ok {
			unset[name] = true
		}
		return v, ok
	}
	details := types.ConfigDetails{
		WorkingDir:  workDir,
		ConfigFiles: []types.ConfigFile{{Filename: file}},
		Environment: env,
	}
	opts := func(o *loader.Options) {
		o.Interpolate.LookupValue = lookup
		// compose-go warns about an unset variable on the process's log; the import
		// reports it itself (Unset), once, in its own output.
		o.Interpolate.Substitute = func(t string, m template.Mapping) (string, error) {
			return template.SubstituteWithOptions(t, m, template.WithoutLogging)
		}
		o.Profiles = []string{"*"} // every service: a profile is reported, not a reason to drop one
		o.SkipResolveEnvironment = true
		o.SetProjectName(loader.NormalizeProjectName(filepath.Base(workDir)), false)
	}
	model, err := loader.LoadModelWithContext(ctx, details, opts)
	if err != nil {
		return nil, inputErr(output.WithHint(fmt.Errorf("%s: %w", file, err), "fix the compose file until `docker compose config` accepts it"))
	}
	project, err := loader.LoadWithContext(ctx, details, opts)
	if err != nil {
		return nil, inputErr(output.WithHint(fmt.Errorf("%s: %w", file, err), "fix the compose file until `docker compose config` accepts it"))
	}
	// env_file: the paths were checked with the files that name them (confine); the
	// values join each service's environment as Compose would set them.
	if project, err = project.WithServicesEnvironmentResolved(true); err != nil {
		return nil, inputErr(fmt.Errorf("%s: env_file: %w", file, err))
	}
	l := &Loaded{Root: root, File: file, Project: project, Model: model}
	for name := range unset {
		l.Unset = append(l.Unset, name)
	}
	sort.Strings(l.Unset)
	return l, nil
}

func inputErr(err error) error { return fmt.Errorf("%w: %w", ErrInput, err) }

// projectEnv reads the .env of the compose project (in workDir), the only source of
// interpolation values.
func projectEnv(root, workDir string) (map[string]string, error) {
	path := filepath.Join(workDir, ".env")
	if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
		return map[string]string{}, nil
	}
	if _, err := userfile.Within(root, path); err != nil {
		return nil, inputErr(err)
	}
	// The lookup is nil: a .env line such as A=${HOME} must not read the caller's
	// environment either.
	env, err := dotenv.GetEnvFromFile(map[string]string{}, []string{path})
	if err != nil {
		return nil, inputErr(output.WithHint(fmt.Errorf("%s: %w", path, err), "fix the line the error names"))
	}
	return env, nil
}

// confine checks, before compose-go reads anything, that every file a compose file names
// (include, extends.file, env_file) stays inside root, links resolved, and does the same
// for each of those files in turn. A path written with a variable is refused: its value
// would come from interpolation, which this check cannot follow.
func confine(root, file string, seen map[string]bool) error {
	real, err := userfile.Within(root, file)
	if err != nil {
		return inputErr(output.WithHint(err, "run devstack init --from-compose in the project that holds the compose file, and keep every file it names inside it"))
	}
	if seen[real] {
		return nil
	}
	seen[real] = true
	data, err := os.ReadFile(real)
	if err != nil {
		return inputErr(fmt.Errorf("read %s: %w", file, err))
	}
	if len(data) > maxFileSize {
		return inputErr(fmt.Errorf("%s is over 1 MiB", file))
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return inputErr(output.WithHint(fmt.Errorf("%s: not valid YAML: %w", file, err), "fix the syntax"))
	}
	if len(doc.Content) == 0 {
		return nil
	}
	dir := filepath.Dir(real)
	var refs []ref
	top := resolveAlias(doc.Content[0])
	for _, inc := range seqOrOne(get(top, "include")) {
		if inc.Kind == yaml.ScalarNode {
			refs = append(refs, ref{inc, "include", true})
			continue
		}
		for _, p := range seqOrOne(get(inc, "path")) {
			refs = append(refs, ref{p, "include.path", true})
		}
		for _, p := range seqOrOne(get(inc, "env_file")) {
			refs = append(refs, ref{p, "include.env_file", false})
		}
		if p := get(inc, "project_directory"); p != nil {
			refs = append(refs, ref{p, "include.project_directory", false})
		}
	}
	if svcs := get(top, "services"); svcs != nil && svcs.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(svcs.Content); i += 2 {
			name, svc := svcs.Content[i].Value, resolveAlias(svcs.Content[i+1])
			if ext := get(svc, "extends"); ext != nil {
				if f := get(ext, "file"); f != nil {
					refs = append(refs, ref{f, "services." + name + ".extends.file", true})
				}
			}
			for _, ef := range seqOrOne(get(svc, "env_file")) {
				if ef.Kind == yaml.MappingNode {
					ef = get(ef, "path")
				}
				if ef != nil {
					refs = append(refs, ref{ef, "services." + name + ".env_file", false})
				}
			}
			for _, lf := range seqOrOne(get(svc, "label_file")) {
				refs = append(refs, ref{lf, "services." + name + ".label_file", false})
			}
		}
	}
	for _, r := range refs {
		if r.node.Kind != yaml.ScalarNode {
			continue
		}
		at := fmt.Sprintf("%s:%d:%d: %s", file, r.node.Line, r.node.Column, r.key)
		if strings.Contains(r.node.Value, "$") {
			return inputErr(output.WithHint(fmt.Errorf("%s: a path written with a variable", at),
				"write the path inside the project literally; devstack does not follow a variable out of the project"))
		}
		p := r.node.Value
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		if _, err := userfile.Within(root, p); err != nil {
			return inputErr(output.WithHint(fmt.Errorf("%s: %w", at, err),
				"a compose file may only name files inside the project; move the file into the project"))
		}
		if r.compose {
			if err := confine(root, p, seen); err != nil {
				return err
			}
		}
	}
	return nil
}

// ref is one path a compose file names; compose is set when the file is itself a compose
// file, whose own references are checked in turn.
type ref struct {
	node    *yaml.Node
	key     string
	compose bool
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// get is the value of key in mapping n, following aliases and << merges.
func get(n *yaml.Node, key string) *yaml.Node {
	n = resolveAlias(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	var merged *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Value == key {
			return resolveAlias(n.Content[i+1])
		}
		if k.Value == "<<" && merged == nil {
			for _, m := range seqOrOne(n.Content[i+1]) {
				if v := get(m, key); v != nil {
					merged = v
					break
				}
			}
		}
	}
	return merged
}

// seqOrOne is the items of a list, or the one value that is not a list.
func seqOrOne(n *yaml.Node) []*yaml.Node {
	n = resolveAlias(n)
	switch {
	case n == nil:
		return nil
	case n.Kind == yaml.SequenceNode:
		out := make([]*yaml.Node, 0, len(n.Content))
		for _, c := range n.Content {
			out = append(out, resolveAlias(c))
		}
		return out
	}
	return []*yaml.Node{n}
}

// keysOf lists a model mapping's keys, sorted.
func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
