//go:build e2e

package main

// End-to-end tests of the engines devstack reaches: the local one's kind, a remote one
// over ssh:// (a key-only sshd of our own on 127.0.0.1), and one over tcp:// with TLS (a
// TLS proxy to the local engine's socket, with certificates made here).

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/devstack-dev/devstack/internal/tlstest"
	"github.com/devstack-dev/devstack/services/engine"
)

// localEngine is the engine the suite runs against, and its kind as devstack reports it.
func localEngine(t *testing.T) engine.Info {
	t.Helper()
	requireEngine(t)
	c, err := engine.Connect(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	info, err := c.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info
}

type doctorEngineJSON struct {
	Checks []struct {
		Name   string      `json:"name"`
		Status string      `json:"status"`
		Engine *engine.Ref `json:"engine"`
	} `json:"checks"`
}

// doctor reports the engine it used, its kind, and how it was found. The kind is explicit
// per engine: CI runs this suite against Docker Engine and against Podman.
func TestDoctorReportsEngine(t *testing.T) {
	local := localEngine(t)
	want := engine.KindDocker
	if strings.Contains(local.Host, "podman") {
		want = engine.KindPodman
	}
	r := invocation{dir: t.TempDir()}.run(t, "doctor", "-o", "json")
	var d doctorEngineJSON
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatalf("doctor: %v\n%s", err, r.stdout)
	}
	for _, c := range d.Checks {
		if c.Name != "docker-daemon" {
			continue
		}
		if c.Status != "ok" || c.Engine == nil || c.Engine.Kind != want || c.Engine.Host != local.Host || c.Engine.Version == "" {
			t.Fatalf("docker-daemon %s, engine %+v; want %s at %s", c.Status, c.Engine, want, local.Host)
		}
		wantFound := engine.FoundByDefault
		if os.Getenv("DOCKER_HOST") != "" {
			wantFound = engine.FoundByEnv
		}
		if c.Engine.FoundBy != wantFound {
			t.Errorf("found by %q, want %q", c.Engine.FoundBy, wantFound)
		}
		return
	}
	t.Fatalf("no docker-daemon check:\n%s", r.stdout)
}

// sshEngine is an sshd on 127.0.0.1 that lets in only a key made for the test, and the
// environment under which ssh (run by devstack's connection helper) uses that key and
// trusts that host key, without touching ~/.ssh.
type sshEngine struct {
	host string   // the DOCKER_HOST
	env  []string // PATH with an ssh that reads the test's own configuration
}

