package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// exportCommand writes the project's stack as another tool's files. The word after export
// names the tool; each has its own flag for where to write, refused with the other.
func exportCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "export",
		Usage:     "write the project's stack as another tool's files: a compose file, or Kubernetes manifests",
		ArgsUsage: "compose|kubernetes",
		Flags: append(planFlags(),
			&cli.StringFlag{Name: "file", Usage: "compose: write it to `FILE` inside the project (default: print it)"},
			&cli.StringFlag{Name: "dir", Value: "devstack-kubernetes", Usage: "kubernetes: the directory to write the manifests and kustomization.yaml to"},
		),
		Action: func(c *cli.Context) error {
			what := "compose|kubernetes"
			if c.Args().Len() == 1 {
				what = c.Args().First()
			}
			switch what {
			case "compose":
				if c.IsSet("dir") {
					return usagef(errors.New("--dir is for export kubernetes; a compose file goes to --file FILE"))
				}
				return runExportCompose(c.Context, exportOptions{env: e, plan: planFrom(c), file: c.String("file")})
			case "kubernetes":
				if c.IsSet("file") {
					return usagef(errors.New("--file is for export compose; manifests go to --dir DIR"))
				}
				if c.IsSet("offset") || c.IsSet("bind") {
					return usagef(errors.New("--offset and --bind place ports on this machine; the manifests publish none"))
				}
				return runExportKubernetes(c, e)
			}
			return usagef(errors.New("say what to export: devstack export compose [--file FILE], or devstack export kubernetes [--dir DIR]"))
		},
	}
}
