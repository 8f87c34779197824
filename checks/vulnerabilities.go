package checks

import (
	"fmt"
	"strings"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/preflight"
)

// vulnerabilitiesCheck lists the planned images with a known vulnerability (a warning:
// devstack still runs them), with what to do. A project's acknowledge: is named but does
// not turn the warning into an ok: the repository is untrusted, and may not tell the
// person who cloned it that a known-vulnerable server is fine.
func vulnerabilitiesCheck(cfg *config.Config) (Result, bool) {
	res := Result{Name: "vulnerabilities", Kind: kindSystem, Status: output.Warn}
	var msgs, fixes, ids []string
	for _, s := range cfg.Services {
		for _, a := range preflight.AdvisoriesFor(s.Image) {
			ids = append(ids, a.ID)
			msg := fmt.Sprintf("%s (%s): %s: %s", s.Name, s.Image, a.ID, a.Summary)
			if where := s.Acknowledges(a.ID); where != "" {
				msg += fmt.Sprintf(" (acknowledged by the project at %s; up stays quiet about it)", where)
			}
			msgs = append(msgs, msg)
			fixes = append(fixes, fmt.Sprintf("%s: %s", s.Name, strings.Replace(a.Advice, "under the service", "under services."+s.Name, 1)))
		}
	}
	if len(msgs) == 0 {
		return res, false
	}
	res.Version = strings.Join(ids, ", ")
	res.Message, res.Fix = strings.Join(msgs, "; "), strings.Join(fixes, "\n")
	return res, true
}
