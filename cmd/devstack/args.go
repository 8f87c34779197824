package main

import (
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// intersperse moves a command's flags ahead of its arguments, so `devstack logs redis
// --tail 3` works as people type it: urfave/cli v2 stops reading flags at the first
// argument. Whether a flag consumes the next word comes from the flag itself.
func intersperse(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	out := []string{args[0]}
	i := 1
	// Global flags before the command stay where they are.
	for i < len(args) && strings.HasPrefix(args[i], "-") && args[i] != "--" {
		out = append(out, args[i])
		if takesValue(app.Flags, args[i]) && i+1 < len(args) {
			i++
			out = append(out, args[i])
		}
		i++
	}
	if i >= len(args) {
		return out
	}
	cmd := app.Command(args[i])
	out = append(out, args[i])
	i++
	if cmd == nil || cmd.SkipFlagParsing {
		return append(out, args[i:]...)
	}
	var positional []string
	for ; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			positional = append(positional, args[i+1:]...)
			i = len(args)
		case strings.HasPrefix(a, "-") && a != "-":
			out = append(out, a)
			if takesValue(cmd.Flags, a) && i+1 < len(args) {
				i++
				out = append(out, args[i])
			}
		default:
			positional = append(positional, a)
		}
	}
	if slices.ContainsFunc(positional, func(s string) bool { return strings.HasPrefix(s, "-") }) {
		out = append(out, "--")
	}
	return append(out, positional...)
}

// takesValue reports whether arg names a flag that reads the next word as its value.
func takesValue(flags []cli.Flag, arg string) bool {
	name := strings.TrimLeft(arg, "-")
	if strings.Contains(name, "=") {
		return false // --tail=3 carries its value
	}
	for _, f := range flags {
		if slices.Contains(f.Names(), name) {
			tv, ok := f.(cli.DocGenerationFlag)
			return ok && tv.TakesValue()
		}
	}
	return false
}
