package ports

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/internal/configtest"
	"github.com/devstack-dev/devstack/output"
)

func TestPlan(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		want    string // service:name=host, in order
		wantErr string
	}{
		{name: "defaults", yaml: "",
			want: "redis:redis=6579 postgres:postgres=5632 rabbitmq:amqp=5872 rabbitmq:management=15872 opensearch:http=9400 opensearch:performance-analyzer=9800 minio:api=9000 minio:console=9001"},
		{name: "offset applies to every port, overrides too", yaml: "offset: 100\nservices:\n  redis: {ports: {redis: 7000}}\n  minio:\n",
			want: "redis:redis=7100 minio:api=9100 minio:console=9101"},
		{name: "optional services when listed", yaml: "services:\n  pgadmin:\n  opensearch-dashboards:\n",
			want: "opensearch-dashboards:http=5801 pgadmin:http=5250"},
		{name: "two services on one host port", yaml: "services:\n  redis: {ports: {redis: 9000}}\n  minio:\n",
			wantErr: "redis and minio api are both planned on host port 9000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewPlan(configtest.Load(t, tt.yaml))
			if tt.wantErr != "" {
				var ce *config.Error
				if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.wantErr) || ce.Fix == "" {
					t.Fatalf("err = %v; want a config error with a fix containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, port := range p.Ports {
				got = append(got, fmt.Sprintf("%s:%s=%d", port.Service, port.Name, port.Host))
			}
			if strings.Join(got, " ") != tt.want {
				t.Fatalf("got  %s\nwant %s", strings.Join(got, " "), tt.want)
			}
		})
	}
}

// freePort finds a port that nothing holds on any address right now.
func freePort(t testing.TB) int {
	t.Helper()
	for range 50 {
		l, err := net.Listen("tcp", ":0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if port+SuggestStep <= 65535 {
			return port
		}
	}
	t.Fatal("no free port")
	return 0
}

func listen(t testing.TB, addr string) {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen %s: %v", addr, err)
	}
	t.Cleanup(func() { l.Close() })
}

// redisOn plans only redis, on the given host port and bind address.
func redisOn(t *testing.T, bind string, port int) *config.Config {
	return configtest.Load(t, fmt.Sprintf("bind: %q\nservices:\n  redis: {ports: {redis: %d}}\n", bind, port))
}

func TestRealListeners(t *testing.T) {
	self, _ := os.Executable()
	tests := []struct {
		name     string
		listenOn string // where the test listens, as a format with the port
		bind     string // where devstack plans the port
		want     State
	}{
		{"free", "", "127.0.0.1", Free},
		{"held on 127.0.0.1", "127.0.0.1:%d", "127.0.0.1", Held},
		{"wildcard listener blocks 127.0.0.1", "0.0.0.0:%d", "127.0.0.1", Held},
		{"held on ::1", "[::1]:%d", "::1", Held},
		{"127.0.0.1 listener blocks a 0.0.0.0 plan", "127.0.0.1:%d", "0.0.0.0", Held},
		{"::1 listener leaves 127.0.0.1 free", "[::1]:%d", "127.0.0.1", Free},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			port := freePort(t)
			if tt.listenOn != "" {
				listen(t, fmt.Sprintf(tt.listenOn, port))
			}
			r, err := Run(context.Background(), redisOn(t, tt.bind, port), nil, false)
			if err != nil {
				t.Fatal(err)
			}
			s := r.Ports[0]
			if s.State != tt.want || r.OK != (tt.want == Free) {
				t.Fatalf("state %s ok %v, want %s", s.State, r.OK, tt.want)
			}
			if tt.want == Held {
				// The holder is this test process, named by PID and command line.
				if s.Holder == nil || s.Holder.PID != os.Getpid() || !strings.Contains(s.Holder.Command, filepath.Base(self)) {
					t.Fatalf("holder %+v, want pid %d running %s", s.Holder, os.Getpid(), filepath.Base(self))
				}
			}
		})
	}
}

// A child process holds the port: its PID and full command line are shown.
func TestHeldByChildProcess(t *testing.T) {
	if os.Getenv("PORTS_TEST_LISTEN") != "" {
		l, err := net.Listen("tcp", os.Getenv("PORTS_TEST_LISTEN"))
		if err != nil {
			os.Exit(3)
		}
		fmt.Println("listening")
		time.Sleep(time.Minute)
		l.Close()
		os.Exit(0)
	}
	port := freePort(t)
	self, _ := os.Executable()
	child := exec.Command(self, "-test.run=^TestHeldByChildProcess$", "marker-arg")
	child.Env = append(os.Environ(), fmt.Sprintf("PORTS_TEST_LISTEN=127.0.0.1:%d", port))
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { child.Process.Kill(); child.Wait() })
	buf := make([]byte, 64)
	if n, _ := out.Read(buf); !strings.Contains(string(buf[:n]), "listening") {
		t.Fatalf("child did not listen: %q", buf[:n])
	}
	r, err := Run(context.Background(), redisOn(t, "127.0.0.1", port), nil, false)
	if err != nil {
		t.Fatal(err)
	}
	h := r.Ports[0].Holder
	if r.Ports[0].State != Held || h.PID != child.Process.Pid || !strings.Contains(h.Command, "marker-arg") {
		t.Fatalf("status %+v holder %+v, want pid %d with marker-arg", r.Ports[0], h, child.Process.Pid)
	}
}

