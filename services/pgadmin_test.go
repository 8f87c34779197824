package services

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/internal/testenv"
)

// Project names as ProjectName makes them from directories, and worse.
var pgadminProjects = []string{
	"my-app", "1ocean", "my.app", "my_app", "a", "select", "x--y", "-lead", "trail-",
	"日本語", "café-app", strings.Repeat("long-name", 20), "UPPER", "localhost", "test",
}

// The local part takes [a-z0-9-] and at most 64 characters; the domain is fixed.
var pgadminEmailGrammar = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?@example\.com$`)

func TestPGAdminEmailGrammar(t *testing.T) {
	for _, p := range pgadminProjects {
		if e := pgadminEmail(p); !pgadminEmailGrammar.MatchString(e) {
			t.Errorf("%q: %q", p, e)
		}
	}
	if got := pgadminEmail("my-app"); got != "admin-my-app@example.com" {
		t.Errorf("my-app: %q", got)
	}
}

// The e-mail passes the validator pgAdmin's entrypoint runs, called the way pgAdmin
// calls it (testdata/pgadmin_validate.py says how), with Debian's python3-email-validator
// at /usr/bin/python3: pgAdmin has no image on this machine. The old default
// (admin@PROJECT.localhost) is in the table as the control that must be refused.
func TestPGAdminEmailPassesEmailValidator(t *testing.T) {
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import email_validator").Run(); err != nil {
		testenv.Missing(t, "%s cannot import email_validator (%v): apt-get install python3-email-validator (.ci/run does)", python, err)
	}
	script, err := os.ReadFile("testdata/pgadmin_validate.py")
	if err != nil {
		t.Fatal(err)
	}
	var in bytes.Buffer
	emails := []string{"admin@my-app.localhost", "admin@x.test"} // controls: refused
	for _, p := range pgadminProjects {
		emails = append(emails, pgadminEmail(p))
	}
	for _, e := range emails {
		in.WriteString(e + "\n")
	}
	cmd := exec.Command(python, "-c", string(script))
	cmd.Stdin = &in
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", python, err)
	}
	verdicts := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(verdicts) != len(emails) {
		t.Fatalf("%d verdicts for %d addresses: %s", len(verdicts), len(emails), out)
	}
	for i, e := range emails {
		want := "ok"
		if i < 2 {
			want = "refused"
		}
		if !strings.HasPrefix(verdicts[i], want) {
			t.Errorf("%s: %s, want %s", e, verdicts[i], want)
		}
	}
}
