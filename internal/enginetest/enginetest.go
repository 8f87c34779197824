// Package enginetest is an in-memory container engine for unit tests of stack and of the
// commands: it keeps containers, images and volumes in maps and records every call that
// changes something. The end-to-end tests run the real engine; this one only lets the
// decisions around it be tested in-process.
package enginetest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/devstack-dev/devstack/services/engine"
)

// Fake implements stack.Engine, and what the commands ask of an engine besides
// (Info, Endpoint, HeldPorts, Close). Tests set its exported fields before use; they
// read them back only once the code under test has returned.
type Fake struct {
	mu         sync.Mutex
	Containers map[string]*engine.Container // by name
	Specs      map[string]engine.ContainerSpec
	calls      []string
	StartErr   map[string][]error // errors Start returns, in turn, by container name
	LogText    string             // what Logs writes to stdout
	ErrText    string             // what Logs writes to stderr
	nextID     int
	// ExitAfter makes the container exit after this many inspections (0: never).
	ExitAfter map[string]int
	inspected map[string]int
	// ExecCode is the exit code Exec answers in a container, by its name (default 0, so
	// an exec probe finds the service ready).
	ExecCode map[string]int

	Host       engine.Platform
	Images     map[string]*engine.Image        // local images by reference
	Registry   map[string]*engine.Distribution // what registries have; absent: not found
	RegErr     map[string]error                // a registry's refusal, by reference
	PullErr    map[string]error                // a pull's failure, after its first progress
	PullHold   map[string]chan struct{}        // a pull waits on this (or its context) before it ends
	VolumeSet  map[string]*engine.Volume       // by name
	Files      map[string][]byte               // "volume/file" → content, for ReadVolumeFile
	Networks   map[string]map[string]string    // by name, with their labels
	At         engine.Endpoint                 // where the engine runs; local unless set
	EngineInfo engine.Info
	// RefuseUlimits makes Start refuse, as rootless Docker does, a container that asks
	// for raised resource limits.
	RefuseUlimits bool
}

// New returns an empty linux/amd64 engine on a local socket.
func New() *Fake {
	return &Fake{Containers: map[string]*engine.Container{}, Specs: map[string]engine.ContainerSpec{},
		StartErr: map[string][]error{}, ExitAfter: map[string]int{}, inspected: map[string]int{}, ExecCode: map[string]int{},
		Host:   engine.Platform{OS: "linux", Architecture: "amd64"},
		Images: map[string]*engine.Image{}, Registry: map[string]*engine.Distribution{}, RegErr: map[string]error{},
		PullErr: map[string]error{}, PullHold: map[string]chan struct{}{}, VolumeSet: map[string]*engine.Volume{},
		Files: map[string][]byte{}, Networks: map[string]map[string]string{},
		At:         engine.Endpoint{Host: "unix:///fake/docker.sock", FoundBy: "test"},
		EngineInfo: engine.Info{Host: "unix:///fake/docker.sock", ServerVersion: "20.10.0", Kind: engine.KindDocker, FoundBy: "test"}}
}

// LocalImage makes the engine hold ref, for linux/amd64, with env.
func (f *Fake) LocalImage(ref string, env map[string]string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Images[ref] = &engine.Image{ID: "sha256:" + ref, OS: "linux", Architecture: "amd64", Env: env, Labels: map[string]string{}}
}

// CallLog is every change made so far, in order, joined by "; ".
func (f *Fake) CallLog() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.calls, "; ")
}

func (f *Fake) record(format string, args ...any) {
	f.calls = append(f.calls, fmt.Sprintf(format, args...))
}

func (f *Fake) byID(id string) *engine.Container {
	for _, c := range f.Containers {
		if c.ID == id || c.Name == id {
			return c
		}
	}
	return nil
}

func (f *Fake) Inspect(_ context.Context, name string) (*engine.Container, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.byID(name)
	if c == nil {
		return nil, fmt.Errorf("container %s: %w", name, engine.ErrNotFound)
	}
	f.inspected[c.Name]++
	if n := f.ExitAfter[c.Name]; n > 0 && f.inspected[c.Name] > n {
		c.State, c.ExitCode = "exited", 1
	}
	copy := *c
	return &copy, nil
}

