package stack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/ports"
	"github.com/devstack-dev/devstack/services/engine"
)

// fakeEngine keeps containers in memory and records every call that changes something.
// It stands in for the engine only in tests of up's decisions; the end-to-end tests in
// cmd/devstack run the real engine.
type fakeEngine struct {
	mu         sync.Mutex
	containers map[string]*engine.Container // by name
	specs      map[string]engine.ContainerSpec
	calls      []string
	startErr   map[string][]error // errors Start returns, in turn, by container name
	logs       string
	nextID     int
	// afterInspects makes the container exit after this many inspections (0: never).
	exitAfter map[string]int
	inspected map[string]int

	host     engine.Platform
	images   map[string]*engine.Image        // local images by reference
	registry map[string]*engine.Distribution // what registries have; absent: not found
	regErr   map[string]error                // a registry's refusal, by reference
	pullErr  map[string]error                // a pull's failure, after its first progress
	pullHold map[string]chan struct{}        // a pull waits on this (or its context) before it ends
	volumes  map[string]*engine.Volume
	files    map[string][]byte // "volume/file" → content, for ReadVolumeFile
}

func newFake() *fakeEngine {
	return &fakeEngine{containers: map[string]*engine.Container{}, specs: map[string]engine.ContainerSpec{},
		startErr: map[string][]error{}, exitAfter: map[string]int{}, inspected: map[string]int{},
		host:   engine.Platform{OS: "linux", Architecture: "amd64"},
		images: map[string]*engine.Image{}, registry: map[string]*engine.Distribution{}, regErr: map[string]error{},
		pullErr: map[string]error{}, pullHold: map[string]chan struct{}{}, volumes: map[string]*engine.Volume{},
		files: map[string][]byte{}}
}

// localImage makes the fake engine hold ref, for linux/amd64, with env.
func (f *fakeEngine) localImage(ref string, env map[string]string) {
	f.images[ref] = &engine.Image{ID: "sha256:" + ref, OS: "linux", Architecture: "amd64", Env: env, Labels: map[string]string{}}
}

func (f *fakeEngine) record(format string, args ...any) {
	f.calls = append(f.calls, fmt.Sprintf(format, args...))
}

func (f *fakeEngine) byID(id string) *engine.Container {
	for _, c := range f.containers {
		if c.ID == id || c.Name == id {
			return c
		}
	}
	return nil
}

func (f *fakeEngine) Inspect(_ context.Context, name string) (*engine.Container, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.byID(name)
	if c == nil {
		return nil, fmt.Errorf("container %s: %w", name, engine.ErrNotFound)
	}
	f.inspected[c.Name]++
	if n := f.exitAfter[c.Name]; n > 0 && f.inspected[c.Name] > n {
		c.State, c.ExitCode = "exited", 1
	}
	copy := *c
	return &copy, nil
}

func (f *fakeEngine) List(context.Context, string) ([]engine.Container, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []engine.Container
	for _, c := range f.containers {
		out = append(out, *c)
	}
	return out, nil
}

func (f *fakeEngine) EnsureNetwork(_ context.Context, name string, _ map[string]string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("network %s", name)
	return nil
}

func (f *fakeEngine) EnsureVolume(_ context.Context, name string, labels map[string]string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.volumes[name]; !ok {
		f.record("volume %s", name)
		f.volumes[name] = &engine.Volume{Name: name, Labels: labels}
	}
	return nil
}

func (f *fakeEngine) Volume(_ context.Context, name string) (*engine.Volume, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if v, ok := f.volumes[name]; ok {
		return v, nil
	}
	return nil, fmt.Errorf("volume %s: %w", name, engine.ErrNotFound)
}

func (f *fakeEngine) ReadVolumeFile(_ context.Context, _, volume, file string, _ map[string]string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("read %s/%s", volume, file)
	if data, ok := f.files[volume+"/"+file]; ok {
		return data, nil
	}
	return nil, fmt.Errorf("%s: %w", file, engine.ErrNotFound)
}

func (f *fakeEngine) Platform(context.Context) (engine.Platform, error) { return f.host, nil }

