//go:build e2e

package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/volume"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/state"
)

const redisOnly = "services: {redis: {}}\n"

// clone is another checkout of p's repository: the same devstack.yaml (project name and
// offset), in another directory; its stack is taken down with its data when the test ends.
func (p *stackProject) clone(services string) *stackProject {
	p.t.Helper()
	c := &stackProject{t: p.t, dir: p.t.TempDir(), name: p.name, base: p.base}
	c.write(services)
	p.t.Cleanup(func() {
		if r := c.run("down", "--volumes"); r.code != 0 {
			p.t.Errorf("cleanup: down --volumes in the clone exited %d: %s", r.code, r.stderr)
		}
	})
	return c
}

// redisCLI runs redis-cli, the server's own client, in the container, with the password
// the container was given.
func redisCLI(t *testing.T, ctr string, args ...string) string {
	t.Helper()
	cmd := []string{"sh", "-c", `REDISCLI_AUTH="$REDIS_PASSWORD" exec redis-cli "$@"`, "redis-cli"}
	code, out, err := connect(t).Exec(context.Background(), ctr, append(cmd, args...))
	if err != nil || code != 0 {
		t.Fatalf("redis-cli %s in %s: exit %d, %v: %s", strings.Join(args, " "), ctr, code, err, out)
	}
	return strings.TrimSpace(string(out))
}

