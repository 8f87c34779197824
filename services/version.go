package services

import (
	"strconv"
	"strings"

	"github.com/distribution/reference"
)

// versionLabels are the image labels that may carry the software's version, in the order
// they are trusted. A base image's label is inherited by every image built on it (Ubuntu
// sets org.opencontainers.image.version=24.04), so labels come after the tag.
var versionLabels = []string{"org.opencontainers.image.version", "org.label-schema.version"}

// ImageVersion is the version an image declares: the service's version variable in the
// image's environment (PG_MAJOR), else a tag that reads as a version, else a version
// label. Empty when none says.
func ImageVersion(ref string, env, labels map[string]string, versionEnv string) string {
	if versionEnv != "" && env[versionEnv] != "" {
		return env[versionEnv]
	}
	if tag := Tag(ref); Major(tag) > 0 {
		return tag
	}
	for _, l := range versionLabels {
		if v := labels[l]; Major(v) > 0 {
			return v
		}
	}
	return ""
}

// Major is the leading number of a version ("17", "4.2-management", "v2.19.6"); 0 when it
// has none ("latest", "RELEASE.2025-09-07T16-13-09Z").
func Major(version string) int {
	v := strings.TrimPrefix(strings.TrimSpace(version), "v")
	end := 0
	for end < len(v) && v[end] >= '0' && v[end] <= '9' {
		end++
	}
	n, err := strconv.Atoi(v[:end])
	if err != nil {
		return 0
	}
	return n
}

// Tag is the tag of an image reference, "" when it has none (a bare name means latest
// to the engine; a digest pins without a tag).
func Tag(ref string) string {
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return ""
	}
	if t, ok := named.(reference.Tagged); ok {
		return t.Tag()
	}
	return ""
}
