package probe

import (
	amqp "github.com/rabbitmq/amqp091-go"
)

// The drivers' own loggers write to stderr (go-redis, used before redigo, printed
// "redis: … pool.go:770: … connection refused" for every failed poll), which breaks
// --output json and says nothing a probe's error does not. A probe reports through its
// error only, so the drivers are silenced for every program that uses this package,
// whatever its output. pgx and the mongo driver log only through a tracer or logger they
// are given; none is. redigo has no logger of its own.
func init() {
	amqp.SetLogger(quietAMQP{})
}

type quietAMQP struct{}

func (quietAMQP) Printf(string, ...any) {}
