// Package listentest serves loopback TCP ports for tests of readiness probes: a probe
// must tell a server that speaks its protocol from one that only accepts, as Docker's
// proxy does on a published port before anything listens inside the container.
package listentest

import (
	"net"
	"testing"
)

// Serve serves every connection with serve on a loopback port, closed with the test.
func Serve(t testing.TB, serve func(net.Conn)) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go serve(c)
		}
	}()
	return l.Addr().(*net.TCPAddr).Port
}

// ProxyLike accepts connections and closes them at once.
func ProxyLike(t testing.TB) int {
	t.Helper()
	return Serve(t, func(c net.Conn) { c.Close() })
}
