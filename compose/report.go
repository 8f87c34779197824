package compose

import (
	"fmt"
	"strings"

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

// WriteText is the compose file itself, ready to pipe, when it went to stdout; else what
// was written and what did not carry.
func (x *Exported) WriteText(w *output.TextWriter) {
	if x.File == "" {
		for _, line := range strings.Split(strings.TrimSuffix(x.Compose, "\n"), "\n") {
			w.Line(line)
		}
		return
	}
	w.Item(output.OK, "wrote "+x.File)
	for _, n := range x.Notes {
		w.Item(output.Warn, fmt.Sprintf("%s.%s: %s: %s", n.Service, n.Key, n.Kind, n.Message))
	}
	w.Line("run it with: docker compose --env-file .devstack/secrets.env -f " + x.File + " up")
}
