package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/devstack-dev/devstack/output"
)

// docSkip before a paragraph or block of a page skips it: an example that shows a
// mistake on purpose (a mistyped command and devstack's suggestion).
const docSkip = "<!-- doccheck:skip -->"

// docInvocation is one `devstack …` a page shows, and where.
type docInvocation struct {
	line int
	args []string // after "devstack"
}

var (
	fence        = regexp.MustCompile("^\\s*```")
	codeSpan     = regexp.MustCompile("`([^`]+)`")
	comment      = regexp.MustCompile(`(^|\s)#.*$`)
	docCommandRE = regexp.MustCompile(`(?:^|[^\w.\-/])(?:\./cmd/|bin/)?devstack[ \t]+(\S.*)$`)
)

// docInvocations finds every devstack command a Markdown page shows in code: code spans,
// fenced blocks and indented blocks, each line on its own.
func docInvocations(text string) []docInvocation {
	var out []docInvocation
	inFence, skipping := false, false
	for i, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == docSkip {
			skipping = true
			continue
		}
		if fence.MatchString(line) {
			inFence = !inFence
			continue
		}
		if skipping {
			if strings.TrimSpace(line) == "" && !inFence {
				skipping = false
			}
			continue
		}
		var code []string
		switch {
		case inFence, strings.HasPrefix(line, "    "), strings.HasPrefix(line, "\t"):
			code = []string{comment.ReplaceAllString(line, "")} // prose in a comment is not a command
		default:
			for _, m := range codeSpan.FindAllStringSubmatch(line, -1) {
				code = append(code, m[1])
			}
		}
		for _, c := range code {
			for _, part := range strings.Split(c, "$(") { // eval "$(devstack completion bash)"
				if m := docCommandRE.FindStringSubmatch(part); m != nil {
					out = append(out, docInvocation{line: i + 1, args: docTokens(m[1])})
				}
			}
		}
	}
	return out
}

// docTokens splits what follows "devstack" into words, up to where the command ends: a
// comment, a pipe, a redirection, a closing parenthesis, another command.
func docTokens(s string) []string {
	var out []string
	for _, f := range strings.Fields(s) {
		if f == "#" || strings.HasPrefix(f, "#") || f == "|" || f == "||" || f == "&&" || f == ";" || strings.HasPrefix(f, ">") || strings.HasPrefix(f, "2>") {
			break
		}
		end := strings.ContainsAny(f, ");")
		f = strings.Trim(f, "[]{}(),;:.\"'`")
		if f != "" {
			out = append(out, f)
		}
		if end {
			break
		}
	}
	return out
}

// checkInvocation says what in args the app does not have: the command, or a flag.
func checkInvocation(app *cli.App, args []string) error {
	if len(args) == 0 {
		return nil
	}
	first := args[0]
	flags, where := app.Flags, "devstack"
	switch {
	case strings.HasPrefix(first, "-"):
	case first == "help" || first == "…" || first == "..." || strings.ToUpper(first) == first:
		return nil // help, or a placeholder such as COMMAND
	default:
		cmd := app.Command(first)
		if cmd == nil {
			return fmt.Errorf("devstack has no command %q", first)
		}
		flags, where, args = cmd.Flags, "devstack "+cmd.Name, args[1:]
	}
	for _, a := range args {
		if !strings.HasPrefix(a, "-") || a == "-" || a == "--" || strings.HasPrefix(a, "--=") || (len(a) > 1 && a[1] >= '0' && a[1] <= '9') {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "help" || name == "h" || name == "version" {
			continue
		}
		if !slices.ContainsFunc(flags, func(f cli.Flag) bool { return slices.Contains(f.Names(), name) }) {
			return fmt.Errorf("%s has no flag --%s", where, name)
		}
	}
	return nil
}

func docApp() *cli.App {
	streams, _, _ := output.Test()
	return newApp(newEnv(streams, func(string) string { return "" }))
}

// TestDocsShowOnlyRealCommands: every `devstack …` command and flag that README.md and
// docs/*.md show exists in the app's command tree.
func TestDocsShowOnlyRealCommands(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	pages = append(pages, filepath.Join("..", "..", "README.md"))
	app := docApp()
	shown := 0
	for _, page := range pages {
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, inv := range docInvocations(string(data)) {
			shown++
			if err := checkInvocation(app, inv.args); err != nil {
				t.Errorf("%s:%d: devstack %s: %v", filepath.Base(page), inv.line, strings.Join(inv.args, " "), err)
			}
		}
	}
	if shown < 50 {
		t.Fatalf("only %d devstack commands found in %d pages: the finder is broken", shown, len(pages))
	}
}

// TestDocCheckCatchesMistakes: the check finds a command or flag that does not exist,
// wherever a page shows it, and lets through what does, and what a page marks as a
// deliberate mistake.
func TestDocCheckCatchesMistakes(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "docs", "mistakes.md"))
	if err != nil {
		t.Fatal(err)
	}
	app := docApp()
	var got []string
	for _, inv := range docInvocations(string(data)) {
		if err := checkInvocation(app, inv.args); err != nil {
			got = append(got, fmt.Sprintf("%d: %v", inv.line, err))
		}
	}
	want := []string{
		`5: devstack has no command "stauts"`,
		`5: devstack up has no flag --offest`,
		`8: devstack down has no flag --volume`,
		`12: devstack has no flag --verison`,
		`13: devstack env has no flag --fromat`,
		`18: devstack has no command "restart"`,
	}
	if !slices.Equal(got, want) {
		t.Fatalf("found\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
