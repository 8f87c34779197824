package probe

import (
	"context"
	"fmt"
	"net"
	"net/url"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/devstack-dev/devstack/probe/spec"
)

// AMQP is ready when an AMQP 0-9-1 connection opens with the credentials on VHost ("/"
// when empty).
type AMQP struct {
	Port                  string
	User, Password, VHost string // templates
}

func init() {
	Register("amqp", func(s spec.Spec) (Strategy, error) {
		return AMQP{Port: s.Port, User: s.User, Password: s.Password, VHost: s.VHost}, nil
	})
}

var _ Strategy = AMQP{}

func (a AMQP) Check(ctx context.Context, t Target) error {
	addr, err := Addr(t, a.Port)
	if err != nil {
		return err
	}
	if err := expandAll(t, &a.User, &a.Password, &a.VHost); err != nil {
		return err
	}
	u := url.URL{Scheme: "amqp", Host: addr, Path: "/" + a.VHost, User: url.UserPassword(a.User, a.Password)}
	conn, err := amqp.DialConfig(u.String(), amqp.Config{Dial: func(network, addr string) (net.Conn, error) {
		return dial(ctx, network, addr)
	}})
	if err != nil {
		return authFailure(err)
	}
	return conn.Close()
}

func (a AMQP) String() string { return fmt.Sprintf("amqp open as %s", a.User) }
