package snapshot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/devstack-dev/devstack/capsule"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/stack"
	"github.com/devstack-dev/devstack/state"
)

// Options are what save and restore take besides the engine and the plan.
type Options struct {
	Store   *Store
	Secrets plan.Secrets
	Version string // devstack's, for the manifest
	// Progress hears the bytes copied so far of each service's data; nil hears nothing.
	Progress func(service string, bytes int64)
	// Replan resolves the project again after the pointer to its data moved (restore).
	Replan func() (*plan.Plan, error)
	// Volumes is up's memory of which volumes became ready, passed on to up.
	Volumes stack.VolumeMemory
	// Forget drops what devstack recorded of volumes restore removed.
	Forget func(volumes []string)
}

// SaveReport is what save did.
type SaveReport struct {
	Name      string            `json:"name"`
	Path      string            `json:"path"`
	Size      int64             `json:"size"`
	Services  []capsule.Service `json:"services"`
	Stopped   []string          `json:"stopped"`
	Restarted []string          `json:"restarted"`
	Seconds   float64           `json:"seconds"`
}

// WriteText says where the snapshot is and that the stack runs again.
func (r *SaveReport) WriteText(w *output.TextWriter) {
	w.Item(output.OK, fmt.Sprintf("saved snapshot %s (%s, %d services) in %.1fs", r.Name, humanBytes(r.Size), len(r.Services), r.Seconds))
	for _, s := range r.Services {
		w.Detail(s.Name, fmt.Sprintf("%s of data, %s", humanBytes(s.Bytes), s.Image))
	}
	if len(r.Restarted) > 0 {
		w.Detail("running again", joinNames(r.Restarted))
	}
	w.Detail("file", r.Path)
}

// Save copies every stateful service's data into snapshot name: each running one is
// stopped first (all of them before any is copied), and started again after, whether the
// copy ended or not. The capsule is written under a temporary name and renamed at the
// end, so an earlier snapshot of the same name is never half-replaced. Hold the lock.
func Save(ctx context.Context, eng Engine, pl *plan.Plan, name string, opts Options) (*SaveReport, error) {
	began := time.Now()
	final, err := opts.Store.Path(name)
	if err != nil {
		return nil, err
	}
	if ok, err := opts.Store.Exists(name); err != nil || ok {
		if err == nil {
			err = output.WithHint(fmt.Errorf("a snapshot named %s exists already", name),
				"pick another name, or remove it first: devstack snapshot rm "+name)
		}
		return nil, err
	}
	items := Plan(pl)
	if len(items) == 0 {
		return nil, output.WithHint(errors.New("no planned service keeps data in a volume: nothing to snapshot"),
			"add a stateful service (postgres, redis, minio …) under services: in devstack.yaml")
	}
	vols := make([]*engine.Volume, len(items))
	var running []string
	ids := map[string]string{}
	for i, it := range items {
		v, err := eng.Volume(ctx, it.Volume)
		if errors.Is(err, engine.ErrNotFound) {
			return nil, output.WithHint(fmt.Errorf("%s has no data yet (no volume %s)", it.Unit.Name(), it.Volume),
				"start the stack once first: devstack up")
		}
		if err != nil {
			return nil, err
		}
		vols[i] = v
		c, err := eng.Inspect(ctx, it.Unit.Spec.Name)
		if err != nil && !errors.Is(err, engine.ErrNotFound) {
			return nil, err
		}
		if c != nil && (c.State == "running" || c.State == "paused" || c.State == "restarting") {
			running = append(running, it.Unit.Name())
			ids[it.Unit.Name()] = c.ID
		}
	}
	f, err := opts.Store.temp(name)
	if err != nil {
		return nil, err
	}
	temp := f.Name()
	keep := false
	defer func() {
		if !keep {
			f.Close()
			_ = os.Remove(temp)
		}
	}()
	// The journal is on disk before anything is stopped: after a kill, the next command
	// starts these again and removes the partial file.
	j := &state.Journal{Op: "save", Name: name, Began: began.UTC(), PID: os.Getpid(), Stopped: running, Temp: temp}
	if err := state.SaveJournal(pl.Config.Root, j); err != nil {
		return nil, err
	}
	report := &SaveReport{Name: name, Path: final, Stopped: running}
	copyErr := func() error {
		for _, svc := range running {
			if err := eng.Stop(ctx, ids[svc], stopTimeout); err != nil {
				return fmt.Errorf("stop %s before copying its data: %w", svc, err)
			}
		}
		w, err := capsule.NewWriter(f)
		if err != nil {
			return err
		}
		w.Progress = opts.Progress
		m := capsule.Manifest{Name: name, Created: began.UTC().Truncate(time.Second), Devstack: opts.Version, Project: pl.Project, Git: gitHead(pl.Config.Root)}
		for i, it := range items {
			svc := describe(ctx, eng, it, vols[i])
			err := eng.ExportVolume(ctx, it.Unit.Spec.Image, it.Volume, helperLabels(pl, it.Unit.Name()), func(r io.Reader) error {
				n, err := w.AddVolume(it.Unit.Name(), r)
				svc.Bytes = n
				return err
			})
			if err != nil {
				w.Abort()
				return fmt.Errorf("copy %s's data: %w", it.Unit.Name(), err)
			}
			m.Services = append(m.Services, svc)
		}
		if err := w.Close(m); err != nil {
			return fmt.Errorf("write %s: %w", temp, err)
		}
		report.Services = m.Services
		if err := f.Sync(); err != nil {
			return fmt.Errorf("write %s: %w", temp, err)
		}
		return f.Close()
	}()
	// Started again whatever happened, also after Ctrl-C: the stack runs as before.
	restarted, upErr := restart(context.WithoutCancel(ctx), eng, pl, running, opts)
	report.Restarted = restarted
	if copyErr != nil {
		return nil, errors.Join(copyErr, upErr)
	}
	if err := os.Rename(temp, final); err != nil {
		return nil, errors.Join(fmt.Errorf("keep snapshot %s: %w", name, err), upErr)
	}
	keep = true
	if upErr != nil {
		return nil, fmt.Errorf("snapshot %s is saved, but the stack did not start again: %w", name, upErr)
	}
	if err := state.ClearJournal(pl.Config.Root); err != nil {
		return nil, err
	}
	if st, err := os.Stat(final); err == nil {
		report.Size = st.Size()
	}
	report.Seconds = time.Since(began).Seconds()
	return report, nil
}

