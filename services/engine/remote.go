package engine

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/docker/cli/cli/connhelper"
	"github.com/docker/docker/client"
)

// clientOpts says how to reach the endpoint. ssh:// goes through the docker CLI's own
// connection helper, which runs `ssh … docker system dial-stdio` on the remote host, so
// the user's ssh configuration (keys, agent, jump hosts, ~/.ssh/config) applies as it does
// for the docker CLI. Everything else is the client's own: unix://, npipe://, and tcp://
// with TLS from DOCKER_CERT_PATH and DOCKER_TLS_VERIFY (client.FromEnv).
func clientOpts(ep Endpoint) ([]client.Opt, error) {
	opts := []client.Opt{client.FromEnv, client.WithAPIVersionNegotiation()}
	if !strings.HasPrefix(ep.Host, "ssh://") {
		// Explicit, so the host chosen here is the one used, whatever the process's own
		// environment says.
		return append(opts, client.WithHost(ep.Host)), nil
	}
	helper, err := connhelper.GetConnectionHelper(ep.Host)
	if err != nil {
		return nil, fmt.Errorf("engine address %s: %w", ep.Host, err)
	}
	// The helper's host is a placeholder URL: every request goes through its dialer.
	return append(opts,
		client.WithHTTPClient(&http.Client{Transport: &http.Transport{DialContext: helper.Dialer}}),
		client.WithHost(helper.Host),
		client.WithDialContext(helper.Dialer),
	), nil
}

// Remote says whether the engine runs on another machine, where the services' ports bind
// and are checked: any ssh:// engine, and tcp:// to an address that is not this machine's
// loopback. An ssh:// engine counts even on 127.0.0.1: devstack cannot see through ssh
// whether it lands on this machine.
func (e Endpoint) Remote() bool {
	u, err := url.Parse(e.Host)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "ssh":
		return true
	case "tcp", "http", "https":
		ip := net.ParseIP(u.Hostname())
		return u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback())
	}
	return false
}

// SSHDestination is the [user@]host of an ssh:// engine, with its port as ssh flags, for
// the tunnel command devstack suggests; for tcp:// it is the host alone.
func (e Endpoint) SSHDestination() (dest string, flags []string) {
	u, err := url.Parse(e.Host)
	if err != nil {
		return "", nil
	}
	dest = u.Hostname()
	if u.Scheme == "ssh" {
		if u.User != nil {
			dest = u.User.Username() + "@" + dest
		}
		if p := u.Port(); p != "" {
			flags = []string{"-p", p}
		}
	}
	return dest, flags
}

// TunnelCommand is the ssh command that makes the remote engine's loopback ports
// reachable on this machine's, port for port.
func (e Endpoint) TunnelCommand(bind string, ports []int) string {
	dest, flags := e.SSHDestination()
	args := append([]string{"ssh", "-N"}, flags...)
	for _, p := range ports {
		args = append(args, "-L", fmt.Sprintf("%d:%s", p, net.JoinHostPort(bind, fmt.Sprint(p))))
	}
	return strings.Join(append(args, dest), " ")
}

// remoteHint is the fix for an engine on another machine that does not answer: starting
// Docker here would not help.
func remoteHint(host string) string {
	u, err := url.Parse(host)
	if err != nil {
		return ""
	}
	switch u.Scheme {
	case "ssh":
		dest, flags := Endpoint{Host: host}.SSHDestination()
		cmd := strings.Join(append(append([]string{"ssh"}, flags...), dest, "docker", "version"), " ")
		return "check that `" + cmd + "` works without a password prompt: devstack reaches the engine " +
			"through ssh (your keys, agent and ~/.ssh/config) and the docker CLI on " + u.Hostname()
	case "tcp", "http", "https":
		return "check that the engine on " + u.Host + " listens there and that a firewall lets you in; " +
			"for TLS set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to the directory with ca.pem, cert.pem and key.pem"
	}
	return ""
}
