package services

import (
	"net/url"
	"strconv"
)

// postgres's definition is data (services/builtin/postgres.yaml). What is code is
// registered here: where its data lives for a major (mount_for: postgres), and where an
// old volume keeps the major that made it (upgrade.version_files: postgres); the drivers
// and frameworks connect with PostgresURL, the URL its DATABASE_URL setting holds.
func init() {
	RegisterMountHook("postgres", pgMount)
	RegisterVersionFilesHook("postgres", pgVersionFiles)
}

// pgMount is where the volume is mounted for an image of the given major: from 18 the
// official image keeps PGDATA at /var/lib/postgresql/MAJOR/docker under VOLUME
// /var/lib/postgresql, and refuses to start over data at the old path.
func pgMount(major int) string {
	if major >= 18 {
		return "/var/lib/postgresql"
	}
	return "/var/lib/postgresql/data"
}

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
