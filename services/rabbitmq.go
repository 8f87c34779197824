package services

import (
	"net/url"
)

// rabbitmq's definition is data (services/builtin/rabbitmq.yaml); the frameworks' broker
// settings are built from this URL, the one its AMQP_URL setting holds.

// AMQPURL is the broker URL with the service's credentials, on the default vhost.
func AMQPURL(ep Endpoint) string {
	u := url.URL{Scheme: "amqp", Host: ep.Addr("amqp"), Path: "/",
		User: url.UserPassword(ep.Env["RABBITMQ_DEFAULT_USER"], ep.Env["RABBITMQ_DEFAULT_PASS"])}
	return u.String()
}
