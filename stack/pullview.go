package stack

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/docker/go-units"

	"github.com/devstack-dev/devstack/output"
)

// PullView shows pulls to people through the printer: on a terminal one line per image,
// rewritten in place with layers and bytes; in a pipe a plain line when each pull starts
// and ends; in JSON mode one JSON event per line on stderr (start, end, and progress at
// most once a second).
type PullView struct {
	P *output.Printer
	// Every is how often one image's line or event may be redrawn; 0 means the defaults
	// (a tenth of a second on a terminal, a second in JSON).
	Every time.Duration

	mu   sync.Mutex
	last map[string]time.Time
}

// pullEventJSON is the shape of a pull event on stderr in JSON mode.
type pullEventJSON struct {
	Event string `json:"event"` // always "pull"
	PullEvent
}

// Pull renders one event; safe to call from the goroutines of several pulls.
func (v *PullView) Pull(ev PullEvent) {
	if ev.Phase == PullProgress && !v.due(ev.Image) {
		return
	}
	switch {
	case v.P.Format() == output.JSON:
		v.P.Event(pullEventJSON{Event: "pull", PullEvent: ev})
	case v.P.Interactive():
		v.P.Live("pull "+ev.Image, pullLine(ev))
	case ev.Phase != PullProgress:
		v.P.Progress("%s", pullLine(ev))
	}
}

// due reports whether an image's progress may be shown again now.
func (v *PullView) due(image string) bool {
	every := v.Every
	if every == 0 {
		every = 100 * time.Millisecond
		if v.P.Format() == output.JSON {
			every = time.Second
		}
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.last == nil {
		v.last = map[string]time.Time{}
	}
	if now := time.Now(); now.Sub(v.last[image]) >= every {
		v.last[image] = now
		return true
	}
	return false
}

// pullLine is one image's line: the same words on a terminal and in a pipe, so that a
// script reading the pipe sees what a person sees.
func pullLine(ev PullEvent) string {
	who := "(" + strings.Join(ev.Services, ", ") + ")"
	p := ev.Progress
	switch ev.Phase {
	case PullStart:
		return fmt.Sprintf("pulling %s %s", ev.Image, who)
	case PullProgress:
		return fmt.Sprintf("pulling %s %s: %d/%d layers, %s of %s", ev.Image, who, p.LayersDone, p.Layers,
			size(p.Current), size(p.Total))
	case PullDone:
		return fmt.Sprintf("pulled  %s %s in %.1fs: %d layers, %s", ev.Image, who, ev.Seconds, p.Layers, size(p.Total))
	case PullStopped:
		return fmt.Sprintf("stopped %s %s: another image could not be pulled", ev.Image, who)
	}
	return fmt.Sprintf("failed  %s %s after %.1fs: %s", ev.Image, who, ev.Seconds, ev.Error)
}

func size(n int64) string { return units.HumanSizeWithPrecision(float64(n), 3) }
