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
	Image: "rabbitmq:3-management",
	Ports: []Port{
		{Name: "amqp", Container: 5672, Host: 5872},
		{Name: "management", Container: 15672, Host: 15872},
	},
	// RabbitMQ keys its data on the node name, made from the hostname, which devstack
	// fixes; the data lives here.
	Mount:   "/var/lib/rabbitmq",
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
