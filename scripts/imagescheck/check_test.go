package main

import (
	"bytes"
	"context"
	"io"
	"log"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// push tags one small image under each tag in an in-process registry.
func push(t *testing.T, host, repo string, tags ...string) {
	t.Helper()
	img, err := random.Image(64, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range tags {
		ref, err := name.NewTag(host + "/" + repo + ":" + tag)
		if err != nil {
			t.Fatal(err)
		}
		if err := remote.Write(ref, img); err != nil {
			t.Fatalf("push %s: %v", ref, err)
		}
	}
}

// The whole check against go-containerregistry's in-process registry, over the
// Registry HTTP API v2 that RemoteList speaks to Docker Hub and quay.io.
func TestCheckAgainstARegistry(t *testing.T) {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	push(t, host, "library/redis", "7", "7.4", "8", "8.2", "9-rc1", "latest")
	push(t, host, "library/mongo", "8.0", "8.2", "8.0.15")
	push(t, host, "library/rabbitmq", "4.2-management", "4.3-management", "4.3", "4.4-rc.1-management")
	push(t, host, "minio/minio", "RELEASE.2025-09-07T16-13-09Z", "RELEASE.2025-04-22T22-12-26Z", "RELEASE.2025-09-07T16-13-09Z-cpuv1")
	push(t, host, "prom/prometheus", "v3.4.0", "v3.5.0", "v3.5.5", "v3.6.0-rc.0", "v3.14.0")
	push(t, host, "opensearchproject/opensearch", "2.19.6", "2.19.5", "3.3.2", "3.4.0-beta1")
	pins := []Pin{
		{"mongodb", host + "/library/mongo:8.0"},
		{"rabbitmq", host + "/library/rabbitmq:4.2-management"},
		{"redis", host + "/library/redis:7"},
		{"minio", host + "/minio/minio:RELEASE.2025-09-07T16-13-09Z"},
		{"prometheus", host + "/prom/prometheus:v3.5.0"},
		{"opensearch", host + "/opensearchproject/opensearch:2.19.6"},
		{"missing", host + "/nobody/nothing:1"},
	}
	rows := Check(context.Background(), pins, RemoteList, 10*time.Second)
	want := map[string]Row{
		"mongodb":    {Pinned: "8.0", Line: "8.0", Newest: "8.2", Status: NewMinor},
		"rabbitmq":   {Pinned: "4.2-management", Line: "4.2-management", Newest: "4.3-management", Status: NewMinor},
		"redis":      {Pinned: "7", Line: "7", Newest: "8", Status: NewMajor},
		"minio":      {Pinned: "RELEASE.2025-09-07T16-13-09Z", Line: "RELEASE.2025-09-07T16-13-09Z", Newest: "RELEASE.2025-09-07T16-13-09Z", Status: Current},
		"prometheus": {Pinned: "v3.5.0", Line: "v3.5.5", Newest: "v3.14.0", Status: Stale},
		"opensearch": {Pinned: "2.19.6", Line: "2.19.6", Newest: "3.3.2", Status: NewMajor},
		"missing":    {Pinned: "1", Status: Failed},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows: %+v", len(rows), rows)
	}
	for _, r := range rows {
		w := want[r.Service]
		if r.Pinned != w.Pinned || r.Line != w.Line || r.Newest != w.Newest || r.Status != w.Status {
			t.Errorf("%s: %+v, want %+v", r.Service, r, w)
		}
		if (r.Error != "") != (w.Status == Failed) {
			t.Errorf("%s: error %q", r.Service, r.Error)
		}
	}
	var out, errOut bytes.Buffer
	render(&out, rows)
	if code := exitCode(rows, &errOut); code != 2 || !strings.Contains(errOut.String(), "nobody/nothing") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
	var answered []Row
	for _, r := range rows {
		if r.Status != Failed {
			answered = append(answered, r)
		}
	}
	if code := exitCode(answered, &errOut); code != 1 {
		t.Errorf("stale pins: exit %d, want 1", code)
	}
	if !strings.Contains(out.String(), "library/redis:7") || !strings.Contains(out.String(), "new major") {
		t.Errorf("table:\n%s", out.String())
	}
}

// With no registry to ask, the check fails with the reason within its timeout: a
// registry that accepts and never answers, and a port where nothing listens.
func TestCheckWithoutARegistryFailsInTime(t *testing.T) {
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, never answered
		}
	}()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := closed.Addr().String()
	closed.Close()

	start := time.Now()
	rows := Check(context.Background(), []Pin{
		{"silent", silent.Addr().String() + "/library/redis:7"},
		{"closed", closedAddr + "/library/redis:7"},
	}, RemoteList, 500*time.Millisecond)
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("took %s with a 500ms timeout", took)
	}
	for _, r := range rows {
		want := map[string]string{"silent": "did not answer within 500ms", "closed": "cannot connect"}[r.Service]
		if r.Status != Failed || !strings.Contains(r.Error, want) {
			t.Errorf("%s: %s %q, want it to say %q", r.Service, r.Status, r.Error, want)
		}
	}
}
