// Package probe holds devstack's readiness strategies, one per file. A strategy makes one
// attempt, in the service's own protocol, to tell whether the service is ready; the one
// wait loop (stack) repeats it. None counts a bare TCP connect as ready: Docker's proxy
// accepts connections on a published port before anything listens inside the container.
//
// String parameters (user, password, database…) are templates over the target:
// {host}, {port:NAME} and {env:KEY} (the container's environment, generated secrets
// included), so a built-in and a service written in devstack.yaml say the same thing.
package probe

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/devstack-dev/devstack/probe/spec"
	"github.com/devstack-dev/devstack/tmpl"
)

// Strategy is one readiness check.
type Strategy interface {
	// Check makes one attempt; nil means ready.
	Check(ctx context.Context, t Target) error
	// String says what is checked, for messages: "http GET /minio/health/cluster = 200".
	String() string
}

// Target is the service a strategy checks, as the waiting code knows it: the engine
// adapter implements it for a running container, tests with a fake.
type Target interface {
	// Host is the address devstack connects to (loopback when bound to a wildcard).
	Host() string
	// Port is the published host port of the named container port; "" names the
	// service's first port.
	Port(name string) (int, error)
	// Env is the container's environment value for key, "" when unset.
	Env(key string) string
	// Exec runs cmd inside the container and returns its exit code and output.
	Exec(ctx context.Context, cmd []string) (code int, output []byte, err error)
}

// Kinds are the strategies devstack.yaml can name under probe:, in the order the
// documentation lists them.
var Kinds = spec.Kinds

// attemptTimeout bounds the parts of one attempt that take no context (dial, handshake).
const attemptTimeout = 2 * time.Second

// Addr is host:port for the named port of t.
func Addr(t Target, port string) (string, error) {
	p, err := t.Port(port)
	if err != nil {
		return "", err
	}
	return net.JoinHostPort(t.Host(), strconv.Itoa(p)), nil
}

// Expand resolves a parameter's template against t.
func Expand(t Target, s string) (string, error) {
	return tmpl.Expand(s, func(r tmpl.Ref) (string, error) {
		switch r.Kind {
		case "host":
			return t.Host(), nil
		case "port":
			p, err := t.Port(r.Arg)
			return strconv.Itoa(p), err
		case "env":
			return t.Env(r.Arg), nil
		}
		return "", fmt.Errorf("a probe parameter takes {host}, {port:NAME} or {env:KEY}")
	})
}

// expandAll resolves several parameters at once, stopping at the first that fails.
func expandAll(t Target, in ...*string) error {
	for _, s := range in {
		v, err := Expand(t, *s)
		if err != nil {
			return err
		}
		*s = v
	}
	return nil
}

// all is every strategy in turn: ready when each is.
type all []Strategy

// All is ready when every one of strategies is, checked in order.
func All(strategies ...Strategy) Strategy { return all(strategies) }

func (a all) Check(ctx context.Context, t Target) error {
	for _, s := range a {
		if err := s.Check(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

func (a all) String() string {
	parts := make([]string, len(a))
	for i, s := range a {
		parts[i] = s.String()
	}
	return strings.Join(parts, " and ")
}

// dialer bounds a connect, and the whole exchange after it, by ctx or attemptTimeout.
func dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: attemptTimeout}
	conn, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(attemptTimeout)
	}
	_ = conn.SetDeadline(deadline)
	return conn, nil
}