func (f *fakeEngine) Image(_ context.Context, ref string) (*engine.Image, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if img, ok := f.images[ref]; ok {
		return img, nil
	}
	return nil, fmt.Errorf("image %s: %w", ref, engine.ErrNotFound)
}

func (f *fakeEngine) Distribution(_ context.Context, ref string) (*engine.Distribution, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.regErr[ref]; err != nil {
		return nil, err
	}
	if d, ok := f.registry[ref]; ok {
		return d, nil
	}
	return nil, &engine.RegistryError{Image: ref, Answer: engine.AnswerNotFound, Err: errors.New("manifest unknown")}
}

func (f *fakeEngine) Pull(ctx context.Context, ref string, progress func(engine.PullProgress)) error {
	f.mu.Lock()
	f.record("pull %s", ref)
	failure, hold := f.pullErr[ref], f.pullHold[ref]
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
	f.images[ref] = &engine.Image{ID: "sha256:" + ref, OS: "linux", Architecture: "amd64", Env: map[string]string{}}
	return nil
}

func (f *fakeEngine) Create(_ context.Context, spec engine.ContainerSpec) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("create %s", spec.Name)
	f.nextID++
	labels := map[string]string{engine.LabelSpec: spec.Hash()}
	for k, v := range spec.Labels {
		labels[k] = v
	}
	var ports []engine.PortBinding
	ports = append(ports, spec.Ports...)
	c := &engine.Container{ID: fmt.Sprintf("id%d", f.nextID), Name: spec.Name, Labels: labels, State: "created", Ports: ports}
	f.containers[spec.Name] = c
	f.specs[spec.Name] = spec
	return c.ID, nil
}

func (f *fakeEngine) Start(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.byID(id)
	f.record("start %s", c.Name)
	if errs := f.startErr[c.Name]; len(errs) > 0 {
		f.startErr[c.Name] = errs[1:]
		if errs[0] != nil {
			return errs[0]
		}
	}
	c.State = "running"
	return nil
}

func (f *fakeEngine) Unpause(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c := f.byID(id); c != nil {
		f.record("unpause %s", c.Name)
		c.State = "running"
	}
	return nil
}

func (f *fakeEngine) Remove(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c := f.byID(id); c != nil {
		f.record("remove %s", c.Name)
		delete(f.containers, c.Name)
	}
	return nil
}

// Exec answers as a command that printed nothing and exited 0; fakeEngine's services
// are probed over their ports, not through exec.
func (f *fakeEngine) Exec(_ context.Context, id string, cmd []string) (int, []byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "exec "+id+" "+strings.Join(cmd, " "))
	return 0, nil, nil
}

func (f *fakeEngine) Logs(_ context.Context, _, _ string, _ bool, stdout, _ io.Writer) error {
	_, err := io.WriteString(stdout, f.logs)
	return err
}

func (f *fakeEngine) Volumes(context.Context, string) ([]string, error) { return nil, nil }
func (f *fakeEngine) RemoveVolume(context.Context, string) error        { return nil }
func (f *fakeEngine) RemoveNetwork(context.Context, string, string) (bool, error, error) {
	return true, nil, nil
}
func (f *fakeEngine) PublishedPorts(context.Context) (map[int]engine.PortOwner, error) {
	return map[int]engine.PortOwner{}, nil
}

func (f *fakeEngine) callLog() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.calls, "; ")
}

// fixedSecrets is a plan.Secrets that needs no disk.
type fixedSecrets struct{}

func (fixedSecrets) Get(key string) string { return "secret-" + strings.ToLower(key) }
func (fixedSecrets) Save() error           { return nil }

// unitsFor resolves every planned service of cfg.
func unitsFor(t *testing.T, cfg *config.Config) (*ports.Plan, []plan.Unit) {
	t.Helper()
	pl := planFor(t, cfg)
	return pl.Ports, pl.Units
}

// planFor resolves cfg with fixed secrets.
func planFor(t *testing.T, cfg *config.Config) *plan.Plan {
	t.Helper()
	pl, err := plan.New(cfg, fixedSecrets{})
	if err != nil {
		t.Fatal(err)
	}
	return pl
}
