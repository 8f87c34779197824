package probe

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/devstack-dev/devstack/internal/listentest"
)

// fake is a Target whose every port is one listener, with exec answers scripted.
type fake struct {
	port int
	env  map[string]string
	exec func(cmd []string) (int, []byte, error)
}

func (f fake) Host() string { return "127.0.0.1" }
func (f fake) Port(name string) (int, error) {
	if name == "missing" {
		return 0, errors.New("no port named missing")
	}
	return f.port, nil
}
func (f fake) Env(k string) string { return f.env[k] }
func (f fake) Exec(_ context.Context, cmd []string) (int, []byte, error) {
	if f.exec == nil {
		return 0, nil, errors.New("no container")
	}
	return f.exec(cmd)
}

// listen serves every connection with serve, on a loopback port.
var listen = listentest.Serve

// strategies is one of each kind, with credentials from the environment.
func strategies() []Strategy {
	return []Strategy{
		HTTP{Path: "/health"},
		Postgres{User: "{env:USER}", Password: "{env:PASS}", Database: "app"},
		MySQL{User: "{env:USER}", Password: "{env:PASS}", Database: "app"},
		Redis{Password: "{env:PASS}"},
		AMQP{User: "{env:USER}", Password: "{env:PASS}"},
		Mongo{User: "{env:USER}", Password: "{env:PASS}"},
		TCPBanner{Expect: "220"},
		Memcached{},
	}
}

// A TCP connect is never readiness: every strategy fails against a listener that accepts
// and closes, as Docker's proxy does before anything listens in the container, and
// against one that accepts and says nothing; and fails within one attempt's time.
func TestStrategiesRefuseAProxyThatOnlyAccepts(t *testing.T) {
	closing := listen(t, func(c net.Conn) { c.Close() })
	silent := listen(t, func(c net.Conn) { time.Sleep(3 * time.Second); c.Close() })
	for _, port := range []int{closing, silent} {
		for _, s := range strategies() {
			t.Run(fmt.Sprintf("%s/%d", s, port), func(t *testing.T) {
				t.Parallel()
				ctx, cancel := context.WithTimeout(context.Background(), 2500*time.Millisecond)
				defer cancel()
				start := time.Now()
				err := s.Check(ctx, fake{port: port, env: map[string]string{"USER": "u", "PASS": "p"}})
				if err == nil {
					t.Fatal("an accept-only listener was called ready")
				}
				if took := time.Since(start); took > 2800*time.Millisecond {
					t.Fatalf("took %s to fail", took)
				}
			})
		}
	}
}

func TestStrategiesNameAMissingPort(t *testing.T) {
	for _, s := range strategies() {
		err := withPort(s, "missing").Check(context.Background(), fake{})
		if err == nil || !strings.Contains(err.Error(), "missing") {
			t.Errorf("%s: %v", s, err)
		}
	}
}

func withPort(s Strategy, port string) Strategy {
	switch v := s.(type) {
	case HTTP:
		v.Port = port
		return v
	case Postgres:
		v.Port = port
		return v
	case MySQL:
		v.Port = port
		return v
	case Redis:
		v.Port = port
		return v
	case AMQP:
		v.Port = port
		return v
	case Mongo:
		v.Port = port
		return v
	case TCPBanner:
		v.Port = port
		return v
	case Memcached:
		v.Port = port
		return v
	}
	panic("unknown strategy " + s.String())
}

func TestHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, _ := r.BasicAuth()
		switch {
		case r.URL.Path == "/auth" && (u != "admin" || p != "s3cret"):
			w.WriteHeader(http.StatusUnauthorized)
		case r.URL.Path == "/starting":
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			fmt.Fprint(w, `{"status":"yellow"}`)
		}
	}))
	defer srv.Close()
	port, _ := strconv.Atoi(srv.URL[strings.LastIndex(srv.URL, ":")+1:])
	target := fake{port: port, env: map[string]string{"PW": "s3cret"}}
	green := func(b []byte) error {
		if !strings.Contains(string(b), "green") {
			return errors.New("not green")
		}
		return nil
	}
	tests := []struct {
		s     HTTP
		ready bool
	}{
		{HTTP{Path: "/"}, true},
		{HTTP{Path: "/starting"}, false},
		{HTTP{Path: "/starting", Status: 503}, true},
		{HTTP{Path: "/auth"}, false},
		{HTTP{Path: "/auth", User: "admin", Password: "{env:PW}"}, true},
		{HTTP{Path: "/", Contains: `"yellow"`}, true},
		{HTTP{Path: "/", Contains: `"green"`}, false},
		{HTTP{Path: "/", Body: green}, false},
	}
	for _, tt := range tests {
		err := tt.s.Check(context.Background(), target)
		if (err == nil) != tt.ready {
			t.Errorf("%s %s: %v, want ready %v", tt.s, tt.s.Path, err, tt.ready)
		}
	}
}

func TestTCPBanner(t *testing.T) {
	smtp := listen(t, func(c net.Conn) { fmt.Fprint(c, "220 mailpit ESMTP\r\n"); c.Close() })
	other := listen(t, func(c net.Conn) { fmt.Fprint(c, "SSH-2.0-OpenSSH\r\n"); c.Close() })
	if err := (TCPBanner{Expect: "220"}).Check(context.Background(), fake{port: smtp}); err != nil {
		t.Errorf("greeting 220: %v", err)
	}
	if err := (TCPBanner{Expect: "220"}).Check(context.Background(), fake{port: other}); err == nil {
		t.Error("a wrong greeting was called ready")
	}
}

