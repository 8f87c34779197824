package probe

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/go-sql-driver/mysql"

	"github.com/devstack-dev/devstack/probe/spec"
)

// MySQL (MariaDB too) is ready when the handshake succeeds with the credentials and the
// server answers SELECT 1. The official images, like PostgreSQL's, initialise behind a
// server that does not listen on the network, so the published port reaches only the
// final one.
type MySQL struct {
	Port                     string
	User, Password, Database string // templates
}

func init() {
	Register("mysql", func(s spec.Spec) (Strategy, error) {
		return MySQL{Port: s.Port, User: s.User, Password: s.Password, Database: s.Database}, nil
	})
}

var _ Strategy = MySQL{}

func (m MySQL) Check(ctx context.Context, t Target) error {
	addr, err := Addr(t, m.Port)
	if err != nil {
		return err
	}
	if err := expandAll(t, &m.User, &m.Password, &m.Database); err != nil {
		return err
	}
	cfg := mysql.NewConfig()
	cfg.Net, cfg.Addr = "tcp", addr
	cfg.User, cfg.Passwd, cfg.DBName = m.User, m.Password, m.Database
	cfg.Logger = quiet{} // the driver logs to stderr by default; packages don't print
	cfg.Timeout, cfg.ReadTimeout, cfg.WriteTimeout = attemptTimeout, attemptTimeout, attemptTimeout
	connector, err := mysql.NewConnector(cfg)
	if err != nil {
		return err
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	var one int
	return db.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

func (m MySQL) String() string { return fmt.Sprintf("mysql SELECT 1 as %s", m.User) }

// quiet drops the driver's log: what went wrong comes back as the attempt's error.
type quiet struct{}

func (quiet) Print(...any) {}
