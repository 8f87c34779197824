//go:build devstacktest

package engine

import "os"

// Only in binaries built with -tags devstacktest (the end-to-end tests build one): point
// the CPU check at a cpuinfo fixture, or force the container path on a local engine.
// A user's devstack has neither.
func init() {
	if p := os.Getenv("DEVSTACK_TEST_CPUINFO"); p != "" {
		localCPUInfo = p
	}
	cpuViaContainer = os.Getenv("DEVSTACK_TEST_CPUINFO_CONTAINER") != ""
}
