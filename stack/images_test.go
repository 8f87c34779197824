package stack

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/internal/configtest"
	"github.com/devstack-dev/devstack/internal/enginetest"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services/engine"
)

// imageUnits are redis and postgres from a config that names their images.
func imageUnits(t *testing.T, redisImage, pgImage string) (*config.Config, []plan.Unit) {
	t.Helper()
	cfg := configtest.Load(t, "project: p\noffset: 10000\nservices:\n  redis: {image: \""+redisImage+"\"}\n  postgres: {image: \""+pgImage+"\"}\n")
	units := make([]plan.Unit, len(cfg.Services))
	for i := range cfg.Services {
		svc := &cfg.Services[i]
		units[i] = plan.Unit{Service: svc, Spec: spec(cfg.Project, svc.Name, svc.Image, svc.Mount)}
	}
	return cfg, units
}

func spec(project, service, image, mount string) engine.ContainerSpec {
	s := engine.ContainerSpec{Name: plan.ContainerName(project, service), Image: image, Labels: labels(project, service)}
	if mount != "" {
		s.Volume, s.Mount = plan.VolumeName(project, service), mount
	}
	return s
}

func TestImagePreflight(t *testing.T) {
	amd64 := []engine.Platform{{OS: "linux", Architecture: "amd64"}}
	tests := []struct {
		name       string
		setup      func(f *enginetest.Fake)
		wantState  string
		wantAnswer string
	}{
		{"present locally", func(f *enginetest.Fake) { f.LocalImage("pg:17", nil) }, ImageLocal, ""},
		{"pullable", func(f *enginetest.Fake) { f.Registry["pg:17"] = &engine.Distribution{Platforms: amd64} }, ImagePullable, ""},
		{"not found", func(*enginetest.Fake) {}, ImageMissing, engine.AnswerNotFound},
		{"denied", func(f *enginetest.Fake) {
			f.RegErr["pg:17"] = &engine.RegistryError{Image: "pg:17", Answer: engine.AnswerDenied, Err: errors.New("pull access denied for pg")}
		}, ImageMissing, engine.AnswerDenied},
		{"unreachable", func(f *enginetest.Fake) {
			f.RegErr["pg:17"] = &engine.RegistryError{Image: "pg:17", Answer: engine.AnswerUnreachable, Err: errors.New("dial tcp: lookup registry-1.docker.io: no such host")}
		}, ImageMissing, engine.AnswerUnreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := enginetest.New()
			f.LocalImage("redis:7", nil)
			tt.setup(f)
			_, units := imageUnits(t, "redis:7", "pg:17")
			states, err := CheckImages(context.Background(), f, units, f.Host)
			if err != nil {
				t.Fatal(err)
			}
			pg := states[1]
			if pg.Image != "pg:17" || pg.State != tt.wantState || pg.Answer != tt.wantAnswer || states[0].State != ImageLocal {
				t.Fatalf("states %+v", states)
			}
		})
	}
}

