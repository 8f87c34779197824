package main

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/devstack-dev/devstack/kube"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/stack"
	"github.com/devstack-dev/devstack/state"
)

// Engines the user may choose; the repository never chooses one (docs/kubernetes.md).
const (
	engineDocker     = "docker"
	engineKubernetes = "kubernetes"
)

// kubeFlags choose the engine and, for Kubernetes, the cluster and namespace. They are
// the user's alone: flags or the user's environment, never devstack.yaml.
func kubeFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "engine", EnvVars: []string{"DEVSTACK_ENGINE"}, Usage: "docker (default) or kubernetes"},
		&cli.StringFlag{Name: "kube-context", EnvVars: []string{"DEVSTACK_KUBE_CONTEXT"}, Usage: "with --engine kubernetes: the kubeconfig context (default: its current context)"},
		&cli.StringFlag{Name: "kube-namespace", EnvVars: []string{"DEVSTACK_KUBE_NAMESPACE"}, Usage: "with --engine kubernetes: an existing namespace to use (default: devstack makes one per checkout)"},
	}
}

// kubeCommands gives up, status, env, logs and down the engine flags and a Kubernetes
// path, and adds forward and export; Docker's path is the command's own, unchanged.
func kubeCommands(e *env, cmds []*cli.Command) []*cli.Command {
	paths := map[string]func(*cli.Context, *kubeProject) error{
		"up": kubeUp, "status": kubeStatus, "env": kubeEnv, "down": kubeDown, "logs": kubeLogs,
	}
	for _, c := range cmds {
		path, ok := paths[c.Name]
		if !ok {
			continue
		}
		c.Flags = append(c.Flags, kubeFlags()...)
		docker := c.Action
		c.Action = func(cc *cli.Context) error {
			on, err := kubeChosen(cc)
			if err != nil || !on {
				if err != nil {
					return err
				}
				return docker(cc)
			}
			return withKube(cc, e, path)
		}
	}
	return append(cmds, forwardCommand(e))
}

// kubeChosen says whether the user chose the Kubernetes engine.
func kubeChosen(c *cli.Context) (bool, error) {
	switch v := c.String("engine"); v {
	case "", engineDocker:
		if !c.IsSet("engine") && (c.IsSet("kube-context") || c.IsSet("kube-namespace")) && c.String("kube-context")+c.String("kube-namespace") != "" {
			return false, usagef(fmt.Errorf("--kube-context and --kube-namespace need --engine kubernetes (or DEVSTACK_ENGINE=kubernetes)"))
		}
		return false, nil
	case engineKubernetes:
		return true, nil
	default:
		return false, usagef(fmt.Errorf("--engine takes %s or %s, not %q", engineDocker, engineKubernetes, v))
	}
}

// kubeProject is a project opened on a cluster.
type kubeProject struct {
	*project
	env     *env
	cluster *kube.Cluster
}

// withKube opens the project (its configuration, secrets and lock), connects to the
// cluster the user chose, says which before anything is made, and runs path.
func withKube(c *cli.Context, e *env, path func(*cli.Context, *kubeProject) error) error {
	pv := planValues{}
	if slices.ContainsFunc(c.Command.Flags, func(f cli.Flag) bool { return slices.Contains(f.Names(), "bind") }) {
		pv = planFrom(c)
	}
	p, err := e.openProject(c.Context, pv, false)
	if err != nil {
		return err
	}
	defer p.close()
	if c.Command.Name != "logs" && c.Command.Name != "status" {
		if err := p.lock(c.Context, e); err != nil {
			return err
		}
	}
	cl, err := kube.Connect(kube.Target{Context: c.String("kube-context"), Namespace: c.String("kube-namespace"),
		Kubeconfig: e.getenv("KUBECONFIG")}, p.plan.Identity)
	if err != nil {
		return err
	}
	e.printer.Note("engine: %s", cl)
	return path(c, &kubeProject{project: p, env: e, cluster: cl})
}

func kubeUp(c *cli.Context, kp *kubeProject) error {
	e := kp.env
	if err := kp.cluster.EnsureNamespace(c.Context, map[string]string{"pod-security.kubernetes.io/enforce": "baseline"}); err != nil {
		return err
	}
	if err := kp.cluster.CheckAccess(c.Context); err != nil {
		return err
	}
	view := progressFor(e.printer)
	report, err := stack.UpServices(c.Context, kp.cluster, kp.plan, kp.secrets, stack.UpOptions{
		Services: c.Args().Slice(), Timeout: c.Duration("timeout"), NoWait: c.Bool("no-wait"), Progress: view})
	view.Close()
	if report == nil {
		return planError(err)
	}
	report.Live = e.printer.Interactive()
	if err != nil {
		report.OK = false
		report.Error, report.Fix = err.Error(), output.HintOf(err)
	}
	ferr := finish(e, report, err, report.OK)
	if report.OK {
		// After the report, on a terminal too: its lines name ports on 127.0.0.1.
		e.printer.Note("%s", forwardNote(kp))
	}
	return ferr
}

