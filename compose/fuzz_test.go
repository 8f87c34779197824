package compose

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzSeeds are the corpus files and the hostile shapes: what a repository can hand
// import and audit.
func fuzzSeeds(f *testing.F) {
	for _, p := range []string{"testdata/invenio/docker-services.yml", "testdata/frappe/pwd.yml", "testdata/monitoring/docker-compose.yml", "testdata/anchors/compose.yml"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add("services:\n  a:\n    image: \"--privileged\"\n    healthcheck: {test: [CMD, \"{secret:X}\"]}\n")
	f.Add("services:\n  a:\n    image: alpine:3\n    healthcheck: {test: [CMD-SHELL, \"true\"]}\n    environment: {\"A=B\": \"x\\ny\"}\n    ports: [\"0:0\"]\n")
	f.Add("x: &a [*a]\nservices: {}\n")
}

// Whatever the file, import never panics, refuses with ErrInput (exit 2) or writes a
// devstack.yaml config.Load accepts (FromLoaded checks it; any other error is a bug).
// Each run loads compose-go with its schema and devstack.yaml several times: about one
// input a second under the fuzzer, so CI's short pass mostly replays the seeds.
func FuzzImport(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, compose string) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "compose.yml"), []byte(compose), 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := Import(context.Background(), dir, "compose.yml")
		if err != nil {
			if !errors.Is(err, ErrInput) {
				t.Fatalf("not a refusal of the input: %v", err)
			}
			return
		}
		if err := tryLoad(r.YAML); err != nil {
			t.Fatalf("the devstack.yaml does not load: %v\n%s", err, r.YAML)
		}
	})
}

// Whatever the file, audit never panics, and every finding has a place and a known rule.
func FuzzAudit(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, compose string) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "compose.yml"), []byte(compose), 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := Audit(context.Background(), dir, "compose.yml", SevError)
		if err != nil {
			if !errors.Is(err, ErrInput) {
				t.Fatalf("not a refusal of the input: %v", err)
			}
			return
		}
		for _, fd := range r.Findings {
			if fd.Line < 1 || fd.Column < 1 || strings.HasPrefix(fd.File, "..") || rule(fd.Rule).ID == "" {
				t.Fatalf("finding %+v", fd)
			}
		}
	})
}
