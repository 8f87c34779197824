//go:build e2e

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
)

const redisAndPostgres = "services: {redis: {}, postgres: {}}\n"

type statusJSON struct {
	OK       bool `json:"ok"`
	Services []struct {
		Name    string `json:"name"`
		Ready   bool   `json:"ready"`
		Message string `json:"message"`
		Ports   []struct {
			HostPort int `json:"host_port"`
		} `json:"ports"`
	} `json:"services"`
}

func (p *stackProject) status() statusJSON {
	p.t.Helper()
	r := p.run("status", "-o", "json")
	var s statusJSON
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		p.t.Fatalf("status: exit %d, not JSON (%v): %s %s", r.code, err, r.stdout, r.stderr)
	}
	return s
}

// Project B planned on the very ports A runs on: up --auto-offset moves B by 100 and
// remembers it; env and status in B then tell B's truth (before, status probed A's ports
// with B's credentials and called A's services B's "ready"); A's down leaves B; B's plain
// up stays at 100.
func TestTwoProjectsAtOnce(t *testing.T) {
	a := newStackProject(t, redisAndPostgres)
	b := newStackProject(t, redisAndPostgres)
	offset := strings.TrimPrefix(strings.SplitN(a.base, "\n", 3)[1], "offset: ")
	b.base = fmt.Sprintf("project: %s\noffset: %s\n", b.name, offset) // A's ports exactly
	b.write(redisAndPostgres)
	var base int
	if _, err := fmt.Sscan(offset, &base); err != nil {
		t.Fatal(err)
	}
	ua := a.up()
	redisB := ua.Services[ua.byName()["redis"]].Ports[0].HostPort + 100

	r := b.run("up", "--auto-offset", "-o", "json")
	if r.code != 0 || !strings.Contains(r.stderr, fmt.Sprintf("using offset %d", base+100)) || !strings.Contains(r.stderr, "devstack project "+a.name) {
		t.Fatalf("up --auto-offset: exit %d\nstderr: %s", r.code, r.stderr)
	}
	if got := b.env()["REDIS_URL"]; !strings.Contains(got, fmt.Sprintf(":%d", redisB)) {
		t.Errorf("env in B: REDIS_URL %s, want B's port %d", got, redisB)
	}
	s := b.status()
	if !s.OK {
		t.Errorf("status in B is not ok: %+v", s)
	}
	for _, svc := range s.Services {
		if svc.Name == "redis" && (len(svc.Ports) == 0 || svc.Ports[0].HostPort != redisB) {
			t.Errorf("status in B: redis on %+v, want %d", svc.Ports, redisB)
		}
	}
	if r := a.run("down"); r.code != 0 {
		t.Fatalf("A down: %d %s", r.code, r.stderr)
	}
	if s := b.status(); !s.OK {
		t.Errorf("after A's down, B is not ok: %+v", s)
	}
	u := b.up()
	for _, svc := range u.Services {
		if svc.Name == "redis" && (len(svc.Ports) == 0 || svc.Ports[0].HostPort != redisB || svc.Action != "unchanged") {
			t.Errorf("B's plain up moved or touched redis: %+v", svc)
		}
	}
}

// Two up at once in one project, again and again: one stack, one network, both end
// clearly; down --volumes then leaves nothing.
func TestConcurrentUpMakesOneStack(t *testing.T) {
	p := newStackProject(t, "services: {redis: {}}\n")
	api := dockerAPI(t)
	ctx := context.Background()
	for round := range 20 {
		var wg sync.WaitGroup
		results := make([]result, 2)
		for i := range results {
			wg.Go(func() { results[i] = p.run("up", "-o", "json") })
		}
		wg.Wait()
		for i, r := range results {
			if r.code != 0 {
				t.Fatalf("round %d, up %d: exit %d\n%s\n%s", round, i, r.code, r.stdout, r.stderr)
			}
		}
		nets, err := api.NetworkList(ctx, network.ListOptions{Filters: filters.NewArgs(filters.Arg("label", "dev.devstack.project="+p.id()))})
		if err != nil || len(nets) != 1 {
			t.Fatalf("round %d: %d networks (%v), want one", round, len(nets), err)
		}
		if round%5 == 4 { // from nothing again, now and then: the network is made anew
			if r := p.run("down"); r.code != 0 {
				t.Fatalf("down: %s", r.stderr)
			}
		}
	}
	if r := p.run("down", "--volumes"); r.code != 0 {
		t.Fatalf("down --volumes: %s", r.stderr)
	}
	vols, _ := api.VolumeList(ctx, volume.ListOptions{Filters: filters.NewArgs(filters.Arg("label", "dev.devstack.project="+p.id()))})
	nets, _ := api.NetworkList(ctx, network.ListOptions{Filters: filters.NewArgs(filters.Arg("label", "dev.devstack.project="+p.id()))})
	if len(vols.Volumes) != 0 || len(nets) != 0 {
		t.Fatalf("left after down --volumes: %d volumes, %d networks", len(vols.Volumes), len(nets))
	}
}

