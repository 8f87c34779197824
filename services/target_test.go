package services

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"

	"github.com/devstack-dev/devstack/probe"
)

// Target is what probe's strategies check.
var _ probe.Target = Target{}

// check makes one attempt of s's probe on target.
func check(ctx context.Context, s *Service, target Target) error {
	st, err := probe.Build(s.Probe)
	if err != nil {
		return err
	}
	return st.Check(ctx, target)
}

// servedAt is an endpoint whose every port is srv's.
func servedAt(t *testing.T, s *Service, srv *httptest.Server, env map[string]string) Endpoint {
	t.Helper()
	u, _ := url.Parse(srv.URL)
	port, _ := strconv.Atoi(u.Port())
	ep := Endpoint{Host: u.Hostname(), Ports: map[string]int{}, Env: env}
	for _, p := range s.Ports {
		ep.Ports[p.Name] = port
	}
	return ep
}
