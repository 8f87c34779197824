package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/stack"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// globalFlags are accepted before or after the command name: `devstack --output json
// doctor` and `devstack doctor --output json` both work, as people type either.
func globalFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "config", Aliases: []string{"c"}, Usage: "path to devstack.yaml (default: found in this directory or a parent)", EnvVars: []string{"DEVSTACK_CONFIG"}},
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "text", Usage: "output format: text or json"},
		&cli.BoolFlag{Name: "no-color", Usage: "never colour the output (also: NO_COLOR=1)"},
		&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "say more about each item"},
		&cli.StringSliceFlag{Name: "allow-outside", Usage: "let devstack.yaml name files under PATH, outside the project (env_file, fixture sources); repeat for more"},
	}
}

// env is the factory of what every command needs; one is built per run, never global,
// and a test builds its own (see newEnv) to run a command in-process.
type env struct {
	streams *output.Streams
	printer *output.Printer
	getenv  func(string) string
	// connect opens the engine, with its API version settled; discover says where the
	// engine is without connecting. Commands reach the engine only through these.
	connect  func(ctx context.Context) (Engine, error)
	discover func() (engine.Endpoint, error)
	cfgPath  string
	// argsFormat is --output as found in the raw arguments, for errors that come before
	// (or instead of) the parsed flags.
	argsFormat output.Format
	allow      []string // --allow-outside
	saidWhere  bool     // which devstack.yaml is in use was said (see sayWhere)
	// sarif is --output sarif, which only audit takes; its printer writes JSON.
	sarif bool
}

// loadConfig reads the configuration when a command first needs it.
func (e *env) loadConfig() (*config.Config, error) {
	cfg, err := config.Load(config.Options{Path: e.cfgPath, Getenv: e.getenv, AllowOutside: e.allow, Remembered: stack.Remembered})
	e.sayWhere(cfg)
	return cfg, err
}

// loadPlan reads the configuration with the command's --bind and --offset on top; with
// publish, a non-loopback bind must have been typed.
func (e *env) loadPlan(pv planValues, publish bool) (*config.Config, error) {
	opts := config.Options{Path: e.cfgPath, Getenv: e.getenv, AllowOutside: e.allow, Publish: publish, Remembered: stack.Remembered}
	pv.apply(&opts)
	cfg, err := config.Load(opts)
	e.sayWhere(cfg)
	return cfg, err
}

// sayWhere names the devstack.yaml in use, once per run, when it was found in a parent
// directory (a user in a subdirectory may not know that one applies, and .devstack/ is
// written there), and always with --verbose.
func (e *env) sayWhere(cfg *config.Config) {
	if cfg == nil || e.saidWhere {
		return
	}
	e.saidWhere = true
	wd, _ := os.Getwd()
	switch {
	case cfg.File == "" && cfg.Found == config.FoundGit && !sameDir(cfg.Root, wd):
		e.printer.Note("no %s: the project is the git work tree %s, on the defaults", config.FileName, cfg.Root)
	case cfg.File == "":
		if e.printer.Verbose() {
			e.printer.Note("no %s found here or in a parent directory: using the defaults for %s", config.FileName, cfg.Root)
		}
	case e.cfgPath == "" && !sameDir(filepath.Dir(cfg.File), wd):
		e.printer.Note("using %s, found in a parent directory; the project is %s", cfg.File, cfg.Root)
	case e.printer.Verbose():
		e.printer.Note("using %s", cfg.File)
	}
}

// sameDir compares two directories as the file system sees them (links resolved).
func sameDir(a, b string) bool {
	if ra, err := filepath.EvalSymlinks(a); err == nil {
		a = ra
	}
	if rb, err := filepath.EvalSymlinks(b); err == nil {
		b = rb
	}
	return filepath.Clean(a) == filepath.Clean(b)
}

// Run is devstack with its arguments and streams; it returns the exit code.
func Run(ctx context.Context, args []string, streams *output.Streams) int {
	return runArgs(ctx, args, newEnv(streams, os.Getenv))
}

// runArgs is devstack with its arguments, over the factory e.
func runArgs(ctx context.Context, args []string, e *env) int {
	e.argsFormat = formatIn(args)
	// Until the flags are parsed, errors (a bad flag among them) go out in the format asked
	// for, wherever --output stands.
	e.printer = output.NewPrinter(e.streams, output.Options{Format: e.argsFormat, NoColor: noColor(e.getenv)})
	app := newApp(e)
	err := app.RunContext(ctx, intersperse(app, versionFirst(args)))
	return exitCode(ctx, e.printer, err)
}

