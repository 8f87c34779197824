package config

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/devstack-dev/devstack/services"
)

// DefaultFrameworks are those of the stack devstack runs with no devstack.yaml: the
// Invenio preset's, so that an Invenio instance with no file gets the names it reads.
// A file without frameworks: has none; init writes the key from its preset.
var DefaultFrameworks = []string{"invenio"}

// frameworks reads `frameworks: [invenio, celery]`: names of frameworks whose settings
// are environment variables. Frappe's are a file's keys, printed on their own.
func (d decoder) frameworks(n *yaml.Node, at string, out *[]scalar[string]) error {
	known := services.FrameworkNames(true)
	fix := "list some of: " + strings.Join(known, ", ") + ", such as frameworks: [" + known[0] + "]"
	*out = []scalar[string]{}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return d.errf(n, at, fix, "must be a list, not %s", kind(n, at))
	}
	for i, item := range n.Content {
		key := fmt.Sprintf("%s[%d]", at, i)
		var s scalar[string]
		if err := d.str(item, key, &s); err != nil {
			return err
		}
		f, ok := services.LookupFramework(s.value)
		switch {
		case ok && !f.Env:
			return d.errf(item, key, fmt.Sprintf("remove it; print %s's settings with: devstack env --format %s", f.Name, f.Name),
				"%s reads its settings from a file of its own, not the environment", f.Name)
		case !ok:
			return d.errf(item, key, fix, "%s is not a framework devstack knows", quote("framework", s.value))
		case slices.ContainsFunc(*out, func(p scalar[string]) bool { return p.value == s.value }):
			return d.errf(item, key, "keep one of them", "%s appears twice", s.value)
		}
		*out = append(*out, s)
	}
	return nil
}

func resolveFrameworks(path string, list []scalar[string]) []string {
	if list == nil {
		if path == "" {
			return slices.Clone(DefaultFrameworks)
		}
		return nil
	}
	names := make([]string, len(list))
	for i, s := range list {
		names[i] = s.value
	}
	return names
}
