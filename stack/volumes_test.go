package stack

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/internal/configtest"
	"github.com/devstack-dev/devstack/internal/enginetest"
	"github.com/devstack-dev/devstack/services/engine"
)

func TestVolumeVersionGuard(t *testing.T) {
	const vol = "p-postgres-data"
	labelled := func(image, major string) func(f *enginetest.Fake) {
		return func(f *enginetest.Fake) {
			f.VolumeSet[vol] = &engine.Volume{Name: vol, Labels: map[string]string{engine.LabelProject: "p", engine.LabelService: "postgres", engine.LabelImage: image, engine.LabelMajor: major}}
		}
	}
	tests := []struct {
		name      string
		image     string // the configured postgres image, local, with PG_MAJOR=17 unless major says otherwise
		major     string
		setup     func(f *enginetest.Fake)
		have      *engine.Container
		refused   string // words the refusal must hold; "" when up goes on
		warning   string
		wantReads int
	}{
		{name: "no volume yet", image: "pg17", setup: func(*enginetest.Fake) {}},
		{name: "same major", image: "pg17", setup: labelled("postgres:17.2", "17")},
		{name: "other major", image: "pg17", setup: labelled("postgres:15", "15"),
			refused: "volume p-postgres-data holds data written by major version 15 (postgres:15), but the configured image pg17 is major version 17"},
		{name: "unlabelled, PG_VERSION read from the volume", image: "pg17", wantReads: 1, setup: func(f *enginetest.Fake) {
			f.VolumeSet[vol] = &engine.Volume{Name: vol, Labels: labels("p", "postgres")} // the project's, from before image labels
			f.Files[vol+"/PG_VERSION"] = []byte("15\n")
		}, refused: "written by major version 15, but"},
		{name: "unlabelled, same PG_VERSION", image: "pg17", wantReads: 1, setup: func(f *enginetest.Fake) {
			f.VolumeSet[vol] = &engine.Volume{Name: vol, Labels: labels("p", "postgres")} // the project's, from before image labels
			f.Files[vol+"/PG_VERSION"] = []byte("17\n")
		}},
		// From 18 the volume is /var/lib/postgresql and PG_VERSION sits in MAJOR/docker
		// (docker-library/postgres 18): the guard reads it there, for each major.
		{name: "unlabelled 18 volume, image 17", image: "pg17", wantReads: 1, setup: func(f *enginetest.Fake) {
			f.VolumeSet[vol] = &engine.Volume{Name: vol, Labels: labels("p", "postgres")}
			f.Files[vol+"/18/docker/PG_VERSION"] = []byte("18\n")
		}, refused: "written by major version 18, but the configured image pg17 is major version 17"},
		{name: "unlabelled 18 volume, image 19", image: "pg19", major: "19", wantReads: 1, setup: func(f *enginetest.Fake) {
			f.VolumeSet[vol] = &engine.Volume{Name: vol, Labels: labels("p", "postgres")}
			f.Files[vol+"/18/docker/PG_VERSION"] = []byte("18\n")
		}, refused: "written by major version 18, but the configured image pg19 is major version 19"},
		{name: "unlabelled 17 volume (root), image 18", image: "pg18", major: "18", wantReads: 1, setup: func(f *enginetest.Fake) {
			f.VolumeSet[vol] = &engine.Volume{Name: vol, Labels: labels("p", "postgres")}
			f.Files[vol+"/PG_VERSION"] = []byte("17\n")
		}, refused: "written by major version 17, but the configured image pg18 is major version 18"},
		{name: "unlabelled 18 volume, image 18", image: "pg18", major: "18", wantReads: 1, setup: func(f *enginetest.Fake) {
			f.VolumeSet[vol] = &engine.Volume{Name: vol, Labels: labels("p", "postgres")}
			f.Files[vol+"/18/docker/PG_VERSION"] = []byte("18\n")
		}},
		{name: "unlabelled 18 volume upgraded in place to 19, image 19", image: "pg19", major: "19", wantReads: 1, setup: func(f *enginetest.Fake) {
			f.VolumeSet[vol] = &engine.Volume{Name: vol, Labels: labels("p", "postgres")}
			f.Files[vol+"/18/docker/PG_VERSION"] = []byte("18\n")
			f.Files[vol+"/19/docker/PG_VERSION"] = []byte("19\n")
		}},
		{name: "unlabelled, told by the previous container's image", image: "pg17", wantReads: 1, setup: func(f *enginetest.Fake) {
			f.VolumeSet[vol] = &engine.Volume{Name: vol, Labels: labels("p", "postgres")} // the project's, from before image labels
			f.LocalImage("postgres:16", map[string]string{"PG_MAJOR": "16"})
		}, have: &engine.Container{Name: "p-postgres", Image: "postgres:16"}, refused: "written by major version 16 (postgres:16)"},
		{name: "unlabelled, nothing tells: accepted with a warning", image: "pg17", wantReads: 1, setup: func(f *enginetest.Fake) {
			f.VolumeSet[vol] = &engine.Volume{Name: vol, Labels: labels("p", "postgres")} // the project's, from before image labels
		}, warning: "cannot tell which version of postgres wrote volume p-postgres-data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := configtest.Load(t, "project: p\noffset: 10000\nservices:\n  postgres: {image: \""+tt.image+"\"}\n  redis:\n")
			f := enginetest.New()
			if tt.major == "" {
				tt.major = "17"
			}
			f.LocalImage(tt.image, map[string]string{"PG_MAJOR": tt.major})
			tt.setup(f)
			_, units := unitsFor(t, cfg)
			images := map[string]*engine.Image{tt.image: f.Images[tt.image]}
			have := make([]*engine.Container, len(units))
			for i, u := range units {
				if u.Name() == "postgres" {
					have[i] = tt.have
				}
			}
			vols, err := inspectVolumes(context.Background(), f, units)
			if err != nil {
				t.Fatal(err)
			}
			warnings, err := checkVolumes(context.Background(), f, units, vols, images, have)
			var vm *VersionMismatchError
			switch {
			case tt.refused == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.refused != "" && (!errors.As(err, &vm) || !strings.Contains(err.Error(), tt.refused)):
				t.Fatalf("err = %v, want it to say %q", err, tt.refused)
			}
			if vm != nil {
				hint := vm.Hint()
				for _, want := range []string{"devstack down --volumes postgres", "DEVSTACK_IMAGE_POSTGRES=", "pg_dumpall"} {
					if !strings.Contains(hint, want) {
						t.Errorf("hint %q lacks %q", hint, want)
					}
				}
			}
			if got := strings.Join(warnings["postgres"], " "); !strings.Contains(got, tt.warning) || (tt.warning == "") != (got == "") {
				t.Errorf("warnings %q, want %q", got, tt.warning)
			}
			if reads := strings.Count(f.CallLog(), "read "); reads != tt.wantReads {
				t.Errorf("%d reads of the volume, want %d: %s", reads, tt.wantReads, f.CallLog())
			}
		})
	}
}