// List returns the project's containers, by label, as the real engine's filter does.
func (f *Fake) List(_ context.Context, project string) ([]engine.Container, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []engine.Container
	for _, c := range f.Containers {
		if c.Labels[engine.LabelProject] == project {
			out = append(out, *c)
		}
	}
	slices.SortFunc(out, func(a, b engine.Container) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func (f *Fake) EnsureNetwork(_ context.Context, name string, labels map[string]string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("network %s", name)
	f.Networks[name] = labels
	return nil
}

func (f *Fake) EnsureVolume(_ context.Context, name string, labels map[string]string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.VolumeSet[name]; !ok {
		f.record("volume %s", name)
		// As the client does: a made volume gets an id of its own.
		f.VolumeSet[name] = &engine.Volume{Name: name, Labels: engine.WithVolumeID(labels)}
	}
	return nil
}

func (f *Fake) Volume(_ context.Context, name string) (*engine.Volume, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if v, ok := f.VolumeSet[name]; ok {
		return v, nil
	}
	return nil, fmt.Errorf("volume %s: %w", name, engine.ErrNotFound)
}

func (f *Fake) ReadVolumeFile(_ context.Context, _, volume string, files []string, _ map[string]string) (string, []byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("read %s/{%s}", volume, strings.Join(files, ","))
	for _, file := range files {
		if data, ok := f.Files[volume+"/"+file]; ok {
			return file, data, nil
		}
	}
	return "", nil, fmt.Errorf("%s: %w", strings.Join(files, ", "), engine.ErrNotFound)
}

func (f *Fake) Platform(context.Context) (engine.Platform, error) { return f.Host, nil }

func (f *Fake) Image(_ context.Context, ref string) (*engine.Image, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if img, ok := f.Images[ref]; ok {
		return img, nil
	}
	return nil, fmt.Errorf("image %s: %w", ref, engine.ErrNotFound)
}

func (f *Fake) Distribution(_ context.Context, ref string) (*engine.Distribution, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.RegErr[ref]; err != nil {
		return nil, err
	}
	if d, ok := f.Registry[ref]; ok {
		return d, nil
	}
	return nil, &engine.RegistryError{Image: ref, Answer: engine.AnswerNotFound, Err: errors.New("manifest unknown")}
}

func (f *Fake) Pull(ctx context.Context, ref string, progress func(engine.PullProgress)) error {
	f.mu.Lock()
	f.record("pull %s", ref)
	failure, hold := f.PullErr[ref], f.PullHold[ref]
	f.mu.Unlock()
	progress(engine.PullProgress{Layers: 2, Current: 10, Total: 100})
	if failure != nil {
		return failure
	}
	if hold != nil {
		select {
		case <-hold:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	progress(engine.PullProgress{Layers: 2, LayersDone: 2, Current: 100, Total: 100})
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Images[ref] = &engine.Image{ID: "sha256:" + ref, OS: "linux", Architecture: "amd64", Env: map[string]string{}}
	return nil
}

func (f *Fake) Create(_ context.Context, spec engine.ContainerSpec) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("create %s", spec.Name)
	f.nextID++
	labels := map[string]string{engine.LabelSpec: spec.Hash(), engine.LabelFields: spec.FieldsLabel()}
	maps.Copy(labels, spec.Labels)
	c := &engine.Container{ID: fmt.Sprintf("id%d", f.nextID), Name: spec.Name, Image: spec.Image, Labels: labels,
		State: "created", Ports: slices.Clone(spec.Ports)}
	f.Containers[spec.Name] = c
	f.Specs[spec.Name] = spec
	return c.ID, nil
}

func (f *Fake) Start(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.byID(id)
	if c == nil {
		return fmt.Errorf("container %s: %w", id, engine.ErrNotFound)
	}
	f.record("start %s", c.Name)
	if f.RefuseUlimits && len(f.Specs[c.Name].Ulimits) > 0 {
		return fmt.Errorf("start container %s: %w", id, &engine.UlimitsError{Err: errors.New("error setting rlimit type 8: operation not permitted")})
	}
	if errs := f.StartErr[c.Name]; len(errs) > 0 {
		f.StartErr[c.Name] = errs[1:]
		if errs[0] != nil {
			return errs[0]
		}
	}
	c.State = "running"
	return nil
}

func (f *Fake) Remove(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c := f.byID(id); c != nil {
		f.record("remove %s", c.Name)
		delete(f.Containers, c.Name)
	}
	return nil
}

// Exec answers as a command that printed nothing and exited with the container's
// ExecCode (0 unless set).
func (f *Fake) Exec(_ context.Context, id string, cmd []string) (int, []byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("exec %s %s", id, strings.Join(cmd, " "))
	c := f.byID(id)
	if c == nil {
		return 0, nil, fmt.Errorf("container %s: %w", id, engine.ErrNotFound)
	}
	return f.ExecCode[c.Name], nil, nil
}

// Logs writes LogText to stdout and ErrText to stderr, whatever the container.
func (f *Fake) Logs(_ context.Context, _, _ string, _ bool, stdout, stderr io.Writer) error {
	f.mu.Lock()
	out, errText := f.LogText, f.ErrText
	f.mu.Unlock()
	if _, err := io.WriteString(stdout, out); err != nil {
		return err
	}
	_, err := io.WriteString(stderr, errText)
	return err
}

// Volumes returns the project's volumes, by label.
func (f *Fake) Volumes(_ context.Context, project string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for name, v := range f.VolumeSet {
		if v.Labels[engine.LabelProject] == project {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (f *Fake) RemoveVolume(_ context.Context, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("remove volume %s", name)
	delete(f.VolumeSet, name)
	return nil
}

func (f *Fake) HasNetwork(_ context.Context, name, project string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	labels, ok := f.Networks[name]
	return ok && labels[engine.LabelProject] == project, nil
}

// RemoveNetwork removes the project's network of that name; a same-named one that is not
// the project's is reported, and left.
func (f *Fake) RemoveNetwork(_ context.Context, name, project string) (bool, error, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	labels, ok := f.Networks[name]
	switch {
	case !ok:
		return false, nil, nil
	case labels[engine.LabelProject] != project:
		return false, &engine.ForeignError{Kind: "network", Name: name, Project: project}, nil
	}
	f.record("remove network %s", name)
	delete(f.Networks, name)
	return true, nil, nil
}

// Labelled lists the containers, volumes and networks carrying label=value, as the
// engine's label filter does.
func (f *Fake) Labelled(_ context.Context, label, value string) ([]engine.Object, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []engine.Object
	for _, name := range slices.Sorted(maps.Keys(f.Containers)) {
		if c := f.Containers[name]; c.Labels[label] == value {
			out = append(out, engine.Object{Kind: "container", Name: name, Labels: c.Labels})
		}
	}
	for _, name := range slices.Sorted(maps.Keys(f.VolumeSet)) {
		if v := f.VolumeSet[name]; v.Labels[label] == value {
			out = append(out, engine.Object{Kind: "volume", Name: name, Labels: v.Labels})
		}
	}
	for _, name := range slices.Sorted(maps.Keys(f.Networks)) {
		if l := f.Networks[name]; l[label] == value {
			out = append(out, engine.Object{Kind: "network", Name: name, Labels: l})
		}
	}
	return out, nil
}

// PublishedPorts are the host ports devstack's containers publish, of every project, as
// the engine's labels tell: running, paused, restarting and created ones alike.
func (f *Fake) PublishedPorts(context.Context) (map[int]engine.PortOwner, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[int]engine.PortOwner{}
	for _, c := range f.Containers {
		if c.Labels[engine.LabelProject] == "" || c.State == "exited" {
			continue
		}
		for _, p := range c.Ports {
			out[p.HostPort] = engine.PortOwner{Project: c.Labels[engine.LabelProject], Service: c.Labels[engine.LabelService], Checkout: c.Labels[engine.LabelCheckout]}
		}
	}
	return out, nil
}

// Unpause resumes a paused container.
func (f *Fake) Unpause(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.byID(id)
	if c == nil {
		return fmt.Errorf("container %s: %w", id, engine.ErrNotFound)
	}
	f.record("unpause %s", c.Name)
	c.State = "running"
	return nil
}

// Info is EngineInfo.
func (f *Fake) Info(context.Context) (engine.Info, error) { return f.EngineInfo, nil }

// Endpoint is At.
func (f *Fake) Endpoint() engine.Endpoint { return f.At }

// HeldPorts says none of the ports is held: the fake engine's host has nothing running.
func (f *Fake) HeldPorts(_ context.Context, _ string, ports []int) (map[int]bool, error) {
	out := map[int]bool{}
	for _, p := range ports {
		out[p] = false
	}
	return out, nil
}

// Close releases nothing.
func (f *Fake) Close() error { return nil }

// Identity names the fake engine by its host, "fake" when it has none.
func (f *Fake) Identity(context.Context) (string, string, error) {
	id := f.EngineInfo.Host
	if id == "" {
		id = "fake"
	}
	return id, f.EngineInfo.ServerVersion, nil
}
