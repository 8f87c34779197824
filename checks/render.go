package checks

import (
	"fmt"
	"strings"

	"github.com/devstack-dev/devstack/output"
)

// WriteText writes one line per check, aligned, with the fix under each problem, then
// a summary.
func (r *Report) WriteText(w *output.TextWriter) {
	nameW, verW := 0, 0
	for _, c := range r.Checks {
		nameW = max(nameW, len(c.Name))
		verW = max(verW, len(c.Version))
	}
	counts := map[output.Status]int{}
	for _, c := range r.Checks {
		counts[c.Status]++
		line := fmt.Sprintf("%-*s  %-*s", nameW, c.Name, verW, c.Version)
		if c.Constraint != "" {
			line += "  (want " + c.Constraint + ")"
		}
		if c.Path != "" {
			line += "  " + c.Path
		}
		if e := c.Engine; e != nil {
			line += fmt.Sprintf("  (%s, %s)", e.Kind, e.FoundBy)
		}
		w.Item(c.Status, strings.TrimRight(line, " "))
		if c.Message != "" && (c.Status != output.OK || w.Verbose()) {
			w.Detail("why", c.Message)
		}
		if c.Fix != "" {
			w.Detail("fix", c.Fix)
		}
	}
	summary := fmt.Sprintf("%d checks: %d ok, %d warnings, %d failed", len(r.Checks), counts[output.OK], counts[output.Warn], counts[output.Fail])
	if counts[output.Skip] > 0 {
		summary += fmt.Sprintf(", %d skipped", counts[output.Skip])
	}
	w.Line("")
	if r.Note != "" {
		w.Line(r.Note)
	}
	if r.OK {
		w.Line(w.Paint(output.OK, summary))
	} else {
		w.Line(w.Paint(output.Fail, summary))
	}
}
