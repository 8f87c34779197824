package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/devstack-dev/devstack/checks"
	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/gitrepo"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/userfile"
)

// ErrExists means devstack.yaml is there already and --force was not given.
var ErrExists = errors.New("devstack.yaml already exists")

// InitOptions say where to write and what to write.
type InitOptions struct {
	Root  string
	Force bool
	// Found holds the versions found on this machine (--from-machine), by tool; the
	// constraints then ask for at least the same major.minor. Empty: the defaults.
	Found map[string]string
	// Preset names the stack to write (--preset); "" is DefaultPreset.
	Preset string
	// Content, when set, is the devstack.yaml to write instead of a preset's (made by
	// devstack init --from-compose, and already loaded by config); From names its source.
	Content []byte
	From    string
}

// InitReport says what init wrote.
type InitReport struct {
	File      string   `json:"file"`
	Gitignore string   `json:"gitignore"`
	Ignored   []string `json:"ignored"` // what git is to ignore: .devstack/, and .env in a git work tree
	FromFound bool     `json:"from_machine"`
	Preset    string   `json:"preset"`
	From      string   `json:"from,omitempty"` // the compose file the content was made from
}

// Init writes a starting devstack.yaml, and keeps .devstack/ out of git. Both files are
// written whole (never truncated first), keep their mode and owner, and are written
// through a link only when it stays in the project. Nothing is written once ctx is done.
func Init(ctx context.Context, opts InitOptions) (*InitReport, error) {
	path := filepath.Join(opts.Root, config.FileName)
	if _, err := os.Lstat(path); err == nil && !opts.Force {
		return nil, output.WithHint(fmt.Errorf("%s: %w; devstack init does not overwrite it", path, ErrExists),
			"edit it, or run devstack init --force to replace it")
	}
	if opts.Preset == "" {
		opts.Preset = DefaultPreset
	}
	preset, err := LookupPreset(opts.Preset)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	content := initYAML(config.ProjectName(filepath.Base(opts.Root)), opts.Found, preset)
	if opts.Content != nil {
		content, preset.Name = string(opts.Content), ""
	}
	// Both files or neither (issue 18: a .gitignore linked out of the project left a
	// devstack.yaml and no .gitignore entry): every target is checked before either is
	// written, and a failure puts back what was written.
	batch := userfile.NewBatch(opts.Root)
	batch.Add(config.FileName, []byte(content), userfile.Options{Mode: 0o644})
	ignore := filepath.Join(opts.Root, ".gitignore")
	// .devstack/ always; in a git work tree the env file too, before bootstrap writes
	// passwords into it.
	entries := []ignoreEntry{stateDirEntry}
	if gitrepo.Top(opts.Root) != "" {
		entries = append(entries, envFileEntry(config.DefaultEnvFile))
	}
	text, added, err := ignoredText(opts.Root, entries...)
	if err != nil {
		return nil, err
	}
	if len(added) > 0 {
		batch.Add(".gitignore", []byte(text), userfile.Options{Mode: 0o644})
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := batch.Commit(); err != nil {
		return nil, err
	}
	ignored := []string{}
	for _, e := range entries {
		ignored = append(ignored, e.pattern())
	}
	return &InitReport{File: path, Gitignore: ignore, Ignored: ignored, FromFound: len(opts.Found) > 0, Preset: preset.Name, From: opts.From}, nil
}

// yamlScalar writes s as YAML reads it back: a project named null, true or 1e3 must stay
// a string.
func yamlScalar(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return strconv.Quote(s)
	}
	return strings.TrimSuffix(string(out), "\n")
}

