package snapshot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/devstack-dev/devstack/capsule"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/stack"
	"github.com/devstack-dev/devstack/state"
)

// RestoreReport is what restore did, and which data the stack has now.
type RestoreReport struct {
	Name     string   `json:"name"`
	Services []string `json:"services"`
	// Data is "new" when the stack runs on the snapshot's data, "old" when it kept its own.
	Data      string            `json:"data"`
	Volumes   map[string]string `json:"volumes"`
	Removed   []string          `json:"removed_volumes"`
	Restarted []string          `json:"restarted"`
	Seconds   float64           `json:"seconds"`
	Warnings  []string          `json:"warnings,omitempty"`
}

// WriteText says which data the stack has.
func (r *RestoreReport) WriteText(w *output.TextWriter) {
	w.Item(output.OK, fmt.Sprintf("restored snapshot %s in %.1fs: the stack runs on the snapshot's data", r.Name, r.Seconds))
	for _, s := range r.Services {
		w.Detail(s, "volume "+r.Volumes[s])
	}
	if len(r.Removed) > 0 {
		w.Detail("removed", joinNames(r.Removed))
	}
	for _, wn := range r.Warnings {
		w.Item(output.Warn, wn)
	}
}

// RestoreError is a restore that did not switch: the stack keeps its old data.
type RestoreError struct{ Err error }

func (e *RestoreError) Error() string {
	return e.Err.Error() + "; the stack keeps its old data"
}
func (e *RestoreError) Unwrap() error { return e.Err }

// Hint is the cause's own.
func (e *RestoreError) Hint() string { return output.HintOf(e.Err) }