func TestUpRefusesMissingImagesBeforeCreatingAnything(t *testing.T) {
	cfg := configtest.Load(t, "project: p\noffset: 10000\nservices:\n  redis: {image: \"redis:7\"}\n  postgres: {image: \"nope/postgres:99\"}\n")
	f := enginetest.New()
	f.Registry["redis:7"] = &engine.Distribution{}
	_, err := Up(context.Background(), f, planFor(t, cfg), fixedSecrets{}, UpOptions{})
	var ie *ImagesError
	if !errors.As(err, &ie) || len(ie.Missing) != 1 {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"nope/postgres:99", "(postgres)", "not found"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if hint := ie.Hint(); !strings.Contains(hint, "DEVSTACK_IMAGE_POSTGRES=IMAGE") || !strings.Contains(hint, "image: under postgres in devstack.yaml") {
		t.Errorf("hint %q", hint)
	}
	if got := f.CallLog(); got != "" {
		t.Fatalf("up made or pulled something before refusing: %s", got)
	}
}

func TestFailedPullStopsTheOthers(t *testing.T) {
	_, units := imageUnits(t, "redis:7", "pg:17")
	f := enginetest.New()
	f.Registry["redis:7"], f.Registry["pg:17"] = &engine.Distribution{}, &engine.Distribution{}
	f.PullHold["redis:7"] = make(chan struct{}) // never released: only cancellation ends it
	f.PullErr["pg:17"] = &engine.RegistryError{Image: "pg:17", Answer: engine.AnswerDenied, Err: errors.New("denied")}
	states, err := CheckImages(context.Background(), f, units, f.Host)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recordedPulls{}
	done := make(chan error)
	go func() { done <- pullMissing(context.Background(), f, states, rec) }()
	select {
	case err = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a failed pull did not stop the others")
	}
	var ie *ImagesError
	if !errors.As(err, &ie) || ie.Missing[0].Image != "pg:17" || ie.Missing[0].Answer != engine.AnswerDenied {
		t.Fatalf("err = %v", err)
	}
	if got := rec.final(); got["pg:17"] != PullFailed || got["redis:7"] != PullStopped {
		t.Fatalf("final phases %v", got)
	}
}

type recordedPulls struct {
	NoProgress
	mu     sync.Mutex
	events []PullEvent
}

func (r *recordedPulls) Pull(ev PullEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
}

func (r *recordedPulls) final() map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]string{}
	for _, ev := range r.events {
		out[ev.Image] = ev.Phase
	}
	return out
}

func TestPlatformWarning(t *testing.T) {
	arm := engine.Platform{OS: "linux", Architecture: "arm64"}
	tests := []struct {
		name string
		have []engine.Platform
		host engine.Platform
		warn bool
	}{
		{"amd64 only on arm64", []engine.Platform{{OS: "linux", Architecture: "amd64"}}, arm, true},
		{"multi-arch", []engine.Platform{{OS: "linux", Architecture: "amd64"}, {OS: "linux", Architecture: "arm64"}}, arm, false},
		{"attestations are not platforms", []engine.Platform{{OS: "linux", Architecture: "arm64"}, {OS: "unknown", Architecture: "unknown"}}, arm, false},
		{"registry did not say", nil, arm, false},
		{"amd64 on amd64", []engine.Platform{{OS: "linux", Architecture: "amd64"}}, engine.Platform{OS: "linux", Architecture: "amd64"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &ImageState{Image: "opensearchproject/opensearch:2.19.6", Services: []string{"opensearch"}, Env: []string{"DEVSTACK_IMAGE_OPENSEARCH"}}
			got := platformWarning(s, tt.have, tt.host)
			if (got != "") != tt.warn {
				t.Fatalf("warning %q, want one: %v", got, tt.warn)
			}
			if tt.warn && (!strings.Contains(got, "no linux/arm64 build") || !strings.Contains(got, "emulation") || !strings.Contains(got, "DEVSTACK_IMAGE_OPENSEARCH=IMAGE")) {
				t.Fatalf("warning %q", got)
			}
		})
	}
}

// On an arm64 engine, up says so before it pulls an image built only for amd64.
func TestUpWarnsBeforePullingForeignPlatform(t *testing.T) {
	cfg := configtest.Load(t, "project: p\noffset: 10000\nservices:\n  redis: {image: \"redis:7\"}\n")
	f := enginetest.New()
	f.Host = engine.Platform{OS: "linux", Architecture: "arm64"}
	f.Registry["redis:7"] = &engine.Distribution{Platforms: []engine.Platform{{OS: "linux", Architecture: "amd64"}}}
	f.PullErr["redis:7"] = errors.New("stop here") // the warning must come before the pull
	rec := &orderedProgress{}
	_, _ = Up(context.Background(), f, planFor(t, cfg), fixedSecrets{}, UpOptions{Progress: rec})
	if len(rec.lines) < 2 || !strings.HasPrefix(rec.lines[0], "redis warning: image redis:7 has no linux/arm64 build") ||
		!strings.HasPrefix(rec.lines[1], "pull start") {
		t.Fatalf("progress %q", rec.lines)
	}
}