// A refused up creates nothing: no network, no volume, no container.
func TestUpRefusesOtherMajorBeforeCreatingAnything(t *testing.T) {
	cfg := configtest.Load(t, "project: p\noffset: 10000\nservices:\n  postgres: {image: \"pg17\"}\n  redis: {image: \"redis:7\"}\n")
	f := enginetest.New()
	f.LocalImage("pg17", map[string]string{"PG_MAJOR": "17"})
	f.LocalImage("redis:7", nil)
	f.VolumeSet["p-postgres-data"] = &engine.Volume{Name: "p-postgres-data", Labels: map[string]string{engine.LabelProject: "p", engine.LabelService: "postgres", engine.LabelMajor: "15", engine.LabelImage: "postgres:15"}}
	_, err := Up(context.Background(), f, planFor(t, cfg), fixedSecrets{}, UpOptions{})
	if !errors.As(err, new(*VersionMismatchError)) {
		t.Fatalf("err = %v", err)
	}
	if got := f.CallLog(); got != "" {
		t.Fatalf("up made something before refusing: %s", got)
	}
}

// A new volume is labelled with its image and major; PostgreSQL 18 is mounted where it
// keeps its data.
func TestNewVolumesAreLabelledAndMountFollowsMajor(t *testing.T) {
	cfg := configtest.Load(t, "project: p\noffset: 10000\nservices:\n  postgres: {image: \"postgres:18\"}\n")
	f := enginetest.New()
	f.LocalImage("postgres:18", map[string]string{"PG_MAJOR": "18"})
	_, units := unitsFor(t, cfg)
	if _, err := prepare(context.Background(), f, config.Identity{ID: "p", Name: "p"}, units, []*engine.Container{nil}, []*engine.Volume{nil}, NoProgress{}); err != nil {
		t.Fatal(err)
	}
	v := f.VolumeSet["p-postgres-data"]
	if v == nil || v.Labels[engine.LabelImage] != "postgres:18" || v.Labels[engine.LabelMajor] != "18" || v.Labels[engine.LabelService] != "postgres" {
		t.Fatalf("volume %+v", v)
	}
	if units[0].Spec.Mount != "/var/lib/postgresql" {
		t.Fatalf("mount %q", units[0].Spec.Mount)
	}
}
