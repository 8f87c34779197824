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
	// Load loads one file; a failure leaves the file to be loaded again next time.
	Load(ctx context.Context, t FixtureTarget, f FixtureFile) error
}

// FixtureFile is one file of a fetched fixture.
type FixtureFile struct {
	Rel    string // slash-separated path inside the fixture
	Path   string
	Digest string // sha256 of the content
}

// FixtureTarget is where a fixture goes: the running service, and the fixture's own
// choices (each service reads those it has a use for).
type FixtureTarget struct {
	Endpoint
	Database string // postgres (and SQL servers): default the service's own
	Bucket   string // minio: default the project's bucket
	Index    string // opensearch: where bulk files without an index go
}

// FixtureResetter is a loader that can empty its target in place (drop and re-create a
// database, empty a bucket), so that `devstack fixtures --reset` loads every file into
// a clean target. A loader without it is reset by removing the service's volume.
type FixtureResetter interface {
	Reset(ctx context.Context, t FixtureTarget) error
}
