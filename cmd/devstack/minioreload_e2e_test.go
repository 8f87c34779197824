//go:build e2e

package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
)

// A MinIO fixture's load is an idempotent put: a changed file is put again without
// --reset (issue 21), on the real MinIO (the offline image). A file removed from the
// source leaves its object in the bucket, and the run says so, once.
func TestMinIOFixtureChangedObjectIsPutAgain(t *testing.T) {
	p := newStackProject(t, "services:\n  minio:\n")
	objects := filepath.Join(p.dir, "objects")
	write := func(name, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(objects, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(objects, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("readme.txt", "first")
	write("docs/keep.txt", "kept")
	write("old.txt", "to be removed from the source")
	p.base += "fixtures:\n  - {name: files, service: minio, source: ./objects}\n"
	p.write("services:\n  minio:\n")
	p.up()

	type result struct {
		OK       bool `json:"ok"`
		Fixtures []struct {
			Applied []string `json:"applied"`
			Skipped []string `json:"skipped"`
			Changed []string `json:"changed"`
			Removed []string `json:"removed"`
			Note    string   `json:"note"`
			Warning string   `json:"warning"`
		} `json:"fixtures"`
	}
	load := func() result {
		t.Helper()
		r := p.run("fixtures", "-o", "json")
		var res result
		if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || r.code != 0 || !res.OK || len(res.Fixtures) != 1 {
			t.Fatalf("fixtures: exit %d %v\n%s\n%s", r.code, err, r.stdout, r.stderr)
		}
		return res
	}
	if got := load().Fixtures[0]; len(got.Applied) != 3 {
		t.Fatalf("first load: %+v", got)
	}

	write("readme.txt", "second")
	if err := os.Remove(filepath.Join(objects, "old.txt")); err != nil {
		t.Fatal(err)
	}
	got := load().Fixtures[0]
	if !slices.Equal(got.Applied, []string{"readme.txt"}) || len(got.Changed) != 0 || got.Warning != "" ||
		!slices.Equal(got.Skipped, []string{"docs/keep.txt"}) || !slices.Equal(got.Removed, []string{"old.txt"}) ||
		!strings.Contains(got.Note, "stays in minio") || !strings.Contains(got.Note, "devstack fixtures --reset files") {
		t.Fatalf("after a change and a removal: %+v", got)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	env := p.env()
	mc := minioClient(t, env)
	obj, err := mc.GetObject(ctx, env["S3_BUCKET"], "readme.txt", minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(obj)
	obj.Close()
	if err != nil || string(body) != "second" {
		t.Fatalf("readme.txt in the bucket: %q %v; want the changed content", body, err)
	}
	if _, err := mc.StatObject(ctx, env["S3_BUCKET"], "old.txt", minio.StatObjectOptions{}); err != nil {
		t.Fatalf("the object of a file removed from the source: %v; want it left in the bucket", err)
	}

	// Run again: nothing to load, and the removal is not said twice.
	if got := load().Fixtures[0]; len(got.Applied) != 0 || len(got.Removed) != 0 || got.Note != "" {
		t.Fatalf("third run: %+v", got)
	}
	// The text output says the same in words.
	write("readme.txt", "third")
	if r := p.run("fixtures"); r.code != 0 || !strings.Contains(r.stdout, "1 applied") || strings.Contains(r.stdout, "changed") {
		t.Fatalf("text: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}
