package probe

import (
	"context"
	"fmt"
	"time"

	"github.com/gomodule/redigo/redis"

	"github.com/devstack-dev/devstack/probe/spec"
)

// Redis is ready when PING is answered PONG, after AUTH when Password is set.
//
// The client is redigo, not go-redis: a probe sends two commands, and go-redis's
// command-per-method API linked about 8 MB into every devstack command (issue 21).
type Redis struct {
	Port     string
	Password string // template
}

func init() {
	Register("redis", func(s spec.Spec) (Strategy, error) {
		return Redis{Port: s.Port, Password: s.Password}, nil
	})
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
	// redigo sends AUTH while dialling when the password is not empty, bounded by the
	// read timeout and not by ctx: the timeout is cut to what ctx leaves.
	timeout := attemptTimeout
	if d, ok := ctx.Deadline(); ok && time.Until(d) < timeout {
		timeout = max(time.Until(d), time.Millisecond)
	}
	c, err := redis.DialContext(ctx, "tcp", addr, redis.DialPassword(r.Password),
		redis.DialConnectTimeout(timeout), redis.DialReadTimeout(timeout), redis.DialWriteTimeout(timeout))
	if err != nil {
		return authFailure(err)
	}
	defer c.Close()
	pong, err := redis.String(redis.DoContext(c, ctx, "PING"))
	if err != nil {
		return authFailure(err)
	}
	if pong != "PONG" {
		return fmt.Errorf("PING answered %q", pong)
	}
	return nil
}

func (r Redis) String() string { return "redis PING" }
