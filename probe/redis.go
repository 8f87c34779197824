package probe

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// Redis is ready when PING is answered PONG, after AUTH when Password is set.
type Redis struct {
	Port     string
	Password string // template
}

var _ Strategy = Redis{}

func (r Redis) Check(ctx context.Context, t Target) error {
	addr, err := Addr(t, r.Port)
	if err != nil {
		return err
	}
	if err := expandAll(t, &r.Password); err != nil {
		return err
	}
	c := redis.NewClient(&redis.Options{
		Addr: addr, Password: r.Password,
		DialTimeout: attemptTimeout, ReadTimeout: attemptTimeout, WriteTimeout: attemptTimeout,
		MaxRetries: -1, PoolSize: 1, DisableIdentity: true,
	})
	defer c.Close()
	pong, err := c.Ping(ctx).Result()
	if err != nil {
		return authFailure(err)
	}
	if pong != "PONG" {
		return fmt.Errorf("PING answered %q", pong)
	}
	return nil
}

func (r Redis) String() string { return "redis PING" }
