package stack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/ports"
	"github.com/devstack-dev/devstack/services/engine"
)

// UpOptions are what up needs besides the configuration.
type UpOptions struct {
	Services []string      // only these; all planned services when empty
	Timeout  time.Duration // per service; 0 keeps each service's own default
	NoWait   bool
	Progress Progress
	// Refusals remembers what this engine refused before; nil remembers nothing.
	Refusals Refusals
	// Volumes remembers which data volumes ever became ready; nil judges none.
	Volumes   VolumeMemory
	instances map[string]string // each service's volume's instance (engine.Volume.Instance), once known
	fresh     map[string]bool   // services whose volume this up made

	run *upRun // set by Up for its services' goroutines
}

// Actions up takes on a container.
const (
	Created   = "created"
	Recreated = "recreated" // its spec changed; its volume is kept
	Started   = "started"   // it existed, stopped (or only created: an up was interrupted)
	Unpaused  = "unpaused"  // it existed, paused
	Unchanged = "unchanged"
)

// ServiceResult is what up did with one service and how it ended.
type ServiceResult struct {
	Name      string               `json:"name"`
	Container string               `json:"container"`
	ID        string               `json:"id,omitempty"`
	Action    string               `json:"action,omitempty"`
	Ready     bool                 `json:"ready"`
	Seconds   float64              `json:"seconds"` // from start of up until ready (or failure)
	Ports     []engine.PortBinding `json:"ports"`
	Warnings  []string             `json:"warnings,omitempty"`
	Error     string               `json:"error,omitempty"`
	// Interrupted says the wait was cut short by the user (Ctrl-C), not failed.
	Interrupted bool     `json:"interrupted,omitempty"`
	Fix         string   `json:"fix,omitempty"` // when the way out is not in the log
	Logs        []string `json:"logs,omitempty"`
	err         error
}

// UpReport is the outcome of up, one entry per service.
type UpReport struct {
	Project  string          `json:"project"`
	Bind     string          `json:"bind"`
	OK       bool            `json:"ok"`
	Waited   bool            `json:"waited"`
	Services []ServiceResult `json:"services"`
	// Warnings are every warning of the run: the configuration's, and each service's as
	// "SERVICE: …" (also in that service's own warnings).
	Warnings []string `json:"warnings"`
	// Error and Fix say why up stopped, when it did before or beside the services.
	Error string `json:"error,omitempty"`
	Fix   string `json:"fix,omitempty"`
	// Live is set when a LiveView already showed each service's end on a terminal: the
	// text then adds only what those lines did not say.
	Live bool `json:"-"`
}

// PortsHeldError refuses up before anything is created: these ports are held.
type PortsHeldError struct{ Held []ports.Status }

func (e *PortsHeldError) Error() string {
	var parts []string
	for _, s := range e.Held {
		parts = append(parts, fmt.Sprintf("%s port %d on %s is held by %s", s.Service, s.Host, s.Bind, s.Holder))
	}
	return strings.Join(parts, "; ")
}

// Hint never proposes to take down what holds them when that is another checkout's
// stack (a clone of the same repository, most often): that stack is its owner's, with
// its owner's data. This one moves beside it instead.
func (e *PortsHeldError) Hint() string {
	for _, s := range e.Held {
		if s.Holder != nil && s.Holder.Project != "" {
			return "another checkout's devstack stack holds them; leave it running and start this one beside it: " +
				"devstack up --auto-offset (or --offset N; devstack ports --suggest finds one)"
		}
	}
	return "stop what holds them, or run devstack ports --suggest to find an offset where every port is free"
}

// ForeignContainerError is a container with devstack's name that devstack did not make.
type ForeignContainerError struct{ Name, Project string }

func (e *ForeignContainerError) Error() string {
	return fmt.Sprintf("a container named %s exists but was not made by devstack for project %s; devstack leaves it alone", e.Name, e.Project)
}
func (e *ForeignContainerError) Hint() string {
	return fmt.Sprintf("remove or rename it (docker rm -f %s, if it holds nothing you need), or give this project another name with project: in devstack.yaml", e.Name)
}

