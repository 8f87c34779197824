package engine

import (
	"testing"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/system"
)

func TestKindOf(t *testing.T) {
	podman := types.Version{Version: "4.3.1", Components: []types.ComponentVersion{
		{Name: "Podman Engine", Version: "4.3.1"}, {Name: "Conmon", Version: "conmon version 2.1.6"}}}
	docker := types.Version{Version: "28.2.2", Components: []types.ComponentVersion{
		{Name: "Engine", Version: "28.2.2"}, {Name: "containerd", Version: "1.7.27"}}}
	tests := []struct {
		name string
		info system.Info
		v    types.Version
		want string
	}{
		{"Debian's dockerd", system.Info{Name: "vm", OperatingSystem: "Debian GNU/Linux 12 (bookworm)"}, docker, KindDocker},
		{"Podman 4.3 (its /info says only the host's OS)", system.Info{Name: "vm", OperatingSystem: "debian"}, podman, KindPodman},
		{"Docker Desktop", system.Info{Name: "docker-desktop", OperatingSystem: "Docker Desktop"}, docker, KindDockerDesktop},
		{"OrbStack", system.Info{Name: "orbstack", OperatingSystem: "OrbStack"}, docker, KindOrbStack},
		{"Colima's default profile", system.Info{Name: "colima", OperatingSystem: "Ubuntu 24.04 LTS"}, docker, KindColima},
		{"a Colima profile", system.Info{Name: "colima-work", OperatingSystem: "Ubuntu 24.04 LTS"}, docker, KindColima},
		{"Rancher Desktop", system.Info{Name: "lima-rancher-desktop", OperatingSystem: "Rancher Desktop WSL Distribution"}, docker, KindRancher},
		{"no /version answer", system.Info{Name: "box", OperatingSystem: "Ubuntu"}, types.Version{}, KindDocker},
	}
	for _, tt := range tests {
		if got := kindOf(tt.info, tt.v); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestDockerState(t *testing.T) {
	for in, want := range map[string]string{"stopped": "exited", "configured": "created", "running": "running", "exited": "exited", "dead": "dead"} {
		if got := dockerState(in); got != want {
			t.Errorf("%s: got %s, want %s", in, got, want)
		}
	}
}
