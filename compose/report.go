package compose

import (
	"fmt"

	"github.com/devstack-dev/devstack/output"
)

// WriteText lists what became what, then every note, by service and key.
func (r *Result) WriteText(w *output.TextWriter) {
	for _, m := range r.Services {
		what := "custom service " + m.Devstack
		if m.Builtin {
			what = "built-in " + m.Devstack
		}
		w.Item(output.OK, fmt.Sprintf("%s → %s", m.Compose, what))
	}
	for _, n := range r.Notes {
		st := output.Warn
		if n.Kind == Placed || n.Kind == Renamed {
			st = output.Skip
		}
		where := n.Service
		switch {
		case where == "" && n.Kind == Unset:
			where = "${" + n.Key + "}"
		case n.Key != "":
			where += "." + n.Key
		}
		w.Item(st, fmt.Sprintf("%s: %s: %s", where, n.Kind, n.Message))
	}
}
