//go:build unix

package checks

import (
	"os/exec"
	"syscall"
)

func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		// The negative pid names the group: the tool and everything it started.
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
