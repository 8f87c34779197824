package config

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// need is what doctor makes of one tool: "required", "optional" (a failure warns) or
// "not needed" (not run), and where that came from.
func need(t Tool) string {
	switch {
	case t.NotNeeded:
		return "not needed"
	case t.Required:
		return "required"
	}
	return "optional"
}

// What a project needs comes from its devstack.yaml; Compose only when the project says
// so; with no file at all, nothing is required.
func TestToolNeeds(t *testing.T) {
	tests := []struct {
		file string // under testdata/tools; "" is no devstack.yaml at all
		want map[string]string
		from map[string]string
	}{
		{"", map[string]string{"python": "optional", "git": "optional", "docker": "optional", "compose": "not needed"},
			map[string]string{"python": ToolNoFile, "compose": ToolNoFile}},
		{"no-tools.yaml", map[string]string{"python": "required", "pipenv": "required", "git": "required", "compose": "not needed"},
			map[string]string{"python": ToolDefault, "compose": ToolDefault}},
		{"listed.yaml", map[string]string{"compose": "required", "pipenv": "not needed", "imagemagick": "not needed", "node": "optional", "python": "required"},
			map[string]string{"compose": "listed.yaml:4:12", "pipenv": "listed.yaml:5:11", "python": ToolDefault}},
		// git:: sources are cloned by the git binary: git is needed whatever tools: says.
		{"git-fixture.yaml", map[string]string{"git": "required"}, map[string]string{"git": "git-fixture.yaml:6: fixtures[0].source is a git repository"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			opts := Options{Dir: t.TempDir(), Getenv: func(string) string { return "" }}
			if tt.file != "" {
				opts.Path = filepath.Join("testdata", "tools", tt.file)
			}
			cfg, err := Load(opts)
			if err != nil {
				t.Fatal(err)
			}
			for name, w := range tt.want {
				tool, ok := cfg.Tool(name)
				if !ok {
					t.Fatalf("no tool %s", name)
				}
				if got := need(tool); got != w {
					t.Errorf("%s: %s, want %s", name, got, w)
				}
			}
			for name, w := range tt.from {
				tool, _ := cfg.Tool(name)
				if !strings.HasSuffix(tool.From, w) {
					t.Errorf("%s: from %q, want it to end in %q", name, tool.From, w)
				}
			}
		})
	}
}

func TestToolNeedErrors(t *testing.T) {
	tests := []struct {
		file      string
		line, col int
		key, msg  string
	}{
		{"needed-and-version.yaml", 2, 21, "tools.compose.needed", "is false, yet a version or required: true is given"},
		{"needed-not-bool.yaml", 3, 13, "tools.git.needed", `must be true or false, not "no"`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := Load(Options{Path: filepath.Join("testdata", "tools", tt.file), Dir: t.TempDir(), Getenv: func(string) string { return "" }})
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v; want *config.Error", err)
			}
			if ce.Line != tt.line || ce.Col != tt.col || ce.Key != tt.key || !strings.Contains(ce.Msg, tt.msg) || ce.Fix == "" {
				t.Fatalf("got %d:%d %q %q (fix %q); want %d:%d %q %q", ce.Line, ce.Col, ce.Key, ce.Msg, ce.Fix, tt.line, tt.col, tt.key, tt.msg)
			}
		})
	}
}
