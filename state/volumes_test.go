package state

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/output"
)

func TestReadyVolumes(t *testing.T) {
	const made, remade = "2025-01-01T00:00:00Z", "2025-02-02T00:00:00Z"
	tests := []struct {
		name  string
		steps func(r *ReadyVolumes) error
		vol   string
		at    string
		never bool
	}{
		{"made and never ready", func(r *ReadyVolumes) error { return r.Started("p_pg", made) }, "p_pg", made, true},
		{"made, then ready", func(r *ReadyVolumes) error {
			if err := r.Started("p_pg", made); err != nil {
				return err
			}
			return r.Ready("p_pg", made)
		}, "p_pg", made, false},
		{"same name, made again since", func(r *ReadyVolumes) error { return r.Started("p_pg", made) }, "p_pg", remade, false},
		{"unknown volume is not judged", func(r *ReadyVolumes) error { return r.Ready("p_pg", made) }, "p_pg", made, false},
		{"ready of another volume leaves this one", func(r *ReadyVolumes) error {
			if err := r.Started("p_pg", made); err != nil {
				return err
			}
			return r.Ready("p_redis", made)
		}, "p_pg", made, true},
		{"removed by down --volumes: forgotten", func(r *ReadyVolumes) error {
			if err := r.Started("p_pg", made); err != nil {
				return err
			}
			return r.Forget([]string{"p_pg"})
		}, "p_pg", made, false},
		{"forgetting another volume leaves this one", func(r *ReadyVolumes) error {
			if err := r.Started("p_pg", made); err != nil {
				return err
			}
			return r.Forget([]string{"p_redis"})
		}, "p_pg", made, true},
		{"a record written before instances (created_at) still counts", func(r *ReadyVolumes) error {
			return writeVolumesFile(r.root, `{"p_pg": {"created_at": "`+made+`"}}`)
		}, "p_pg", made, true},
		{"such a record, then ready", func(r *ReadyVolumes) error {
			if err := writeVolumesFile(r.root, `{"p_pg": {"created_at": "`+made+`"}}`); err != nil {
				return err
			}
			return r.Ready("p_pg", made)
		}, "p_pg", made, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			if err := tt.steps(NewReadyVolumes(root)); err != nil {
				t.Fatal(err)
			}
			// A fresh reader: what counts is what is on disk for the next up.
			never, err := NewReadyVolumes(root).NeverReady(tt.vol, tt.at)
			if err != nil || never != tt.never {
				t.Fatalf("NeverReady = %v, %v; want %v", never, err, tt.never)
			}
		})
	}
}

func TestReadyVolumesCorruptFileSaysWhatToDo(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, Dir), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, volumesFile), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := NewReadyVolumes(root).NeverReady("p_pg", "x")
	if err == nil || !strings.Contains(err.Error(), "volumes.json") || !strings.Contains(output.HintOf(err), "delete it") {
		t.Fatalf("err %v, hint %q", err, output.HintOf(err))
	}
}

func writeVolumesFile(root, content string) error {
	if err := os.MkdirAll(filepath.Join(root, Dir), 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(root, volumesFile), []byte(content), 0o600)
}
