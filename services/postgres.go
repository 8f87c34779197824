package services

import (
	"net/url"
	"time"

	"github.com/devstack-dev/devstack/probe"
)

var _ = register(&Service{
	Name:  "postgres",
	Order: 20,
	// 17: the major Invenio's own project template runs. 18 keeps its data elsewhere
	// (MountFor), and no major reads another's data directory (Upgrade).
	Image: "postgres:17",
	Ports: []Port{{Name: "postgres", Container: 5432, Host: 5632}},
	Mount: "/var/lib/postgresql/data",
	// The entrypoint runs initdb and the init scripts only over an empty data directory.
	InitOnce: true,
	// From 18 the official image keeps PGDATA at /var/lib/postgresql/MAJOR/docker under
	// VOLUME /var/lib/postgresql, and refuses to start over data at the old path.
	MountFor: func(major int) string {
		if major >= 18 {
			return "/var/lib/postgresql"
		}
		return "/var/lib/postgresql/data"
	},
	Upgrade: &Upgrade{
		VersionEnv:  "PG_MAJOR",
		VersionFile: "PG_VERSION",
		Move: func(ctr string) string {
			return "carry the data across with a dump: with the old image running, " +
				"docker exec " + ctr + " pg_dumpall -U devstack > dump.sql; then devstack down --volumes postgres, " +
				"devstack up postgres with the new image, and docker exec -i " + ctr + " psql -U devstack -d postgres < dump.sql"
		},
	},
	Timeout: 60 * time.Second,
	Env: func(p Params) map[string]string {
		return map[string]string{
			"POSTGRES_USER":     "devstack",
			"POSTGRES_PASSWORD": p.Secret("POSTGRES_PASSWORD"),
			"POSTGRES_DB":       identifier(p.Project, '_'),
		}
	},
	// A query over the published port: during first initialisation the official image
	// runs a temporary server on the socket only, so only the final server answers here.
	Probe:    probe.Postgres{User: "{env:POSTGRES_USER}", Password: "{env:POSTGRES_PASSWORD}", Database: "{env:POSTGRES_DB}"},
	Fixtures: postgresLoader{},
	Connection: func(ep Endpoint) []Setting {
		return []Setting{{Key: "DATABASE_URL", Value: PostgresURL(ep), Secret: true}}
	},
})

// PostgresURL is the connection URL for the service's database and user.
func PostgresURL(ep Endpoint) string {
	u := url.URL{
		Scheme: "postgresql",
		User:   url.UserPassword(ep.Env["POSTGRES_USER"], ep.Env["POSTGRES_PASSWORD"]),
		Host:   ep.Addr("postgres"),
		Path:   "/" + ep.Env["POSTGRES_DB"],
	}
	return u.String()
}
