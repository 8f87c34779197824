package main

import (
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/kube"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/stack"
)

// exportReport is what export wrote.
type exportReport struct{ *kube.Exported }

func (r exportReport) WriteText(w *output.TextWriter) {
	for _, f := range r.Files {
		w.Item(output.OK, "wrote "+filepath.Join(r.Dir, f))
	}
	for _, s := range r.Fallbacks {
		w.Item(output.Warn, s+": its readiness probe checks less than devstack's (a TCP connect, or an HTTP GET without credentials); devstack up probes the protocol itself")
	}
	w.Line("apply them with: kubectl apply -k " + r.Dir + " -n NAMESPACE (the .env files hold the credentials and stay out of git)")
}

// runExportKubernetes writes the manifests up applies, with readiness probes, from the
// plan as up would make it.
func runExportKubernetes(c *cli.Context, e *env) error {
	p, err := e.openProject(c.Context, planValues{}, false)
	if err != nil {
		return err
	}
	defer p.close()
	if err := p.lock(c.Context, e); err != nil { // the environment holds secrets it may make
		return err
	}
	var units []kube.ExportUnit
	for _, u := range p.plan.Units {
		names := map[string]int{}
		for _, pp := range p.plan.Ports.Ports {
			if pp.Service == u.Name() {
				names[pp.Name] = pp.Container
			}
		}
		spec := stack.SpecOf(p.plan, u)
		// The files are the project's, for every clone: its name, not this checkout's identity.
		spec.Identity = config.Identity{ID: p.plan.Project, Name: p.plan.Project}
		units = append(units, kube.ExportUnit{Spec: spec, Probe: u.Probe, PortNames: names})
	}
	if err := p.secrets.Save(); err != nil {
		return err
	}
	out, err := kube.Export(units, c.String("dir"))
	if err != nil {
		return err
	}
	return e.printer.Print(exportReport{out})
}