// memcached answers "version" with a VERSION line; a server speaking another protocol
// (here one that greets like SMTP and errors on unknown commands) is not memcached.
func TestMemcached(t *testing.T) {
	speak := func(answer string) func(net.Conn) {
		return func(c net.Conn) {
			defer c.Close()
			rd := bufio.NewReader(c)
			for {
				line, err := rd.ReadString('\n')
				if err != nil {
					return
				}
				if strings.TrimSpace(line) == "version" {
					fmt.Fprint(c, answer)
				}
			}
		}
	}
	real := listen(t, speak("VERSION 1.6.18\r\n"))
	other := listen(t, speak("500 unknown command\r\n"))
	if err := (Memcached{}).Check(context.Background(), fake{port: real}); err != nil {
		t.Errorf("memcached: %v", err)
	}
	if err := (Memcached{}).Check(context.Background(), fake{port: other}); err == nil {
		t.Error("a server that is not memcached was called ready")
	}
}

func TestExec(t *testing.T) {
	tests := []struct {
		code  int
		err   error
		ready bool
	}{{0, nil, true}, {1, nil, false}, {0, errors.New("engine gone"), false}}
	for _, tt := range tests {
		var ran []string
		target := fake{exec: func(cmd []string) (int, []byte, error) { ran = cmd; return tt.code, []byte("out\nwhy\n"), tt.err }}
		err := (Exec{Cmd: []string{"sh", "-c", "true"}}).Check(context.Background(), target)
		if (err == nil) != tt.ready || strings.Join(ran, " ") != "sh -c true" {
			t.Errorf("code %d err %v: got %v after %v", tt.code, tt.err, err, ran)
		}
		if tt.code == 1 && !strings.Contains(err.Error(), "why") {
			t.Errorf("error %v does not show the output's last line", err)
		}
	}
	if err := (Exec{}).Check(context.Background(), fake{}); err == nil {
		t.Error("an empty command was called ready")
	}
}

func TestAllNeedsEveryStrategy(t *testing.T) {
	ok := fake{exec: func([]string) (int, []byte, error) { return 0, nil, nil }}
	both := All(Exec{Cmd: []string{"a"}}, Exec{Cmd: []string{"b"}})
	if err := both.Check(context.Background(), ok); err != nil {
		t.Fatal(err)
	}
	failing := fake{exec: func(cmd []string) (int, []byte, error) {
		if cmd[0] == "b" {
			return 1, nil, nil
		}
		return 0, nil, nil
	}}
	if err := both.Check(context.Background(), failing); err == nil {
		t.Fatal("All was ready with one strategy failing")
	}
	if both.String() != "exec a and exec b" {
		t.Errorf("String() = %q", both.String())
	}
}

func TestExpandRefusesUnknownReferences(t *testing.T) {
	if _, err := Expand(fake{}, "{secret:X}"); err == nil {
		t.Fatal("a probe parameter took {secret:…}, which only the plan resolves")
	}
	got, err := Expand(fake{port: 7, env: map[string]string{"U": "me"}}, "{env:U}@{host}:{port:x}")
	if err != nil || got != "me@127.0.0.1:7" {
		t.Fatalf("got %q, %v", got, err)
	}
}

// No request of an HTTP probe leaves the service's own host and port (issue 18, row 9):
// a redirect elsewhere is not followed (the other listener gets nothing, not even the
// basic auth), a redirect is judged as the answer it is, and a path that would make the
// URL name another host is refused before anything is sent.
func TestHTTPStaysOnTheServicesAddress(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
	}))
	defer other.Close()
	var asked atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
		case "/here":
			http.Redirect(w, r, "/health", http.StatusMovedPermanently)
		default:
			fmt.Fprint(w, "ok")
		}
	}))
	defer srv.Close()
	port, _ := strconv.Atoi(srv.URL[strings.LastIndex(srv.URL, ":")+1:])
	target := fake{port: port, env: map[string]string{"PW": "s3cret"}}
	otherHost := strings.TrimPrefix(other.URL, "http://")
	tests := []struct {
		s     HTTP
		ready bool
		sent  bool // whether the service itself is asked
	}{
		{HTTP{Path: "/away", User: "admin", Password: "{env:PW}"}, false, true},
		{HTTP{Path: "/away", Status: http.StatusFound}, true, true},
		{HTTP{Path: "/here"}, false, true},
		{HTTP{Path: "@" + otherHost + "/steal"}, false, false},
		{HTTP{Path: "//" + otherHost + "/steal"}, true, true}, // a path on the service, never another host
	}
	for _, tt := range tests {
		before := asked.Load()
		err := tt.s.Check(context.Background(), target)
		if (err == nil) != tt.ready {
			t.Errorf("%s: %v, want ready %v", tt.s.Path, err, tt.ready)
		}
		if got := asked.Load() > before; got != tt.sent {
			t.Errorf("%s: the service was asked: %v, want %v", tt.s.Path, got, tt.sent)
		}
	}
	if n := elsewhere.Load(); n != 0 {
		t.Fatalf("the other listener got %d requests", n)
	}
}
