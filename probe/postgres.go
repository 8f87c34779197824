package probe

import (
	"context"
	"fmt"
	"net"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/devstack-dev/devstack/internal/hermetic"
	"github.com/devstack-dev/devstack/probe/spec"
)

// Postgres is ready when it logs in with the credentials and answers SELECT 1. Over the
// published port: during first initialisation the official image runs a temporary server
// on its socket only, so only the final server answers here.
type Postgres struct {
	Port                     string
	User, Password, Database string // templates
}

func init() {
	Register("postgres", func(s spec.Spec) (Strategy, error) {
		return Postgres{Port: s.Port, User: s.User, Password: s.Password, Database: s.Database}, nil
	})
}

var _ Strategy = Postgres{}

func (p Postgres) Check(ctx context.Context, t Target) error {
	addr, err := Addr(t, p.Port)
	if err != nil {
		return err
	}
	if err := expandAll(t, &p.User, &p.Password, &p.Database); err != nil {
		return err
	}
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	port, err := strconv.ParseUint(portText, 10, 16)
	if err != nil {
		return fmt.Errorf("port %q: %w", portText, err)
	}
	// Only the plan's credentials: pgx left to itself would add the user's PGPASSWORD or
	// ~/.pgpass password for a probe without one (issue 18, row 6).
	cfg, err := hermetic.PostgresConfig(host, uint16(port), p.User, p.Password, p.Database)
	if err != nil {
		return err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return authFailure(err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var one int
	return conn.QueryRow(ctx, "SELECT 1").Scan(&one)
}

func (p Postgres) String() string { return fmt.Sprintf("postgres SELECT 1 as %s", p.User) }
