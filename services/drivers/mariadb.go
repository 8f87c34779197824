package drivers

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/devstack-dev/devstack/services"
)

// mariadbLoader runs *.sql files in name order, each in one transaction. MariaDB commits
// DDL (CREATE, ALTER, DROP…) implicitly, so a failing file keeps the statements before
// the first failing one up to its last DDL statement; its rows after that roll back.
type mariadbLoader struct{}

func init() { services.RegisterLoader("mariadb", mariadbLoader{}) }

func (mariadbLoader) Pick(files []services.FixtureFile) []services.FixtureFile {
	return withSuffix(files, ".sql")
}

func (mariadbLoader) Load(ctx context.Context, t services.FixtureTarget, f services.FixtureFile) error {
	text, err := os.ReadFile(f.Path)
	if err != nil {
		return err
	}
	ep := t.Endpoint
	cfg := mysql.NewConfig()
	cfg.Net, cfg.Addr = "tcp", ep.Addr("mariadb")
	// root: a fixture may create the tables and grants the application's user uses.
	cfg.User, cfg.Passwd = "root", ep.Env["MARIADB_ROOT_PASSWORD"]
	cfg.DBName = t.Option("database", ep.Env["MARIADB_DATABASE"])
	cfg.MultiStatements = true // a file is a script
	cfg.Timeout = 10 * time.Second
	cfg.Logger = quietLog{}
	connector, err := mysql.NewConnector(cfg)
	if err != nil {
		return err
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect to mariadb: %w", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("connect to mariadb: %w", err)
	}
	// With several statements the driver returns the first error only once it reads
	// that statement's result: Exec reports it.
	if _, err := tx.ExecContext(ctx, string(text)); err != nil {
		_ = tx.Rollback()
		var me *mysql.MySQLError
		if errors.As(err, &me) {
			return fmt.Errorf("%s: %s (error %d); statements after the last DDL before it were rolled back, DDL stays (MariaDB commits it at once)",
				sqlWhere(f.Rel, string(text), me.Message), me.Message, me.Number)
		}
		return fmt.Errorf("%s: %w", f.Rel, err)
	}
	return tx.Commit()
}

// sqlWhere is file:line for a syntax error, whose message quotes the text it stopped at
// ("… near 'VALUES (2' at line 1", the line counted within the failing statement): the
// first place that text appears in the file. Other errors name the file.
func sqlWhere(file, text, msg string) string {
	_, near, ok := strings.Cut(msg, "near '")
	if !ok {
		return file
	}
	i := strings.LastIndex(near, "' at line ")
	if i <= 0 {
		return file
	}
	at := strings.Index(text, near[:i])
	if at < 0 {
		return file
	}
	return fmt.Sprintf("%s:%d", file, strings.Count(text[:at], "\n")+1)
}

// quietLog drops the driver's log: what went wrong comes back as the load's error.
type quietLog struct{}

func (quietLog) Print(...any) {}
