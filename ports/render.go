package ports

import (
	"fmt"

	"github.com/devstack-dev/devstack/output"
)

// WriteText writes the plan as one aligned line per port, then what to do.
func (r *Report) WriteText(w *output.TextWriter) {
	w.Line(fmt.Sprintf("Port plan on %s (offset %d):", r.Bind, r.Offset))
	if r.Warning != "" {
		w.Item(output.Warn, r.Warning)
	}
	svcW, nameW := 0, 0
	for _, s := range r.Ports {
		svcW, nameW = max(svcW, len(s.Service)), max(nameW, len(s.Name))
	}
	held, stacks := 0, 0
	for _, s := range r.Ports {
		verdict, st := string(s.State), output.OK
		switch s.State {
		case Held:
			held++
			verdict, st = "held by "+s.Holder.String(), output.Fail
			if s.Holder.Project != "" {
				stacks++
			}
		case Ours:
			verdict = s.Holder.String()
		}
		w.Item(st, fmt.Sprintf("%-*s  %-*s  %5d  %s", svcW, s.Service, nameW, s.Name, s.Host, verdict))
	}
	w.Line("")
	switch {
	case held > 0 && r.EngineError != "":
		// A held port may be one of this project's containers: without the engine,
		// devstack cannot tell, and the engine is the thing to fix first.
		w.Line(w.Paint(output.Fail, fmt.Sprintf("%d of %d ports held, and devstack cannot tell whether by its own containers: %s", held, len(r.Ports), r.EngineError)))
		if r.EngineFix != "" {
			w.Line("fix: " + r.EngineFix)
		}
	case stacks > 0:
		// Another checkout's stack is its owner's: this one moves, it is never stopped.
		w.Line(w.Paint(output.Fail, fmt.Sprintf("%d of %d ports held, by another checkout's devstack stack among others: leave it running, and use devstack up --auto-offset or devstack ports --suggest", held, len(r.Ports))))
	case held > 0:
		w.Line(w.Paint(output.Fail, fmt.Sprintf("%d of %d ports held by something else: stop it, or run devstack ports --suggest", held, len(r.Ports))))
	default:
		w.Line(w.Paint(output.OK, fmt.Sprintf("all %d ports free", len(r.Ports))))
	}
	if r.Suggestion != nil {
		w.Line(fmt.Sprintf("every port is free at offset %d: devstack up %s (or offset: %d in devstack.yaml)",
			r.Suggestion.Offset, r.Suggestion.Flag, r.Suggestion.Offset))
	}
}
