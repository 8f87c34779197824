package checks

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// A parser reads the version a tool printed. It returns the version as the tool wrote
// it, for display; Compare turns that into something comparable.
type parser func(stdout, stderr string) (string, error)

// errNoVersion means the output holds no version in the form the tool is known to use.
type errNoVersion struct{ output string }

func (e errNoVersion) Error() string {
	return fmt.Sprintf("no version in its output: %q", firstLines(e.output, 3, 200))
}

// matcher builds a parser from a pattern whose first group is the version. Only stdout
// is read unless alsoStderr: npm and IM7's convert write warnings there that must not
// be mistaken for the answer, while Python 2 writes its version only there.
func matcher(pattern string, alsoStderr bool) parser {
	re := regexp.MustCompile(pattern)
	return func(stdout, stderr string) (string, error) {
		text := stdout
		if alsoStderr {
			text = stdout + "\n" + stderr
		}
		if m := re.FindStringSubmatch(text); m != nil {
			return m[1], nil
		}
		return "", errNoVersion{output: strings.TrimSpace(text)}
	}
}

var (
	// "Python 3.11.7", Python 2's "Python 2.7.18" on stderr, "Python 3.13.0rc1".
	parsePython = matcher(`(?m)^Python (\d+\.\d+(?:\.\d+)?\S*)`, true)
	// "pipenv, version 2024.4.0", once "pipenv\n, version 2023.8.19".
	parsePipenv = matcher(`(?s)^\s*pipenv\s*,\s*version\s+(\S+)`, false)
	// "v20.20.2".
	parseNode = matcher(`(?m)^v(\d+\.\d+\.\d+\S*)\s*$`, false)
	// "11.19.1", with `npm WARN …` on stderr left unread.
	parseNpm = matcher(`(?m)^(\d+\.\d+\.\d+\S*)\s*$`, false)
	// "Docker version 28.2.2, build e6534b4", "20.10.24+dfsg1", "17.03.0-ce",
	// "1.13.1, build accfe55-unsupported".
	parseDocker = matcher(`(?m)^Docker version ([^\s,]+)`, false)
	// v2 plugin: "Docker Compose version v2.17.2", "v2.31.0-desktop.2", "2.4.1", "dev".
	// Docker's own "Docker version …", printed by `docker compose --version` when there is
	// no plugin, must not match.
	parseCompose = matcher(`(?m)^Docker Compose version (\S+)`, false)
	// v1: "docker-compose version 1.29.2, build 5becea4c".
	parseComposeV1 = matcher(`(?m)^docker-compose version ([^\s,]+)`, false)
	// "Version: ImageMagick 7.1.2-10 Q16-HDRI …" from magick (7) or convert (6). On
	// Windows `convert` is a disk tool whose output never matches.
	parseImageMagick = matcher(`(?m)^Version: ImageMagick (\d+\.\d+\.\d+(?:-\d+)?)`, false)
	// "git version 2.39.5", "… (Apple Git-154)", "2.50.1.windows.1".
	parseGit = matcher(`(?m)^git version (\d+\.\d+(?:\.\d+)?\S*)`, false)
)

var coreRE = regexp.MustCompile(`^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?`)

// Comparable reads the release a version string names, dropping the suffixes vendors add
// ("-ce", "+dfsg1", "-desktop.2", ImageMagick's "-10", ".windows.1"). semver would read
// them as pre-releases, which no ordinary constraint admits. ok is false for a version
// with no number at all, like Compose's "dev" or Docker Desktop's "master".
func Comparable(raw string) (v *semver.Version, ok bool) {
	m := coreRE.FindStringSubmatch(strings.TrimSpace(raw))
	if m == nil {
		return nil, false
	}
	core := m[1]
	for _, part := range m[2:] {
		if part == "" {
			part = "0"
		}
		core += "." + part
	}
	v, err := semver.NewVersion(core)
	return v, err == nil
}

// firstLines quotes the start of a tool's output in a message: blank lines dropped, at
// most n lines and max bytes.
func firstLines(s string, n, max int) string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, strings.TrimRight(l, " \r"))
		}
	}
	if len(lines) > n {
		lines = append(lines[:n], "…")
	}
	out := strings.Join(lines, "\n")
	if len(out) > max {
		out = out[:max] + "…"
	}
	return out
}
