package services

import (
	"net/url"
	"strconv"
	"time"

	"github.com/devstack-dev/devstack/grammar"
	"github.com/devstack-dev/devstack/probe/spec"
)

var _ = register(&Service{
	Name:     "mariadb",
	Order:    80,
	Optional: true,
	// 11.4: MariaDB's long-term series (supported to 2029), the one Frappe and OpenVLE
	// deploy on; a short-term release would leave the stack unsupported within a year.
	Image: "mariadb:11.4",
	Ports: []Port{{Name: "mariadb", Container: 3306, Host: 3506}},
	Mount: "/var/lib/mysql",
	// The entrypoint installs the database and its users only when /var/lib/mysql/mysql is absent.
	InitOnce: true,
	// Like PostgreSQL's, the image's first start initialises behind a server that does
	// not listen on the network, so the probe below reaches only the final one.
	Timeout: 90 * time.Second,
	Env: func(p Params) map[string]string {
		return map[string]string{
			// Frappe creates a database per site, which takes root.
			"MARIADB_ROOT_PASSWORD": p.Secret("MARIADB_ROOT_PASSWORD"),
			"MARIADB_USER":          "devstack",
			"MARIADB_PASSWORD":      p.Secret("MARIADB_PASSWORD"),
			"MARIADB_DATABASE":      identifier(p.Project, '_'),
		}
	},
	// Frappe checks the server's character set and collation before bench new-site and
	// refuses anything but utf8mb4 / utf8mb4_unicode_ci, while MariaDB 11.4's images
	// default to utf8mb4_uca1400_ai_ci. frappe_docker (overrides/compose.mariadb.yaml,
	// read at 4b9d356, 2026-08) starts MariaDB with these two options (and
	// --skip-character-set-client-handshake, left out here: it overrides the character
	// set every client asks for, which the other stacks on this MariaDB never wanted).
	// Arguments starting with '-' go to mariadbd: MariaDB/mariadb-docker's
	// docker-entrypoint.sh (_main, read at 1b6429b) prepends mariadbd to them, and keeps
	// them for the temporary server that initialises the data, as the offline image does.
	// The server defaults apply to databases made from then on; a database made before
	// keeps its collation.
	Cmd: func(map[string]string) []string {
		return []string{"--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci"}
	},
	Probe:    spec.Spec{Kind: "mysql", User: "{env:MARIADB_USER}", Password: "{env:MARIADB_PASSWORD}", Database: "{env:MARIADB_DATABASE}"},
	Fixtures: &Fixtures{Kind: "mariadb", Files: "*.sql files", Keys: []FixtureOption{{Key: "database", Default: "the service's own database", Check: grammar.MariaDBName}}},
	// MARIADB_*, never DATABASE_URL: that is PostgreSQL's, and both run together in
	// OpenVLE-like stacks.
	Connection: func(ep Endpoint) []Setting {
		return []Setting{
			{Key: "MARIADB_URL", Value: MariaDBURL(ep), Secret: true},
			{Key: "MARIADB_HOST", Value: ep.Host},
			{Key: "MARIADB_PORT", Value: strconv.Itoa(ep.Ports["mariadb"])},
			{Key: "MARIADB_DATABASE", Value: ep.Env["MARIADB_DATABASE"]},
			{Key: "MARIADB_USER", Value: ep.Env["MARIADB_USER"]},
			{Key: "MARIADB_PASSWORD", Value: ep.Env["MARIADB_PASSWORD"], Secret: true},
			{Key: "MARIADB_ROOT_PASSWORD", Value: ep.Env["MARIADB_ROOT_PASSWORD"], Secret: true},
		}
	},
})

// MariaDBURL is mysql://USER:PASSWORD@HOST:PORT/DATABASE, the form Prisma, Django's
// dj-database-url and SQLAlchemy (as mysql+DRIVER) read.
func MariaDBURL(ep Endpoint) string {
	u := url.URL{
		Scheme: "mysql",
		User:   url.UserPassword(ep.Env["MARIADB_USER"], ep.Env["MARIADB_PASSWORD"]),
		Host:   ep.Addr("mariadb"),
		Path:   "/" + ep.Env["MARIADB_DATABASE"],
	}
	return u.String()
}
