// Package hermetic builds devstack's own clients (probes, fixture loaders, resets) from
// what the plan gives them and nothing else: never the user's ~/.pgpass, service files,
// PG*/MYSQL*/AWS_* variables, credential chains or proxy settings. A repository chooses
// which service a probe talks to (a custom service may be any image), so a client that
// adds the user's own credentials would hand them to the repository's container.
package hermetic

import (
	"net"
	"net/http"
	"time"
)

// Transport is an HTTP transport for devstack's clients of the services it runs: no proxy
// (HTTP_PROXY and friends are the user's way out to the internet; a service on the bind
// address is not reached through it, and a proxy would see the service's credentials and
// data; Go would send a non-loopback --bind address to it), and nothing else ambient:
// net/http reads no ~/.netrc and adds no credentials of its own.
func Transport() *http.Transport {
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     false,
		MaxIdleConns:          10,
		IdleConnTimeout:       30 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}
