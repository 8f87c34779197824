package main

import (
	"github.com/devstack-dev/devstack/bootstrap"
	"github.com/devstack-dev/devstack/compose"
	"github.com/devstack-dev/devstack/output"
)

// importReport is what init --from-compose wrote, and what the import could not carry.
type importReport struct {
	*bootstrap.InitReport
	Import *compose.Result `json:"import"`
}

func (r importReport) WriteText(w *output.TextWriter) {
	r.Import.WriteText(w)
	r.InitReport.WriteText(w)
	w.Line("devstack audit " + r.Import.File + " lists what the compose file itself gets wrong")
}