// A paused container is the project's own: up unpauses it rather than refusing its port.
func TestUpUnpausesAPausedContainer(t *testing.T) {
	p := newStackProject(t, "services: {redis: {}}\n")
	p.up()
	if err := dockerAPI(t).ContainerPause(context.Background(), p.id()+"-redis"); err != nil {
		t.Fatal(err)
	}
	u := p.up()
	if u.Services[0].Action != "unpaused" || !u.Services[0].Ready {
		t.Fatalf("up after pause: %+v", u.Services[0])
	}
}

// A network and a volume with devstack's names, not made by it: up refuses and names
// them, down reports them; both are left as they were.
func TestForeignNetworkAndVolumeAreLeftAlone(t *testing.T) {
	p := newStackProject(t, "services: {postgres: {}}\n")
	api := dockerAPI(t)
	ctx := context.Background()
	netName, volName := p.id()+"-devstack", p.id()+"-postgres-data"
	if _, err := api.VolumeCreate(ctx, volume.CreateOptions{Name: volName}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = api.VolumeRemove(ctx, volName, true) })
	r := p.run("up")
	if r.code == 0 || !strings.Contains(r.stderr, "volume named "+volName+" exists but was not made by devstack") {
		t.Fatalf("up over a foreign volume: exit %d %s", r.code, r.stderr)
	}
	if r := p.run("down", "--volumes"); r.code != 0 || !strings.Contains(r.stdout, volName) || strings.Contains(r.stdout, "removed volume") {
		t.Fatalf("down --volumes: exit %d %s %s", r.code, r.stdout, r.stderr)
	}
	if err := api.VolumeRemove(ctx, volName, true); err != nil {
		t.Fatal(err)
	}
	if _, err := api.NetworkCreate(ctx, netName, network.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = api.NetworkRemove(ctx, netName) })
	r = p.run("up")
	if r.code == 0 || !strings.Contains(r.stderr, "network named "+netName+" exists but was not made by devstack") {
		t.Fatalf("up over a foreign network: exit %d %s", r.code, r.stderr)
	}
	if r := p.run("down"); r.code != 0 || !strings.Contains(r.stdout, "network named "+netName) {
		t.Fatalf("down: exit %d %s %s", r.code, r.stdout, r.stderr)
	}
	if _, err := api.NetworkInspect(ctx, netName, network.InspectOptions{}); err != nil {
		t.Fatalf("the foreign network is gone: %v", err)
	}
}

// .devstack deleted (git clean -xfd) with the volumes still there: up refuses at once,
// before re-creating anything, and says how out; following the fix, up is ready.
func TestNewSecretsOverOldVolumesRefusedAtOnce(t *testing.T) {
	p := newStackProject(t, redisAndPostgres)
	before := p.up()
	if err := os.RemoveAll(filepath.Join(p.dir, ".devstack")); err != nil {
		t.Fatal(err)
	}
	r := p.run("up")
	if r.code == 0 || r.took >= 2*time.Second ||
		!strings.Contains(r.stderr, "restore .devstack/secrets.env or reset these services: devstack down --volumes") ||
		!strings.Contains(r.stderr, p.id()+"-postgres-data") {
		t.Fatalf("up after .devstack was deleted: exit %d in %s\n%s", r.code, r.took, r.stderr)
	}
	t.Logf("refused in %s", r.took)
	c, err := connect(t).Inspect(context.Background(), p.id()+"-postgres")
	if err != nil || c.ID != before.Services[before.byName()["postgres"]].ID {
		t.Fatalf("postgres was re-created or removed: %v", err)
	}
	if r := p.run("down", "--volumes", "postgres", "redis"); r.code != 0 {
		t.Fatalf("the fix: %s", r.stderr)
	}
	p.up()
}

