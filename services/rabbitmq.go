package services

import (
	"net/url"
	"time"

	"github.com/devstack-dev/devstack/probe/spec"
)

var _ = register(&Service{
	Name:  "rabbitmq",
	Order: 30,
	// 4.2: 3.13 is out of community support; 4.3 rejects transient non-exclusive queues by
	// default, which Celery's control and event queues are until its kombu fix; and only
	// 4.2 upgrades in place to 4.3 when that day comes.
	Image: "rabbitmq:4.2-management",
	Ports: []Port{
		{Name: "amqp", Container: 5672, Host: 5872},
		{Name: "management", Container: 15672, Host: 15872},
	},
	// RabbitMQ keys its data on the node name, made from the hostname, which devstack
	// fixes; the data lives here.
	Mount: "/var/lib/rabbitmq",
	// A node refuses data from a series it cannot upgrade from in place, and never reads
	// a newer series' data.
	Upgrade: &Upgrade{
		VersionEnv: "RABBITMQ_VERSION",
		Move: func(ctr string) string {
			return "export the definitions (queues, exchanges, users) with the old image running: " +
				"docker exec " + ctr + " rabbitmqctl export_definitions /tmp/defs.json, docker cp it out, " +
				"then devstack down --volumes rabbitmq and import it with a rabbitmq fixture; queued messages do not carry over"
		},
	},
	Timeout: 90 * time.Second,
	Env: func(p Params) map[string]string {
		return map[string]string{
			"RABBITMQ_DEFAULT_USER": "devstack",
			"RABBITMQ_DEFAULT_PASS": p.Secret("RABBITMQ_DEFAULT_PASS"),
		}
	},
	// The broker itself, and the management API that fixtures and people use.
	Probe: spec.Spec{Kind: "all", All: []spec.Spec{
		{Kind: "amqp", Port: "amqp", User: "{env:RABBITMQ_DEFAULT_USER}", Password: "{env:RABBITMQ_DEFAULT_PASS}"},
		{Kind: "http", Port: "management", Path: "/api/overview", User: "{env:RABBITMQ_DEFAULT_USER}", Password: "{env:RABBITMQ_DEFAULT_PASS}"},
	}},
	Fixtures: &Fixtures{Kind: "rabbitmq", Files: "a definitions *.json file"},
	Connection: func(ep Endpoint) []Setting {
		mgmt := url.URL{Scheme: "http", Host: ep.Addr("management"),
			User: url.UserPassword(ep.Env["RABBITMQ_DEFAULT_USER"], ep.Env["RABBITMQ_DEFAULT_PASS"])}
		return []Setting{
			{Key: "AMQP_URL", Value: AMQPURL(ep), Secret: true},
			{Key: "RABBITMQ_MANAGEMENT_URL", Value: mgmt.String(), Secret: true},
		}
	},
})

// AMQPURL is the broker URL with the service's credentials, on the default vhost.
func AMQPURL(ep Endpoint) string {
	u := url.URL{Scheme: "amqp", Host: ep.Addr("amqp"), Path: "/",
		User: url.UserPassword(ep.Env["RABBITMQ_DEFAULT_USER"], ep.Env["RABBITMQ_DEFAULT_PASS"])}
	return u.String()
}
