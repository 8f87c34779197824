package services

import (
	"time"

	"github.com/devstack-dev/devstack/probe/spec"
)

var _ = register(&Service{
	Name:     "memcached",
	Order:    130,
	Optional: true,
	// 1.6: the only maintained series; its patch releases change no protocol.
	Image: "memcached:1.6",
	Ports: []Port{{Name: "memcached", Container: 11211, Host: 11411}},
	// A cache: no volume, and no credentials (SASL needs a build and a password file
	// the image does not have).
	Timeout: 30 * time.Second,
	Env:     func(Params) map[string]string { return map[string]string{} },
	Probe:   spec.Spec{Kind: "memcached", Port: "memcached"},
	// MEMCACHE_SERVERS is what Rails' Dalli reads; MEMCACHED_URL the URL form others parse.
	Connection: func(ep Endpoint) []Setting {
		return []Setting{
			{Key: "MEMCACHED_URL", Value: "memcached://" + ep.Addr("memcached")},
			{Key: "MEMCACHE_SERVERS", Value: ep.Addr("memcached")},
		}
	},
})
