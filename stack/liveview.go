package stack

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/devstack-dev/devstack/output"
)

// LiveView is up's and bootstrap's progress for people. On a terminal each service keeps
// one line at the bottom of the screen, rewritten in place with a spinner, its state and
// the seconds since it started, and ending as ✓ or ✗; a warning is printed once, above the
// block. In a pipe each step is a plain line, as before; in JSON mode services say nothing
// and pulls are JSON events (PullView).
type LiveView struct {
	*PullView
	P *output.Printer
	// Every is how often the spinners and clocks move; 0 means a tenth of a second.
	Every time.Duration

	mu      sync.Mutex
	lines   map[string]*liveService
	order   []string
	warned  map[string]bool
	frame   int
	stop    chan struct{}
	stopped chan struct{}
}

type liveService struct {
	status string
	since  time.Time
	took   time.Duration
	mark   string // "" while it runs, then ✓ or ✗
}

// NewLiveView builds the view of one command's progress.
func NewLiveView(p *output.Printer) *LiveView {
	return &LiveView{P: p, PullView: &PullView{P: p}}
}

var spinner = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// stepStart is what bootstrap says when one of its steps begins.
const stepStart = "…"

// Service renders one step of one service; safe from several goroutines.
func (v *LiveView) Service(name, status string) {
	if v.P.Format() == output.JSON {
		return
	}
	if !v.P.Interactive() {
		v.P.Progress("%-12s %s", name, status)
		return
	}
	if status == stepStart {
		// Bootstrap's steps say only when they begin; its summary lists each with its
		// time, so on a terminal the live block keeps to the services.
		return
	}
	if w, ok := strings.CutPrefix(status, "warning: "); ok {
		v.mu.Lock()
		if v.warned == nil {
			v.warned = map[string]bool{}
		}
		seen := v.warned[name+"\x00"+w]
		v.warned[name+"\x00"+w] = true
		v.mu.Unlock()
		if !seen {
			v.P.Warn("%s: %s", name, w)
		}
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.lines == nil {
		v.lines = map[string]*liveService{}
	}
	now := time.Now()
	l := v.lines[name]
	if l == nil || l.mark != "" {
		if l == nil {
			v.order = append(v.order, name)
		}
		l = &liveService{since: now}
		v.lines[name] = l
	}
	l.status = status
	switch {
	case strings.HasPrefix(status, "ready in"):
		l.mark = "✓"
	case strings.HasPrefix(status, "failed"):
		// Why goes in the summary, whole: a long line here would wrap and break the
		// block's count of its own lines.
		l.mark, l.took, l.status = "✗", now.Sub(l.since), "failed"
	}
	v.draw(name)
	if v.stop == nil {
		v.tick()
	}
}

// tick moves the spinners and clocks until Close. Called with mu held.
func (v *LiveView) tick() {
	every := v.Every
	if every == 0 {
		every = 100 * time.Millisecond
	}
	v.stop, v.stopped = make(chan struct{}), make(chan struct{})
	go func(stop, stopped chan struct{}) {
		defer close(stopped)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				v.mu.Lock()
				v.frame++
				for _, k := range v.order {
					if v.lines[k].mark == "" {
						v.draw(k)
					}
				}
				v.mu.Unlock()
			}
		}
	}(v.stop, v.stopped)
}

// draw sets one service's line. Called with mu held.
func (v *LiveView) draw(name string) {
	l := v.lines[name]
	switch {
	case l.mark == "✓" && strings.HasPrefix(l.status, "ready in"):
		// "ready in 1.23s" already says how long it took.
		v.P.Live("svc "+name, fmt.Sprintf("%s %-12s %s", l.mark, name, l.status))
	case l.mark != "":
		v.P.Live("svc "+name, fmt.Sprintf("%s %-12s %s  %.0fs", l.mark, name, l.status, l.took.Seconds()))
	default:
		v.P.Live("svc "+name, fmt.Sprintf("%s %-12s %s  %.0fs", spinner[v.frame%len(spinner)], name, l.status,
			time.Since(l.since).Seconds()))
	}
}

// Close stops the clocks and leaves the block on the screen as it stands, so that the
// summary is written below it. A line still running stays with its last state.
func (v *LiveView) Close() {
	v.mu.Lock()
	stop, stopped := v.stop, v.stopped
	v.stop = nil
	v.mu.Unlock()
	if stop != nil {
		close(stop)
		<-stopped
	}
	v.mu.Lock()
	for _, k := range v.order {
		if l := v.lines[k]; l.mark == "" {
			l.mark, l.took = "-", time.Since(l.since)
			v.draw(k)
		}
	}
	v.mu.Unlock()
	v.P.EndLive()
}
