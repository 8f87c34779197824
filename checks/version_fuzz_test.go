package checks

import (
	"testing"
)

// FuzzVersionParsers: whatever a tool prints, reading its version never panics, and a
// version read is one Comparable can judge or reports as unreadable, without panicking.
func FuzzVersionParsers(f *testing.F) {
	for _, s := range []string{
		"Python 3.11.7", "pipenv, version 2024.4.0", "v20.20.2", "11.19.1",
		"Docker version 28.2.2, build e6534b4", "Docker Compose version v2.31.0-desktop.2",
		"docker-compose version 1.29.2, build 5becea4c", "Version: ImageMagick 7.1.2-10 Q16-HDRI",
		"git version 2.50.1.windows.1", "dev", "", "v99999999999999999999999.1",
	} {
		f.Add(s, "")
	}
	parsers := []parser{parsePython, parsePipenv, parseNode, parseNpm, parseDocker, parseCompose, parseComposeV1, parseImageMagick, parseGit}
	f.Fuzz(func(t *testing.T, stdout, stderr string) {
		for _, p := range parsers {
			if v, err := p(stdout, stderr); err == nil {
				_, _ = Comparable(v)
			} else if err.Error() == "" {
				t.Fatal("an empty error")
			}
		}
		if v, ok := Comparable(stdout); ok && v == nil {
			t.Fatal("ok with no version")
		}
	})
}