type orderedProgress struct{ lines []string }

func (o *orderedProgress) Service(name, status string) { o.lines = append(o.lines, name+" "+status) }
func (o *orderedProgress) Pull(ev PullEvent)           { o.lines = append(o.lines, "pull "+ev.Phase) }

// The pipe form of pull progress: a line when each pull starts and ends, nothing between.
func TestPullViewPipeGolden(t *testing.T) {
	streams, _, stderr := output.Test()
	v := &PullView{P: output.NewPrinter(streams, output.Options{}), Every: time.Nanosecond}
	for _, ev := range []PullEvent{
		{Image: "postgres:17", Services: []string{"postgres"}, Phase: PullStart},
		{Image: "quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z", Services: []string{"minio"}, Phase: PullStart},
		{Image: "postgres:17", Services: []string{"postgres"}, Phase: PullProgress, Progress: engine.PullProgress{Layers: 14, LayersDone: 3, Current: 40 << 20, Total: 151 << 20}},
		{Image: "postgres:17", Services: []string{"postgres"}, Phase: PullDone, Seconds: 12.34, Progress: engine.PullProgress{Layers: 14, LayersDone: 14, Current: 151 << 20, Total: 151 << 20}},
		{Image: "quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z", Services: []string{"minio"}, Phase: PullFailed, Seconds: 0.5,
			Error: "image quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z: the registry answered unreachable: dial tcp: lookup quay.io: no such host"},
		{Image: "rabbitmq:4.2-management", Services: []string{"rabbitmq"}, Phase: PullStopped, Seconds: 0.5},
	} {
		v.Pull(ev)
	}
	matchGolden(t, "pull-pipe.golden", stderr.Bytes())
}

// On a terminal, each image keeps one line, rewritten in place.
func TestPullViewTerminalRewritesInPlace(t *testing.T) {
	streams, _, stderr := output.Test()
	streams.ErrTTY = true
	v := &PullView{P: output.NewPrinter(streams, output.Options{NoColor: true}), Every: time.Nanosecond}
	v.Pull(PullEvent{Image: "a:1", Services: []string{"a"}, Phase: PullStart})
	v.Pull(PullEvent{Image: "b:1", Services: []string{"b"}, Phase: PullStart})
	v.Pull(PullEvent{Image: "a:1", Services: []string{"a"}, Phase: PullProgress, Progress: engine.PullProgress{Layers: 2, LayersDone: 1, Current: 1000, Total: 2000}})
	out := stderr.String()
	// The last redraw moves up over both lines, clears, and draws them again.
	last := out[strings.LastIndex(out, "\x1b[2A"):]
	if last != "\x1b[2A\r\x1b[Jpulling a:1 (a): 1/2 layers, 1kB of 2kB\npulling b:1 (b)\n" {
		t.Fatalf("last redraw %q", last)
	}
}

// JSON mode: pull events are JSON lines on stderr; stdout is left to the report.
func TestPullViewJSONEvents(t *testing.T) {
	streams, stdout, stderr := output.Test()
	v := &PullView{P: output.NewPrinter(streams, output.Options{Format: output.JSON})}
	v.Pull(PullEvent{Image: "a:1", Services: []string{"a"}, Phase: PullStart})
	v.Pull(PullEvent{Image: "a:1", Services: []string{"a"}, Phase: PullDone, Seconds: 1})
	if stdout.Len() != 0 {
		t.Fatalf("stdout %q", stdout)
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], `{"event":"pull","image":"a:1","services":["a"],"phase":"start"`) {
		t.Fatalf("events %q", lines)
	}
}
