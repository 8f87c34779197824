package hermetic

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
)

// PostgresConfig is a pgx connection configuration made of these values alone, without
// TLS (the services devstack runs publish on the bind address and speak plain text).
//
// pgx's ParseConfig reads the environment (PGPASSWORD, PGHOST, PGOPTIONS, PGSSLROOTCERT,
// PGSERVICE…), ~/.pgpass when no password is given, and the service file. Issue 18 row 6:
// a custom service with a postgres probe and no password was sent the user's ~/.pgpass
// password. pgx has no way to skip the environment, and a Config must come from its
// ParseConfig, so one is parsed once from a connection string that sets every key the
// environment or the home directory could supply (the connection string wins over both),
// with the file keys empty so that no file is opened; every field is then set from these
// values alone, and each connection gets a copy.
func PostgresConfig(host string, port uint16, user, password, database string) (*pgx.ConnConfig, error) {
	base, err := postgresBase()
	if err != nil {
		return nil, err
	}
	cfg := base.Copy()
	c := &cfg.Config
	c.Host, c.Port, c.User, c.Password, c.Database = host, port, user, password, database
	c.TLSConfig, c.Fallbacks, c.SSLNegotiation = nil, nil, ""
	c.RuntimeParams = map[string]string{"application_name": "devstack"}
	c.KerberosSrvName, c.KerberosSpn = "", ""
	c.ValidateConnect, c.AfterConnect = nil, nil
	c.ChannelBinding, c.RequireAuth = "disable", ""
	c.MinProtocolVersion, c.MaxProtocolVersion = "3.0", "3.0"
	c.OAuthTokenProvider = nil
	return cfg, nil
}

// PostgresURLConfig is PostgresConfig for a postgresql:// URL devstack made itself
// (services.PostgresURL): host, port, user, password and database, nothing else.
func PostgresURLConfig(raw string) (*pgx.ConnConfig, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("postgres address: %w", err)
	}
	host, portText, err := net.SplitHostPort(u.Host)
	if err != nil {
		return nil, fmt.Errorf("postgres address: %w", err)
	}
	port, err := strconv.ParseUint(portText, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("postgres port %q: %w", portText, err)
	}
	password, _ := u.User.Password()
	return PostgresConfig(host, uint16(port), u.User.Username(), password, strings.TrimPrefix(u.Path, "/"))
}

var (
	baseOnce sync.Once
	baseCfg  *pgx.ConnConfig
	baseErr  error
)

// baseKeys set, in the connection string, every key that pgx would otherwise take from a
// PG* variable or a file under the home directory: passfile, servicefile and the TLS files
// empty (nothing is opened), sslmode=disable (no TLS config, no certificate read).
const baseKeys = "host=127.0.0.1 port=5432 dbname=postgres user=devstack password=devstack " +
	"passfile='' servicefile='' sslmode=disable sslrootcert='' sslcert='' sslkey='' sslpassword='' " +
	"sslcertmode=disable sslsni=0 sslnegotiation=postgres target_session_attrs=any connect_timeout=2 " +
	"application_name=devstack options='' channel_binding=disable min_protocol_version=3.0 max_protocol_version=3.0"

func postgresBase() (*pgx.ConnConfig, error) {
	baseOnce.Do(func() {
		conn := baseKeys
		// PGSERVICE makes pgx look the service up in the service file whatever the
		// connection string says; a service of devstack's own, with no settings, in a
		// file of its own, is found instead, and the user's file is never opened.
		if os.Getenv("PGSERVICE") != "" {
			f, err := os.CreateTemp("", "devstack-pgservice-")
			if err != nil {
				baseErr = fmt.Errorf("postgres client: %w", err)
				return
			}
			defer os.Remove(f.Name())
			_, err = f.WriteString("[devstack]\n")
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				baseErr = fmt.Errorf("postgres client: %w", err)
				return
			}
			conn += " service=devstack servicefile='" + strings.ReplaceAll(filepath.ToSlash(f.Name()), `'`, `\'`) + "'"
		}
		baseCfg, baseErr = pgx.ParseConfig(conn)
		if baseErr != nil {
			baseErr = fmt.Errorf("postgres client: %w", baseErr)
		}
	})
	return baseCfg, baseErr
}
