package stack

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services/engine"
)

// Where an image stands before up creates anything.
const (
	ImageLocal    = "local"    // the engine has it
	ImagePullable = "pullable" // its registry has it
	ImageMissing  = "missing"  // neither: up cannot go on
)

// ImageState is one planned image, checked.
type ImageState struct {
	Image    string   `json:"image"`
	Services []string `json:"services"`
	Env      []string `json:"-"` // the DEVSTACK_IMAGE_<SERVICE> variables that choose it
	State    string   `json:"state"`
	Answer   string   `json:"answer,omitempty"` // the registry's, when missing: not found, denied, unreachable
	Warning  string   `json:"warning,omitempty"`
	Error    string   `json:"error,omitempty"`
	info     *engine.Image
	err      error
}

// ImagesError refuses up before anything is created: these images cannot be had.
type ImagesError struct{ Missing []ImageState }

func (e *ImagesError) Error() string {
	var parts []string
	for _, s := range e.Missing {
		parts = append(parts, fmt.Sprintf("image %s (%s): the registry answered %s: %v",
			s.Image, strings.Join(s.Services, ", "), s.Answer, innerCause(s.err)))
	}
	return strings.Join(parts, "; ")
}

func (e *ImagesError) Unwrap() []error {
	var errs []error
	for _, s := range e.Missing {
		errs = append(errs, s.err)
	}
	return errs
}

// Hint says, per image, how to choose another.
func (e *ImagesError) Hint() string {
	var lines []string
	for _, s := range e.Missing {
		why := "check the name"
		switch s.Answer {
		case engine.AnswerDenied:
			why = "check the name, or log in if it is private (docker login REGISTRY)"
		case engine.AnswerUnreachable:
			why = "check the network and any proxy the engine needs, or load the image by hand (docker load)"
		}
		lines = append(lines, fmt.Sprintf("%s: %s; or use another image: %s=IMAGE, or image: under %s in devstack.yaml",
			s.Image, why, s.Env[0], s.Services[0]))
	}
	return strings.Join(lines, "\n")
}

// innerCause strips the registry error's own prefix, which the message already says.
func innerCause(err error) error {
	var re *engine.RegistryError
	if errors.As(err, &re) {
		return re.Err
	}
	return err
}

// CheckImages finds every planned image locally or at its registry, all at once. It
// creates nothing; an engine that does not answer is the error, not a missing image.
func CheckImages(ctx context.Context, eng Engine, units []plan.Unit, host engine.Platform) ([]ImageState, error) {
	states := imageStates(units)
	var wg sync.WaitGroup
	for i := range states {
		wg.Go(func() { checkImage(ctx, eng, &states[i], host) })
	}
	wg.Wait()
	for _, s := range states {
		if s.err != nil && !isRegistryError(s.err) {
			return states, s.err
		}
	}
	return states, nil
}

// imageStates lists each image once, with the services that use it, in plan order.
func imageStates(units []plan.Unit) []ImageState {
	var states []ImageState
	index := map[string]int{}
	for _, u := range units {
		i, seen := index[u.Spec.Image]
		if !seen {
			i = len(states)
			index[u.Spec.Image] = i
			states = append(states, ImageState{Image: u.Spec.Image})
		}
		states[i].Services = append(states[i].Services, u.Name())
		states[i].Env = append(states[i].Env, u.Service.ImageEnv())
	}
	return states
}

func checkImage(ctx context.Context, eng Engine, s *ImageState, host engine.Platform) {
	img, err := eng.Image(ctx, s.Image)
	if err == nil {
		s.State, s.info = ImageLocal, img
		s.Warning = platformWarning(s, []engine.Platform{{OS: img.OS, Architecture: img.Architecture}}, host)
		return
	}
	if !errors.Is(err, engine.ErrNotFound) {
		s.State, s.err, s.Error = ImageMissing, err, err.Error()
		return
	}
	d, err := eng.Distribution(ctx, s.Image)
	if err != nil {
		s.State, s.err, s.Error = ImageMissing, err, err.Error()
		var re *engine.RegistryError
		if errors.As(err, &re) {
			s.Answer = re.Answer
		}
		return
	}
	s.State = ImagePullable
	s.Warning = platformWarning(s, d.Platforms, host)
}

