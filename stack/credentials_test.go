package stack

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/internal/configtest"
	"github.com/devstack-dev/devstack/internal/enginetest"
	"github.com/devstack-dev/devstack/services/engine"
)

// New secrets over old data are refused before anything is made; an older volume,
// unlabelled, is not judged.
func TestNewSecretsOverOldVolumesAreRefused(t *testing.T) {
	cfg := configtest.Load(t, "project: p\noffset: 10000\nservices:\n  postgres: {image: \"pg17\"}\n  redis: {image: \"redis:7\"}\n")
	pl := planFor(t, cfg)
	pg, _ := pl.Unit("postgres")
	if pg.Credentials == "" {
		t.Fatal("postgres is given generated credentials, yet the plan identifies none")
	}
	tests := []struct {
		name        string
		credentials string // on the postgres volume; "-" for no volume
		wantRefused bool
	}{
		{"no volume yet", "-", false},
		{"same credentials", pg.Credentials, false},
		{"volume from before the label", "", false},
		{"other credentials", "0123456789abcdef", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := enginetest.New()
			f.LocalImage("pg17", map[string]string{"PG_MAJOR": "17"})
			f.LocalImage("redis:7", nil)
			if tt.credentials != "-" {
				l := labels("p", "postgres")
				if tt.credentials != "" {
					l[engine.LabelCredentials] = tt.credentials
				}
				l[engine.LabelMajor] = "17"
				f.VolumeSet["p-postgres-data"] = &engine.Volume{Name: "p-postgres-data", Labels: l}
			}
			_, err := Up(context.Background(), f, planFor(t, cfg), fixedSecrets{}, UpOptions{NoWait: true})
			var nse *NewSecretsError
			if got := errors.As(err, &nse); got != tt.wantRefused {
				t.Fatalf("refused = %v (err %v), want %v", got, err, tt.wantRefused)
			}
			if !tt.wantRefused {
				return
			}
			if calls := f.CallLog(); calls != "" {
				t.Errorf("refused, yet it did: %s", calls)
			}
			if !strings.Contains(nse.Hint(), "restore .devstack/secrets.env or reset these services: devstack down --volumes postgres ") {
				t.Errorf("hint = %q", nse.Hint())
			}
		})
	}
}