func TestOursIsNotAConflict(t *testing.T) {
	port := freePort(t)
	listen(t, fmt.Sprintf("127.0.0.1:%d", port))
	tests := []struct {
		owner Owner // the project of redisOn's configuration is its temporary directory's
		want  State
		shown string
	}{
		{Owner{Service: "redis"}, Ours, "devstack: redis"},
		{Owner{Service: "postgres"}, Held, "devstack: postgres"}, // our own container, but for another service
		// Another devstack project on the same port is named as such, never as docker-proxy.
		{Owner{Project: "other", Service: "redis"}, Held, "devstack project other (its redis)"},
	}
	for _, tt := range tests {
		cfg := redisOn(t, "127.0.0.1", port)
		if tt.owner.Project == "" {
			tt.owner.Project = cfg.Identity.ID
		}
		owned := func(context.Context) (map[int]Owner, error) { return map[int]Owner{port: tt.owner}, nil }
		r, err := Run(context.Background(), cfg, owned, false)
		if err != nil {
			t.Fatal(err)
		}
		if s := r.Ports[0]; s.State != tt.want || s.Holder.String() != tt.shown || r.OK != (tt.want == Ours) {
			t.Fatalf("owner %s: %+v %s ok=%v", tt.owner, s, s.Holder, r.OK)
		}
	}
}

// An engine that does not answer is named as the reason a held port cannot be told to be
// this project's own container (rather than blaming docker-proxy), with its fix. With
// every port free, or a port held by an ordinary process, it does not matter.
func TestUnreachableEngineIsTheCause(t *testing.T) {
	port := freePort(t)
	cfg := redisOn(t, "127.0.0.1", port)
	gone := output.WithHint(errors.New("the Docker engine at tcp://127.0.0.1:1 (from DOCKER_HOST) does not answer: connection refused"), "set DOCKER_HOST to its address")
	owned := func(context.Context) (map[int]Owner, error) { return nil, gone }
	r, err := Run(context.Background(), cfg, owned, false)
	if err != nil {
		t.Fatal(err)
	}
	if r.EngineError != "" || !r.OK {
		t.Fatalf("all free, yet engine_error %q ok=%v", r.EngineError, r.OK)
	}
	listen(t, fmt.Sprintf("127.0.0.1:%d", port)) // this test's own process: no container
	if r, err = Run(context.Background(), cfg, owned, false); err != nil {
		t.Fatal(err)
	}
	if r.OK || r.EngineError != "" {
		t.Fatalf("held by a process, yet ok=%v engine_error %q", r.OK, r.EngineError)
	}

	// What a held port looks like when docker-proxy holds it and the engine is away.
	r.Ports[0].Holder = &Holder{PID: 7, Command: "/usr/bin/docker-proxy -proto tcp -host-ip 127.0.0.1"}
	r.EngineError, r.EngineFix = gone.Error(), output.HintOf(gone)
	streams, text, _ := output.Test()
	if err := output.NewPrinter(streams, output.Options{NoColor: true}).Print(r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "cannot tell whether by its own containers: the Docker engine at tcp://127.0.0.1:1 (from DOCKER_HOST)") ||
		!strings.Contains(text.String(), "fix: set DOCKER_HOST") || strings.Contains(text.String(), "held by something else") {
		t.Fatalf("text:\n%s", text.String())
	}
}

func TestMayBeContainer(t *testing.T) {
	tests := []struct {
		h    *Holder
		want bool
	}{
		{&Holder{PID: 1, Command: "/usr/bin/docker-proxy -proto tcp -host-ip 127.0.0.1 -host-port 6579"}, true},
		{&Holder{PID: 1, Command: "/usr/bin/conmon --api-version 1 -c 0123"}, true},
		{&Holder{PID: 1, Command: "rootlessport"}, true},
		{&Holder{PID: 1, Command: "/Applications/Docker.app/Contents/MacOS/com.docker.backend"}, true},
		{&Holder{Unknown: "unknown (run as root to see)"}, true},
		{&Holder{PID: 1, Command: "/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main"}, false},
		{&Holder{PID: 1, Command: "redis-server *:6579"}, false},
	}
	for _, tt := range tests {
		if got := mayBeContainer(tt.h); got != tt.want {
			t.Errorf("%+v: %v, want %v", tt.h, got, tt.want)
		}
	}
}