// Up brings the planned services to ready, touching only what differs from the plan.
func Up(ctx context.Context, eng Engine, pl *plan.Plan, secrets plan.Secrets, opts UpOptions) (*UpReport, error) {
	if opts.Progress == nil {
		opts.Progress = NoProgress{}
	}
	units, err := pl.Select(opts.Services)
	if err != nil {
		return nil, err
	}
	opts.run = newUpRun(ctx, units, opts.Refusals)
	vols, err := inspectVolumes(ctx, eng, units)
	if err != nil {
		return nil, err
	}
	if err := checkForeignVolumes(units, vols); err != nil {
		return nil, err
	}
	// New secrets are not saved over old data: the old ones may still be restored.
	if err := checkCredentials(units, vols); err != nil {
		return nil, err
	}
	// Before any container exists: one must never hold a password nobody wrote down.
	if err := secrets.Save(); err != nil {
		return nil, err
	}
	existing, err := inspectAll(ctx, eng, pl.Identity.ID, units)
	if err != nil {
		return nil, err
	}
	// A half-initialised volume is named now, not after the whole timeout.
	if opts.instances, err = checkNeverReady(units, existing, vols, opts.Volumes); err != nil {
		return nil, err
	}
	if err := checkPorts(ctx, eng, pl.Identity.ID, pl.Ports, units, existing); err != nil {
		return nil, err
	}
	// A full up moves the project; up of some services keeps where the rest run, unless
	// none of the rest runs: then these are where the project runs, and env, status and
	// ports must find them there.
	move := len(opts.Services) == 0
	if !move {
		if move, err = noOtherRunning(ctx, eng, pl, units); err != nil {
			return nil, err
		}
	}
	if move {
		if err := remember(pl); err != nil {
			return nil, err
		}
	}
	warnings, err := prepare(ctx, eng, pl.Identity, units, existing, vols, opts.Progress)
	if err != nil {
		return nil, err
	}
	if !opts.NoWait && opts.Volumes != nil {
		// Without waiting nobody would see it become ready: such a volume is not judged.
		if opts.fresh, err = findNew(ctx, eng, units, opts.instances); err != nil {
			return nil, err
		}
	}

	began := time.Now()
	report := &UpReport{Project: pl.Project, Bind: pl.Bind, OK: true, Waited: !opts.NoWait, Services: make([]ServiceResult, len(units))}
	var wg sync.WaitGroup
	for i, u := range units {
		wg.Go(func() {
			opts.run.turn(ctx, u.Name()) // the lead's start, then its dependencies (stack/depends.go)
			r := bringUp(ctx, eng, u, existing[i], pl.Bind, opts, began)
			opts.run.finished(u.Name()) // also when bringUp failed before its start
			r.Warnings = append(warnings[u.Name()], r.Warnings...)
			report.Services[i] = r
		})
	}
	wg.Wait()
	report.Warnings = append([]string{}, pl.Warnings...)
	for i, r := range report.Services {
		report.Services[i].Ports = namePorts(pl.Ports, r.Name, r.Ports)
		for _, w := range r.Warnings {
			report.Warnings = append(report.Warnings, r.Name+": "+w)
		}
	}
	var failure error
	for _, r := range report.Services {
		if r.err != nil || !r.Ready && !opts.NoWait {
			report.OK = false
		}
		if r.err != nil && failure == nil && !isServiceError(r.err) && !errors.As(r.err, new(*engine.PortConflictError)) {
			// The engine or devstack failed, or the user interrupted, rather than a service:
			// that is the error to show, after the report.
			failure = r.err
		}
	}
	return report, failure
}

// checkPorts refuses up while a planned port is held by something that is not the
// project's own container for that service. A container of the service in any state
// (paused, created by an interrupted up, restarting) counts as its own: up carries it
// on, and the engine names any other holder when it starts.
func checkPorts(ctx context.Context, eng Engine, project string, plan *ports.Plan, units []plan.Unit, have []*engine.Container) error {
	sub := *plan
	sub.Project, sub.Remote, sub.Ports = project, remotePorts(eng), nil
	for _, u := range units {
		for _, p := range plan.Ports {
			if p.Service == u.Name() {
				sub.Ports = append(sub.Ports, p)
			}
		}
	}
	owned := func(ctx context.Context) (map[int]ports.Owner, error) {
		out, err := eng.PublishedPorts(ctx)
		if err != nil {
			return nil, err
		}
		for i, c := range have {
			if c == nil || c.State == "running" {
				continue
			}
			for _, p := range units[i].Spec.Ports {
				if _, taken := out[p.HostPort]; !taken {
					out[p.HostPort] = ports.Owner{Project: project, Service: units[i].Name()}
				}
			}
		}
		return out, nil
	}
	statuses, err := ports.Check(ctx, &sub, owned)
	if err != nil {
		return err
	}
	var held []ports.Status
	for _, s := range statuses {
		if s.State == ports.Held {
			held = append(held, s)
		}
	}
	if len(held) > 0 {
		return &PortsHeldError{Held: held}
	}
	return nil
}

