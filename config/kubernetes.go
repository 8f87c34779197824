package config

import (
	"go.yaml.in/yaml/v3"
)

// kubernetes reads devstack.yaml's kubernetes: key. A repository may say that its stack
// runs on Kubernetes (supported: true, for people and for export); it may not choose the
// cluster or the namespace: devstack.yaml is untrusted input from a fresh clone, and the
// cluster is the user's — a repository naming a production context must not reach it.
// Those keys are refused with the reason and the flag that is the user's way to say it.
func (d decoder) kubernetes(n *yaml.Node, at string) error {
	var supported bool
	refuse := func(flag string) func(*yaml.Node, string) error {
		return func(v *yaml.Node, key string) error {
			return d.errf(v, key, "remove it from "+FileName+"; choose it yourself with devstack --engine kubernetes "+flag+" NAME (or DEVSTACK_"+envName(flag)+")",
				"a repository may not choose the Kubernetes cluster or namespace: that is the user's choice, never the repository's")
		}
	}
	return d.mapping(n, at, map[string]func(*yaml.Node, string) error{
		"supported": func(v *yaml.Node, key string) error { return d.boolean(v, key, &supported) },
		"context":   refuse("--kube-context"),
		"namespace": refuse("--kube-namespace"),
		"engine": func(v *yaml.Node, key string) error {
			return d.errf(v, key, "remove it from "+FileName+"; choose the engine yourself with --engine kubernetes (or DEVSTACK_ENGINE)",
				"a repository may not choose the engine: that is the user's choice")
		},
	})
}

// envName is a --kube-… flag's environment variable, after DEVSTACK_.
func envName(flag string) string {
	out := []byte{}
	for _, c := range []byte(flag[2:]) {
		switch {
		case c == '-':
			out = append(out, '_')
		case c >= 'a' && c <= 'z':
			out = append(out, c-'a'+'A')
		default:
			out = append(out, c)
		}
	}
	return string(out)
}
