package checks

import (
	"syscall"

	"github.com/prometheus/procfs"
)

// selfLimits reads this process's effective uid, whether CAP_SYS_RESOURCE (capability 24)
// is effective, and its hard nofile limit: rootful Podman runs with the same.
func selfLimits() (int, bool, uint64, error) {
	p, err := procfs.Self()
	if err != nil {
		return 0, false, 0, err
	}
	st, err := p.NewStatus()
	if err != nil {
		return 0, false, 0, err
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, false, 0, err
	}
	return int(st.UIDs[1]), st.CapEff&(1<<24) != 0, lim.Max, nil
}
