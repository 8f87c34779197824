// Package config reads devstack.yaml (optional), applies defaults and environment
// overrides, and validates everything before any command acts on it.
package config

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/devstack-dev/devstack/gitrepo"
	"github.com/devstack-dev/devstack/grammar"
	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/userfile"
)

// FileName is the file devstack looks for in the working directory and its parents.
const FileName = "devstack.yaml"

// DefaultBind keeps every published port off the network: a port Docker publishes on
// 0.0.0.0 bypasses the host firewall.
const DefaultBind = "127.0.0.1"

// Tool is one toolchain requirement.
type Tool struct {
	Name       string
	Constraint string
	Required   bool // false: a failure is only a warning
	// NotNeeded says the project does not use the tool: doctor lists it without running
	// it, and nothing about it can fail. Compose is not needed unless a project says so:
	// devstack talks to the Engine API and never calls it.
	NotNeeded bool
	// From says where the requirement comes from, for doctor's report: the line of
	// devstack.yaml that set it, or what default applies.
	From       string
	constraint *semver.Constraints
}

// Where a tool requirement comes from when devstack.yaml does not set it.
const (
	// ToolDefault: devstack.yaml exists and leaves the tool out, so Invenio's toolchain
	// (the default stack's) applies, as design.md has it.
	ToolDefault = "default"
	// ToolNoFile: there is no devstack.yaml, so nothing says what the project needs;
	// Invenio's toolchain is checked as advice only, never as a failure.
	ToolNoFile = "no devstack.yaml"
)

// Check reports whether v satisfies the tool's constraint.
func (t Tool) Check(v *semver.Version) bool { return t.constraint.Check(v) }

// DefaultTools are the versions Invenio's documentation lists as working, in display order.
func DefaultTools() []Tool {
	return []Tool{
		{Name: "python", Constraint: ">=3.9", Required: true},
		{Name: "pipenv", Constraint: ">=2022.1", Required: true},
		{Name: "node", Constraint: ">=14", Required: true},
		{Name: "npm", Constraint: ">=6", Required: true},
		{Name: "docker", Constraint: ">=20.10", Required: true},
		// devstack never calls Compose: a project that does (its own scripts) says so under tools:.
		{Name: "compose", Constraint: ">=2.0", NotNeeded: true},
		{Name: "imagemagick", Constraint: ">=6.9", Required: true},
		{Name: "git", Constraint: ">=2.30", Required: true},
	}
}

// Service is one service the project plans to run, with the project's changes applied.
type Service struct {
	*services.Service
	Image         string            // after config and DEVSTACK_IMAGE_<SERVICE>
	Env           map[string]string // extra environment from devstack.yaml
	PortOverrides map[string]int    // host ports from devstack.yaml by port name, before the offset
	// Connection adds, replaces or drops connection settings (devstack.yaml's connection:).
	ConnectionEdits []ConnectionSetting
	ConnectionFile  string // the file Connection was written in, for errors
	// Acknowledged are the known vulnerabilities of the service's image that the
	// project says it knows about (acknowledge:). The repository is untrusted, so this
	// only quiets up and bootstrap; doctor still shows them, naming the acknowledgement.
	Acknowledged []Acknowledgement
}

// Acknowledgement is one advisory id a project acknowledges, and where it says so.
type Acknowledgement struct {
	ID    string // as devstack's table spells it (CVE-2025-62506)
	Where string // file:line:col
}

// Acknowledges returns where the service acknowledges the advisory id, or "".
func (s *Service) Acknowledges(id string) string {
	for _, a := range s.Acknowledged {
		if a.ID == id {
			return a.Where
		}
	}
	return ""
}

// Fixture is data to load into a service: a source go-getter can fetch, and what the
// target needs.
type Fixture struct {
	Name    string
	Source  string // a local path (relative to the project), git::…?ref=…, or an http(s) archive with ?checksum=
	Service string // a planned service that loads fixtures (its Fixtures loader)
	// Options are the fixture's other keys (postgres's database, minio's bucket…): the
	// ones its service's loader declares, checked against it.
	Options     map[string]string
	optionLines map[string]int
	optionAt    map[string][2]int // line and column of each option's value
	sourceAt    [2]int            // line and column of source's value
	// Rerunnable says the files can run again on top of their own effects (CREATE … IF
	// NOT EXISTS, upserts): a changed file is then loaded again rather than reported.
	Rerunnable bool
	Line       int
}

