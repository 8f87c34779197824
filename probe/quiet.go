package probe

import (
	"context"

	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/redis/go-redis/v9"
)

// The drivers' own loggers write to stderr (go-redis printed "redis: … pool.go:770: …
// connection refused" for every failed poll), which breaks --output json and says
// nothing a probe's error does not. A probe reports through its error only, so the
// drivers are silenced for every program that uses this package, whatever its output.
// pgx and the mongo driver log only through a tracer or logger they are given; none is.
func init() {
	redis.SetLogger(quietRedis{})
	amqp.SetLogger(quietAMQP{})
}

type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}

type quietAMQP struct{}

func (quietAMQP) Printf(string, ...any) {}
