package kube

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/devstack-dev/devstack/probe/spec"
	"github.com/devstack-dev/devstack/stack"
)

// ExportUnit is one service to export: what up applies, and its probe.
type ExportUnit struct {
	Spec      stack.ServiceSpec
	Probe     spec.Spec
	PortNames map[string]int // container port by the plan's port name
}

// Exported says what Export wrote.
type Exported struct {
	Dir   string   `json:"dir"`
	Files []string `json:"files"`
	// Fallbacks are the services whose readiness probe checks less than devstack's own:
	// a TCP connect, or an HTTP GET of the server's root where devstack's probe logs in.
	Fallbacks []string `json:"weaker_readiness,omitempty"`
}

// Export writes the manifests up applies, as a kustomization a team can commit: one file
// per service (Service, claim, StatefulSet, with readiness probes equivalent to
// devstack's), kustomization.yaml, and each service's environment as a secretGenerator
// env file, kept out of git by a .gitignore beside it: credentials are never committed
// with the manifests. No namespace is set: kustomize's namespace: or kubectl -n picks it.
// The checkout's own labels and path are left out: the files are the project's, not one
// checkout's.
func Export(units []ExportUnit, dir string) (*Exported, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("export to %s: %w", dir, err)
	}
	out := &Exported{Dir: dir}
	var resources []string
	var gen bytes.Buffer
	write := func(name string, data []byte, mode os.FileMode) error {
		if err := os.WriteFile(filepath.Join(dir, name), data, mode); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		out.Files = append(out.Files, name)
		return nil
	}
	for _, u := range units {
		probe, fallback := Readiness(u.Probe, u.Spec.Container.Ports, u.PortNames)
		if fallback {
			out.Fallbacks = append(out.Fallbacks, u.Spec.Service)
		}
		m := Build(u.Spec, Options{Readiness: probe})
		strip(m)
		var doc bytes.Buffer
		objs := []any{m.Service}
		if m.Claim != nil {
			objs = append(objs, m.Claim)
		}
		for _, o := range append(objs, m.StatefulSet) {
			data, err := yaml.Marshal(o)
			if err != nil {
				return nil, err
			}
			doc.WriteString("---\n")
			doc.Write(cleanYAML(data))
		}
		file := m.StatefulSet.Name + ".yaml"
		if err := write(file, doc.Bytes(), 0o644); err != nil {
			return nil, err
		}
		resources = append(resources, file)
		env := m.Secret.Name + ".env"
		data, err := envFile(m.Secret.StringData)
		if err != nil {
			return nil, fmt.Errorf("export %s: %w", u.Spec.Service, err)
		}
		if err := write(env, data, 0o600); err != nil {
			return nil, err
		}
		fmt.Fprintf(&gen, "  - name: %s\n    envs: [%s]\n", m.Secret.Name, env)
	}
	var k bytes.Buffer
	k.WriteString("# Written by devstack export kubernetes. kubectl apply -k DIR (add namespace: NAME, or -n).\n")
	k.WriteString("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n")
	for _, r := range resources {
		k.WriteString("  - " + r + "\n")
	}
	k.WriteString("# Each service's environment, credentials included: the .env files are not committed (.gitignore).\nsecretGenerator:\n")
	k.Write(gen.Bytes())
	if err := write("kustomization.yaml", k.Bytes(), 0o644); err != nil {
		return nil, err
	}
	if err := write(".gitignore", []byte("# credentials devstack generated: never commit them\n*.env\n"), 0o644); err != nil {
		return nil, err
	}
	return out, nil
}

// strip leaves out what belongs to one checkout: its path and its hash.
func strip(m Manifests) {
	for _, l := range []map[string]string{m.Secret.Labels, m.Service.Labels, m.StatefulSet.Labels,
		m.StatefulSet.Spec.Template.Labels, m.StatefulSet.Spec.Selector.MatchLabels, m.Service.Spec.Selector} {
		delete(l, LabelCheckout)
	}
	if m.Claim != nil {
		delete(m.Claim.Labels, LabelCheckout)
		m.Claim.Annotations = nil
	}
	m.Secret.Annotations, m.Service.Annotations = nil, nil
	delete(m.StatefulSet.Annotations, AnnotCheckout)
}

// cleanYAML drops the empty fields Kubernetes' types always write (status: {},
// creationTimestamp: null), which only confuse a reader of the files.
func cleanYAML(data []byte) []byte {
	var keep []string
	for _, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		if t == "creationTimestamp: null" || t == "status: {}" || t == "resources: {}" {
			continue
		}
		keep = append(keep, line)
	}
	return []byte(strings.Join(keep, "\n"))
}

// envFile is a secretGenerator env file: KEY=VALUE lines, as kustomize reads them (the
// value is everything after the first =, to the end of the line).
func envFile(env map[string]string) ([]byte, error) {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	for _, k := range keys {
		if strings.ContainsAny(env[k], "\r\n") {
			// Never the value: it may be a credential.
			return nil, fmt.Errorf("environment variable %s holds a line break, which a kustomize env file cannot carry", k)
		}
		fmt.Fprintf(&b, "%s=%s\n", k, env[k])
	}
	return b.Bytes(), nil
}
