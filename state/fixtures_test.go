package state

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/devstack-dev/devstack/output"
)

// Hand-edited or truncated records must never panic (a fixture without files did:
// assignment to entry in nil map).
func TestMalformedFixtureRecord(t *testing.T) {
	tests := []struct {
		file    string
		wantErr bool
	}{
		{"missing-files.json", false},
		{"null-fixture.json", false},
		{"null.json", false},
		{"empty-object.json", false},
		{"not-json.json", true},
		{"array.json", true},
		{"truncated.json", true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "state", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			root := t.TempDir()
			writeState(t, root, "state.json", string(data))
			a, err := LoadApplied(root)
			if tt.wantErr {
				if err == nil || output.HintOf(err) == "" {
					t.Fatalf("err = %v; want an error with a fix", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			data1 := VolumeData("p-postgres", "2024-01-01T00:00:00Z")
			if err := a.Record("seed", "postgres", data1, "001.sql", "abc"); err != nil {
				t.Fatal(err)
			}
			again, err := LoadApplied(root)
			if err != nil {
				t.Fatal(err)
			}
			if d, ok := again.Digest("seed", "postgres", data1, "001.sql"); !ok || d != "abc" {
				t.Fatalf("record not kept: %q %v", d, ok)
			}
		})
	}
}

// A record is about the data it was loaded into: the same volume name made again (a new
// instance), another service or a removed volume means nothing is loaded there.
func TestAppliedFollowsTheData(t *testing.T) {
	old := VolumeData("p-postgres", "2024-01-01T00:00:00Z")
	remade := VolumeData("p-postgres", "2024-02-02T00:00:00Z")
	tests := []struct {
		name    string
		service string
		data    string
		forget  []string // volumes removed by down --volumes
		want    bool
	}{
		{"same data", "postgres", old, nil, true},
		{"volume re-created", "postgres", remade, nil, false},
		{"another service", "mysql", old, nil, false},
		{"container data", "postgres", ContainerData("abc"), nil, false},
		{"volume removed by down", "postgres", old, []string{"p-postgres"}, false},
		{"another volume removed", "postgres", old, []string{"p-minio"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			a, err := LoadApplied(root)
			if err != nil {
				t.Fatal(err)
			}
			if err := a.Record("seed", "postgres", old, "001.sql", "abc"); err != nil {
				t.Fatal(err)
			}
			if err := ForgetVolumes(root, tt.forget); err != nil {
				t.Fatal(err)
			}
			again, err := LoadApplied(root)
			if err != nil {
				t.Fatal(err)
			}
			if _, got := again.Digest("seed", tt.service, tt.data, "001.sql"); got != tt.want {
				t.Fatalf("loaded = %v, want %v", got, tt.want)
			}
		})
	}
}

// A record from before devstack kept identities is taken as the current data's, once,
// and then is stamped with it: a later re-created volume no longer matches.
func TestAppliedAdoptsOldRecords(t *testing.T) {
	root := t.TempDir()
	writeState(t, root, "state.json", `{"fixtures":{"seed":{"service":"postgres","files":{"001.sql":"abc"}}}}`)
	a, err := LoadApplied(root)
	if err != nil {
		t.Fatal(err)
	}
	now := VolumeData("p-postgres", "t1")
	if d, ok := a.Digest("seed", "postgres", now, "001.sql"); !ok || d != "abc" {
		t.Fatalf("old record not taken: %q %v", d, ok)
	}
	if err := a.Adopt("seed", "postgres", now); err != nil {
		t.Fatal(err)
	}
	again, err := LoadApplied(root)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := again.Digest("seed", "postgres", VolumeData("p-postgres", "t2"), "001.sql"); ok {
		t.Fatal("a stamped record still matches a re-created volume")
	}
}