// describe is the manifest's entry of a service: the image and server that wrote its
// data (the volume's labels, else the configured image's), and the credentials'
// fingerprint, never the credentials.
func describe(ctx context.Context, eng Engine, it Item, vol *engine.Volume) capsule.Service {
	u := it.Unit
	s := capsule.Service{Name: u.Name(), Image: u.Spec.Image, Method: it.Method, Credentials: u.Credentials}
	if c := vol.Labels[engine.LabelCredentials]; c != "" {
		s.Credentials = c
	}
	versionEnv := ""
	if u.Service.Upgrade != nil {
		versionEnv = u.Service.Upgrade.VersionEnv
	}
	if img, err := eng.Image(ctx, u.Spec.Image); err == nil {
		s.ImageID = img.ID
		s.Version = services.ImageVersion(u.Spec.Image, img.Env, img.Labels, versionEnv)
	}
	s.Major = services.Major(s.Version)
	if m, err := strconv.Atoi(vol.Labels[engine.LabelMajor]); err == nil && m > 0 {
		s.Major = m // the major that wrote the data, which the guard compares
		if img := vol.Labels[engine.LabelImage]; img != "" {
			s.Image = img
		}
	}
	return s
}

// restart starts the services save or restore stopped, through up: the same start and
// the same readiness probes as devstack up.
func restart(ctx context.Context, eng Engine, pl *plan.Plan, svcs []string, opts Options) ([]string, error) {
	if len(svcs) == 0 {
		return nil, nil
	}
	// A stop asked for by a command that was interrupted or killed meanwhile goes on in
	// the engine: a server may still be shutting down, and would exit under up's wait.
	// Each is stopped (waiting out a stop under way; nothing for one already stopped)
	// before up starts it.
	for _, svc := range svcs {
		if u, ok := pl.Unit(svc); ok {
			if c, err := eng.Inspect(ctx, u.Spec.Name); err == nil {
				if err := eng.Stop(ctx, c.ID, stopTimeout); err != nil {
					return nil, fmt.Errorf("start %s again: %w", svc, err)
				}
			}
		}
	}
	rep, err := stack.Up(ctx, eng, pl, opts.Secrets, stack.UpOptions{Services: svcs, Volumes: opts.Volumes})
	if err == nil && rep != nil && !rep.OK {
		for _, s := range rep.Services {
			if !s.Ready {
				err = errors.Join(err, fmt.Errorf("%s: %s", s.Name, s.Error))
			}
		}
	}
	if err != nil {
		return nil, output.WithHint(fmt.Errorf("start %s again: %w", joinNames(svcs), err), "run devstack up; devstack logs SERVICE says why one does not start")
	}
	return svcs, nil
}

func joinNames(s []string) string {
	out := ""
	for i, n := range s {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