// DefaultEnvFile is where bootstrap writes the connection settings unless env_file: says.
const DefaultEnvFile = ".env"

// Config is the resolved configuration every command works from.
type Config struct {
	File string // the devstack.yaml read, or "" when there is none
	Root string // the project directory: see Found
	// Found says how Root was found: the directory of devstack.yaml, else the root of
	// the git work tree (a fresh clone with no devstack.yaml works on the defaults), else
	// neither, when Root is only the working directory and no project is there.
	Found   Found
	Project string // the name in devstack.yaml (or the directory's): shared by every clone
	// Identity is this checkout's: what names and labels its engine objects, and what
	// every command acts on (see Identity). Load derives it from Root; a stack adopted
	// from an earlier devstack replaces it (stack.Adopt).
	Identity Identity
	Bind     string
	Offset   int
	Tools    []Tool

	// Where the bind address and the offset came from: a non-loopback bind is used only
	// when the user typed it.
	BindFrom   Origin
	OffsetFrom Origin
	// What the file or the default said, before a remembered placement, the environment
	// or a flag: remembered with the placement, to notice an edit of the file.
	PlannedOffset int
	PlannedBind   string
	bindLine      int // the line of bind: in File, when BindFrom is FromFile
	offsetLine    int

	AllowOutside []string // --allow-outside, as typed

	Services []Service
	EnvFile  string // where bootstrap writes the connection settings, relative to Root
	Fixtures []Fixture
	// Frameworks name the frameworks whose own setting names (Invenio's INVENIO_*,
	// Celery's CELERY_*) the connection settings include, beside the generic ones.
	Frameworks []string
}

// Service returns the planned service with that name.
func (c *Config) Service(name string) (*Service, bool) {
	for i := range c.Services {
		if c.Services[i].Name == name {
			return &c.Services[i], true
		}
	}
	return nil, false
}

// Tool returns the tool requirement with that name.
func (c *Config) Tool(name string) (Tool, bool) {
	for _, t := range c.Tools {
		if t.Name == name {
			return t, true
		}
	}
	return Tool{}, false
}

// Options say where to look, what the environment holds and what the user typed on the
// command line; tests fill them directly.
type Options struct {
	Path   string              // --config; "" means search upward from Dir
	Dir    string              // the working directory
	Getenv func(string) string // os.Getenv when nil

	// The command line wins over everything (flag > environment > file > default), and is
	// applied here, next to the rest, so that precedence lives in one place.
	Bind         *string  // --bind; nil when not given
	Offset       *int     // --offset; nil when not given
	AllowOutside []string // --allow-outside: paths outside the project the user allows

	// Publish is set by the commands that publish ports (up, bootstrap): a non-loopback
	// bind is refused unless the user typed it as --bind.
	Publish bool

	// Remembered reads where the project was last brought up (stack.Remembered); it wins
	// over the file and the default, so that commands find the project where it runs,
	// unless the file's bind or offset changed since. nil when nothing is remembered.
	Remembered func(root string) (*Placement, error)
}

// Placement is where a project was brought up, and what the file (or the default) said
// then: a file edited since wins over the remembered placement.
type Placement struct {
	Offset        int    `json:"offset"`
	Bind          string `json:"bind"`
	PlannedOffset int    `json:"planned_offset"`
	PlannedBind   string `json:"planned_bind"`
}

// maxFileSize bounds devstack.yaml: a configuration, not a data file.
const maxFileSize = 1 << 20

