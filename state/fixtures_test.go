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
			if err := a.Record("seed", "postgres", "001.sql", "abc"); err != nil {
				t.Fatal(err)
			}
			again, err := LoadApplied(root)
			if err != nil || !again.Has("seed", "postgres", "001.sql", "abc") {
				t.Fatalf("record not kept: %v", err)
			}
		})
	}
}