func TestSuggestSkipsTakenOffsets(t *testing.T) {
	var base int
	for {
		base = freePort(t)
		if base+2*SuggestStep <= 65535 {
			if free, _ := probe("127.0.0.1", base+2*SuggestStep); free {
				break
			}
		}
	}
	listen(t, fmt.Sprintf("127.0.0.1:%d", base))
	listen(t, fmt.Sprintf("0.0.0.0:%d", base+SuggestStep))
	r, err := Run(context.Background(), redisOn(t, "127.0.0.1", base), nil, true)
	if err != nil {
		t.Fatal(err)
	}
	if r.OK || r.Suggestion == nil || r.Suggestion.Offset != 2*SuggestStep || r.Suggestion.Flag != "--offset 200" {
		t.Fatalf("ok %v suggestion %+v, want offset 200", r.OK, r.Suggestion)
	}
}

func TestBindAddressNotOnThisMachine(t *testing.T) {
	// 192.0.2.0/24 is TEST-NET-1: documentation only, never assigned to a machine.
	_, err := Run(context.Background(), redisOn(t, "192.0.2.7", 6579), nil, false)
	var be *BindError
	if !errors.As(err, &be) || !strings.Contains(err.Error(), "not an address of this machine") || be.Hint() == "" {
		t.Fatalf("err = %v", err)
	}
}

func TestParseLsof(t *testing.T) {
	data, err := os.ReadFile("testdata/lsof-macos.txt")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		bind string
		port int
		want string // "" means no holder that blocks this bind
	}{
		{"127.0.0.1", 5632, "pid 512: postgres"},
		{"::1", 5632, "pid 512: postgres"},
		{"127.0.0.1", 9000, "pid 777: ControlCe"}, // *:9000 is the wildcard
		{"127.0.0.1", 9400, ""},                   // a listener on another address does not block
		{"0.0.0.0", 9400, "pid 901: node"},
	}
	for _, tt := range tests {
		got := parseLsof(string(data), net.ParseIP(tt.bind))[tt.port]
		if got.String() != tt.want {
			t.Errorf("%s:%d: got %q, want %q", tt.bind, tt.port, got.String(), tt.want)
		}
	}
}

// lsofHolders is what macOS uses; on this Linux machine it runs against a real listener,
// or says to install lsof where there is none.
func TestLsofHoldersRealListener(t *testing.T) {
	port := freePort(t)
	listen(t, fmt.Sprintf("127.0.0.1:%d", port))
	h := lsofHolders(net.ParseIP("127.0.0.1"), []int{port})[port]
	if _, err := exec.LookPath("lsof"); err != nil {
		if h.Unknown != "install lsof to see who" {
			t.Fatalf("without lsof: %+v", h)
		}
		return
	}
	if h.PID != os.Getpid() {
		t.Fatalf("holder %+v, want pid %d", h, os.Getpid())
	}
}

func TestHolderStringIsSafeOnATerminal(t *testing.T) {
	h := &Holder{PID: 42, Command: "evil\x1b]0;pwned\x07\nok   redis"}
	s := h.String()
	if strings.ContainsAny(s, "\x1b\x07\n") {
		t.Fatalf("a holder's command line reached the terminal raw: %q", s)
	}
	if !strings.Contains(s, "pid 42") || !strings.Contains(s, "evil") {
		t.Fatalf("the holder must still be named: %q", s)
	}
}

// At moves a plan to another offset and keeps its bind, origins and warning; a plan made
// by hand cannot be moved.
func TestPlanAtKeepsWhereItCameFrom(t *testing.T) {
	p, err := NewPlan(configtest.Load(t, "offset: 100\nservices:\n  redis:\n"))
	if err != nil {
		t.Fatal(err)
	}
	at, err := p.At(300)
	if err != nil {
		t.Fatal(err)
	}
	if at.Offset != 300 || at.Ports[0].Host != 6879 || at.Bind != p.Bind || at.OffsetFrom != p.OffsetFrom || at.Project != p.Project {
		t.Errorf("At(300) = %+v; from %+v", at, p)
	}
	if p.Ports[0].Host != 6679 {
		t.Errorf("the plan moved itself: redis at %d", p.Ports[0].Host)
	}
	if _, err := p.At(p.MaxOffset() + 1); err == nil {
		t.Error("At past the last port: no error")
	}
	if _, err := (&Plan{Bind: "127.0.0.1"}).At(100); err == nil {
		t.Error("a hand-made plan moved")
	}
}
