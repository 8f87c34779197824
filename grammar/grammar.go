// Package grammar holds the rule of every sink a repository's strings reach: the engine
// (mount paths, image references, container variables), git's argv (refs, subdirectories,
// URLs), a shell or dotenv reader (setting keys), devstack's own state files (secret
// names), URLs (probe paths) and the servers' naming rules (indices, buckets, vhosts,
// databases, users). Each rule is written down once, here, with where it comes from;
// config checks every repository string against its sink's rule when devstack.yaml is
// loaded, and the writers that matter check again.
//
// Every rule is an allowlist: it says which strings are fine, so that a form nobody
// thought of is refused rather than passed on. A Violation never quotes the string: it
// may be a secret, and config quotes what is safe to show.
package grammar

import (
	"strings"
	"unicode"
)

// Violation is a string a sink's grammar refuses: Rule says what the grammar asks, Fix
// what to write instead.
type Violation struct {
	Rule string
	Fix  string
}

func (v *Violation) Error() string { return v.Rule }

// Hint is the fix, for output.HintOf.
func (v *Violation) Hint() string { return v.Fix }

func refuse(rule, fix string) error { return &Violation{Rule: rule, Fix: fix} }

// hasControl reports a control character (newline, NUL, escape…), which no sink here
// reads as part of a name: a line break ends a line of a state file or a header.
func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

// onlyOf reports whether every byte of s is in allowed.
func onlyOf(s, allowed string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(allowed, s[i]) < 0 {
			return false
		}
	}
	return true
}

const (
	lower  = "abcdefghijklmnopqrstuvwxyz"
	upper  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	digits = "0123456789"
)