// Two clones of one repository (same project name, same ports) side by side: the second
// is refused the first's ports with a hint that leaves the first alone, moves beside it,
// and each keeps its own data; down --project by the shared name refuses and lists both;
// down --volumes in the second leaves the first's containers, volume and data.
func TestTwoClonesKeepTheirData(t *testing.T) {
	a := newStackProject(t, redisOnly)
	b := a.clone(redisOnly)
	if a.id() == b.id() {
		t.Fatalf("both clones are %s", a.id())
	}
	a.up()
	redisCLI(t, a.id()+"-redis", "SET", "clone", "a")

	r := b.run("up")
	realA, _ := filepath.EvalSymlinks(a.dir)
	if r.code != 1 || !strings.Contains(r.stderr, "devstack project "+a.id()+" of the checkout "+realA) ||
		!strings.Contains(r.stderr, "devstack up --auto-offset") {
		t.Fatalf("up in the clone on the same ports: exit %d\n%s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "down") || strings.Contains(r.stderr, "stop what holds") {
		t.Fatalf("the port clash proposes to take the other checkout's stack down:\n%s", r.stderr)
	}
	if r := b.run("up", "--auto-offset"); r.code != 0 {
		t.Fatalf("up --auto-offset in the clone: exit %d\n%s", r.code, r.stderr)
	}
	redisCLI(t, b.id()+"-redis", "SET", "clone", "b")
	if got := redisCLI(t, a.id()+"-redis", "GET", "clone"); got != "a" {
		t.Fatalf("a reads %q, want its own a", got)
	}
	if got := redisCLI(t, b.id()+"-redis", "GET", "clone"); got != "b" {
		t.Fatalf("b reads %q, want its own b", got)
	}

	r = b.run("down", "--volumes", "--project", a.name)
	if r.code != 2 || !strings.Contains(r.stderr, a.id()) || !strings.Contains(r.stderr, b.id()) || !strings.Contains(r.stderr, realA) {
		t.Fatalf("down --project by the shared name: exit %d\n%s", r.code, r.stderr)
	}

	if r := b.run("down", "--volumes"); r.code != 0 || strings.Contains(r.stdout, a.id()) {
		t.Fatalf("down --volumes in the clone: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	api := dockerAPI(t)
	if c, err := api.ContainerInspect(context.Background(), a.id()+"-redis"); err != nil || !c.State.Running {
		t.Fatalf("a's redis after the clone's down --volumes: %v", err)
	}
	if _, err := api.VolumeInspect(context.Background(), a.id()+"-redis-data"); err != nil {
		t.Fatalf("a's volume after the clone's down --volumes: %v", err)
	}
	if got := redisCLI(t, a.id()+"-redis", "GET", "clone"); got != "a" {
		t.Fatalf("a reads %q after the clone's down --volumes, want a", got)
	}
}

// A stack an earlier devstack made (named and labelled by the project name alone) is
// adopted by the checkout whose .devstack/secrets.env gave its volume's credentials, with
// its data, and refused, with the reason, to a clone of the same name, which gets its own.
func TestLegacyStackAdoptedByItsCheckout(t *testing.T) {
	a := newStackProject(t, redisOnly)
	b := a.clone(redisOnly)
	ctx := context.Background()
	api := dockerAPI(t)
	legacyVol := a.name + "-redis-data"
	t.Cleanup(func() { // whatever the test left of the legacy stack
		_ = api.ContainerRemove(ctx, a.name+"-redis", container.RemoveOptions{Force: true})
		_ = api.VolumeRemove(ctx, legacyVol, true)
		_ = api.VolumeRemove(ctx, a.name+"-devstack-owner", true)
	})

	// a's credentials, as an earlier devstack recorded them on the volume it made.
	cfg, err := config.Load(config.Options{Dir: a.dir}) // the environment names the offline images
	if err != nil {
		t.Fatal(err)
	}
	secrets, err := state.LoadSecrets(a.dir)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := plan.New(cfg, secrets)
	if err != nil {
		t.Fatal(err)
	}
	if err := secrets.Save(); err != nil {
		t.Fatal(err)
	}
	redis, _ := pl.Unit("redis")
	if _, err := api.VolumeCreate(ctx, volume.CreateOptions{Name: legacyVol, Labels: map[string]string{
		engine.LabelProject: a.name, engine.LabelService: "redis", engine.LabelCredentials: redis.Credentials}}); err != nil {
		t.Fatal(err)
	}
	seed(t, redis.Spec.Image, legacyVol)

	// The clone runs first, beside where a will (clones may plan other offsets locally).
	var offset int
	if _, err := fmt.Sscanf(strings.SplitN(a.base, "\n", 3)[1], "offset: %d", &offset); err != nil {
		t.Fatal(err)
	}
	r := b.run("up", "--offset", strconv.Itoa(offset+100))
	if r.code != 0 || !strings.Contains(r.stderr, "is not this checkout's") || !strings.Contains(r.stderr, "other credentials") {
		t.Fatalf("up in the clone: exit %d\n%s", r.code, r.stderr)
	}
	if code, out, _ := connect(t).Exec(ctx, b.id()+"-redis", []string{"cat", "/data/legacy"}); code == 0 {
		t.Fatalf("the clone was handed the legacy data: %s", out)
	}

	r = a.run("up")
	if r.code != 0 || !strings.Contains(r.stderr, "adopted the stack an earlier devstack made for project "+a.name) {
		t.Fatalf("up in the legacy stack's checkout: exit %d\n%s", r.code, r.stderr)
	}
	code, out, err := connect(t).Exec(ctx, a.name+"-redis", []string{"cat", "/data/legacy"})
	if err != nil || code != 0 || strings.TrimSpace(string(out)) != "kept" {
		t.Fatalf("the adopted stack's data: exit %d %v %q", code, err, out)
	}
	c, err := api.ContainerInspect(ctx, a.name+"-redis")
	realA, _ := filepath.EvalSymlinks(a.dir)
	if err != nil || c.Config.Labels[engine.LabelCheckout] != realA || c.Config.Hostname != "redis" {
		t.Fatalf("the adopted container: %v %v", c.Config, err)
	}

	// The clone's down --volumes leaves the adopted stack; a's own takes it, record and all.
	if r := b.run("down", "--volumes"); r.code != 0 {
		t.Fatalf("down --volumes in the clone: exit %d\n%s", r.code, r.stderr)
	}
	if _, err := api.VolumeInspect(ctx, legacyVol); err != nil {
		t.Fatalf("the clone's down --volumes took the adopted volume: %v", err)
	}
	if r := a.run("down", "--volumes"); r.code != 0 || !strings.Contains(r.stdout, legacyVol) {
		t.Fatalf("down --volumes in the adopting checkout: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// seed writes /data/legacy into a volume, as the data an earlier devstack's redis kept.
func seed(t *testing.T, image, vol string) {
	t.Helper()
	api := dockerAPI(t)
	ctx := context.Background()
	c, err := api.ContainerCreate(ctx, &container.Config{Image: image, Cmd: []string{"sh", "-c", "echo kept > /data/legacy"}},
		&container.HostConfig{Mounts: []mount.Mount{{Type: mount.TypeVolume, Source: vol, Target: "/data"}}}, nil, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	defer api.ContainerRemove(context.WithoutCancel(ctx), c.ID, container.RemoveOptions{Force: true})
	if err := api.ContainerStart(ctx, c.ID, container.StartOptions{}); err != nil {
		t.Fatal(err)
	}
	waitC, errC := api.ContainerWait(ctx, c.ID, container.WaitConditionNotRunning)
	select {
	case w := <-waitC:
		if w.StatusCode != 0 {
			t.Fatalf("the seed container exited %d", w.StatusCode)
		}
	case err := <-errC:
		t.Fatal(err)
	}
}
