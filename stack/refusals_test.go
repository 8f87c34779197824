package stack

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/enginecache"
	"github.com/devstack-dev/devstack/internal/configtest"
	"github.com/devstack-dev/devstack/internal/enginetest"
	"github.com/devstack-dev/devstack/services/engine"
)

// upOpenSearch runs up --no-wait of redis and opensearch on a fresh fake engine that
// refuses raised ulimits, remembering in cache, and returns the engine and the report.
func upOpenSearch(t *testing.T, cache Refusals) (*enginetest.Fake, *UpReport) {
	t.Helper()
	cfg := configtest.Load(t, "project: p\noffset: 10000\nservices:\n  redis:\n  opensearch:\n")
	pl := planFor(t, cfg)
	f := enginetest.New()
	for _, u := range pl.Units {
		f.LocalImage(u.Spec.Image, nil)
	}
	f.RefuseUlimits = true
	report, err := Up(context.Background(), f, pl, fixedSecrets{}, UpOptions{NoWait: true, Refusals: cache})
	if err != nil || !report.OK {
		t.Fatalf("up: %v %+v", err, report)
	}
	return f, report
}

func opensearchCalls(f *enginetest.Fake) []string {
	var out []string
	for _, c := range strings.Split(f.CallLog(), "; ") {
		if strings.HasSuffix(c, " p-opensearch") && !strings.HasPrefix(c, "volume") {
			out = append(out, c)
		}
	}
	return out
}

// The engine refuses the ulimits once; from then on up creates the container without
// them at once, on that engine only.
func TestUlimitsRefusalIsRememberedPerEngine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "devstack", enginecache.FileName)
	identify := func(id string) enginecache.Identify {
		return func(context.Context) (string, string, error) { return id, "20.10.24", nil }
	}
	retried := []string{"create p-opensearch", "start p-opensearch", "remove p-opensearch", "create p-opensearch", "start p-opensearch"}
	once := []string{"create p-opensearch", "start p-opensearch"}
	tests := []struct {
		name      string
		engine    string
		wantCalls []string
	}{
		{"first up on engine A: refused, removed, created again", "A", retried},
		{"next up on engine A: created once, without them", "A", once},
		{"engine B: tries them again", "B", retried},
		{"engine A still remembered", "A", once},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, report := upOpenSearch(t, enginecache.New(path, identify(tt.engine)))
			if got := opensearchCalls(f); !slices.Equal(got, tt.wantCalls) {
				t.Fatalf("calls %q, want %q", got, tt.wantCalls)
			}
			c := f.Containers["p-opensearch"]
			wanted := planFor(t, configtest.Load(t, "project: p\noffset: 10000\nservices:\n  redis:\n  opensearch:\n")).Units[1].Spec.Hash()
			if f.Specs["p-opensearch"].Ulimits != nil || c.Labels[engine.LabelDegraded] != "ulimits" || c.Labels[engine.LabelSpec] != wanted {
				t.Fatalf("container without ulimits expected, labelled as the wanted spec; got %v %v", f.Specs["p-opensearch"].Ulimits, c.Labels)
			}
			var os ServiceResult
			for _, r := range report.Services {
				if r.Name == "opensearch" {
					os = r
				}
			}
			if os.Action != Created || len(os.Warnings) != 1 || os.Warnings[0] != ulimitsWarning {
				t.Fatalf("opensearch result %+v", os)
			}
		})
	}
}

// Without a memory, up behaves as it always did: it tries the ulimits every time.
func TestNoRefusalsTriesEveryTime(t *testing.T) {
	for range 2 {
		f, _ := upOpenSearch(t, nil)
		if got := opensearchCalls(f); len(got) != 5 {
			t.Fatalf("calls %q", got)
		}
	}
}