// forwardNote says plainly whether the ports devstack prints are forwarded, and what
// to run when they are not.
func forwardNote(kp *kubeProject) string {
	f, err := state.LoadForward(kp.cfg.Root)
	if err == nil && f != nil {
		return fmt.Sprintf("the ports on 127.0.0.1 are forwarded to namespace %s by devstack forward (pid %d)", f.Namespace, f.PID)
	}
	return "nothing forwards the ports on 127.0.0.1 yet: run devstack forward --engine kubernetes (keeps them open until Ctrl-C), then devstack env"
}

func kubeStatus(c *cli.Context, kp *kubeProject) error {
	report, err := stack.StatusServices(c.Context, kp.cluster, kp.plan)
	if err != nil {
		return err
	}
	if f, _ := state.LoadForward(kp.cfg.Root); f == nil {
		for i := range report.Services {
			if report.Services[i].Ready {
				report.Services[i].Message = "ready on the cluster; its ports on 127.0.0.1 are not forwarded: run devstack forward"
			}
		}
	}
	return finish(kp.env, report, nil, report.OK)
}

func kubeEnv(c *cli.Context, kp *kubeProject) error {
	e := kp.env
	format := c.String("format")
	if !slices.Contains(stack.EnvFormats, format) {
		return usagef(fmt.Errorf("--format takes %s, not %q", strings.Join(stack.EnvFormats, ", "), format))
	}
	var settings []services.Setting
	var err error
	if f, ok := services.LookupFramework(format); ok && !f.Env {
		settings, err = kp.plan.FrameworkSettings(f.Name, "127.0.0.1")
	} else {
		settings, err = kp.plan.Settings("127.0.0.1", kp.secrets)
	}
	if err != nil {
		return err
	}
	report, err := stack.NewEnvReport(format, settings)
	if err != nil {
		return err
	}
	if err := kp.secrets.Save(); err != nil {
		return err
	}
	e.printer.Note("%s", forwardNote(kp))
	return e.printer.Print(report)
}

func kubeDown(c *cli.Context, kp *kubeProject) error {
	report, err := stack.DownServices(c.Context, kp.cluster, kp.plan, c.Bool("volumes"), c.Args().Slice())
	if report == nil {
		return err
	}
	return finish(kp.env, report, err, true)
}

func kubeLogs(c *cli.Context, kp *kubeProject) error {
	if c.NArg() != 1 {
		return usagef(fmt.Errorf("name one service: devstack logs SERVICE"))
	}
	name := c.Args().First()
	if _, ok := kp.cfg.Service(name); !ok {
		return usagef(fmt.Errorf("service %q is not planned (planned: %s)", name, strings.Join(planned(kp.cfg), ", ")))
	}
	stdout, stderr, done := kp.env.printer.LogStreams(name)
	err := kp.cluster.Logs(c.Context, name, c.String("tail"), c.Bool("follow"), stdout, stderr)
	if derr := done(); err == nil {
		err = derr
	}
	return err
}

func forwardCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "forward",
		Usage: "on Kubernetes: forward each service's ports to 127.0.0.1 at the project's placement until Ctrl-C",
		Description: "The ports are the ones devstack env prints. A forward whose pod restarts is opened again. " +
			"Needs --engine kubernetes (or DEVSTACK_ENGINE=kubernetes): Docker publishes its ports itself.",
		Flags: kubeFlags(),
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			if on, err := kubeChosen(c); err != nil || !on {
				if err != nil {
					return err
				}
				return usagef(fmt.Errorf("devstack forward is for the Kubernetes engine: add --engine kubernetes (Docker publishes the ports itself)"))
			}
			return withKube(c, e, kubeForward)
		},
	}
}

func kubeForward(c *cli.Context, kp *kubeProject) error {
	e := kp.env
	// The lock is the project's while up or down run; forward only reads, and holds the
	// ports until Ctrl-C, so it lets the lock go.
	_ = kp.held.Release()
	kp.held = nil
	pid := os.Getpid()
	if err := state.SaveForward(kp.cfg.Root, state.Forward{PID: pid, Context: kp.cluster.Context, Namespace: kp.cluster.Namespace}); err != nil {
		return err
	}
	defer state.ClearForward(kp.cfg.Root, pid)
	e.printer.Note("forwarding until Ctrl-C; devstack env prints the settings that use these ports")
	stack.ForwardServices(c.Context, kp.cluster, kp.plan, func(service string, ports []engine.PortBinding, err error) {
		if err != nil {
			e.printer.Warn("%s: no forward: %v (trying again)", service, err)
			return
		}
		var parts []string
		for _, p := range ports {
			parts = append(parts, fmt.Sprintf("127.0.0.1:%d->%d", p.HostPort, p.ContainerPort))
		}
		e.printer.Note("%s: forwarding %s", service, strings.Join(parts, " "))
	})
	return nil
}
