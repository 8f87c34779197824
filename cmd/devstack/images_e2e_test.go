//go:build e2e

package main

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
	"github.com/docker/docker/client"
	"github.com/jackc/pgx/v5"
)

// dockerAPI is the raw engine client, for what a test must do behind devstack's back:
// build an image, list what a project left.
func dockerAPI(t *testing.T) *client.Client {
	t.Helper()
	c, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// offlineImage is the image the test environment chose for a service (the offline
// stand-ins on this machine); without one the test cannot run here.
func offlineImage(t *testing.T, variable string) string {
	t.Helper()
	img := os.Getenv(variable)
	if img == "" {
		msg := variable + " is not set: load ~/.cache/devstack-offline/offline-images.env"
		if os.Getenv("DEVSTACK_E2E") == "required" {
			t.Fatal(msg)
		}
		t.Skip("SKIPPED: " + msg)
	}
	return img
}

// buildImage builds, with the engine's build API and no network, an image FROM base
// with the given Dockerfile lines, and removes it when the test ends.
func buildImage(t *testing.T, api *client.Client, tag, dockerfile string) {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := tw.WriteHeader(&tar.Header{Name: "Dockerfile", Mode: 0o644, Size: int64(len(dockerfile))}); err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(tw, dockerfile); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	resp, err := api.ImageBuild(ctx, &buf, build.ImageBuildOptions{Tags: []string{tag}, Remove: true, ForceRemove: true})
	if err != nil {
		t.Fatalf("build %s: %v", tag, err)
	}
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	for {
		var msg struct {
			Error string `json:"error"`
		}
		if err := dec.Decode(&msg); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("build %s: %v", tag, err)
		}
		if msg.Error != "" {
			t.Fatalf("build %s: %s", tag, msg.Error)
		}
	}
	t.Cleanup(func() { _, _ = api.ImageRemove(context.Background(), tag, image.RemoveOptions{Force: true}) })
}

