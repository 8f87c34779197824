package engine

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/internal/tlstest"
)

func TestEndpointRemote(t *testing.T) {
	tests := []struct {
		host   string
		remote bool
		tunnel string
	}{
		{"unix:///var/run/docker.sock", false, ""},
		{"npipe:////./pipe/docker_engine", false, ""},
		{"tcp://127.0.0.1:2375", false, ""},
		{"tcp://localhost:2375", false, ""},
		{"tcp://10.0.0.5:2376", true, "ssh -N -L 6579:127.0.0.1:6579 -L 5632:127.0.0.1:5632 10.0.0.5"},
		{"ssh://root@127.0.0.1:2222", true, "ssh -N -p 2222 -L 6579:127.0.0.1:6579 -L 5632:127.0.0.1:5632 root@127.0.0.1"},
		{"ssh://build-box", true, "ssh -N -L 6579:127.0.0.1:6579 -L 5632:127.0.0.1:5632 build-box"},
	}
	for _, tt := range tests {
		ep := Endpoint{Host: tt.host}
		if ep.Remote() != tt.remote {
			t.Errorf("%s: remote %v, want %v", tt.host, ep.Remote(), tt.remote)
		}
		if tt.remote {
			if got := ep.TunnelCommand("127.0.0.1", []int{6579, 5632}); got != tt.tunnel {
				t.Errorf("%s: tunnel %q, want %q", tt.host, got, tt.tunnel)
			}
		}
	}
}

func TestUnreachableHintByScheme(t *testing.T) {
	tests := []struct{ host, foundBy, want, wantMsg string }{
		{"ssh://me@build-box:2222", "", "ssh -p 2222 me@build-box docker version", ""},
		{"tcp://10.0.0.5:2376", "", "DOCKER_CERT_PATH", ""},
		{"unix:///var/run/docker.sock", FoundByDefault, "start Docker", ""},
		// Where the address came from is named, with how to change it.
		{"tcp://127.0.0.1:1", FoundByEnv, "set DOCKER_HOST to its address (unset DOCKER_HOST", "at tcp://127.0.0.1:1 (from DOCKER_HOST) does not answer"},
		{"unix:///tmp/gone.sock", FoundByEnv, "unset DOCKER_HOST", "(from DOCKER_HOST)"},
		{"unix:///home/me/.colima/docker.sock", FoundByContext + " colima", "docker context use NAME", "(from docker context colima)"},
	}
	for _, tt := range tests {
		e := &UnreachableError{Host: tt.host, FoundBy: tt.foundBy, Err: os.ErrNotExist}
		if !strings.Contains(e.Hint(), tt.want) {
			t.Errorf("%s: hint %q lacks %q", tt.host, e.Hint(), tt.want)
		}
		if !strings.Contains(e.Error(), tt.wantMsg) {
			t.Errorf("%s: error %q lacks %q", tt.host, e.Error(), tt.wantMsg)
		}
	}
}

// A tcp:// engine with TLS: the client presents DOCKER_CERT_PATH's certificate and
// verifies the engine's against its CA when DOCKER_TLS_VERIFY is set. The engine here is
// a stand-in answering the three requests Info makes; the end-to-end suite runs the real
// one behind a TLS proxy.
func TestTLSFromEnv(t *testing.T) {
	dir := t.TempDir()
	serverCert, pool := tlstest.Certs(t, dir)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Api-Version", "1.41")
		switch {
		case strings.HasSuffix(r.URL.Path, "/_ping"):
			w.Write([]byte("OK"))
		case strings.HasSuffix(r.URL.Path, "/info"):
			w.Write([]byte(`{"ServerVersion":"28.2.2","Name":"colima","OperatingSystem":"Ubuntu 24.04","MemTotal":4294967296}`))
		case strings.HasSuffix(r.URL.Path, "/version"):
			w.Write([]byte(`{"Version":"28.2.2","ApiVersion":"1.41","Components":[{"Name":"Engine","Version":"28.2.2"}]}`))
		default:
			http.NotFound(w, r)
		}
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{serverCert}, ClientCAs: pool, ClientAuth: tls.RequireAndVerifyClientCert}
	srv.StartTLS()
	defer srv.Close()
	host := "tcp://" + srv.Listener.Addr().String()

	t.Setenv("DOCKER_CERT_PATH", dir)
	t.Setenv("DOCKER_TLS_VERIFY", "1")
	c, err := Connect(func(k string) string { return map[string]string{"DOCKER_HOST": host}[k] })
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	info, err := c.Info(context.Background())
	if err != nil {
		t.Fatalf("TLS engine: %v", err)
	}
	if info.Host != host || info.Kind != KindColima || info.FoundBy != FoundByEnv || info.Remote {
		t.Fatalf("info %+v", info)
	}

	// Without the client certificate, the engine refuses: the certificates above were used.
	t.Setenv("DOCKER_CERT_PATH", "")
	t.Setenv("DOCKER_TLS_VERIFY", "")
	plain, err := Connect(func(k string) string { return map[string]string{"DOCKER_HOST": host}[k] })
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if _, err := plain.Info(context.Background()); err == nil {
		t.Fatal("an engine that requires a client certificate answered without one")
	}
}