// inspectAll finds each unit's container, and refuses to go on if one was not ours.
func inspectAll(ctx context.Context, eng Engine, project string, units []plan.Unit) ([]*engine.Container, error) {
	out := make([]*engine.Container, len(units))
	for i, u := range units {
		c, err := eng.Inspect(ctx, u.Spec.Name)
		if errors.Is(err, engine.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if c.Labels[engine.LabelProject] != project || c.Labels[engine.LabelService] != u.Name() {
			return nil, &ForeignContainerError{Name: u.Spec.Name, Project: project}
		}
		out[i] = c
	}
	return out, nil
}

// prepare makes sure that every image is there and every volume can be used, and only
// then makes the network and the volumes: whatever can refuse up does so before anything
// is created. It returns warnings by service.
func prepare(ctx context.Context, eng Engine, id config.Identity, units []plan.Unit, have []*engine.Container, vols []*engine.Volume, progress Progress) (map[string][]string, error) {
	warnings := map[string][]string{}
	warn := func(service, msg string) {
		warnings[service] = append(warnings[service], msg)
		progress.Service(service, "warning: "+msg)
	}
	host, err := eng.Platform(ctx)
	if err != nil {
		return nil, err
	}
	states, err := CheckImages(ctx, eng, units, host)
	if err != nil {
		return nil, err
	}
	var missing []ImageState
	for _, s := range states {
		if s.State == ImageMissing {
			missing = append(missing, s)
		}
		if s.Warning != "" {
			for _, name := range s.Services {
				warn(name, s.Warning)
			}
		}
	}
	if len(missing) > 0 {
		return nil, &ImagesError{Missing: missing}
	}
	// Images still to pull are judged as builds for the host's architecture here; the
	// check after the pulls knows what was pulled.
	cpu := &hostCPU{}
	local := map[string]*engine.Image{}
	for _, s := range states {
		local[s.Image] = s.info
	}
	if _, err := checkPlatform(ctx, eng, units, local, cpu, false); err != nil {
		return nil, err
	}
	if err := pullMissing(ctx, eng, states, progress); err != nil {
		return nil, err
	}
	images := map[string]*engine.Image{}
	for _, s := range states {
		img := s.info
		if img == nil {
			if img, err = eng.Image(ctx, s.Image); err != nil {
				return nil, err
			}
		}
		images[s.Image] = img
	}
	// Before anything is created: an image the host's CPU cannot run would die with
	// "Illegal instruction", which a readiness wait would only report as a timeout.
	platformWarnings, err := checkPlatform(ctx, eng, units, images, cpu, true)
	if err != nil {
		return nil, err
	}
	for name, w := range platformWarnings {
		warn(name, w)
	}
	advisories := advisoryWarnings(units)
	for _, u := range units {
		for _, w := range advisories[u.Name()] {
			warn(u.Name(), w)
		}
	}
	majors := applyMounts(units, images)
	volumeWarnings, err := checkVolumes(ctx, eng, units, vols, images, have)
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		for _, w := range volumeWarnings[u.Name()] {
			warn(u.Name(), w)
		}
	}
	if err := eng.EnsureNetwork(ctx, plan.NetworkName(id.ID), plan.Labels(id, "")); err != nil {
		return nil, err
	}
	for i, u := range units {
		if u.Spec.Volume != "" {
			if err := eng.EnsureVolume(ctx, u.Spec.Volume, volumeLabels(u, majors[i])); err != nil {
				return nil, err
			}
		}
	}
	return warnings, nil
}

// applyMounts mounts each volume where its image's major keeps the data (PostgreSQL 18
// moved it), and returns the majors.
func applyMounts(units []plan.Unit, images map[string]*engine.Image) []int {
	majors := make([]int, len(units))
	for i := range units {
		majors[i] = imageMajor(units[i], images[units[i].Spec.Image])
		if units[i].Spec.Volume != "" {
			units[i].Spec.Mount = units[i].Service.MountAt(majors[i])
		}
	}
	return majors
}

