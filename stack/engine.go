// Package stack brings a project's services up, down, and reports on them: it turns the
// configuration into container specs, reconciles them with what the engine runs, and
// waits on each service's own readiness probe.
package stack

import (
	"context"
	"io"

	"github.com/devstack-dev/devstack/services/engine"
)

// Engine is what stack needs of the Docker engine; *engine.Client implements it, and
// tests of pure logic use a fake.
type Engine interface {
	Inspect(ctx context.Context, name string) (*engine.Container, error)
	List(ctx context.Context, project string) ([]engine.Container, error)
	EnsureImage(ctx context.Context, ref, env string, progress func(string)) error
	EnsureNetwork(ctx context.Context, name string, labels map[string]string) error
	EnsureVolume(ctx context.Context, name string, labels map[string]string) error
	Create(ctx context.Context, spec engine.ContainerSpec) (string, error)
	Start(ctx context.Context, id string) error
	Remove(ctx context.Context, id string) error
	Logs(ctx context.Context, id, tail string, follow bool, stdout, stderr io.Writer) error
	Volumes(ctx context.Context, project string) ([]string, error)
	RemoveVolume(ctx context.Context, name string) error
	RemoveNetwork(ctx context.Context, name string) error
	PublishedPorts(ctx context.Context, project string) (map[int]string, error)
}

var _ Engine = (*engine.Client)(nil)

// Progress hears what up is doing, service by service; NoProgress says nothing.
type Progress interface {
	Service(name, status string)
}

// NoProgress is for --quiet and JSON output.
type NoProgress struct{}

func (NoProgress) Service(string, string) {}
