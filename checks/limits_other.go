//go:build !linux

package checks

import "errors"

// selfLimits: rootful Podman runs on Linux only.
func selfLimits() (int, bool, uint64, error) {
	return 0, false, 0, errors.New("not Linux")
}
