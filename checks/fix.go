package checks

import (
	"os/exec"
	"runtime"
	"strings"
)

// host is what a fix depends on: the system and the package managers it has.
type host struct {
	goos   string
	getenv func(string) string
	has    func(cmd string) bool
}

func realHost(getenv func(string) string) host {
	return host{goos: runtime.GOOS, getenv: getenv, has: func(c string) bool {
		_, err := exec.LookPath(c)
		return err == nil
	}}
}

// pkg names a tool's package in each manager; empty means that manager has none.
type pkg struct{ apt, dnf, brew, url string }

// install is the command that installs or upgrades p with the first manager present.
func (h host) install(p pkg) string {
	switch {
	case h.goos == "darwin" && p.brew != "":
		return "brew install " + p.brew
	case h.has("apt-get") && p.apt != "":
		return "sudo apt-get install " + p.apt
	case h.has("dnf") && p.dnf != "":
		return "sudo dnf install " + p.dnf
	case h.has("brew") && p.brew != "":
		return "brew install " + p.brew
	}
	return "install it from " + p.url
}

// pyenvInUse tells whether Python comes from pyenv, where the fix is pyenv's, not apt's.
func (h host) pyenvInUse(path string) bool {
	return strings.Contains(path, "/.pyenv/") || h.getenv("PYENV_ROOT") != "" || h.has("pyenv")
}

// nvmInUse tells whether Node comes from nvm.
func (h host) nvmInUse(path string) bool {
	return strings.Contains(path, "/.nvm/") || h.getenv("NVM_DIR") != ""
}
