package ports

import (
	"path/filepath"
	"strings"
)

// holderCommand is how a holder's command line is shown. Podman's ports are held by
// conmon, the container's monitor, whose command line runs to thousands of characters of
// storage paths; what a person needs from it is the container's name (-n), to stop it. A
// rootless Podman's ports are held by rootlessport, which names nothing. Every other
// command line, docker-proxy's included, is shown whole.
func holderCommand(args []string) string {
	if len(args) == 0 {
		return ""
	}
	switch filepath.Base(args[0]) {
	case "conmon":
		name, id := "", ""
		for i := 0; i+1 < len(args); i++ {
			switch args[i] {
			case "-n", "--name":
				name = args[i+1]
			case "-c", "--cid":
				id = args[i+1]
			}
		}
		if name == "" && len(id) >= 12 {
			name = id[:12]
		}
		if name != "" {
			return "conmon (Podman container " + name + "; stop it with: podman stop " + name + ")"
		}
	case "rootlessport", "rootlessport-child":
		return args[0] + " (a rootless Podman container's ports; podman ps lists them)"
	}
	return strings.Join(args, " ")
}
