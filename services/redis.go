package services

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/redis/go-redis/v9"
)

var _ = register(&Service{
	Name:  "redis",
	Order: 10,
	// 7: the major Invenio's template runs; Redis 8 reads 7's RDB and AOF files when you move.
	Image:   "redis:7",
	Ports:   []Port{{Name: "redis", Container: 6379, Host: 6579}},
	Mount:   "/data",
	Timeout: 30 * time.Second,
	Env: func(p Params) map[string]string {
		// The official image reads no password variable; Cmd passes it to the server.
		return map[string]string{"REDIS_PASSWORD": p.Secret("REDIS_PASSWORD")}
	},
	Cmd: func(env map[string]string) []string {
		cmd := []string{"redis-server", "--dir", "/data", "--appendonly", "yes"}
		if pw := env["REDIS_PASSWORD"]; pw != "" {
			cmd = append(cmd, "--requirepass", pw)
		}
		return cmd
	},
	Probe: func(ctx context.Context, ep Endpoint) error {
		c := redis.NewClient(redisOptions(ep))
		defer c.Close()
		pong, err := c.Ping(ctx).Result()
		if err != nil {
			return err
		}
		if pong != "PONG" {
			return fmt.Errorf("PING answered %q", pong)
		}
		return nil
	},
	Connection: func(ep Endpoint) []Setting {
		u := url.URL{Scheme: "redis", Host: ep.Addr("redis"), Path: "/0"}
		if pw := ep.Env["REDIS_PASSWORD"]; pw != "" {
			u.User = url.UserPassword("", pw)
		}
		return []Setting{{Key: "REDIS_URL", Value: u.String(), Secret: true}}
	},
})

func redisOptions(ep Endpoint) *redis.Options {
	return &redis.Options{
		Addr: ep.Addr("redis"), Password: ep.Env["REDIS_PASSWORD"],
		DialTimeout: time.Second, ReadTimeout: time.Second, WriteTimeout: time.Second,
		MaxRetries: -1, PoolSize: 1, DisableIdentity: true,
	}
}
