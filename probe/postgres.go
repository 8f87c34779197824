package probe

import (
	"context"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5"
)

// Postgres is ready when it logs in with the credentials and answers SELECT 1. Over the
// published port: during first initialisation the official image runs a temporary server
// on its socket only, so only the final server answers here.
type Postgres struct {
	Port                     string
	User, Password, Database string // templates
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
	u := url.URL{Scheme: "postgresql", User: url.UserPassword(p.User, p.Password), Host: addr, Path: "/" + p.Database,
		RawQuery: "sslmode=disable&connect_timeout=2"}
	conn, err := pgx.Connect(ctx, u.String())
	if err != nil {
		return authFailure(err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var one int
	return conn.QueryRow(ctx, "SELECT 1").Scan(&one)
}

func (p Postgres) String() string { return fmt.Sprintf("postgres SELECT 1 as %s", p.User) }
