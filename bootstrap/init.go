package bootstrap

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/devstack-dev/devstack/checks"
	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/state"
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
}

// InitReport says what init wrote.
type InitReport struct {
	File      string `json:"file"`
	Gitignore string `json:"gitignore"`
	FromFound bool   `json:"from_machine"`
}

// Init writes a starting devstack.yaml, and keeps .devstack/ out of git.
func Init(opts InitOptions) (*InitReport, error) {
	path := filepath.Join(opts.Root, config.FileName)
	if _, err := os.Stat(path); err == nil && !opts.Force {
		return nil, output.WithHint(fmt.Errorf("%s: %w; devstack init does not overwrite it", path, ErrExists),
			"edit it, or run devstack init --force to replace it")
	}
	if err := os.WriteFile(path, []byte(initYAML(config.ProjectName(filepath.Base(opts.Root)), opts.Found)), 0o644); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	ignore, err := ignoreStateDir(opts.Root)
	if err != nil {
		return nil, err
	}
	return &InitReport{File: path, Gitignore: ignore, FromFound: len(opts.Found) > 0}, nil
}

func initYAML(project string, found map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# devstack.yaml: what this project needs on a developer's machine.\n")
	fmt.Fprintf(&b, "# devstack doctor checks the tools, devstack bootstrap starts everything.\n")
	fmt.Fprintf(&b, "project: %s\nbind: %s          # never 0.0.0.0 unless the services must be reachable from the network\noffset: 0\n", project, config.DefaultBind)
	fmt.Fprintf(&b, "env_file: .env           # bootstrap writes the connection settings here\n\n")
	b.WriteString("tools:\n")
	for _, t := range config.DefaultTools() {
		constraint := t.Constraint
		if v, ok := found[t.Name]; ok {
			if sv, ok := checks.Comparable(v); ok {
				constraint = fmt.Sprintf(">=%d.%d", sv.Major(), sv.Minor())
			}
		}
		fmt.Fprintf(&b, "  %s: %q\n", t.Name, constraint)
	}
	b.WriteString("\nservices:\n")
	for _, s := range services.Defaults() {
		fmt.Fprintf(&b, "  %s: {}\n", s.Name)
	}
	b.WriteString(`
# fixtures:                  # data loaded once per content: devstack fixtures, or bootstrap
#   - name: demo-records
#     service: postgres        # postgres (*.sql), minio (files), opensearch (templates/, indices/, *.ndjson), rabbitmq (definitions .json)
#     source: ./fixtures/sql   # a path, git::https://host/repo.git//dir?ref=v1, or https://host/data.tar.gz?checksum=sha256:…
`)
	return b.String()
}

// ignoreStateDir adds .devstack/ to the project's .gitignore unless it is there.
func ignoreStateDir(root string) (string, error) {
	path := filepath.Join(root, ".gitignore")
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if l := strings.TrimSpace(line); l == state.Dir+"/" || l == state.Dir || l == "/"+state.Dir+"/" {
			return path, nil
		}
	}
	text := string(data)
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	text += "# devstack's private state: generated credentials, fixture records, cache\n" + state.Dir + "/\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return path, nil
}

// WriteText says what was written.
func (r *InitReport) WriteText(w *output.TextWriter) {
	from := "default constraints"
	if r.FromFound {
		from = "constraints from the tools on this machine"
	}
	w.Item(output.OK, fmt.Sprintf("wrote %s (%s)", r.File, from))
	w.Item(output.OK, fmt.Sprintf(".devstack/ is ignored in %s", r.Gitignore))
	w.Line("next: devstack doctor, then devstack bootstrap")
}
