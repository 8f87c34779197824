package services

import (
	"net/url"
	"time"

	"github.com/devstack-dev/devstack/grammar"
	"github.com/devstack-dev/devstack/probe/spec"
)

var _ = register(&Service{
	Name:     "mongodb",
	Order:    90,
	Optional: true,
	// 8.0: the newest major with a long support window ahead; its data files need an
	// 8.0-compatible server, so the tag stays on the major.
	Image: "mongo:8.0",
	Ports: []Port{{Name: "mongodb", Container: 27017, Host: 27217}},
	Mount: "/data/db",
	// The entrypoint creates the root user only when /data/db holds no database files yet.
	InitOnce: true,
	Timeout:  60 * time.Second,
	Env: func(p Params) map[string]string {
		// The official image creates this root user in the admin database on first
		// start; it makes no other user, so applications log in as it (authSource=admin).
		return map[string]string{
			"MONGO_INITDB_ROOT_USERNAME": "devstack",
			"MONGO_INITDB_ROOT_PASSWORD": p.Secret("MONGO_INITDB_ROOT_PASSWORD"),
			"DEVSTACK_MONGODB_DATABASE":  identifier(p.Project, '_'),
		}
	},
	Probe: spec.Spec{Kind: "mongo", User: "{env:MONGO_INITDB_ROOT_USERNAME}", Password: "{env:MONGO_INITDB_ROOT_PASSWORD}", Database: "admin"},
	Fixtures: &Fixtures{Kind: "mongodb", Files: "*.json or *.ndjson files", Keys: []FixtureOption{
		{Key: "database", Default: "the project's database (MONGODB_DATABASE)", Check: grammar.MongoDatabase},
		{Key: "collection", Default: "each file's name without its extension", Check: grammar.MongoCollection},
	}},
	Connection: func(ep Endpoint) []Setting {
		return []Setting{
			{Key: "MONGODB_URL", Value: MongoDBURL(ep), Secret: true},
			{Key: "MONGODB_DATABASE", Value: ep.Env["DEVSTACK_MONGODB_DATABASE"]},
		}
	},
})

// MongoDBURL names the project's database as the default one, and admin as where the
// user is defined.
func MongoDBURL(ep Endpoint) string {
	u := url.URL{
		Scheme:   "mongodb",
		User:     url.UserPassword(ep.Env["MONGO_INITDB_ROOT_USERNAME"], ep.Env["MONGO_INITDB_ROOT_PASSWORD"]),
		Host:     ep.Addr("mongodb"),
		Path:     "/" + ep.Env["DEVSTACK_MONGODB_DATABASE"],
		RawQuery: "authSource=admin",
	}
	return u.String()
}
