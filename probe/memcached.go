package probe

import (
	"context"
	"fmt"
	"net"

	"github.com/bradfitz/gomemcache/memcache"

	"github.com/devstack-dev/devstack/probe/spec"
)

// Memcached is ready when the server answers the protocol's version command (the
// client's Ping). Docker's proxy accepts the connect and then says nothing, or closes.
type Memcached struct {
	Port string
}

func init() {
	Register("memcached", func(s spec.Spec) (Strategy, error) {
		return Memcached{Port: s.Port}, nil
	})
}

var _ Strategy = Memcached{}

func (m Memcached) Check(ctx context.Context, t Target) error {
	addr, err := Addr(t, m.Port)
	if err != nil {
		return err
	}
	c := memcache.New(addr)
	c.Timeout = attemptTimeout
	c.DialContext = func(_ context.Context, network, address string) (net.Conn, error) {
		return dial(ctx, network, address)
	}
	defer c.Close()
	if err := c.Ping(); err != nil {
		return fmt.Errorf("memcached version: %w", err)
	}
	return nil
}

func (m Memcached) String() string { return "memcached version" }
