package services

import (
	"net/url"
	"strconv"
	"time"

	"github.com/devstack-dev/devstack/grammar"
	"github.com/devstack-dev/devstack/probe/spec"
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
		VersionEnv:   "PG_MAJOR",
		VersionFiles: pgVersionFiles,
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
	Probe:    spec.Spec{Kind: "postgres", User: "{env:POSTGRES_USER}", Password: "{env:POSTGRES_PASSWORD}", Database: "{env:POSTGRES_DB}"},
	Fixtures: &Fixtures{Kind: "postgres", Files: "*.sql files", Keys: []FixtureOption{{Key: "database", Default: "the service's own database", Check: grammar.PostgresName}}},
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

// pgLastMajor is the last major that kept its data directory at the volume's root.
const pgLastMajor = 17

// pgVersionFiles are where each major leaves PG_VERSION in devstack's volume, read when
// the volume carries no major label. Up to 17 the volume is PGDATA itself (mounted at
// /var/lib/postgresql/data): PG_VERSION at its root. From 18 docker-library/postgres
// (18/trixie/Dockerfile, read at 6edb0a8, 2026-02) sets PGDATA=/var/lib/postgresql/18/docker
// under VOLUME /var/lib/postgresql, so the volume holds MAJOR/docker/PG_VERSION; its
// docker-entrypoint.sh looks for old clusters in the same places (/var/lib/postgresql,
// /var/lib/postgresql/data, /var/lib/postgresql/*/docker). The archive API reads paths,
// not globs, so the majors are listed: the image's own first (its data being there is
// what decides), then the root and data/, then the others from a few majors past the
// image's down to 18, newest first. A volume from further ahead is told by the
// container's last image, or not at all (a warning).
func pgVersionFiles(imageMajor int) []string {
	files := []string{}
	if imageMajor > pgLastMajor {
		files = append(files, strconv.Itoa(imageMajor)+"/docker/PG_VERSION")
	}
	files = append(files, "PG_VERSION", "data/PG_VERSION")
	for m := max(imageMajor, pgLastMajor) + 3; m > pgLastMajor; m-- {
		if m != imageMajor {
			files = append(files, strconv.Itoa(m)+"/docker/PG_VERSION")
		}
	}
	return files
}
