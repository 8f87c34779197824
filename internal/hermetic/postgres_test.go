package hermetic

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

const canary = "canary-7f3a-user-credential"

// plantPostgresCanaries gives this process everything pgx reads on its own: PG*
// variables, a home with ~/.pgpass and ~/.pg_service.conf, a PGPASSFILE and a service
// file, each holding the canary; PGHOST/PGPORT point at a listener that must hear nothing.
func plantPostgresCanaries(t *testing.T) (decoy *listener) {
	home := t.TempDir()
	write := func(p, data string) string {
		t.Helper()
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write(filepath.Join(home, ".pgpass"), "*:*:*:*:"+canary+"\n")
	write(filepath.Join(home, ".pg_service.conf"), "[devstack]\npassword="+canary+"\n")
	passfile := write(filepath.Join(t.TempDir(), "pgpass"), "*:*:*:*:"+canary+"\n")
	decoy = listen(t)
	svc := write(filepath.Join(t.TempDir(), "services.conf"),
		fmt.Sprintf("[canary]\nhost=127.0.0.1\nport=%d\npassword=%s\nuser=%s\n", decoy.port(), canary, canary))
	for k, v := range map[string]string{
		"HOME": home, "PGPASSWORD": canary, "PGPASSFILE": passfile, "PGSERVICE": "canary", "PGSERVICEFILE": svc,
		"PGHOST": "127.0.0.1", "PGPORT": fmt.Sprint(decoy.port()), "PGUSER": canary, "PGDATABASE": canary,
		"PGAPPNAME": canary, "PGOPTIONS": "-c search_path=" + canary, "PGTZ": canary, "PGSSLMODE": "require",
		"PGTARGETSESSIONATTRS": "read-only", "PGCONNECT_TIMEOUT": "bogus", "PGREQUIREAUTH": "gss",
	} {
		t.Setenv(k, v)
	}
	baseOnce, baseCfg, baseErr = sync.Once{}, nil, nil // read this environment, not an earlier one
	t.Cleanup(func() { baseOnce, baseCfg, baseErr = sync.Once{}, nil, nil })
	return decoy
}

// Issue 18 row 6: the server a repository chose hears the plan's credentials, never the
// user's; pgx opens none of the user's files and goes nowhere PGHOST says.
func TestPostgresSendsOnlyThePlan(t *testing.T) {
	decoy := plantPostgresCanaries(t)
	for _, tt := range []struct {
		name     string
		password string
		viaURL   bool
	}{
		{name: "no password in the plan (the issue's custom service)", password: ""},
		{name: "the plan's password", password: "plan-password"},
		{name: "devstack's own URL, as the fixture loader makes it", password: "", viaURL: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := listen(t)
			var cfg *pgx.ConnConfig
			var err error
			if tt.viaURL {
				cfg, err = PostgresURLConfig(fmt.Sprintf("postgresql://app:@127.0.0.1:%d/appdb", srv.port()))
			} else {
				cfg, err = PostgresConfig("127.0.0.1", srv.port(), "app", tt.password, "appdb")
			}
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, err = pgx.ConnectConfig(ctx, cfg)
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) || pgErr.Code != "28P01" {
				t.Fatalf("connect: %v; want the fake server's refusal", err)
			}
			got := srv.session(t)
			if got.tls {
				t.Error("the client asked for TLS: PGSSLMODE reached it")
			}
			if got.password != tt.password {
				t.Errorf("the server received password %q, want the plan's %q", got.password, tt.password)
			}
			want := map[string]string{"user": "app", "database": "appdb", "application_name": "devstack"}
			for k, v := range want {
				if got.params[k] != v {
					t.Errorf("startup %s = %q, want %q", k, got.params[k], v)
				}
			}
			for k, v := range got.params {
				if _, ok := want[k]; !ok && k != "client_encoding" && k != "DateStyle" && k != "extra_float_digits" {
					t.Errorf("startup carries %s=%q, which the plan did not give", k, v)
				}
				if strings.Contains(v, canary) {
					t.Errorf("startup %s carries the canary", k)
				}
			}
		})
	}
	if n := decoy.accepted(); n != 0 {
		t.Errorf("PGHOST/PGPORT's listener was connected %d times", n)
	}
}

// listener is a fake PostgreSQL server: it records one session's startup parameters and
// the password sent, then refuses it as invalid_password.
type listener struct {
	ln       net.Listener
	mu       sync.Mutex
	count    int
	sessions chan session
}

type session struct {
	tls      bool
	params   map[string]string
	password string
}

func listen(t *testing.T) *listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &listener{ln: ln, sessions: make(chan session, 4)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			l.mu.Lock()
			l.count++
			l.mu.Unlock()
			go l.serve(c)
		}
	}()
	return l
}

func (l *listener) port() uint16 { return uint16(l.ln.Addr().(*net.TCPAddr).Port) }

func (l *listener) accepted() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.count
}

func (l *listener) session(t *testing.T) session {
	t.Helper()
	select {
	case s := <-l.sessions:
		return s
	case <-time.After(5 * time.Second):
		t.Fatal("the fake server heard no session")
		return session{}
	}
}

func (l *listener) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(c)
	s := session{params: map[string]string{}}
	var body []byte
	for {
		var n uint32
		if binary.Read(r, binary.BigEndian, &n) != nil || n < 8 || n > 10000 {
			return
		}
		body = make([]byte, n-4)
		if _, err := io.ReadFull(r, body); err != nil {
			return
		}
		if binary.BigEndian.Uint32(body) == 80877103 { // SSLRequest
			s.tls = true
			_, _ = c.Write([]byte("N"))
			continue
		}
		break
	}
	fields := bytes.Split(body[4:], []byte{0})
	for i := 0; i+1 < len(fields); i += 2 {
		if len(fields[i]) > 0 {
			s.params[string(fields[i])] = string(fields[i+1])
		}
	}
	// AuthenticationCleartextPassword: what the client sends next is the password itself.
	_, _ = c.Write([]byte{'R', 0, 0, 0, 8, 0, 0, 0, 3})
	typ, err := r.ReadByte()
	var n uint32
	if err != nil || typ != 'p' || binary.Read(r, binary.BigEndian, &n) != nil || n < 5 || n > 10000 {
		l.sessions <- s
		return
	}
	pw := make([]byte, n-4)
	if _, err := io.ReadFull(r, pw); err == nil {
		s.password = string(bytes.TrimRight(pw, "\x00"))
	}
	l.sessions <- s
	msg := []byte("SFATAL\x00C28P01\x00Mpassword authentication failed\x00\x00")
	out := append([]byte{'E'}, binary.BigEndian.AppendUint32(nil, uint32(len(msg)+4))...)
	_, _ = c.Write(append(out, msg...))
}
