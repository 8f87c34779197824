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
	Image(ctx context.Context, ref string) (*engine.Image, error)
	Distribution(ctx context.Context, ref string) (*engine.Distribution, error)
	Pull(ctx context.Context, ref string, progress func(engine.PullProgress)) error
	Platform(ctx context.Context) (engine.Platform, error)
	Volume(ctx context.Context, name string) (*engine.Volume, error)
	ReadVolumeFile(ctx context.Context, image, volume string, files []string, labels map[string]string) (string, []byte, error)
	EnsureNetwork(ctx context.Context, name string, labels map[string]string) error
	EnsureVolume(ctx context.Context, name string, labels map[string]string) error
	Create(ctx context.Context, spec engine.ContainerSpec) (string, error)
	Start(ctx context.Context, id string) error
	Unpause(ctx context.Context, id string) error
	Remove(ctx context.Context, id string) error
	Logs(ctx context.Context, id, tail string, follow bool, stdout, stderr io.Writer) error
	// Exec runs cmd in the running container id and returns its exit code and output.
	Exec(ctx context.Context, id string, cmd []string) (int, []byte, error)
	Volumes(ctx context.Context, project string) ([]string, error)
	RemoveVolume(ctx context.Context, name string) error
	HasNetwork(ctx context.Context, name, project string) (bool, error)
	RemoveNetwork(ctx context.Context, name, project string) (removed bool, foreign, err error)
	PublishedPorts(ctx context.Context) (map[int]engine.PortOwner, error)
	// Labelled lists the containers, volumes and networks carrying label=value.
	Labelled(ctx context.Context, label, value string) ([]engine.Object, error)
}

var _ Engine = (*engine.Client)(nil)

// Progress hears what up is doing, service by service and image by image; NoProgress
// says nothing. Pull is called from several goroutines at once.
type Progress interface {
	Service(name, status string)
	Pull(ev PullEvent)
}

// NoProgress is for --quiet and JSON output.
type NoProgress struct{}

func (NoProgress) Service(string, string) {}
func (NoProgress) Pull(PullEvent)         {}
