package grammar

import "strings"

// VHostFix says what a RabbitMQ virtual host looks like.
const VHostFix = "use / (the default) or a name of letters, digits and . _ -, such as myapp"

// VHost is a RabbitMQ virtual host a repository names (RABBITMQ_DEFAULT_VHOST, an amqp
// probe's vhost): "/", or a letter or digit then letters, digits and . _ -, at most 255
// bytes. It reaches AMQP's connection.open, the management API's URL path and the
// connection URL devstack prints, where '/', '%', '?', '#' and '@' would change meaning.
func VHost(v string) error {
	switch {
	case v == "/":
		return nil
	case v == "" || len(v) > 255:
		return refuse("vhost must be / or 1 to 255 characters", VHostFix)
	case !onlyOf(v[:1], lower+upper+digits) || !onlyOf(v, lower+upper+digits+"._-"):
		return refuse("vhost must be / or letters, digits and . _ -, starting with a letter or digit", VHostFix)
	}
	return nil
}

// QueueFix says what a queue or exchange name looks like.
const QueueFix = "use letters, digits and . _ : -, starting with a letter or digit and not with amq., such as myapp.tasks"

// QueueName is a RabbitMQ queue or exchange name a repository gives: a letter or digit,
// then letters, digits and . _ : -, at most 255 bytes (AMQP 0-9-1's shortstr), and never
// in the `amq.` namespace, which the broker reserves for its own (amq.direct, amq.rabbitmq.*).
func QueueName(name string) error {
	switch {
	case name == "" || len(name) > 255:
		return refuse("name must be 1 to 255 characters", QueueFix)
	case strings.HasPrefix(strings.ToLower(name), "amq."):
		return refuse("names starting with amq. are reserved by RabbitMQ", QueueFix)
	case !onlyOf(name[:1], lower+upper+digits) || !onlyOf(name, lower+upper+digits+"._:-"):
		return refuse("name may hold only letters, digits and . _ : -, starting with a letter or digit", QueueFix)
	}
	return nil
}
