package services

import "context"

// FixtureLoader loads one service's kind of fixture file. The fixtures package fetches,
// confines and records; the service alone knows its files and its protocol, so a new
// service with fixtures is its own file and nothing else.
type FixtureLoader interface {
	// Expects says which files the service loads, for an error when a fixture has none.
	Expects() string
	// Pick chooses the files the service loads, in the order to load them.
	Pick(files []FixtureFile) []FixtureFile
	// Options are the keys a fixture for this service may set in devstack.yaml besides
	// name, source and service (postgres's database, minio's bucket…); config refuses
	// any other, naming these.
	Options() []FixtureOption
	// Load loads one file; a failure leaves the file to be loaded again next time.
	Load(ctx context.Context, t FixtureTarget, f FixtureFile) error
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