// bringUp reconciles one service's container with its spec, starts it, checks where its
// ports are published, and waits until it answers.
func bringUp(ctx context.Context, eng Engine, u plan.Unit, have *engine.Container, bind string, opts UpOptions, began time.Time) (r ServiceResult) {
	r = ServiceResult{Name: u.Name(), Container: u.Spec.Name}
	defer func() {
		r.Seconds = time.Since(began).Seconds()
		if errors.Is(r.err, context.Canceled) {
			r.Interrupted = true
			r.Error = "interrupted before it was ready; devstack up picks it up from here"
			return
		}
		if r.err != nil {
			r.Error = r.err.Error()
			var se *ServiceError
			if errors.As(r.err, &se) {
				r.Logs = se.Logs
			}
			var ae *AuthError
			if errors.As(r.err, &ae) {
				r.Fix = ae.Hint()
			}
			opts.Progress.Service(u.Name(), "failed: "+r.err.Error())
		}
	}()
	id, action, warning, err := reconcileLimits(ctx, eng, u, have, opts)
	opts.run.started(u.Name())
	if warning != "" {
		r.Warnings = append(r.Warnings, warning)
	}
	r.ID, r.Action = id, action
	if err != nil {
		r.err = err
		return r
	}
	if r.err = recordStart(u, opts); r.err != nil {
		return r
	}
	c, err := eng.Inspect(ctx, id)
	if err != nil {
		r.err = err
		return r
	}
	r.Ports = c.Ports
	if err := verifyBind(c, bind); err != nil {
		r.err = err
		return r
	}
	if opts.NoWait {
		return r
	}
	timeout := u.Timeout
	if opts.Timeout > 0 {
		timeout = opts.Timeout
	}
	opts.Progress.Service(u.Name(), "waiting until it answers")
	if r.err = waitReady(ctx, eng, u, id, timeout); r.err != nil {
		return r
	}
	if u.Service.AfterReady != "" {
		if err := u.Service.RunAfterReady(ctx, u.Endpoint); err != nil {
			r.err = &ServiceError{Service: u.Name(), Reason: err.Error()}
			return r
		}
	}
	r.Ready = true
	if opts.Volumes != nil && u.Spec.Volume != "" && opts.instances[u.Name()] != "" {
		if err := opts.Volumes.Ready(u.Spec.Volume, opts.instances[u.Name()]); err != nil {
			r.err = fmt.Errorf("record that volume %s became ready: %w", u.Spec.Volume, err)
			return r
		}
	}
	opts.Progress.Service(u.Name(), fmt.Sprintf("ready in %.2fs", time.Since(began).Seconds()))
	return r
}

func reconcile(ctx context.Context, eng Engine, u plan.Unit, have *engine.Container, progress Progress) (string, string, error) {
	action := Created
	if have != nil {
		switch {
		case have.Labels[engine.LabelSpec] != u.Spec.Hash():
			progress.Service(u.Name(), "spec changed: re-creating (volume kept)")
			if err := eng.Remove(ctx, have.ID); err != nil {
				return have.ID, "", err
			}
			action = Recreated
		case have.State == "running":
			return have.ID, Unchanged, nil
		case have.State == "paused":
			progress.Service(u.Name(), "unpausing the paused container")
			return have.ID, Unpaused, eng.Unpause(ctx, have.ID)
		default:
			progress.Service(u.Name(), "starting the stopped container")
			return have.ID, Started, startOrExplain(ctx, eng, u, have.ID, false)
		}
	} else {
		progress.Service(u.Name(), "creating container")
	}
	id, err := eng.Create(ctx, u.Spec)
	if err != nil {
		return "", action, err
	}
	return id, action, startOrExplain(ctx, eng, u, id, true)
}

const ulimitsWarning = "this engine cannot raise resource limits (rootless Docker, or a host without CAP_SYS_RESOURCE); started without the memlock/nofile ulimits, which single-node OpenSearch does not require"

// withoutUlimits replaces a container the engine could not start for its ulimits by one
// without them. It keeps the hash of the wanted spec, so later runs see it as unchanged
// rather than re-creating it each time, and a label says what was left out.
func withoutUlimits(ctx context.Context, eng Engine, u plan.Unit, id string) (string, error) {
	if id != "" {
		if err := eng.Remove(ctx, id); err != nil {
			return "", err
		}
	}
	newID, err := eng.Create(ctx, degradedSpec(u.Spec))
	if err != nil {
		return "", err
	}
	return newID, startOrExplain(ctx, eng, u, newID, true)
}

// startOrExplain starts a container; when the engine reports a port conflict it names
// the holder, and removes the container it just made so that no half-made one is left.
func startOrExplain(ctx context.Context, eng Engine, u plan.Unit, id string, made bool) error {
	err := eng.Start(ctx, id)
	var conflict *engine.PortConflictError
	if !errors.As(err, &conflict) {
		return err
	}
	if made {
		_ = eng.Remove(context.WithoutCancel(ctx), id)
	}
	holder := "another process"
	for _, p := range u.Spec.Ports {
		if p.HostPort == conflict.Port {
			plan := &ports.Plan{Bind: p.HostIP, Ports: []ports.Port{{Service: u.Name(), Host: p.HostPort}}, Remote: remotePorts(eng)}
			if st, cerr := ports.Check(ctx, plan, nil); cerr == nil && st[0].Holder != nil {
				holder = st[0].Holder.String()
			}
		}
	}
	return fmt.Errorf("%s: port %d is held by %s: %w", u.Name(), conflict.Port, holder, conflict)
}

// verifyBind checks, from the engine's own report, that every port is published on the
// bind address and nowhere else.
func verifyBind(c *engine.Container, bind string) error {
	want := net.ParseIP(bind)
	for _, p := range c.Ports {
		got := net.ParseIP(p.HostIP)
		if got == nil || !got.Equal(want) {
			return fmt.Errorf("%s: port %d is published on %q, not on %s as asked; run devstack down, then up again", c.Name, p.HostPort, p.HostIP, bind)
		}
	}
	return nil
}
