package checks

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/output"
)

// candidate is one way to ask a tool its version.
type candidate struct {
	argv  []string
	parse parser
}

// toolProbe knows how to find one tool and what to do when it is missing or wrong.
type toolProbe struct {
	candidates []candidate // tried in order: the first that answers with a version wins
	fix        func(h host, path string) string
}

var toolProbes = map[string]toolProbe{
	"python": {
		candidates: []candidate{{[]string{"python3", "--version"}, parsePython}, {[]string{"python", "--version"}, parsePython}},
		fix: func(h host, path string) string {
			if h.pyenvInUse(path) {
				return "pyenv install 3.12 && pyenv global 3.12"
			}
			return h.install(pkg{apt: "python3", dnf: "python3", brew: "python@3.12", url: "https://www.python.org/downloads/"})
		},
	},
	"pipenv": {
		candidates: []candidate{{[]string{"pipenv", "--version"}, parsePipenv}},
		fix: func(h host, _ string) string {
			if h.has("pipx") {
				return "pipx install pipenv (or pipx upgrade pipenv)"
			}
			return "python3 -m pip install --user --upgrade pipenv"
		},
	},
	"node": {
		candidates: []candidate{{[]string{"node", "--version"}, parseNode}},
		fix: func(h host, path string) string {
			if h.nvmInUse(path) {
				return "nvm install --lts && nvm alias default 'lts/*'"
			}
			return h.install(pkg{apt: "nodejs npm", dnf: "nodejs", brew: "node", url: "https://nodejs.org/en/download"})
		},
	},
	"npm": {
		candidates: []candidate{{[]string{"npm", "--version"}, parseNpm}},
		fix: func(h host, path string) string {
			if path != "" {
				return "npm install -g npm@latest"
			}
			return h.install(pkg{apt: "npm", dnf: "nodejs", brew: "node", url: "https://nodejs.org/en/download"})
		},
	},
	"docker": {
		candidates: []candidate{{[]string{"docker", "--version"}, parseDocker}},
		fix: func(h host, _ string) string {
			return h.install(pkg{apt: "docker.io", dnf: "moby-engine", brew: "--cask docker", url: "https://docs.docker.com/engine/install/"})
		},
	},
	"compose": {
		// `docker compose version`, never `--version`: without the plugin the latter prints
		// Docker's own version and exits 0.
		candidates: []candidate{
			{[]string{"docker", "compose", "version"}, parseCompose},
			{[]string{"docker-compose", "--version"}, parseComposeV1},
		},
		fix: func(h host, _ string) string {
			return h.install(pkg{apt: "docker-compose-plugin (from Docker's apt repository; Ubuntu: docker-compose-v2)",
				dnf: "docker-compose-plugin", brew: "docker-compose", url: "https://docs.docker.com/compose/install/"})
		},
	},
	"imagemagick": {
		candidates: []candidate{{[]string{"magick", "-version"}, parseImageMagick}, {[]string{"convert", "-version"}, parseImageMagick}},
		fix: func(h host, _ string) string {
			return h.install(pkg{apt: "imagemagick", dnf: "ImageMagick", brew: "imagemagick", url: "https://imagemagick.org/script/download.php"})
		},
	},
	"git": {
		candidates: []candidate{{[]string{"git", "--version"}, parseGit}},
		fix: func(h host, _ string) string {
			return h.install(pkg{apt: "git", dnf: "git", brew: "git", url: "https://git-scm.com/downloads"})
		},
	},
}

// attempt is one candidate run and what came of it.
type attempt struct {
	argv []string
	out  ran
	raw  string
	err  error // why no version came of it
}

// probeTool finds a tool, runs it, reads its version and judges it.
func probeTool(ctx context.Context, t config.Tool, timeout time.Duration, h host) Result {
	p := toolProbes[t.Name]
	res := Result{Name: t.Name, Kind: kindTool, Required: t.Required, Constraint: t.Constraint, From: t.From}
	if t.NotNeeded {
		// Not even run: a tool the project does not use can neither fail nor warn.
		res.Status, res.Constraint = output.Skip, ""
		res.Message = "not needed by this project"
		if t.Name == "compose" {
			res.Message += " (devstack talks to the Engine API and never calls Compose)"
		}
		res.Message += "; list it under tools: in devstack.yaml if the project uses it"
		return res
	}
	var first *attempt
	var looked []string
	for _, c := range p.candidates {
		looked = append(looked, c.argv[0])
		path, err := exec.LookPath(c.argv[0])
		if err != nil {
			continue
		}
		a := try(ctx, c, path, timeout)
		if a.err == nil {
			return judge(res, t, a, p, h).soften()
		}
		if first == nil {
			first = &a
		}
	}
	if first == nil {
		res.Status = output.Fail
		res.Message = fmt.Sprintf("not found on PATH (looked for %s)", strings.Join(unique(looked), ", "))
		res.Fix = p.fix(h, "")
		return res.soften()
	}
	res.Path = first.out.path
	res.Status = output.Fail
	res.Message = first.err.Error()
	res.Fix = p.fix(h, first.out.path)
	if strings.Contains(first.out.stderr+first.out.stdout, "pyenv:") {
		// A pyenv shim for a version that is not selected exits 127 with this prefix.
		res.Fix = "pyenv versions, then pyenv global VERSION (or pyenv local VERSION in this repository) to select an installed one; " + res.Fix
	}
	return res.soften()
}

func try(ctx context.Context, c candidate, path string, timeout time.Duration) attempt {
	a := attempt{argv: c.argv, out: run(ctx, timeout, path, c.argv[1:]...)}
	cmd := "`" + commandLine(c.argv) + "`"
	switch {
	case errors.Is(a.out.err, errTimeout):
		a.err = fmt.Errorf("%s did not answer: %w", cmd, a.out.err)
	case a.out.err != nil:
		a.err = fmt.Errorf("%s could not run: %w", cmd, a.out.err)
	case a.out.exitCode != 0:
		a.err = fmt.Errorf("%s exited with status %d: %s", cmd, a.out.exitCode,
			firstLines(a.out.stderr+"\n"+a.out.stdout, 3, 300))
	default:
		raw, err := c.parse(a.out.stdout, a.out.stderr)
		if err != nil {
			a.err = fmt.Errorf("%s printed %w", cmd, err)
		}
		a.raw = raw
	}
	return a
}

func judge(res Result, t config.Tool, a attempt, p toolProbe, h host) Result {
	res.Path, res.Version = a.out.path, a.raw
	v, ok := Comparable(a.raw)
	switch {
	case !ok:
		res.Status = output.Warn
		res.Message = fmt.Sprintf("development build %q: cannot check it against %s", a.raw, t.Constraint)
	case !t.Check(v):
		res.Status = output.Fail
		res.Message = fmt.Sprintf("version %s does not satisfy %s", a.raw, t.Constraint)
		res.Fix = p.fix(h, a.out.path)
		if strings.HasPrefix(a.argv[0], "docker-compose") {
			res.Message += " (Compose v1 is end-of-life; devstack wants the v2 plugin)"
		}
	default:
		res.Status = output.OK
	}
	return res
}

func unique(s []string) []string {
	var out []string
	for _, v := range s {
		if len(out) == 0 || out[len(out)-1] != v {
			out = append(out, v)
		}
	}
	return out
}
