package services

import (
	"strconv"
	"strings"
	"time"

	"github.com/devstack-dev/devstack/probe/spec"
)

// pgadminPort is where pgAdmin listens inside its container, set explicitly through
// PGADMIN_LISTEN_PORT so that the published port is always the one it listens on.
// pgadmin4's pkg/docker/entrypoint.sh (read at bc58657, 2026-08) binds
// ${PGADMIN_LISTEN_PORT:-80}, but when the container cannot bind a privileged port
// (no-new-privileges, CAP_NET_BIND_SERVICE dropped: rootless and hardened engines) it
// defaults an unset PGADMIN_LISTEN_PORT to 8080 instead; 8080 binds in every context.
// TLS (PGADMIN_ENABLE_TLS, certificates under /certs) moves that same port to https, so
// there is no second port to publish.
const pgadminPort = 8080

var _ = register(&Service{
	Name:     "pgadmin",
	Order:    70,
	Optional: true,
	// A major tag: pgAdmin's configuration database migrates forward within it.
	Image:   "dpage/pgadmin4:9",
	Ports:   []Port{{Name: "http", Container: pgadminPort, Host: 5250}},
	Mount:   "/var/lib/pgadmin",
	Timeout: 120 * time.Second,
	Env: func(p Params) map[string]string {
		return map[string]string{
			"PGADMIN_DEFAULT_EMAIL":    pgadminEmail(p.Project),
			"PGADMIN_DEFAULT_PASSWORD": p.Secret("PGADMIN_DEFAULT_PASSWORD"),
			"PGADMIN_LISTEN_PORT":      strconv.Itoa(pgadminPort),
		}
	},
	Probe: spec.Spec{Kind: "http", Port: "http", Path: "/misc/ping"},
	// PostgreSQL's administration UI: started once the database answers, when the
	// project runs both.
	DependsOn: []string{"postgres"},
	Connection: func(ep Endpoint) []Setting {
		return []Setting{
			{Key: "PGADMIN_URL", Value: "http://" + ep.Addr("http")},
			{Key: "PGADMIN_EMAIL", Value: ep.Env["PGADMIN_DEFAULT_EMAIL"]},
			{Key: "PGADMIN_PASSWORD", Value: ep.Env["PGADMIN_DEFAULT_PASSWORD"], Secret: true},
		}
	},
})

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
