package services

import (
	"strings"
)

// pgadmin's definition is data (services/builtin/pgadmin.yaml); its login is this rule,
// ${project:pgadmin-email} there.
func init() { RegisterNameRule("pgadmin-email", pgadminEmail) }

// pgadminEmail is the login of pgAdmin's first user. From 8.10 the image's entrypoint
// checks PGADMIN_DEFAULT_EMAIL with pgAdmin's web/pgadmin/utils/validation_utils.py,
// which calls email-validator with deliverability off but GLOBALLY_DELIVERABLE on, and
// exits 1 on a refusal. email-validator (JoshData/python-email-validator, read at
// b73d010, 2026-06) refuses the special-use domains arpa, invalid, local, localhost,
// onion and test, and a domain without a dot or whose last label is not a letter;
// it deliberately accepts example.com (RFC 6761: applications SHOULD NOT treat it as
// special), a domain no mail is ever delivered to, which suits a login name.
//
// The project goes into the local part, which takes [a-z0-9-] anywhere and at most 64
// characters; a domain label would also have to avoid a leading or trailing dash and
// "--" in its third and fourth characters (IDNA). The entrypoint pastes the address
// into a single-quoted Python literal, so it must never hold a quote: it cannot.
func pgadminEmail(project string) string {
	const prefix, max = "admin-", 64
	var b strings.Builder
	dash := true // no dash right after the prefix's
	for _, r := range strings.ToLower(project) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	name := strings.TrimRight(b.String(), "-")
	if len(name) > max-len(prefix) {
		name = strings.TrimRight(name[:max-len(prefix)], "-")
	}
	local := "admin"
	if name != "" {
		local = prefix + name
	}
	return local + "@example.com"
}
