package main

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/devstack-dev/devstack/bootstrap"
	composepkg "github.com/devstack-dev/devstack/compose"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/userfile"
)

// importReport is what init --from-compose wrote, and what the import could not carry.
type importReport struct {
	*bootstrap.InitReport
	Import *composepkg.Result `json:"import"`
}

func (r importReport) WriteText(w *output.TextWriter) {
	r.Import.WriteText(w)
	r.InitReport.WriteText(w)
	w.Line("devstack audit " + r.Import.File + " lists what the compose file itself gets wrong")
}

// exportOptions are export compose's flags.
type exportOptions struct {
	env  *env
	plan planValues
	file string
}

func runExportCompose(ctx context.Context, opts exportOptions) error {
	e := opts.env
	cfg, err := e.loadPlan(opts.plan, false)
	if err != nil {
		return err
	}
	var file string
	if opts.file != "" {
		if file, err = filepath.Abs(opts.file); err != nil {
			return err
		}
	}
	out, err := composepkg.Export(ctx, cfg, composepkg.ExportOptions{File: file})
	if _, outside := errors.AsType[*userfile.OutsideError](err); outside {
		return usagef(err)
	}
	if err != nil {
		return err
	}
	if file == "" && e.printer.Format() != output.JSON {
		for _, n := range out.Notes { // stdout holds only the compose file
			e.printer.Warn("%s.%s: %s", n.Service, n.Key, n.Message)
		}
	}
	return e.printer.Print(out)
}
