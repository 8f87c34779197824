package compose

import (
	"strings"

	"github.com/distribution/reference"
)

// builtinRepos maps an image repository (as normalised by the distribution library) to
// the built-in that runs it: such a service becomes the built-in, keeping the file's
// image, user and database, and getting devstack's generated passwords.
var builtinRepos = map[string]string{
	"docker.io/library/postgres":                        "postgres",
	"docker.io/library/redis":                           "redis",
	"docker.io/library/rabbitmq":                        "rabbitmq",
	"docker.io/opensearchproject/opensearch":            "opensearch",
	"docker.io/opensearchproject/opensearch-dashboards": "opensearch-dashboards",
	"quay.io/minio/minio":                               "minio",
	"docker.io/minio/minio":                             "minio",
	"docker.io/library/mariadb":                         "mariadb",
	"docker.io/library/mongo":                           "mongodb",
	"docker.io/library/influxdb":                        "influxdb",
	"docker.io/grafana/grafana":                         "grafana",
	"docker.io/grafana/grafana-oss":                     "grafana",
	"docker.io/prom/prometheus":                         "prometheus",
	"docker.io/library/memcached":                       "memcached",
	"docker.io/axllent/mailpit":                         "mailpit",
	"docker.io/dpage/pgadmin4":                          "pgadmin",
}

// movedRepos are repositories known to be gone, and where the same releases live: Docker
// Hub removed minio/minio (September 2026); quay.io keeps the same tags and digests.
var movedRepos = map[string]string{
	"docker.io/minio/minio": "quay.io/minio/minio",
}

// frozenRepos are repositories that still resolve but get no new releases.
var frozenRepos = map[string]string{
	"docker.io/bitnami/": "Bitnami stopped publishing its free images on Docker Hub (2025): pin the project's official image",
}

// image is an image reference split as the registry reads it.
type image struct {
	raw  string
	repo string // fully qualified: docker.io/library/postgres
	tag  string // "" when none is written
	dig  string
}

func parseImage(s string) (image, bool) {
	named, err := reference.ParseNormalizedNamed(s)
	if err != nil {
		return image{raw: s}, false
	}
	im := image{raw: s, repo: named.Name()}
	if t, ok := named.(reference.Tagged); ok {
		im.tag = t.Tag()
	}
	if d, ok := named.(reference.Digested); ok {
		im.dig = d.Digest().String()
	}
	return im, true
}

// builtin is the built-in that runs the image, or "".
func (im image) builtin() string { return builtinRepos[im.repo] }

// moved is the same reference at the repository that still serves it, or "".
func (im image) moved() string {
	to, ok := movedRepos[im.repo]
	if !ok {
		return ""
	}
	out := to
	if im.tag != "" {
		out += ":" + im.tag
	}
	if im.dig != "" {
		out += "@" + im.dig
	}
	return out
}

// frozen says why the image gets no new releases, or "".
func (im image) frozen() string {
	for prefix, why := range frozenRepos {
		if strings.HasPrefix(im.repo, prefix) {
			return why
		}
	}
	return ""
}
