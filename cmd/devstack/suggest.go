package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/devstack-dev/devstack/output"
)

// commandAliases are the names people type for a command from other tools' habits
// (docker compose stop/start, brew doctor's "check"): each answers with devstack's own.
var commandAliases = map[string]string{
	"stop":    "down",
	"start":   "up",
	"check":   "doctor",
	"ps":      "status",
	"log":     "logs",
	"setup":   "bootstrap",
	"seed":    "fixtures",
	"fixture": "fixtures",
}

// suggestCommand returns the command the user most likely meant by typed, or "".
func suggestCommand(cmds []*cli.Command, typed string) string {
	if to, ok := commandAliases[strings.ToLower(typed)]; ok {
		return to
	}
	var names []string
	for _, c := range cmds {
		names = append(names, c.Names()...)
	}
	if best := closest(names, typed); best != "" {
		// An alias of a command answers with the command's own name.
		for _, c := range cmds {
			if c.HasName(best) {
				return c.Name
			}
		}
	}
	return ""
}

// suggestFlag returns the flag (without dashes) the user most likely meant, among the
// command's own flags and the global ones, or "".
func suggestFlag(flags []cli.Flag, typed string) string {
	var names []string
	for _, f := range append(append([]cli.Flag{}, flags...), globalFlags()...) {
		for _, n := range f.Names() {
			if len(n) > 1 { // a one-letter alias is never what a typo was aiming at
				names = append(names, n)
			}
		}
	}
	return closest(names, typed)
}

// closest is the candidate nearest to typed by edit distance (a transposition counts as
// one edit: "stauts" is one from "status"), when near enough to be a typo: at most a
// third of the typed length, and never more than 2. A candidate that starts with what
// was typed also counts ("--vol" for "--volumes").
func closest(candidates []string, typed string) string {
	typed = strings.ToLower(typed)
	if typed == "" {
		return ""
	}
	limit := min(2, max(1, len(typed)/3))
	best, bestDist := "", limit+1
	for _, c := range candidates {
		d := editDistance(typed, strings.ToLower(c))
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	if best != "" {
		return best
	}
	if len(typed) >= 3 {
		for _, c := range candidates {
			if strings.HasPrefix(strings.ToLower(c), typed) {
				return c
			}
		}
	}
	return ""
}

// editDistance is the optimal string alignment distance: insertions, deletions,
// substitutions and transpositions of neighbours, each one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// unknownCommand is the usage error for a command devstack does not have, with the one
// the user most likely meant. urfave/cli's own suggestion never runs: the app's Action
// receives an unknown command as an argument.
func unknownCommand(cmds []*cli.Command, typed string) error {
	if to := suggestCommand(cmds, typed); to != "" {
		return usagef(output.WithHint(fmt.Errorf("unknown command %q: did you mean %q?", typed, to),
			fmt.Sprintf("devstack %s (every command: devstack --help)", to)))
	}
	return usagef(output.WithHint(fmt.Errorf("unknown command %q", typed), "run 'devstack --help' for the list"))
}
