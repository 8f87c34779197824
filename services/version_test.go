package services

import (
	"strings"
	"testing"

	"github.com/distribution/reference"
)

// Every default image is pinned on purpose: a tag that names a version, never latest or
// no tag (which means latest), and never Docker Hub's minio/minio, which is gone.
func TestDefaultImagesArePinned(t *testing.T) {
	for _, s := range All() {
		named, err := reference.ParseNormalizedNamed(s.Image)
		if err != nil {
			t.Errorf("%s: %q is not an image reference: %v", s.Name, s.Image, err)
			continue
		}
		tagged, ok := named.(reference.Tagged)
		_, digested := named.(reference.Digested)
		switch {
		case !ok && !digested:
			t.Errorf("%s: %q has no tag: the engine would pull latest", s.Name, s.Image)
		case ok && (tagged.Tag() == "latest" || strings.HasPrefix(tagged.Tag(), "latest-")):
			t.Errorf("%s: %q floats on latest", s.Name, s.Image)
		}
		if named.Name() == "docker.io/minio/minio" || named.Name() == "docker.io/minio/mc" {
			t.Errorf("%s: %q is on Docker Hub, which removed MinIO's repositories; use quay.io/minio/minio", s.Name, s.Image)
		}
	}
}

func TestImageVersion(t *testing.T) {
	tests := []struct {
		ref        string
		env        map[string]string
		labels     map[string]string
		versionEnv string
		want       int
	}{
		{"devstack-offline/postgres:latest", map[string]string{"PG_MAJOR": "15"}, nil, "PG_MAJOR", 15},
		{"postgres:17", nil, nil, "PG_MAJOR", 17},
		{"rabbitmq:4.2-management", map[string]string{"RABBITMQ_VERSION": "4.2.1"}, map[string]string{"org.opencontainers.image.version": "24.04"}, "RABBITMQ_VERSION", 4},
		// A base image's label is inherited: the tag is trusted before it.
		{"opensearchproject/opensearch:2.19.6", nil, map[string]string{"org.opencontainers.image.version": "2023"}, "", 2},
		{"myorg/search:latest", nil, map[string]string{"org.opencontainers.image.version": "3.1.0"}, "", 3},
		{"quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z", nil, nil, "", 0},
		{"redis", nil, nil, "", 0},
		{"localhost:5000/pg:v16.4", nil, nil, "PG_MAJOR", 16},
	}
	for _, tt := range tests {
		if got := Major(ImageVersion(tt.ref, tt.env, tt.labels, tt.versionEnv)); got != tt.want {
			t.Errorf("%s: major %d, want %d", tt.ref, got, tt.want)
		}
	}
}

func TestPostgresMountFollowsMajor(t *testing.T) {
	pg := &Service{Mount: "/var/lib/postgresql/data"}
	pg.MountFor, _ = MountHook("postgres")
	for major, want := range map[int]string{0: "/var/lib/postgresql/data", 15: "/var/lib/postgresql/data", 17: "/var/lib/postgresql/data", 18: "/var/lib/postgresql", 19: "/var/lib/postgresql"} {
		if got := pg.MountAt(major); got != want {
			t.Errorf("major %d: mount %q, want %q", major, got, want)
		}
	}
}
