package grammar

import (
	"path"
	"strings"

	"github.com/distribution/reference"
)

// The engine's sinks: where a container's data is mounted, which image it runs, and the
// names of its environment variables.

// MountPathFix says what a mount path looks like.
const MountPathFix = "write the absolute path inside the container where the data lives, such as /data or /var/lib/app"

// mountChars are the bytes a mount path may hold. The engine's short mount syntax
// (`-v SRC:DST:OPTS`) and Podman's Docker-compatible API split on ':' and ',' and read
// `key=value` options after the path: a path carrying them became a bind of the user's
// home on Podman (issue 18, row 1). Letters, digits and `/ . _ -` are what data
// directories are called; nothing else is needed, so nothing else is taken.
const mountChars = lower + upper + digits + "/._-"

// MountPath is a custom service's `volume:`, the target of its named volume: absolute,
// clean (no `..`, `.`, `//` or trailing `/`), not `/` itself (a volume over the whole
// file system), at most 255 bytes, of letters, digits and `/ . _ -` only.
func MountPath(p string) error {
	switch {
	case !strings.HasPrefix(p, "/"):
		return refuse("must be an absolute path", MountPathFix)
	case p == "/":
		return refuse("must not be / (the container's whole file system)", MountPathFix)
	case len(p) > 255:
		return refuse("is longer than 255 bytes", MountPathFix)
	case !onlyOf(p, mountChars):
		return refuse("may hold only letters, digits and / . _ - (the engine reads : , and = as mount options)", MountPathFix)
	case path.Clean(p) != p:
		return refuse("must be a clean path: no .., ., // or trailing /", "write it as "+path.Clean(p))
	}
	return nil
}

// ImageFix says what an image reference looks like.
const ImageFix = "write an image reference such as postgres:16, quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z or NAME@sha256:DIGEST"

// ImageRef is an image reference as the distribution reference grammar defines it
// (github.com/distribution/reference, the one the engine parses with): a lower-case
// repository path on an optional registry, an optional tag and digest. A value that
// starts with '-' would read as an option to any tool the reference is handed to, and the
// grammar has no room for spaces or control characters.
func ImageRef(s string) error {
	switch {
	case s == "":
		return refuse("is empty", ImageFix)
	case strings.HasPrefix(s, "-"):
		return refuse("must not start with '-'", ImageFix)
	case len(s) > 512:
		return refuse("is longer than 512 bytes", ImageFix)
	}
	if _, err := reference.ParseNormalizedNamed(s); err != nil {
		return refuse("is not an image reference: "+err.Error(), ImageFix)
	}
	return nil
}

// EnvKeyFix says what a container variable's name looks like.
const EnvKeyFix = "use letters, digits, '_', '.' and '-', starting with a letter or '_'"

// EnvKey is the name of a container's environment variable: what POSIX shells take
// (letters, digits, '_', not starting with a digit), plus the '.' and '-' of settings such
// as OpenSearch's discovery.type, which images read from their environment. '=' would
// split the engine's KEY=value pair elsewhere, and a control character a line.
func EnvKey(k string) error {
	switch {
	case k == "":
		return refuse("is empty", EnvKeyFix)
	case len(k) > 255:
		return refuse("is longer than 255 bytes", EnvKeyFix)
	case !onlyOf(k[:1], lower+upper+"_") || !onlyOf(k, lower+upper+digits+"_.-"):
		return refuse("is not a variable name", EnvKeyFix)
	}
	return nil
}
