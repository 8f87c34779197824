package main

import (
	"regexp"
	"strings"

	"github.com/urfave/cli/v2"
)

// examples are shown under each command's --help: the ways people actually call it.
var examples = map[string][]string{
	"doctor":     {"devstack doctor", "devstack doctor --output json | jq '.checks[] | select(.status==\"fail\")'", "devstack doctor --timeout 30s"},
	"ports":      {"devstack ports", "devstack ports --suggest", "devstack ports --offset 100 --output json"},
	"up":         {"devstack up", "devstack up redis postgres", "devstack up --offset 100 --timeout 5m"},
	"status":     {"devstack status", "devstack status --output json"},
	"logs":       {"devstack logs postgres", "devstack logs rabbitmq --tail 50 --follow"},
	"env":        {"devstack env > .env", "eval \"$(devstack env --format shell)\"", "devstack env --format json", "devstack env --format frappe"},
	"down":       {"devstack down --volumes postgres", "devstack down --volumes", "devstack down --project myrepo"},
	"bootstrap":  {"devstack bootstrap", "devstack bootstrap --skip-doctor --output json"},
	"fixtures":   {"devstack fixtures", "devstack fixtures records --force", "devstack fixtures --reset records"},
	"init":       {"devstack init", "devstack init --preset frappe", "devstack init --list-presets", "devstack init --from-machine", "devstack init --from-compose docker-compose.yml"},
	"export":     {"devstack export compose", "devstack export compose --file compose.devstack.yaml", "devstack export compose -o json", "devstack export kubernetes --dir deploy/devstack"},
	"audit":      {"devstack audit docker-compose.yml", "devstack audit docker-compose.yml -o sarif > devstack.sarif", "devstack audit --fail-on warning", "devstack audit"},
	"completion": {"eval \"$(devstack completion bash)\"", "devstack completion zsh > \"${fpath[1]}/_devstack\""},
}

// describe adds a command's examples to its help.
func describe(c *cli.Command) {
	ex := examples[c.Name]
	if len(ex) == 0 {
		return
	}
	text := "Examples:\n  " + strings.Join(ex, "\n  ")
	if c.Description != "" {
		text = c.Description + "\n\n" + text
	}
	c.Description = text
}

var defaultInUsage = regexp.MustCompile(`\s*\(default:? ([^)]*)\)$`)

// showDefaultsOnce moves a default written into a flag's usage into the place urfave
// shows defaults, so help says "(default: each service's own)" once instead of adding a
// misleading "(default: 0s)" of its own after it.
func showDefaultsOnce(flags []cli.Flag) {
	for _, f := range flags {
		switch f := f.(type) {
		case *cli.DurationFlag:
			f.Usage, f.DefaultText = splitDefault(f.Usage, f.DefaultText)
		case *cli.IntFlag:
			f.Usage, f.DefaultText = splitDefault(f.Usage, f.DefaultText)
		case *cli.StringFlag:
			f.Usage, f.DefaultText = splitDefault(f.Usage, f.DefaultText)
		}
	}
}

func splitDefault(usage, def string) (string, string) {
	m := defaultInUsage.FindStringSubmatchIndex(usage)
	if m == nil || def != "" {
		return usage, def
	}
	return usage[:m[0]], usage[m[2]:m[3]]
}
