package bootstrap

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/devstack-dev/devstack/output"
)

// Presets are data: one YAML file each under presets/, read at start. A new stack is a
// new file.
//
//go:embed presets/*.yaml
var presetFiles embed.FS

// DefaultPreset is what init writes when no --preset is given.
const DefaultPreset = "invenio"

// Preset is a known stack init can write a devstack.yaml for.
type Preset struct {
	Name     string                `json:"name"`
	About    string                `json:"about" yaml:"about"`
	Header   string                `json:"-" yaml:"header"`
	Services []string              `json:"services" yaml:"services"`
	Tools    map[string]PresetTool `json:"tools" yaml:"tools"`
	// Frameworks whose own setting names the stack's users read (devstack.yaml's
	// frameworks:). Not in init --list-presets' JSON, whose shape stays as it was.
	Frameworks []string `json:"-" yaml:"frameworks"`
}

// PresetTool changes one of devstack's default tool requirements; needed: false says
// the stack does not use the tool, so doctor does not check it.
type PresetTool struct {
	Version  string `json:"version,omitempty" yaml:"version"`
	Required *bool  `json:"required,omitempty" yaml:"required"`
	Needed   *bool  `json:"needed,omitempty" yaml:"needed"`
}

// ErrUnknownPreset is a --preset no file defines.
var ErrUnknownPreset = errors.New("unknown preset")

// Presets lists every preset, by name.
func Presets() ([]Preset, error) {
	entries, err := presetFiles.ReadDir("presets")
	if err != nil {
		return nil, err
	}
	var out []Preset
	for _, e := range entries {
		data, err := presetFiles.ReadFile(path.Join("presets", e.Name()))
		if err != nil {
			return nil, err
		}
		p := Preset{Name: strings.TrimSuffix(e.Name(), ".yaml")}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("preset %s: %w", p.Name, err)
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// LookupPreset finds a preset by name; an unknown name's error lists the known ones.
func LookupPreset(name string) (Preset, error) {
	all, err := Presets()
	if err != nil {
		return Preset{}, err
	}
	var names []string
	for _, p := range all {
		if p.Name == name {
			return p, nil
		}
		names = append(names, p.Name)
	}
	return Preset{}, output.WithHint(fmt.Errorf("%w %q (presets: %s)", ErrUnknownPreset, name, strings.Join(names, ", ")),
		"name one of them, see devstack init --list-presets, or run devstack init without --preset and edit services:")
}

// PresetList is what init --list-presets prints.
type PresetList struct {
	Presets []Preset `json:"presets"`
}

func (l *PresetList) WriteText(w *output.TextWriter) {
	for _, p := range l.Presets {
		w.Line(fmt.Sprintf("%-11s %s", p.Name, p.About))
		w.Detail("services", strings.Join(p.Services, ", "))
	}
	w.Line("use: devstack init --preset NAME")
}
