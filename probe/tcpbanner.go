package probe

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/devstack-dev/devstack/probe/spec"
)

// TCPBanner is ready when the server, once connected, greets with a line starting with
// Expect (SMTP's "220"). Docker's proxy accepts and then closes or says nothing, so the
// greeting, not the connect, is the proof.
type TCPBanner struct {
	Port   string
	Expect string
}

func init() {
	Register("tcp-banner", func(s spec.Spec) (Strategy, error) {
		return TCPBanner{Port: s.Port, Expect: s.Expect}, nil
	})
}

var _ Strategy = TCPBanner{}

func (b TCPBanner) Check(ctx context.Context, t Target) error {
	addr, err := Addr(t, b.Port)
	if err != nil {
		return err
	}
	conn, err := dial(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil && line == "" {
		return fmt.Errorf("no greeting: %w", err)
	}
	if !strings.HasPrefix(line, b.Expect) {
		return fmt.Errorf("greeted %q, not %q", strings.TrimSpace(line), b.Expect)
	}
	return nil
}

func (b TCPBanner) String() string { return fmt.Sprintf("tcp greeting %q", b.Expect) }
