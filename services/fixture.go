package services

import (
	"context"
	"fmt"

	"github.com/devstack-dev/devstack/internal/registry"
)

// Fixtures is what a service's definition says of its fixtures, as data: which driver
// loads them, which files it takes and which keys a fixture may set. The driver, the Go
// code that speaks the service's protocol, is registered under Kind (services/drivers);
// config reads only this, so reading devstack.yaml links no client library.
type Fixtures struct {
	// Kind names the FixtureLoader registered for it: the service's name for a built-in.
	Kind string
	// Files says which files the service loads, for an error when a fixture has none:
	// "*.sql files".
	Files string
	// Keys are the keys a fixture for this service may set in devstack.yaml besides
	// name, source and service (postgres's database, minio's bucket…); config refuses
	// any other, naming these.
	Keys []FixtureOption
}

// Expects says which files the service loads.
func (f *Fixtures) Expects() string { return f.Files }

// Options are the keys a fixture may set.
func (f *Fixtures) Options() []FixtureOption { return f.Keys }

// FixtureLoader is the driver that loads one kind of fixture file. The fixtures package
// fetches, confines and records; the driver alone knows the files and the protocol, so
// a new kind is its own file in services/drivers and nothing else.
type FixtureLoader interface {
	// Pick chooses the files the service loads, in the order to load them.
	Pick(files []FixtureFile) []FixtureFile
	// Load loads one file; a failure leaves the file to be loaded again next time.
	Load(ctx context.Context, t FixtureTarget, f FixtureFile) error
}

var loaders = registry.New[FixtureLoader]("services: fixture loader")

// RegisterLoader makes l the loader of kind's fixtures; a driver calls it from init.
func RegisterLoader(kind string, l FixtureLoader) { loaders.Add(kind, l) }

// Loader is the loader registered for f's kind.
func (f *Fixtures) Loader() (FixtureLoader, error) {
	if l, ok := loaders.Get(f.Kind); ok {
		return l, nil
	}
	return nil, fmt.Errorf("no fixture loader of kind %q is linked in (services/drivers registers them)", f.Kind)
}

// FixtureOption is one key a fixture may set for its service.
type FixtureOption struct {
	Key     string
	Default string // what applies when the key is left out, for people: "the service's own database"
	// Check is the grammar of the value (a package grammar rule), applied when
	// devstack.yaml is loaded: the value names something on the server that devstack
	// writes to and, on reset, deletes.
	Check func(string) error
}

// FixtureFile is one file of a fetched fixture.
type FixtureFile struct {
	Rel    string // slash-separated path inside the fixture
	Path   string
	Digest string // sha256 of the content
}

// FixtureTarget is where a fixture goes: the running service, and the fixture's own
// choices, by the keys its loader's Options declare.
type FixtureTarget struct {
	Endpoint
	Options map[string]string
}

// Option is the fixture's value for key, or def when it set none.
func (t FixtureTarget) Option(key, def string) string {
	if v := t.Options[key]; v != "" {
		return v
	}
	return def
}

// FixtureOverwriter is a loader whose load is an idempotent overwrite (MinIO puts an
// object under the file's name): a changed file is loaded again without --reset, as that
// replaces what the old content made. A file removed from the source leaves what it made
// behind: a load never deletes.
type FixtureOverwriter interface {
	// Overwrites is where a load writes, for people: "the object of the same name".
	Overwrites() string
}

// FixtureResetter is a loader that can empty its target in place (drop and re-create a
// database, empty a bucket, delete the indices or queues the files declare), so that
// `devstack fixtures --reset` loads every file into a clean target. A loader without it
// is reset by removing the service's volume.
type FixtureResetter interface {
	// Reset empties t. files are those Pick chose from every fixture aimed at t, for
	// loaders whose target is no more than what those files create; what a file
	// created under a name it no longer declares is left alone.
	Reset(ctx context.Context, t FixtureTarget, files []FixtureFile) error
}

// Step is a driver's action on a running service, such as creating MinIO's bucket.
type Step func(ctx context.Context, ep Endpoint) error

var steps = registry.New[Step]("services: step")

// RegisterStep makes fn the step named name; a driver calls it from init.
func RegisterStep(name string, fn Step) { steps.Add(name, fn) }

// RunAfterReady runs the step s names to prepare what its connection settings promise;
// nothing when it names none.
func (s *Service) RunAfterReady(ctx context.Context, ep Endpoint) error {
	if s.AfterReady == "" {
		return nil
	}
	fn, ok := steps.Get(s.AfterReady)
	if !ok {
		return fmt.Errorf("%s: no step %q is linked in (services/drivers registers them)", s.Name, s.AfterReady)
	}
	return fn(ctx, ep)
}
