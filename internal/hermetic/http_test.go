package hermetic

import (
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// A service published on a non-loopback --bind address is reached directly, never through
// the user's proxy (which Go would use for such an address, and which would see the
// service's credentials). Loopback is never proxied by Go, so the test needs another
// address of this machine.
func TestTransportNeverUsesTheProxy(t *testing.T) {
	addr := nonLoopback()
	if addr == "" {
		t.Skip("SKIPPED: this machine has no non-loopback IPv4 address to publish a service on")
	}
	var proxied, direct atomic.Int32
	proxy := serve(t, "127.0.0.1:0", func(w http.ResponseWriter, r *http.Request) { proxied.Add(1) })
	svc := serve(t, net.JoinHostPort(addr, "0"), func(w http.ResponseWriter, r *http.Request) { direct.Add(1) })
	for _, k := range []string{"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"} {
		t.Setenv(k, "http://user:"+canary+"@"+proxy)
	}
	t.Setenv("NO_PROXY", "")
	t.Setenv("no_proxy", "")
	c := &http.Client{Transport: Transport(), Timeout: 5 * time.Second}
	req, _ := http.NewRequest(http.MethodGet, "http://"+svc+"/_cluster/health", nil)
	req.SetBasicAuth("admin", "service-secret")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if proxied.Load() != 0 || direct.Load() != 1 {
		t.Fatalf("proxy heard %d requests, the service %d; want 0 and 1", proxied.Load(), direct.Load())
	}
}

func serve(t *testing.T, addr string, h http.HandlerFunc) string {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

func nonLoopback() string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return ""
	}
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil && !ipn.IP.IsLoopback() && ipn.IP.IsGlobalUnicast() {
			return ipn.IP.String()
		}
	}
	return ""
}