func startSSHEngine(t *testing.T, socket string) *sshEngine {
	t.Helper()
	sshd := "/usr/sbin/sshd"
	if _, err := os.Stat(sshd); err != nil {
		if os.Getenv("DEVSTACK_E2E") == "required" {
			t.Fatalf("DEVSTACK_E2E=required but sshd is not installed (.ci/run installs openssh-server): %v", err)
		}
		t.Skipf("SKIPPED: no sshd (apt-get install openssh-server) for the ssh:// engine test")
	}
	ssh, err := exec.LookPath("ssh")
	if err != nil {
		t.Fatalf("ssh client: %v", err)
	}
	if os.Geteuid() != 0 {
		if os.Getenv("DEVSTACK_E2E") == "required" {
			t.Fatal("DEVSTACK_E2E=required but the ssh:// engine test logs in as root to a private sshd: run it as root")
		}
		t.Skip("SKIPPED: the ssh:// engine test logs in as root to a private sshd; run it as root")
	}
	dir := t.TempDir()
	keygen := func(name string) string {
		out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "devstack-e2e", "-f", filepath.Join(dir, name)).CombinedOutput()
		if err != nil {
			t.Fatalf("ssh-keygen: %v: %s", err, out)
		}
		pub, err := os.ReadFile(filepath.Join(dir, name+".pub"))
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(pub))
	}
	hostPub, clientPub := keygen("host_key"), keygen("client_key")
	write := func(name, body string, mode os.FileMode) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
		return path
	}
	write("authorized_keys", clientPub+"\n", 0o600)
	port := freePort(t)
	sshdConfig := write("sshd_config", fmt.Sprintf(`ListenAddress 127.0.0.1
Port %d
HostKey %s
PidFile %s
AuthorizedKeysFile %s
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
`, port, filepath.Join(dir, "host_key"), filepath.Join(dir, "sshd.pid"), filepath.Join(dir, "authorized_keys")), 0o600)
	if err := os.MkdirAll("/run/sshd", 0o755); err != nil { // its privilege-separation directory
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	daemon := exec.CommandContext(ctx, sshd, "-D", "-e", "-f", sshdConfig)
	logFile, err := os.Create(filepath.Join(dir, "sshd.log"))
	if err != nil {
		t.Fatal(err)
	}
	daemon.Stdout, daemon.Stderr = logFile, logFile
	if err := daemon.Start(); err != nil {
		t.Fatalf("start sshd: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		_ = daemon.Wait()
		logFile.Close()
		if t.Failed() {
			log, _ := os.ReadFile(logFile.Name())
			t.Logf("sshd log:\n%s", log)
		}
	})
	write("known_hosts", fmt.Sprintf("[127.0.0.1]:%d %s\n", port, hostPub), 0o600)
	clientConfig := write("ssh_config", fmt.Sprintf(`Host 127.0.0.1
  Port %d
  IdentityFile %s
  IdentitiesOnly yes
  UserKnownHostsFile %s
  StrictHostKeyChecking yes
  BatchMode yes
`, port, filepath.Join(dir, "client_key"), filepath.Join(dir, "known_hosts")), 0o600)
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	// The connection helper runs "ssh" from PATH: this one reads the test's configuration
	// instead of ~/.ssh/config (ssh takes that from the password database, not $HOME).
	write("bin/ssh", fmt.Sprintf("#!/bin/sh\nexec %s -F %s \"$@\"\n", ssh, clientConfig), 0o755)
	waitListening(t, fmt.Sprintf("127.0.0.1:%d", port))

	host := "ssh://root@127.0.0.1"
	if socket != engine.DefaultHost {
		host += strings.TrimPrefix(socket, "unix://") // the remote docker CLI dials this socket
	}
	return &sshEngine{host: host, env: []string{"DOCKER_HOST=" + host, "PATH=" + bin + ":" + os.Getenv("PATH")}}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func waitListening(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("nothing listens on %s", addr)
}

// A remote engine over ssh://: up, status, env and down work, env says how to reach the
// services (an ssh tunnel), and a port held on the engine's host is reported as held,
// checked through the engine rather than here.
func TestEngineOverSSH(t *testing.T) {
	local := localEngine(t)
	if !strings.HasPrefix(local.Host, "unix://") {
		t.Skipf("SKIPPED: the ssh:// test reaches the local engine's socket through ssh; this one is at %s", local.Host)
	}
	remote := startSSHEngine(t, local.Host)
	dir := t.TempDir()
	project := fmt.Sprintf("e2e-ssh-%d", time.Now().UnixNano()%100000)
	offset := freeOffset(t, "services:\n  redis:\n")
	write := func(extra string) {
		body := fmt.Sprintf("project: %s\noffset: %d\nservices:\n  redis:%s\n", project, offset, extra)
		if err := os.WriteFile(filepath.Join(dir, "devstack.yaml"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("")
	inv := invocation{dir: dir, extraEnv: remote.env}
	t.Cleanup(func() {
		if r := inv.run(t, "down", "--volumes"); r.code != 0 {
			t.Errorf("cleanup: down --volumes over ssh exited %d: %s", r.code, r.stderr)
		}
	})

	r := inv.run(t, "status", "-o", "json")
	var st struct {
		Engine *engine.Ref `json:"engine"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || st.Engine == nil {
		t.Fatalf("status over ssh: exit %d (%v)\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}
	if st.Engine.Host != remote.host || st.Engine.FoundBy != engine.FoundByEnv || !st.Engine.Remote || st.Engine.Kind != local.Kind {
		t.Fatalf("status engine %+v; want %s, remote, %s", st.Engine, remote.host, local.Kind)
	}

	if r := inv.run(t, "up", "-o", "json"); r.code != 0 {
		t.Fatalf("up over ssh: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if r := inv.run(t, "status"); r.code != 0 || !strings.Contains(r.stdout, "ready") || !strings.Contains(r.stdout, remote.host) {
		t.Fatalf("status over ssh: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = inv.run(t, "env")
	redisPort := 6579 + offset
	tunnel := fmt.Sprintf("ssh -N -L %d:127.0.0.1:%d root@127.0.0.1", redisPort, redisPort)
	if r.code != 0 || !strings.Contains(r.stdout, "REDIS_URL=redis://") || !strings.Contains(r.stderr, tunnel) {
		t.Fatalf("env over ssh: exit %d; want REDIS_URL and the tunnel %q\n%s\n%s", r.code, tunnel, r.stdout, r.stderr)
	}
	if r := inv.run(t, "down"); r.code != 0 {
		t.Fatalf("down over ssh: exit %d\n%s", r.code, r.stderr)
	}

	// A port held on the engine's host (this machine here, seen only through the engine).
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	heldPort := held.Addr().(*net.TCPAddr).Port
	write(fmt.Sprintf(" {ports: {redis: %d}}", heldPort-offset))
	r = inv.run(t, "ports", "-o", "json")
	if local.Kind == engine.KindPodman {
		// Podman's API cannot be asked without leaking the ports it is asked about
		// (HeldPorts): ports says free, and up's start finds the conflict.
		if r.code != 0 || !strings.Contains(r.stdout, `"state": "free"`) {
			t.Fatalf("ports over ssh on Podman: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
	} else if r.code != 1 || !strings.Contains(r.stdout, `"state": "held"`) || !strings.Contains(r.stdout, "engine's host") {
		t.Fatalf("ports over ssh with %d held there: exit %d\n%s\n%s", heldPort, r.code, r.stdout, r.stderr)
	}
	r = inv.run(t, "up")
	if r.code != 1 || !strings.Contains(r.stdout+r.stderr, strconv.Itoa(heldPort)) || !strings.Contains(r.stdout+r.stderr, "held") {
		t.Fatalf("up over ssh with %d held there: exit %d\n%s\n%s", heldPort, r.code, r.stdout, r.stderr)
	}
}

// A tcp:// engine with TLS (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH): a TLS proxy that
// requires the test's client certificate, in front of the local engine's socket.
func TestEngineOverTLS(t *testing.T) {
	local := localEngine(t)
	socket, ok := strings.CutPrefix(local.Host, "unix://")
	if !ok {
		t.Skipf("SKIPPED: the TLS proxy fronts a unix socket; the engine is at %s", local.Host)
	}
	certDir := t.TempDir()
	serverCert, pool := tlstest.Certs(t, certDir)
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{serverCert},
		ClientCAs: pool, ClientAuth: tls.RequireAndVerifyClientCert})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				up, err := net.Dial("unix", socket)
				if err != nil {
					return
				}
				defer up.Close()
				go func() { _, _ = io.Copy(up, c) }()
				_, _ = io.Copy(c, up)
			}()
		}
	}()
	host := "tcp://" + l.Addr().String()
	tlsEnv := []string{"DOCKER_HOST=" + host, "DOCKER_TLS_VERIFY=1", "DOCKER_CERT_PATH=" + certDir}
	r := invocation{dir: t.TempDir(), extraEnv: tlsEnv}.run(t, "doctor", "-o", "json")
	var d doctorEngineJSON
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatalf("doctor over TLS: %v\n%s\n%s", err, r.stdout, r.stderr)
	}
	for _, c := range d.Checks {
		if c.Name == "docker-daemon" {
			if c.Status != "ok" || c.Engine == nil || c.Engine.Host != host || c.Engine.Kind != local.Kind || c.Engine.Remote {
				t.Fatalf("docker-daemon over TLS: %s, %+v\n%s", c.Status, c.Engine, r.stdout)
			}
		}
	}
	// Without the certificates the engine stays shut, and doctor says so.
	r = invocation{dir: t.TempDir(), extraEnv: []string{"DOCKER_HOST=" + host, "DOCKER_TLS_VERIFY=", "DOCKER_CERT_PATH="}}.run(t, "doctor", "-o", "json")
	if !strings.Contains(r.stdout, `"name": "docker-daemon",`) || !strings.Contains(r.stdout, "does not answer") {
		t.Fatalf("doctor without TLS certificates: exit %d\n%s", r.code, r.stdout)
	}
}

// defaultNetwork is the engine's own default network, for a container made outside
// devstack: Docker calls it bridge, Podman podman.
func defaultNetwork(t *testing.T) string {
	if localEngine(t).Kind == engine.KindPodman {
		return "podman"
	}
	return "bridge"
}