// Restore replaces the data of the services in snapshot name: the file is verified whole
// first, then each service's data is written into a new volume while the old one is
// untouched, the pointer (state.DataSets) switches to the new volumes in one write, and
// the services start on them through up, with up's guards (major version, credentials).
// A guard's refusal switches back: the stack has the old data or the new, never a mix.
// The old volumes are removed only once the new ones run. Hold the lock.
func Restore(ctx context.Context, eng Engine, pl *plan.Plan, name string, opts Options) (*RestoreReport, error) {
	began := time.Now()
	file, err := opts.Store.Path(name)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(file)
	if errors.Is(err, os.ErrNotExist) {
		return nil, output.WithHint(fmt.Errorf("no snapshot named %s", name), "see the kept ones: devstack snapshot list")
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	m, err := capsule.Verify(file, f, st.Size(), capsule.DefaultLimits)
	if err != nil {
		return nil, &RestoreError{err}
	}
	items, err := match(pl, m)
	if err != nil {
		return nil, &RestoreError{err}
	}
	if err := checkSpace(ctx, eng, m); err != nil {
		return nil, &RestoreError{err}
	}
	root := pl.Config.Root
	old, err := state.LoadDataSets(root)
	if err != nil {
		return nil, err
	}
	// Every stateful service of the snapshot is stopped: its container is made again on
	// the new volume, and its old volume must be free to remove.
	var running []string
	for _, it := range items {
		c, err := eng.Inspect(ctx, it.Unit.Spec.Name)
		if err != nil && !errors.Is(err, engine.ErrNotFound) {
			return nil, err
		}
		if c != nil && c.State != "exited" && c.State != "created" && c.State != "dead" {
			running = append(running, it.Unit.Name())
		}
	}
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	newVols := map[string]string{}
	for _, it := range items {
		newVols[it.Unit.Name()] = plan.VolumeName(pl.Identity.ID, it.Unit.Name()) + "-" + hex.EncodeToString(suffix)
	}
	j := &state.Journal{Op: "restore", Name: name, Began: began.UTC(), PID: os.Getpid(), Stopped: running, NewVolumes: newVols}
	if err := state.SaveJournal(root, j); err != nil {
		return nil, err
	}
	report := &RestoreReport{Name: name, Data: "old", Volumes: newVols}
	undo := func(cause error) (*RestoreReport, error) {
		bg := context.WithoutCancel(ctx)
		var errs []error
		for _, v := range newVols {
			if err := eng.RemoveVolume(bg, v); err != nil && !errors.Is(err, engine.ErrNotFound) {
				errs = append(errs, err)
			}
		}
		_, upErr := restart(bg, eng, pl, running, opts)
		if upErr == nil && len(errs) == 0 {
			_ = state.ClearJournal(root)
		}
		return nil, &RestoreError{errors.Join(append([]error{cause, upErr}, errs...)...)}
	}
	for _, it := range items {
		c, err := eng.Inspect(ctx, it.Unit.Spec.Name)
		if err == nil && slices.Contains(running, it.Unit.Name()) {
			if err := eng.Stop(ctx, c.ID, stopTimeout); err != nil {
				return undo(fmt.Errorf("stop %s: %w", it.Unit.Name(), err))
			}
		}
	}
	bySvc := map[string]capsule.Service{}
	for _, s := range m.Services {
		bySvc[s.Name] = s
	}
	for _, it := range items {
		if err := eng.EnsureVolume(ctx, newVols[it.Unit.Name()], volumeLabels(pl, it, bySvc[it.Unit.Name()])); err != nil {
			return undo(err)
		}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return undo(err)
	}
	var done int64
	err = capsule.Stream(file, f, st.Size(), capsule.DefaultLimits, m, func(service string) (io.WriteCloser, error) {
		it := itemOf(items, service)
		pr, pw := io.Pipe()
		errc := make(chan error, 1)
		go func() {
			r := io.Reader(pr)
			if opts.Progress != nil {
				done = 0
				r = io.TeeReader(pr, progressFunc(func(n int64) { done += n; opts.Progress(service, done) }))
			}
			err := eng.ImportVolume(ctx, it.Unit.Spec.Image, newVols[service], helperLabels(pl, service), r)
			_ = pr.CloseWithError(err)
			errc <- err
		}()
		return &waitCloser{pw: pw, errc: errc}, nil
	})
	if err != nil {
		return undo(fmt.Errorf("write the snapshot's data: %w", err))
	}
	// The switch: one write of the pointer. Before it the old data is live, after it the new.
	next := &state.DataSets{Volumes: map[string]string{}}
	for k, v := range old.Volumes {
		next.Volumes[k] = v
	}
	oldVols := map[string]string{}
	for _, it := range items {
		oldVols[it.Unit.Name()] = it.Volume
		next.Volumes[it.Unit.Name()] = newVols[it.Unit.Name()]
	}
	if err := state.SaveDataSets(root, next); err != nil {
		return undo(err)
	}
	j.Switched = true
	if err := state.SaveJournal(root, j); err != nil {
		return undo(errors.Join(err, state.SaveDataSets(root, old)))
	}
	newPlan, err := opts.Replan()
	if err != nil {
		return undo(errors.Join(err, state.SaveDataSets(root, old)))
	}
	svcs := make([]string, 0, len(items))
	for _, it := range items {
		svcs = append(svcs, it.Unit.Name())
	}
	report.Services = svcs
	rep, upErr := stack.Up(ctx, eng, newPlan, opts.Secrets, stack.UpOptions{Services: svcs, Volumes: opts.Volumes})
	var vm *stack.VersionMismatchError
	var ns *stack.NewSecretsError
	if errors.As(upErr, &vm) || errors.As(upErr, &ns) {
		// up refused before it created anything: switch back, the old data stays live.
		if err := state.SaveDataSets(root, old); err != nil {
			return nil, errors.Join(upErr, err)
		}
		return undo(upErr)
	}
	if upErr == nil && rep != nil && !rep.OK {
		for _, s := range rep.Services {
			if !s.Ready {
				upErr = errors.Join(upErr, fmt.Errorf("%s: %s", s.Name, s.Error))
			}
		}
	}
	report.Data = "new"
	if upErr != nil {
		_ = state.ClearJournal(root)
		return nil, output.WithHint(fmt.Errorf("the stack has the snapshot's data now (the pointer switched), but it did not become ready: %w", upErr),
			"read why: devstack logs SERVICE; the old volumes are kept until the next restore or down --volumes")
	}
	report.Restarted = svcs
	for _, svc := range svcs {
		v := oldVols[svc]
		if err := eng.RemoveVolume(ctx, v); err != nil && !errors.Is(err, engine.ErrNotFound) {
			report.Warnings = append(report.Warnings, fmt.Sprintf("could not remove %s's old volume %s: %v", svc, v, err))
			continue
		}
		report.Removed = append(report.Removed, v)
	}
	if opts.Forget != nil {
		opts.Forget(report.Removed)
	}
	if err := state.ClearJournal(root); err != nil {
		return nil, err
	}
	report.Seconds = time.Since(began).Seconds()
	return report, nil
}

type progressFunc func(int64)

func (p progressFunc) Write(b []byte) (int, error) { p(int64(len(b))); return len(b), nil }

// waitCloser ends one service's stream and waits for the engine to have written it.
type waitCloser struct {
	pw   *io.PipeWriter
	errc chan error
}

func (w *waitCloser) Write(b []byte) (int, error) { return w.pw.Write(b) }
func (w *waitCloser) Close() error {
	_ = w.pw.Close()
	return <-w.errc
}

func itemOf(items []Item, service string) Item {
	for _, it := range items {
		if it.Unit.Name() == service {
			return it
		}
	}
	return Item{}
}

// match pairs each service of the capsule with the planned stateful service of that name;
// a service the project does not plan is refused (its data would have nowhere to go).
func match(pl *plan.Plan, m *capsule.Manifest) ([]Item, error) {
	planned := Plan(pl)
	var out []Item
	for _, s := range m.Services {
		it := itemOf(planned, s.Name)
		if it.Volume == "" {
			return nil, output.WithHint(fmt.Errorf("snapshot %s holds data of %s, which this project does not plan with a volume", m.Name, s.Name),
				"add "+s.Name+" under services: in devstack.yaml, then restore again")
		}
		out = append(out, it)
	}
	return out, nil
}

// volumeLabels mark a restored volume as the service's, with the image, major and
// credentials' fingerprint its data was written with: up's guards then judge the restored
// data as they judge any other (another major, other credentials are refused, with
// their fix).
func volumeLabels(pl *plan.Plan, it Item, s capsule.Service) map[string]string {
	l := plan.Labels(pl.Identity, it.Unit.Name())
	l[engine.LabelImage] = s.Image
	if s.Major > 0 {
		l[engine.LabelMajor] = strconv.Itoa(s.Major)
	}
	if s.Credentials != "" {
		l[engine.LabelCredentials] = s.Credentials
	}
	return l
}
