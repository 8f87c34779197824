package services

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
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
	Probe: func(ctx context.Context, ep Endpoint) error {
		conn, err := amqp.DialConfig(AMQPURL(ep), amqp.Config{Dial: dialContext(ctx)})
		if err != nil {
			return err
		}
		conn.Close()
		if _, ok := ep.Ports["management"]; !ok {
			return nil
		}
		code, _, err := httpGet(ctx, "http://"+ep.Addr("management")+"/api/overview", ep.Env["RABBITMQ_DEFAULT_USER"], ep.Env["RABBITMQ_DEFAULT_PASS"])
		if err != nil {
			return err
		}
		if code != http.StatusOK {
			return errStatus("management API /api/overview", code)
		}
		return nil
	},
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

// dialContext lets the AMQP handshake be cut short by ctx, as every probe must be.
func dialContext(ctx context.Context) func(network, addr string) (net.Conn, error) {
	return func(network, addr string) (net.Conn, error) {
		d := net.Dialer{Timeout: 2 * time.Second}
		conn, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		if deadline, ok := ctx.Deadline(); ok {
			_ = conn.SetDeadline(deadline)
		} else {
			_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
		}
		return conn, nil
	}
}
