package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/devstack-dev/devstack/compose"
	"github.com/devstack-dev/devstack/config"
)

func auditCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "audit",
		Usage:     "check a compose file (or the project's devstack.yaml) for open ports, floating or gone images, weak passwords and host access; -o sarif",
		ArgsUsage: "[FILE]",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "fail-on", Value: compose.SevError, Usage: "exit 1 when a finding is at least `LEVEL`: error, warning, note, or none"},
		},
		Description: "FILE is a compose file, checked as the Compose CLI reads it (.env, anchors, extends), each finding at the line\n" +
			"where its value is written; without FILE, or with a devstack.yaml, the project's devstack.yaml as devstack resolves it.\n" +
			"Output: text, -o json, or -o sarif (SARIF 2.1.0, for code scanning). Exit 0 clean, 1 a finding at or above --fail-on,\n" +
			"2 unusable input.",
		Action: func(c *cli.Context) error {
			if c.Args().Len() > 1 {
				return usagef(errors.New("audit checks one file: see 'devstack audit --help'"))
			}
			return runAudit(c.Context, auditOptions{env: e, file: c.Args().First(), failOn: c.String("fail-on")})
		},
	}
}

// auditOptions are audit's argument and flags.
type auditOptions struct {
	env    *env
	file   string
	failOn string
}

func runAudit(ctx context.Context, opts auditOptions) error {
	e := opts.env
	switch opts.failOn {
	case compose.SevError, compose.SevWarning, compose.SevNote, "none":
	default:
		return usagef(fmt.Errorf("--fail-on %q: use error, warning, note or none", opts.failOn))
	}
	var report *compose.AuditReport
	if opts.file == "" || !compose.IsComposeFile(opts.file) {
		// The file as written: DEVSTACK_* in the caller's environment is not the project's.
		cfg, err := config.Load(config.Options{Path: cmpOr(opts.file, e.cfgPath), Getenv: func(string) string { return "" }})
		if err != nil {
			return err
		}
		report = compose.AuditConfig(cfg, opts.failOn)
	} else {
		wd, err := os.Getwd()
		if err != nil {
			return err
		}
		file := opts.file
		if !filepath.IsAbs(file) {
			file = filepath.Join(wd, file)
		}
		if report, err = compose.Audit(ctx, wd, file, opts.failOn); err != nil {
			if errors.Is(err, compose.ErrInput) {
				return usagef(err)
			}
			return err
		}
	}
	var err error
	if e.sarif {
		err = e.printer.Print(compose.SARIF{AuditReport: report})
	} else {
		err = e.printer.Print(report)
	}
	if err != nil {
		return err
	}
	if !report.OK {
		return errSilent
	}
	return nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