func newApp(e *env) *cli.App {
	cli.VersionFlag = &cli.BoolFlag{Name: "version", Usage: "print devstack's version"}
	onUsage := func(c *cli.Context, err error, _ bool) error {
		if isFlagError(err) {
			return usagef(explainFlagError(c.Command, err))
		}
		return usagef(err)
	}
	cmds := []*cli.Command{doctorCommand(e), portsCommand(e), upCommand(e), statusCommand(e),
		logsCommand(e), envCommand(e), downCommand(e), bootstrapCommand(e), fixturesCommand(e),
		initCommand(e), auditCommand(e), exportCommand(e), snapshotCommand(e), completionCommand(e)}
	cmds = kubeCommands(e, cmds) // --engine kubernetes on the stack commands; forward
	for _, c := range cmds {
		c.Flags = append(c.Flags, globalFlags()...)
		c.OnUsageError = onUsage
		c.Before = func(c *cli.Context) error { return e.setup(c) }
		if c.Name == "audit" {
			c.Before = func(c *cli.Context) error { return e.setup(c, "sarif") }
		}
		showDefaultsOnce(c.Flags)
		describe(c)
	}
	return &cli.App{
		Name:                 "devstack",
		Usage:                "from git clone to a working local environment, in one command",
		Version:              buildVersion(),
		Flags:                globalFlags(),
		Commands:             cmds,
		Writer:               e.streams.Out,
		ErrWriter:            e.streams.Err,
		EnableBashCompletion: true,
		Suggest:              true,
		ExitErrHandler:       func(*cli.Context, error) {}, // Run maps errors to exit codes
		OnUsageError:         onUsage,
		Before: func(c *cli.Context) error {
			if c.Args().First() == "audit" { // devstack -o sarif audit FILE
				return e.setup(c, "sarif")
			}
			return e.setup(c)
		},
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return unknownCommand(c.App.Commands, c.Args().First())
			}
			return cli.ShowAppHelp(c)
		},
	}
}

// setup reads the global flags wherever they were given and builds the printer.
func (e *env) setup(c *cli.Context, extra ...string) error {
	raw := globalString(c, "output")
	// A format only some commands take (audit's sarif) is JSON to the printer.
	if slices.Contains(extra, raw) {
		e.sarif, raw = raw == "sarif", string(output.JSON)
	}
	format, err := output.ParseFormat(raw)
	if err != nil {
		return usagef(err)
	}
	if !globalSet(c, "output") {
		// The app's Before runs before the command's flags are parsed: keep what the
		// arguments asked for, so an error in those flags is still JSON.
		format = e.argsFormat
	}
	e.cfgPath = globalString(c, "config")
	e.allow = globalStrings(c, "allow-outside")
	e.printer = output.NewPrinter(e.streams, output.Options{
		Format:  format,
		NoColor: globalBool(c, "no-color") || noColor(e.getenv),
		Verbose: globalBool(c, "verbose"),
	})
	return nil
}

// versionFirst makes --version a global flag wherever it stands, as docs/commands.md says global
// flags are: `devstack up --version` prints the version like `devstack --version`.
func versionFirst(args []string) []string {
	for i, a := range args {
		if a == "--" {
			break
		}
		if i > 0 && a == "--version" {
			return []string{args[0], "--version"}
		}
	}
	return args
}

// formatIn finds --output json (or -o json, --output=json) anywhere before "--".
func formatIn(args []string) output.Format {
	for i, a := range args {
		switch {
		case a == "--":
			return output.Text
		case (a == "--output" || a == "-o" || a == "-output") && i+1 < len(args) && args[i+1] == "json",
			a == "--output=json" || a == "-o=json":
			return output.JSON
		}
	}
	return output.Text
}

// noColor honours NO_COLOR (any value) and a terminal that says it cannot show colour.
func noColor(getenv func(string) string) bool {
	return getenv("NO_COLOR") != "" || getenv("TERM") == "dumb"
}

// globalString returns the innermost value given for a global flag: after the command
// wins over before it, and the default applies when neither was given.
func globalString(c *cli.Context, name string) string {
	for _, cc := range c.Lineage() {
		if slices.Contains(cc.LocalFlagNames(), name) {
			return cc.String(name)
		}
	}
	return c.String(name)
}

func globalSet(c *cli.Context, name string) bool {
	for _, cc := range c.Lineage() {
		if cc.IsSet(name) {
			return true
		}
	}
	return false
}

func globalStrings(c *cli.Context, name string) []string {
	var out []string
	for _, cc := range c.Lineage() {
		if slices.Contains(cc.LocalFlagNames(), name) {
			out = append(out, cc.StringSlice(name)...)
		}
	}
	return out
}

func globalBool(c *cli.Context, name string) bool {
	for _, cc := range c.Lineage() {
		if slices.Contains(cc.LocalFlagNames(), name) {
			return cc.Bool(name)
		}
	}
	return c.Bool(name)
}

// noArgs refuses arguments a command does not take.
func noArgs(c *cli.Context) error {
	if c.Args().Present() {
		return usagef(errors.New("unexpected argument " + strings.Join(c.Args().Slice(), " ") + ": see 'devstack " + c.Command.Name + " --help'"))
	}
	return nil
}
