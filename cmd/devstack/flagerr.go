package main

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/devstack-dev/devstack/output"
)

// The flag package's own wordings, which urfave/cli passes on.
var (
	invalidValue = regexp.MustCompile(`^invalid value "(.*)" for flag -{1,2}([A-Za-z0-9-]+): `)
	undefined    = regexp.MustCompile(`^flag provided but not defined: -{1,2}([A-Za-z0-9-]+)`)
	needsArg     = regexp.MustCompile(`^flag needs an argument: -{1,2}([A-Za-z0-9-]+)`)
)

// explainFlagError turns a flag parse error into one that names the flag, the value,
// the form wanted and an example, with the command's help as the way out.
func explainFlagError(cmd *cli.Command, err error) error {
	name, help := "devstack", "devstack --help"
	var flags []cli.Flag
	if cmd != nil && cmd.Name != "" {
		name, help, flags = "devstack "+cmd.Name, "devstack "+cmd.Name+" --help", cmd.Flags
	}
	msg := err.Error()
	if m := invalidValue.FindStringSubmatch(msg); m != nil {
		form, example := flagForm(findFlag(flags, m[2]))
		return output.WithHint(fmt.Errorf("--%s %q is not %s", m[2], m[1], form),
			fmt.Sprintf("for example: %s --%s %s", name, m[2], example))
	}
	if m := needsArg.FindStringSubmatch(msg); m != nil {
		form, example := flagForm(findFlag(flags, m[1]))
		return output.WithHint(fmt.Errorf("--%s needs a value: %s", m[1], form),
			fmt.Sprintf("for example: %s --%s %s", name, m[1], example))
	}
	if m := undefined.FindStringSubmatch(msg); m != nil {
		if to := suggestFlag(flags, m[1]); to != "" {
			return output.WithHint(fmt.Errorf("%s has no flag --%s: did you mean --%s?", name, m[1], to),
				fmt.Sprintf("use --%s (its flags are listed by %s)", to, help))
		}
		return output.WithHint(fmt.Errorf("%s has no flag --%s", name, m[1]),
			"its flags are listed by "+help)
	}
	return output.WithHint(err, "see "+help)
}

func findFlag(flags []cli.Flag, name string) cli.Flag {
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				return f
			}
		}
	}
	for _, f := range globalFlags() {
		for _, n := range f.Names() {
			if n == name {
				return f
			}
		}
	}
	return nil
}

// flagForm says what a flag's value must look like, and gives one that works.
func flagForm(f cli.Flag) (form, example string) {
	switch f.(type) {
	case *cli.DurationFlag:
		return "a duration: a number with a unit, such as 5s, 90s or 2m", "2m"
	case *cli.IntFlag, *cli.Int64Flag, *cli.UintFlag:
		return "a whole number", "100"
	case *cli.BoolFlag:
		return "true or false (or leave the value out)", ""
	}
	return "a word or path", "VALUE"
}

// isFlagError reports whether err came from parsing flags, as opposed to a command's own
// validation, which already explains itself.
func isFlagError(err error) bool {
	var ue *usageError
	if errors.As(err, &ue) {
		return false
	}
	msg := err.Error()
	return invalidValue.MatchString(msg) || undefined.MatchString(msg) || needsArg.MatchString(msg) ||
		strings.HasPrefix(msg, "flag ")
}