func imageEnv(t *testing.T, api *client.Client, ref, key string) string {
	t.Helper()
	info, err := api.ImageInspect(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range info.Config.Env {
		if k, v, _ := strings.Cut(kv, "="); k == key {
			return v
		}
	}
	t.Fatalf("%s sets no %s", ref, key)
	return ""
}

func queryMark(t *testing.T, env map[string]string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, env["DATABASE_URL"]+"?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var mark string
	if err := conn.QueryRow(ctx, "SELECT mark FROM devstack_e2e_major").Scan(&mark); err != nil {
		t.Fatal(err)
	}
	return mark
}

// A PostgreSQL volume remembers the major that made it: an image of another major is
// refused before anything starts, with both majors named; the old image brings the data
// back; down --volumes postgres deletes postgres's data and nobody else's.
func TestUpRefusesAnotherPostgresMajor(t *testing.T) {
	oldImage := offlineImage(t, "DEVSTACK_IMAGE_POSTGRES")
	offlineImage(t, "DEVSTACK_IMAGE_REDIS")
	p := newStackProject(t, "services:\n  redis:\n  postgres:\n")
	api := dockerAPI(t)
	oldMajor := imageEnv(t, api, oldImage, "PG_MAJOR")

	first := p.up()
	env := p.env()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, env["DATABASE_URL"]+"?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "CREATE TABLE devstack_e2e_major (mark text); INSERT INTO devstack_e2e_major VALUES ('kept')"); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	vol, err := api.VolumeInspect(ctx, p.id()+"-postgres-data")
	if err != nil || vol.Labels["dev.devstack.major"] != oldMajor || vol.Labels["dev.devstack.image"] != oldImage {
		t.Fatalf("volume labels %v (%v), want major %s and image %s", vol.Labels, err, oldMajor, oldImage)
	}

	newImage := "devstack-e2e/postgres-major:" + p.name
	newMajor := "99"
	buildImage(t, api, newImage, fmt.Sprintf("FROM %s\nENV PG_MAJOR=%s\n", oldImage, newMajor))
	pgID := first.Services[first.byName()["postgres"]].ID

	r := invocation{dir: p.dir, extraEnv: []string{"DEVSTACK_IMAGE_POSTGRES=" + newImage}}.run(t, "up")
	if r.code != 1 {
		t.Fatalf("up with another major: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"major version " + oldMajor, "major version " + newMajor, "on-disk format",
		"devstack down --volumes postgres", "pg_dumpall", "DEVSTACK_IMAGE_POSTGRES=" + oldImage} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the refusal does not say %q:\n%s", want, r.stderr)
		}
	}
	// Refused before anything was touched: the same container runs, with the data.
	ctr, err := api.ContainerInspect(ctx, p.id()+"-postgres")
	if err != nil || ctr.ID != pgID || !ctr.State.Running {
		t.Fatalf("postgres was touched by the refused up: %v %+v", err, ctr.State)
	}
	if got := queryMark(t, env); got != "kept" {
		t.Fatalf("data after the refusal: %q", got)
	}

	// The old image, pinned again (here by the environment), comes back with its data.
	if r := p.run("down"); r.code != 0 {
		t.Fatalf("down: %d %s", r.code, r.stderr)
	}
	p.up()
	if got := queryMark(t, env); got != "kept" {
		t.Fatalf("data after coming back on the old image: %q", got)
	}

	// down --volumes postgres removes postgres's container and data only.
	r = p.run("down", "--volumes", "postgres", "-o", "json")
	var down struct {
		Containers []string `json:"containers"`
		Volumes    []string `json:"volumes"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &down); err != nil || r.code != 0 {
		t.Fatalf("down --volumes postgres: exit %d %v %s %s", r.code, err, r.stdout, r.stderr)
	}
	if strings.Join(down.Containers, ",") != p.id()+"-postgres" || strings.Join(down.Volumes, ",") != p.id()+"-postgres-data" {
		t.Fatalf("down --volumes postgres removed %+v", down)
	}
	if _, err := api.VolumeInspect(ctx, p.id()+"-redis-data"); err != nil {
		t.Fatalf("redis's volume went too: %v", err)
	}
	if c, err := api.ContainerInspect(ctx, p.id()+"-redis"); err != nil || !c.State.Running {
		t.Fatalf("redis was stopped: %v", err)
	}
	if r := p.run("down", "--volumes", "nosuchservice"); r.code != 2 {
		t.Fatalf("down with an unknown service: exit %d, want 2: %s", r.code, r.stderr)
	}
}

// An image that exists nowhere fails up at once, naming the image, the registry's answer
// and the override, with nothing created: no container, volume or network.
func TestUpFailsFastOnAMissingImageAndCreatesNothing(t *testing.T) {
	offlineImage(t, "DEVSTACK_IMAGE_POSTGRES")
	p := newStackProject(t, "services:\n  redis:\n  postgres:\n")
	missing := "devstack-e2e/does-not-exist:" + p.name
	r := invocation{dir: p.dir, extraEnv: []string{"DEVSTACK_IMAGE_REDIS=" + missing}}.run(t, "up")
	t.Logf("up refused a missing image in %s", r.took)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"image " + missing + " (redis)", "the registry answered", "DEVSTACK_IMAGE_REDIS=IMAGE", "image: under redis in devstack.yaml"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, r.stderr)
		}
	}
	api := dockerAPI(t)
	ctx := context.Background()
	label := filters.NewArgs(filters.Arg("label", "dev.devstack.project="+p.id()))
	ctrs, err := api.ContainerList(ctx, container.ListOptions{All: true, Filters: label})
	if err != nil {
		t.Fatal(err)
	}
	vols, err := api.VolumeList(ctx, volume.ListOptions{Filters: label})
	if err != nil {
		t.Fatal(err)
	}
	nets, err := api.NetworkList(ctx, network.ListOptions{Filters: label})
	if err != nil {
		t.Fatal(err)
	}
	if len(ctrs)+len(vols.Volumes)+len(nets) != 0 {
		t.Fatalf("a refused up created %d containers, %d volumes, %d networks", len(ctrs), len(vols.Volumes), len(nets))
	}
}
