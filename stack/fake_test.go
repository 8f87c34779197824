package stack

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

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
}

func newFake() *fakeEngine {
	return &fakeEngine{containers: map[string]*engine.Container{}, specs: map[string]engine.ContainerSpec{},
		startErr: map[string][]error{}, exitAfter: map[string]int{}, inspected: map[string]int{}}
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

func (f *fakeEngine) EnsureImage(context.Context, string, string, func(string)) error { return nil }
func (f *fakeEngine) EnsureNetwork(context.Context, string, map[string]string) error  { return nil }
func (f *fakeEngine) EnsureVolume(context.Context, string, map[string]string) error   { return nil }

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

func (f *fakeEngine) Remove(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c := f.byID(id); c != nil {
		f.record("remove %s", c.Name)
		delete(f.containers, c.Name)
	}
	return nil
}

func (f *fakeEngine) Logs(_ context.Context, _, _ string, _ bool, stdout, _ io.Writer) error {
	_, err := io.WriteString(stdout, f.logs)
	return err
}

func (f *fakeEngine) Volumes(context.Context, string) ([]string, error) { return nil, nil }
func (f *fakeEngine) RemoveVolume(context.Context, string) error        { return nil }
func (f *fakeEngine) RemoveNetwork(context.Context, string) error       { return nil }
func (f *fakeEngine) PublishedPorts(context.Context, string) (map[int]string, error) {
	return map[int]string{}, nil
}

func (f *fakeEngine) callLog() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.calls, "; ")
}

// fixedSecrets is a Secrets that needs no disk.
type fixedSecrets struct{}

func (fixedSecrets) Get(key string) string { return "secret-" + strings.ToLower(key) }
func (fixedSecrets) Save() error           { return nil }