// Load finds, reads and validates the configuration.
func Load(opts Options) (*Config, error) {
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.Dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("find the working directory: %w", err)
		}
		opts.Dir = wd
	}
	path, err := locate(opts.Path, opts.Dir)
	if err != nil {
		return nil, err
	}
	var data []byte
	root, found := opts.Dir, FoundNone
	switch {
	case path != "":
		if data, err = readFile(path, opts.Path); err != nil {
			return nil, err
		}
		root, found = filepath.Dir(path), FoundFile
	default:
		if top := gitrepo.Top(opts.Dir); top != "" {
			root, found = top, FoundGit
		}
	}
	cfg, err := fromBytes(path, root, data, opts)
	if cfg != nil {
		cfg.Found = found
	}
	return cfg, err
}

// fromBytes is Load once the file is read: decode, resolve, then the environment and the
// command line on top, then the checks that need the final values.
func fromBytes(path, root string, data []byte, opts Options) (*Config, error) {
	var f file
	if err := decode(path, data, &f); err != nil {
		return nil, err
	}
	cfg, err := resolve(path, root, &f, opts.AllowOutside)
	if err != nil {
		return nil, err
	}
	cfg.PlannedOffset, cfg.PlannedBind = cfg.Offset, cfg.Bind
	checkout, err := checkoutOf(root)
	if err != nil {
		return nil, err
	}
	cfg.Identity = DeriveIdentity(cfg.Project, checkout)
	if opts.Remembered != nil {
		p, err := opts.Remembered(root)
		if err != nil {
			return nil, err
		}
		if p != nil && p.PlannedOffset == cfg.Offset && p.PlannedBind == cfg.Bind {
			cfg.Bind, cfg.BindFrom, cfg.Offset, cfg.OffsetFrom = p.Bind, FromState, p.Offset, FromState
		}
	}
	if err := applyEnv(cfg, opts.Getenv); err != nil {
		return nil, err
	}
	if err := applyFlags(cfg, opts); err != nil {
		return nil, err
	}
	if err := cfg.checkOffset(); err != nil {
		return nil, err
	}
	if opts.Publish {
		if err := cfg.ConfirmBind(); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

// readFile reads devstack.yaml, refusing what is not a file of sensible size; a FIFO
// would block forever.
func readFile(path, given string) ([]byte, error) {
	name := path
	if given != "" {
		name = given
	}
	fix := "make it a readable file (chmod a+r " + name + "), or pass --config the path of a devstack.yaml"
	st, err := os.Stat(path)
	if err != nil {
		return nil, &Error{File: name, Msg: "cannot be read: " + unwrapPathError(err), Fix: fix}
	}
	switch {
	case st.IsDir():
		return nil, &Error{File: name, Msg: "is a directory, not a devstack.yaml",
			Fix: "pass --config the file itself, such as --config " + filepath.Join(name, FileName)}
	case st.Mode()&(os.ModeNamedPipe|os.ModeSocket) != 0:
		return nil, &Error{File: name, Msg: "is not a regular file", Fix: fix}
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: name, Msg: "cannot be read: " + unwrapPathError(err), Fix: fix}
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxFileSize+1))
	if err != nil {
		return nil, &Error{File: name, Msg: "cannot be read: " + unwrapPathError(err), Fix: fix}
	}
	if len(data) > maxFileSize {
		return nil, &Error{File: name, Msg: "is larger than 1 MiB; it is not a devstack.yaml",
			Fix: "pass --config the path of the project's devstack.yaml"}
	}
	return data, nil
}

