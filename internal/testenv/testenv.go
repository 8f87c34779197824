// Package testenv decides what a test does when something it needs from the machine is
// missing (git, root, a Python library): on a developer's machine it skips, visibly; where
// CI promised every test runs (DEVSTACK_E2E=required or CI=true, as .ci/run sets), it
// fails, so no test passes by skipping there.
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// Required is true where every test must run.
func Required() bool {
	return os.Getenv("DEVSTACK_E2E") == "required" || os.Getenv("CI") == "true"
}

// Missing skips the test with a SKIPPED: line, or fails it where Required.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if Required() {
		t.Fatalf("%s (required here: DEVSTACK_E2E=required or CI=true)", msg)
	}
	t.Skip("SKIPPED: " + msg)
}

// Git is Missing unless git is on PATH.
func Git(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		Missing(t, "git is not installed (apt-get install git)")
	}
}