// A container left in "created" (up interrupted between create and start): it is the
// project's own, so up starts it rather than refusing its ports or making another. Made
// here from the running container's own configuration, as the engine would have it.
func TestUpStartsAContainerLeftCreated(t *testing.T) {
	p := newStackProject(t, "services: {redis: {}}\n")
	p.up()
	api := dockerAPI(t)
	ctx := context.Background()
	name := p.id() + "-redis"
	info, err := api.ContainerInspect(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if err := api.ContainerRemove(ctx, name, container.RemoveOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	// The network by name and aliases only: an endpoint's read-back MAC address needs a
	// newer API than Docker 20.10's to be given back.
	endpoints := map[string]*network.EndpointSettings{}
	for net, ep := range info.NetworkSettings.Networks {
		endpoints[net] = &network.EndpointSettings{Aliases: ep.Aliases}
	}
	made, err := api.ContainerCreate(ctx, info.Config, info.HostConfig,
		&network.NetworkingConfig{EndpointsConfig: endpoints}, nil, name)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := api.ContainerInspect(ctx, name); err != nil || c.State.Status != "created" {
		t.Fatalf("the container is not left created: %v %+v", err, c.State)
	}
	u := p.up()
	if s := u.Services[0]; !s.Ready || s.ID != made.ID {
		t.Fatalf("up over a created container: %+v (the created one was %s)", s, made.ID)
	}
	if s := p.status(); !s.OK {
		t.Fatalf("status after: %+v", s)
	}
}

// Ctrl-C while down waits on a container's stop: down exits 130 and says what it removed
// and what is still there, as the engine shows it (the network too, which it had not
// reached); the next down removes the rest. The OpenSearch stand-in ignores SIGTERM, so
// its stop takes the engine's 10 s: the window the interrupt lands in.
func TestDownInterruptedSaysWhatIsLeft(t *testing.T) {
	p := newStackProject(t, "services:\n  opensearch:\n  redis:\n")
	p.up()
	api := dockerAPI(t)
	ctx := context.Background()
	cmd := exec.Command(binary, "down")
	cmd.Dir = p.dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Redis stops at once; then only OpenSearch's stop is under way.
	deadline := time.Now().Add(8 * time.Second)
	for {
		if _, err := api.ContainerInspect(ctx, p.id()+"-redis"); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("redis was not removed within 8 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Fatalf("exit %v\nstdout %s\nstderr %s", err, stdout.String(), stderr.String())
	}
	out := stdout.String()
	if !strings.Contains(out, "removed container "+p.id()+"-redis") ||
		!strings.Contains(out, "still there: container "+p.id()+"-opensearch\n") ||
		!strings.Contains(out, "still there: network "+p.id()+"-devstack\n") {
		t.Fatalf("down did not say what it removed and what is left:\n%s\n%s", out, stderr.String())
	}
	// What it said is left is there.
	if _, err := api.ContainerInspect(ctx, p.id()+"-opensearch"); err != nil {
		t.Fatalf("down said opensearch is still there: %v", err)
	}
	if _, err := api.NetworkInspect(ctx, p.id()+"-devstack", network.InspectOptions{}); err != nil {
		t.Fatalf("down said the network is still there: %v", err)
	}
	if r := p.run("down"); r.code != 0 {
		t.Fatalf("down again: exit %d %s", r.code, r.stderr)
	}
	left, err := api.ContainerList(ctx, container.ListOptions{All: true, Filters: filters.NewArgs(filters.Arg("label", "dev.devstack.project="+p.id()))})
	if err != nil || len(left) != 0 {
		t.Fatalf("after the second down: %d containers left (%v)", len(left), err)
	}
}
