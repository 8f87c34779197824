//go:build !unix

package checks

import "os/exec"

func setProcessGroup(cmd *exec.Cmd) {}
