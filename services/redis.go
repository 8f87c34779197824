package services

import (
	"net/url"
	"time"

	"github.com/devstack-dev/devstack/probe/spec"
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
	Probe: spec.Spec{Kind: "redis", Password: "{env:REDIS_PASSWORD}"},
	// The password goes with the user "default" (Redis 6's ACL user that requirepass sets):
	// redis-cli 7's -u refuses redis://:PASS@host (an empty user), and sends AUTH default
	// PASS for redis://default:PASS@host. redis-py (Redis.from_url: username and password
	// from the URL), node-redis 4+, ioredis and go-redis (ParseURL) send the same AUTH with
	// two arguments, which every Redis from 6.0 accepts; Redis 5 and older have no users,
	// so a pin below 6 needs the old form (docs/images.md says so).
	Connection: func(ep Endpoint) []Setting {
		u := url.URL{Scheme: "redis", Host: ep.Addr("redis"), Path: "/0"}
		if pw := ep.Env["REDIS_PASSWORD"]; pw != "" {
			u.User = url.UserPassword("default", pw)
		}
		return []Setting{{Key: "REDIS_URL", Value: u.String(), Secret: true}}
	},
})
