package snapshot

import (
	"context"
	"fmt"
	"os"

	"github.com/devstack-dev/devstack/capsule"
	"github.com/devstack-dev/devstack/output"
)

// spaceMargin is kept free beyond the data: an engine with a full disk stops every
// container, not just the restored ones.
const spaceMargin = 512 << 20

// checkSpace refuses a restore whose data does not fit beside the live data (the old
// volumes are removed only after the switch) on the engine's disk. A remote engine's
// disk cannot be seen from here: then the engine's own error stops the copy, before the
// switch.
func checkSpace(ctx context.Context, eng Engine, m *capsule.Manifest) error {
	var need int64
	for _, s := range m.Services {
		need += s.Bytes
	}
	info, err := eng.Info(ctx)
	if err != nil || info.Remote || info.DockerRootDir == "" {
		return nil
	}
	if _, err := os.Stat(info.DockerRootDir); err != nil {
		return nil // another machine's path, or not ours to read (rootful Docker, rootless user)
	}
	free, err := freeBytes(info.DockerRootDir)
	if err != nil {
		return nil
	}
	if free < need+spaceMargin {
		return output.WithHint(fmt.Errorf("snapshot %s needs %s on the engine's disk (%s) and %s more to spare; %s is free",
			m.Name, humanBytes(need), info.DockerRootDir, humanBytes(spaceMargin), humanBytes(free)),
			"free disk space (docker system prune removes unused images and build cache), or remove old snapshots: devstack snapshot list")
	}
	return nil
}
