package services

import (
	"strconv"
	"time"

	"github.com/devstack-dev/devstack/probe/spec"
)

var _ = register(&Service{
	Name:     "mailpit",
	Order:    140,
	Optional: true,
	// Mailpit, not MailHog (unmaintained since 2020); its image is tagged by release.
	Image: "axllent/mailpit:v1.31.3",
	Ports: []Port{
		{Name: "smtp", Container: 1025, Host: 1225},
		{Name: "http", Container: 8025, Host: 8225},
	},
	// Caught mail survives a restart in this database, until down --volumes.
	Mount:   "/data",
	Timeout: 30 * time.Second,
	// No credentials: it catches any mail on loopback and sends none on; SMTP login
	// would need TLS set up, which no development mailer here does.
	Env: func(Params) map[string]string {
		return map[string]string{"MP_DATABASE": "/data/mailpit.db"}
	},
	Probe: spec.Spec{Kind: "all", All: []spec.Spec{
		{Kind: "http", Port: "http", Path: "/readyz"},
		{Kind: "tcp-banner", Port: "smtp", Expect: "220"},
	}},
	// SMTP_HOST/SMTP_PORT as most mailers name them, MAIL_URL as Meteor and URL-style
	// configurations read it, MAILPIT_URL for the web UI and its API (/api/v1/messages).
	Connection: func(ep Endpoint) []Setting {
		return []Setting{
			{Key: "SMTP_HOST", Value: ep.Host},
			{Key: "SMTP_PORT", Value: strconv.Itoa(ep.Ports["smtp"])},
			{Key: "MAIL_URL", Value: "smtp://" + ep.Addr("smtp")},
			{Key: "MAILPIT_URL", Value: "http://" + ep.Addr("http")},
		}
	},
})
