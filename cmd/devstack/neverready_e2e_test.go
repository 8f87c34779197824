package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/client"
)

// PostgreSQL killed (docker kill) during its first initialisation: the next up names the
// half-made volume and the one-service reset at once, instead of waiting out the
// timeout; following the fix, up is ready.
func TestVolumeKilledDuringFirstInitIsNamed(t *testing.T) {
	p := newStackProject(t, "services: {postgres: {}}\n")
	api, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		t.Fatal(err)
	}
	defer api.Close()
	eng := connect(t)
	ctx := context.Background()
	first := make(chan result, 1)
	go func() { first <- invocation{dir: p.dir}.run(t, "up", "--timeout", "60s") }()

	// Killed as soon as it runs: the entrypoint's initdb takes seconds, so it is mid-way.
	container := p.name + "-postgres"
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := eng.Inspect(ctx, container)
		if err == nil && c.State == "running" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("postgres never started: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := api.ContainerKill(ctx, container, "KILL"); err != nil {
		t.Fatal(err)
	}
	if r := <-first; r.code == 0 {
		t.Fatalf("the first up said ready although postgres was killed:\n%s", r.stderr)
	}

	r := p.run("up", "--timeout", "60s")
	volume := p.name + "-postgres-data"
	if r.code != 1 || r.took >= 10*time.Second || !strings.Contains(r.stderr, volume) ||
		!strings.Contains(r.stderr, "never became ready") || !strings.Contains(r.stderr, "devstack down --volumes postgres") {
		t.Fatalf("up after the kill: exit %d in %s\n%s", r.code, r.took, r.stderr)
	}
	t.Logf("named in %s", r.took)
	if r := p.run("down", "--volumes", "postgres"); r.code != 0 {
		t.Fatalf("the fix: exit %d %s", r.code, r.stderr)
	}
	p.up()
	// Ready now, so remembered: a later up does not judge it again.
	if r := p.run("up"); r.code != 0 {
		t.Fatalf("up after ready: exit %d %s", r.code, r.stderr)
	}
}
