package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"
)

// Completion scripts ask devstack itself for candidates (urfave/cli's
// --generate-bash-completion), so they never go stale.
const bashCompletion = `_devstack_complete() {
  local cur words
  cur="${COMP_WORDS[COMP_CWORD]}"
  words=$("${COMP_WORDS[0]}" "${COMP_WORDS[@]:1:COMP_CWORD-1}" --generate-bash-completion 2>/dev/null)
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _devstack_complete devstack
`

const zshCompletion = `#compdef devstack
_devstack() {
  local -a opts
  opts=("${(@f)$(${words[1]} ${words[@]:1:#words[@]-2} --generate-bash-completion 2>/dev/null)}")
  _describe 'values' opts
}
compdef _devstack devstack
`

func completionCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script: eval \"$(devstack completion bash)\"",
		ArgsUsage: "bash|zsh",
		Action: func(c *cli.Context) error {
			scripts := map[string]string{"bash": bashCompletion, "zsh": zshCompletion}
			script, ok := scripts[c.Args().First()]
			if c.NArg() != 1 || !ok {
				return usagef(errors.New("say which shell: devstack completion bash, or devstack completion zsh"))
			}
			_, err := fmt.Fprint(e.streams.Out, script)
			return err
		},
	}
}

func errPositive(flag string, d time.Duration) error {
	return fmt.Errorf("%s must be positive, not %s", flag, d)
}