func locate(explicit, dir string) (string, error) {
	if explicit != "" {
		abs, err := filepath.Abs(explicit)
		if err != nil {
			return "", fmt.Errorf("config file %s: %w", explicit, err)
		}
		if _, err := os.Stat(abs); err != nil {
			return "", &Error{File: explicit, Msg: "cannot be read: " + unwrapPathError(err),
				Fix: "pass --config the path of an existing devstack.yaml, or leave it out to use the defaults"}
		}
		return abs, nil
	}
	for d := dir; ; d = filepath.Dir(d) {
		p := filepath.Join(d, FileName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
		if filepath.Dir(d) == d {
			return "", nil
		}
	}
}

func unwrapPathError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func resolve(path, root string, f *file, allow []string) (*Config, error) {
	cfg := &Config{File: path, Root: root, Project: f.Project.value, Bind: DefaultBind, Offset: f.Offset.value,
		BindFrom: FromDefault, OffsetFrom: FromDefault, AllowOutside: allow}
	if cfg.Project == "" {
		cfg.Project = ProjectName(filepath.Base(root))
	} else if !projectRE.MatchString(cfg.Project) {
		return nil, &Error{File: path, Line: f.Project.line, Col: f.Project.col, Key: "project",
			Msg: fmt.Sprintf("%s is not a valid project name", quote("project", cfg.Project)),
			Fix: "use lower-case letters, digits, '-', '_' or '.', starting with a letter or digit"}
	}
	if f.Bind.line > 0 {
		cfg.Bind, cfg.BindFrom, cfg.bindLine = f.Bind.value, FromFile, f.Bind.line
		if err := ValidateBind(cfg.Bind); err != nil {
			return nil, &Error{File: path, Line: f.Bind.line, Col: f.Bind.col, Key: "bind", Msg: err.Error(), Fix: BindFix}
		}
	}
	if f.Offset.line > 0 {
		cfg.OffsetFrom, cfg.offsetLine = FromFile, f.Offset.line
	}
	tools, err := resolveTools(path, f.Tools)
	if err != nil {
		return nil, err
	}
	cfg.Tools = tools
	cfg.Services = resolveServices(path, f.Services)
	if err := checkDepends(path, f.Services, cfg.Services); err != nil {
		return nil, err
	}
	cfg.Frameworks = resolveFrameworks(path, f.Frameworks)
	cfg.EnvFile = DefaultEnvFile
	if f.EnvFile.line > 0 {
		cfg.EnvFile = f.EnvFile.value
		if err := checkEnvFile(cfg, f.EnvFile.line); err != nil {
			return nil, err
		}
	} else if err := envFileNotMetadata(cfg, 0); err != nil {
		// The default .env is the repository's too: shipped as a link into .git, it
		// would have devstack write git's configuration (issue 18, row 2).
		return nil, err
	}
	if err := resolveFixtures(cfg, f.Fixtures); err != nil {
		return nil, err
	}
	needGit(cfg)
	return cfg, nil
}

// needGit makes git required when a fixture is cloned with it: go-getter's git getter runs
// the git binary, so a project that says it does not need git still does then.
func needGit(cfg *Config) {
	for i, fx := range cfg.Fixtures {
		src, err := ParseSource(cfg.Confine(), fx.Source)
		if err != nil || src.Kind != GitSource {
			continue
		}
		j := toolIndex(cfg.Tools, "git")
		t := &cfg.Tools[j]
		if t.NotNeeded || !t.Required {
			t.NotNeeded, t.Required = false, true
			t.From = fmt.Sprintf("%s:%d: fixtures[%d].source is a git repository", relative(cfg.File), fx.Line, i)
		}
		return
	}
}

// checkEnvFile keeps the file bootstrap rewrites inside the project, and off the files
// that are not an application's settings: devstack's own, and git's.
func checkEnvFile(cfg *Config, line int) error {
	if strings.TrimSpace(cfg.EnvFile) == "" {
		return &Error{File: cfg.File, Line: line, Key: "env_file", Msg: "is empty", Fix: "name a file inside the project, such as .env, or leave env_file out"}
	}
	resolved, err := cfg.Confine().Path(cfg.EnvFile)
	if err != nil {
		return sourceError(cfg.File, line, "env_file", err)
	}
	rel, err := filepath.Rel(cfg.Root, resolved)
	if real, rerr := filepath.EvalSymlinks(cfg.Root); rerr == nil {
		rel, err = filepath.Rel(real, resolved)
	}
	if err := envFileNotMetadata(cfg, line); err != nil {
		return err
	}
	if err == nil {
		first := strings.Split(filepath.ToSlash(rel), "/")[0]
		if first == ".devstack" || rel == FileName || rel == "." {
			return &Error{File: cfg.File, Line: line, Key: "env_file",
				Msg: fmt.Sprintf("%s is not a file for connection settings", quote("env_file", rel)),
				Fix: "name the application's dotenv file, such as .env"}
		}
	}
	return nil
}

// envFileNotMetadata refuses an env file that is, or links to, a file in version-control
// metadata (userfile.NotMetadata): bootstrap would write connection settings there.
func envFileNotMetadata(cfg *Config, line int) error {
	resolved, err := cfg.Confine().Path(cfg.EnvFile)
	if err != nil {
		return nil // outside the project: refused where it is written (userfile.Write)
	}
	var me *userfile.MetadataError
	if err := userfile.NotMetadata(cfg.EnvFile, resolved); errors.As(err, &me) {
		return &Error{File: cfg.File, Line: line, Key: "env_file", Msg: me.Error(), Fix: me.Hint()}
	}
	return nil
}

func resolveFixtures(cfg *Config, list []Fixture) error {
	seen := map[string]int{}
	for i, fx := range list {
		at := fmt.Sprintf("fixtures[%d]", i)
		fail := func(key, msg, fix string) error {
			return &Error{File: cfg.File, Line: fx.Line, Key: at + key, Msg: msg, Fix: fix}
		}
		if fx.Source == "" {
			return fail(".source", "is missing", "name where the data comes from: a path, git::URL?ref=…, or https://…/data.tar.gz?checksum=sha256:…")
		}
		if _, err := ParseSource(cfg.Confine(), fx.Source); err != nil {
			e := sourceError(cfg.File, fx.Line, at+".source", err)
			if ce, ok := e.(*Error); ok && fx.sourceAt[0] > 0 {
				ce.Line, ce.Col = fx.sourceAt[0], fx.sourceAt[1]
			}
			return e
		}
		svc, planned := cfg.Service(fx.Service)
		switch {
		case planned && svc.Fixtures == nil, !planned && takesFixtures(fx.Service) == "":
			return fail(".service", fmt.Sprintf("%s cannot take fixtures", quote("service", fx.Service)), "use one of: "+strings.Join(fixtureServices(), ", "))
		case !planned:
			return fail(".service", fmt.Sprintf("%s is not among the planned services", fx.Service), "add it under services:")
		}
		if err := checkFixtureOptions(cfg.File, at, fx, svc.Fixtures.Options()); err != nil {
			return err
		}
		if err := checkFixtureNames(cfg.File, at, fx, svc.Fixtures.Options()); err != nil {
			return err
		}
		if fx.Name == "" {
			fx.Name = fmt.Sprintf("%s-%d", fx.Service, i+1)
		}
		if prev, dup := seen[fx.Name]; dup {
			return fail(".name", fmt.Sprintf("%q is also the name of fixtures[%d]", fx.Name, prev), "give each fixture its own name")
		}
		seen[fx.Name] = i
		cfg.Fixtures = append(cfg.Fixtures, fx)
	}
	return nil
}

func resolveTools(path string, set []toolEntry) ([]Tool, error) {
	tools := DefaultTools()
	for i := range tools {
		tools[i].From = ToolDefault
		if path == "" {
			// A fresh clone of any repository: devstack does not know its toolchain, so
			// Invenio's (the default stack's) is advice, and nothing in it fails doctor.
			tools[i].From, tools[i].Required = ToolNoFile, false
		}
	}
	lines := make([]int, len(tools)) // where each override was written, for errors
	for _, e := range set {
		i := toolIndex(tools, e.name)
		lines[i] = e.line
		tools[i].From = fmt.Sprintf("%s:%d:%d", relative(path), e.line, e.col)
		if e.needed != nil && !*e.needed {
			tools[i].NotNeeded, tools[i].Required = true, false
			continue
		}
		// Anything else said about a tool means the project uses it.
		if tools[i].NotNeeded {
			tools[i].NotNeeded, tools[i].Required = false, true
		}
		if e.version != "" {
			tools[i].Constraint = e.version
		}
		if e.required != nil {
			tools[i].Required = *e.required
		}
	}
	for i := range tools {
		c, err := semver.NewConstraint(tools[i].Constraint)
		if err != nil {
			return nil, &Error{File: path, Line: lines[i], Key: "tools." + tools[i].Name,
				Msg: fmt.Sprintf("%s is not a version constraint", quote(tools[i].Name, tools[i].Constraint)),
				Fix: `write a Masterminds/semver constraint, such as ">=3.9" or "^14 || >=18"`}
		}
		tools[i].constraint = c
	}
	return tools, nil
}

func toolIndex(tools []Tool, name string) int {
	for i, t := range tools {
		if t.Name == name {
			return i
		}
	}
	return -1
}

func resolveServices(path string, set []serviceEntry) []Service {
	var out []Service
	if set == nil {
		for _, s := range services.Defaults() {
			out = append(out, Service{Service: s, Image: s.Image})
		}
		return out
	}
	entry := func(s *services.Service, e serviceEntry) Service {
		svc := Service{Service: s, Image: s.Image, Env: e.env, PortOverrides: e.ports, ConnectionEdits: e.connection,
			ConnectionFile: path, Acknowledged: e.acks}
		if e.image != "" {
			svc.Image = e.image
		}
		return svc
	}
	// Catalog order, whatever order the file lists them in, keeps every listing stable;
	// the file's own services follow, in its order.
	for _, s := range services.All() {
		for _, e := range set {
			if e.name == s.Name {
				out = append(out, entry(s, e))
			}
		}
	}
	for _, e := range set {
		if e.custom != nil {
			out = append(out, entry(e.custom, e))
		}
	}
	return out
}

// checkFixtureOptions refuses a key the service's loader does not declare, naming the
// keys that fit a fixture for that service.
func checkFixtureOptions(file, at string, fx Fixture, declared []services.FixtureOption) error {
	keys := make([]string, 0, len(fx.Options))
	for k := range fx.Options {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if slices.ContainsFunc(declared, func(o services.FixtureOption) bool { return o.Key == k }) {
			continue
		}
		fit := []string{"name", "source", "service"}
		for _, o := range declared {
			fit = append(fit, o.Key+" (default: "+o.Default+")")
		}
		return &Error{File: file, Line: fx.optionLines[k], Key: at + "." + k,
			Msg: fmt.Sprintf("unknown key %q for a %s fixture", prefix(k), fx.Service),
			Fix: "keys that fit here: " + strings.Join(fit, ", ")}
	}
	return nil
}

// checkFixtureNames checks each option against its grammar (FixtureOption.Check): the
// index, bucket, database or collection a fixture names is written to and, on reset,
// deleted, so it must name one thing on the server, never a pattern or a system one.
func checkFixtureNames(file, at string, fx Fixture, declared []services.FixtureOption) error {
	for _, o := range declared {
		v, set := fx.Options[o.Key]
		if !set || o.Check == nil {
			continue
		}
		if err := o.Check(v); err != nil {
			pos := fx.optionAt[o.Key]
			fix := "see docs/security.md"
			var gv *grammar.Violation
			if errors.As(err, &gv) {
				fix = gv.Fix
			}
			return &Error{File: file, Line: pos[0], Col: pos[1], Key: at + "." + o.Key,
				Msg: fmt.Sprintf("%s %s", quote(o.Key, v), err), Fix: fix}
		}
	}
	return nil
}

// takesFixtures is the name of a catalog service that loads fixtures, or "".
func takesFixtures(name string) string {
	if s, err := services.Lookup(name); err == nil && s.Fixtures != nil {
		return s.Name
	}
	return ""
}

// fixtureServices are the catalog's services that load fixtures.
func fixtureServices() []string {
	var out []string
	for _, s := range services.All() {
		if s.Fixtures != nil {
			out = append(out, s.Name)
		}
	}
	return out
}

var projectRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)

// ValidProjectName reports whether name is a project name devstack.yaml may give.
func ValidProjectName(name string) bool { return projectRE.MatchString(name) }

// ProjectName turns a directory name into a name Docker accepts for containers,
// volumes and networks.
func ProjectName(dir string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(dir) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_', r == '.', r == '-':
			b.WriteRune(r)
		default:
			b.WriteRune('-')
		}
	}
	name := strings.TrimLeft(b.String(), "_.-")
	if name == "" {
		return "devstack"
	}
	return name
}