func initYAML(project string, found map[string]string, preset Preset) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# devstack.yaml: what this project needs on a developer's machine (preset %s).\n", preset.Name)
	for _, line := range strings.Split(strings.TrimRight(preset.Header, "\n"), "\n") {
		fmt.Fprintf(&b, "# %s\n", line)
	}
	fmt.Fprintf(&b, "# devstack doctor checks the tools, devstack bootstrap starts everything.\n")
	fmt.Fprintf(&b, "project: %s\nbind: %s          # never 0.0.0.0 unless the services must be reachable from the network\noffset: 0\n",
		yamlScalar(project), yamlScalar(config.DefaultBind))
	fmt.Fprintf(&b, "env_file: .env           # bootstrap writes the connection settings here\n")
	b.WriteString(frameworksLine(preset.Frameworks) + "\n\n")
	b.WriteString("tools:\n")
	for _, t := range config.DefaultTools() {
		constraint, required, needed := t.Constraint, t.Required, !t.NotNeeded
		if pt, ok := preset.Tools[t.Name]; ok {
			if pt.Version != "" {
				constraint = pt.Version
			}
			if pt.Required != nil {
				required = *pt.Required
			}
			if pt.Needed != nil {
				needed = *pt.Needed
			}
		}
		if v, ok := found[t.Name]; ok {
			if sv, ok := checks.Comparable(v); ok {
				constraint = fmt.Sprintf(">=%d.%d", sv.Major(), sv.Minor())
			}
		}
		switch {
		case !needed && t.Name == "compose":
			fmt.Fprintf(&b, "  %s: false   # devstack never calls Compose; write a constraint if your own scripts do\n", yamlScalar(t.Name))
		case !needed:
			fmt.Fprintf(&b, "  %s: false   # not needed: doctor lists it without checking it\n", yamlScalar(t.Name))
		case required:
			fmt.Fprintf(&b, "  %s: %s\n", yamlScalar(t.Name), yamlScalar(constraint))
		default:
			fmt.Fprintf(&b, "  %s: {version: %s, required: false}\n", yamlScalar(t.Name), yamlScalar(constraint))
		}
	}
	b.WriteString("\nservices:\n")
	for _, s := range preset.Services {
		fmt.Fprintf(&b, "  %s: {}\n", yamlScalar(s))
	}
	b.WriteString("\n# fixtures:                  # data loaded once per content: devstack fixtures, or bootstrap\n")
	b.WriteString("#   - name: demo-records\n")
	b.WriteString("#     service: postgres        # a service that loads fixtures:\n")
	for _, s := range services.All() {
		if s.Fixtures == nil {
			continue
		}
		line := fmt.Sprintf("#                              %s (%s)", s.Name, s.Fixtures.Expects())
		for _, o := range s.Fixtures.Options() {
			line += ", " + o.Key + ":"
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("#     source: ./fixtures/sql   # a path, git::https://host/repo.git//dir?ref=v1, or https://host/data.tar.gz?checksum=sha256:…\n")
	return b.String()
}

// frameworksLine lists the preset's frameworks, or shows the key commented out.
func frameworksLine(names []string) string {
	known := strings.Join(services.FrameworkNames(true), ", ")
	if len(names) == 0 {
		return "# frameworks: []         # also print the settings under the names these read: " + known +
			" (Frappe's: devstack env --format frappe)"
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = yamlScalar(n)
	}
	return "frameworks: [" + strings.Join(quoted, ", ") + "]   # the settings also under the names these read (known: " + known + ")"
}

// WriteText says what was written.
func (r *InitReport) WriteText(w *output.TextWriter) {
	from := "default constraints"
	if r.FromFound {
		from = "constraints from the tools on this machine"
	}
	if r.From != "" {
		w.Item(output.OK, fmt.Sprintf("wrote %s (from %s)", r.File, r.From))
	} else {
		w.Item(output.OK, fmt.Sprintf("wrote %s (preset %s, %s)", r.File, r.Preset, from))
	}
	w.Item(output.OK, fmt.Sprintf("%s ignored in %s", strings.Join(r.Ignored, " and "), r.Gitignore))
	w.Line("next: devstack doctor, then devstack bootstrap")
}