func isRegistryError(err error) bool {
	var re *engine.RegistryError
	return errors.As(err, &re)
}

// platformWarning says when an image has no build for the engine's platform: the engine
// then runs it under emulation (Apple Silicon, Graviton), slowly.
func platformWarning(s *ImageState, have []engine.Platform, host engine.Platform) string {
	if host.Architecture == "" {
		return ""
	}
	var names []string
	for _, p := range have {
		if p.Architecture == "" || p.OS == "unknown" {
			continue // attestation manifests, and registries that do not say
		}
		if p.Architecture == host.Architecture && (p.OS == "" || p.OS == host.OS) {
			return ""
		}
		names = append(names, p.String())
	}
	if len(names) == 0 {
		return ""
	}
	sort.Strings(names)
	return fmt.Sprintf("image %s has no %s build (only %s): the engine would run it under emulation, which is slow "+
		"(OpenSearch starts about 10× slower) and can crash; use an image built for %s: %s=IMAGE, or image: under %s in devstack.yaml",
		s.Image, host, strings.Join(names, ", "), host, s.Env[0], s.Services[0])
}

// PullEvent is one step of one image's pull, for progress.
type PullEvent struct {
	Image    string              `json:"image"`
	Services []string            `json:"services"`
	Phase    string              `json:"phase"` // start, progress, done, failed, stopped
	Progress engine.PullProgress `json:"progress"`
	Seconds  float64             `json:"seconds,omitempty"`
	Error    string              `json:"error,omitempty"`
}

// Pull phases.
const (
	PullStart    = "start"
	PullProgress = "progress"
	PullDone     = "done"
	PullFailed   = "failed"
	PullStopped  = "stopped" // another image's pull failed, so this one was cancelled
)

// pullMissing pulls every image not yet local, all at once. The first failure cancels
// the others, so that up stops in the time of one failed pull, and is the error.
func pullMissing(ctx context.Context, eng Engine, states []ImageState, progress Progress) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	for i := range states {
		s := &states[i]
		if s.State != ImagePullable {
			continue
		}
		wg.Go(func() {
			began := time.Now()
			ev := PullEvent{Image: s.Image, Services: s.Services, Phase: PullStart}
			progress.Pull(ev)
			err := eng.Pull(ctx, s.Image, func(p engine.PullProgress) {
				ev.Phase, ev.Progress = PullProgress, p
				progress.Pull(ev)
			})
			ev.Seconds = time.Since(began).Seconds()
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ev.Phase = PullDone
			case first != nil && ctx.Err() != nil:
				ev.Phase, ev.Error = PullStopped, "stopped: another image could not be pulled"
			default:
				ev.Phase, ev.Error = PullFailed, err.Error()
				if first == nil {
					first = err
					s.err, s.Error, s.State = err, err.Error(), ImageMissing
					var re *engine.RegistryError
					if errors.As(err, &re) {
						s.Answer = re.Answer
					}
					cancel()
				}
			}
			progress.Pull(ev)
		})
	}
	wg.Wait()
	if first == nil {
		return nil
	}
	for _, s := range states {
		if s.err == first && isRegistryError(first) {
			return &ImagesError{Missing: []ImageState{s}}
		}
	}
	return first
}

// PlannedImages checks the images of every planned service, for doctor: an image does
// not depend on secrets (pl may be made with plan.NoSecrets), and it creates nothing.
func PlannedImages(ctx context.Context, eng Engine, pl *plan.Plan) ([]ImageState, error) {
	host, err := eng.Platform(ctx)
	if err != nil {
		return nil, err
	}
	return CheckImages(ctx, eng, pl.Units, host)
}
