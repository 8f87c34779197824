package checks

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// The strings in testdata/versions.json are what real tools printed, variants included.
func TestParsers(t *testing.T) {
	parsers := map[string]parser{
		"python": parsePython, "pipenv": parsePipenv, "node": parseNode, "npm": parseNpm,
		"docker": parseDocker, "compose": parseCompose, "compose-v1": parseComposeV1,
		"imagemagick": parseImageMagick, "git": parseGit,
	}
	data, err := os.ReadFile("testdata/versions.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Tool, Stdout, Stderr string
		Want, Comparable     string
		Error                string
	}
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 20 {
		t.Fatalf("only %d cases read", len(cases))
	}
	for i, c := range cases {
		t.Run(fmt.Sprintf("%s/%d", c.Tool, i), func(t *testing.T) {
			p, ok := parsers[c.Tool]
			if !ok {
				t.Fatalf("no parser for %q", c.Tool)
			}
			got, err := p(c.Stdout, c.Stderr)
			if c.Error != "" {
				if err == nil || !strings.Contains(err.Error(), c.Error) {
					t.Fatalf("got %q, %v; want error containing %q", got, err, c.Error)
				}
				return
			}
			if err != nil || got != c.Want {
				t.Fatalf("got %q, %v; want %q", got, err, c.Want)
			}
			v, ok := Comparable(got)
			if c.Comparable == "" {
				if ok {
					t.Fatalf("Comparable(%q) = %v; want not comparable", got, v)
				}
				return
			}
			if !ok || v.String() != c.Comparable {
				t.Fatalf("Comparable(%q) = %v, %v; want %s", got, v, ok, c.Comparable)
			}
		})
	}
}

func TestFirstLinesDropsBlankLines(t *testing.T) {
	got := firstLines("docker: unknown command: docker compose\n\nRun 'docker --help' for more information\n", 3, 300)
	want := "docker: unknown command: docker compose\nRun 'docker --help' for more information"
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}
