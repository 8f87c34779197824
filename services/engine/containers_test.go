package engine

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/docker/go-connections/nat"
)

// fakeCreate stands in for an engine of one kind: it answers /version with that kind's
// components and records the port bindings each create asks for.
func fakeCreate(t *testing.T, components string) (*Client, func() nat.PortMap) {
	t.Helper()
	var mu sync.Mutex
	var got nat.PortMap
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Api-Version", "1.41")
		switch {
		case strings.HasSuffix(r.URL.Path, "/_ping"):
			w.Write([]byte("OK"))
		case strings.HasSuffix(r.URL.Path, "/version"):
			w.Write([]byte(`{"Version":"4.3.1","ApiVersion":"1.41","Components":` + components + `}`))
		case strings.HasSuffix(r.URL.Path, "/containers/create"):
			var body struct {
				HostConfig struct{ PortBindings nat.PortMap }
			}
			if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
				t.Errorf("create body: %v", err)
			}
			mu.Lock()
			got = body.HostConfig.PortBindings
			mu.Unlock()
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte(`{"Id":"abc"}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	c, err := Connect(func(k string) string {
		return map[string]string{"DOCKER_HOST": "tcp://" + srv.Listener.Addr().String()}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, func() nat.PortMap { mu.Lock(); defer mu.Unlock(); return got }
}

// A port on every IPv4 address reaches Podman as no address (netavark before 1.6 forwards
// a literal 0.0.0.0 to nothing); Docker gets 0.0.0.0 as asked, and a specific address
// goes to either engine unchanged.
func TestCreateWildcardHostIP(t *testing.T) {
	const (
		podman = `[{"Name":"Podman Engine","Version":"4.3.1"}]`
		docker = `[{"Name":"Engine","Version":"28.2.2"}]`
	)
	tests := []struct {
		name, components, bind, want string
	}{
		{"podman every address", podman, "0.0.0.0", ""},
		{"podman loopback", podman, "127.0.0.1", "127.0.0.1"},
		{"podman one address", podman, "192.0.2.2", "192.0.2.2"},
		{"docker every address", docker, "0.0.0.0", "0.0.0.0"},
		{"docker loopback", docker, "127.0.0.1", "127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, got := fakeCreate(t, tt.components)
			spec := ContainerSpec{Name: "p-redis", Image: "redis", Network: "p-devstack", Alias: "redis",
				Ports: []PortBinding{{HostIP: tt.bind, HostPort: 26379, ContainerPort: 6379}}}
			if _, err := c.Create(context.Background(), spec); err != nil {
				t.Fatal(err)
			}
			b := got()["6379/tcp"]
			if len(b) != 1 || b[0].HostIP != tt.want || b[0].HostPort != "26379" {
				t.Fatalf("bindings %+v, want host ip %q", b, tt.want)
			}
		})
	}
}

// An engine's report of no host address (Podman's, for a port on every address) reads
// as 0.0.0.0, so that up's check that ports sit on the bind address holds.
func TestBindingsReadNoAddressAsEvery(t *testing.T) {
	tests := []struct {
		name, hostIP, want string
	}{
		{"no address", "", "0.0.0.0"},
		{"every address", "0.0.0.0", "0.0.0.0"},
		{"loopback", "127.0.0.1", "127.0.0.1"},
		{"ipv6 loopback", "::1", "::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := bindings(nat.PortMap{"6379/tcp": {{HostIP: tt.hostIP, HostPort: "26379"}}})
			if len(got) != 1 || got[0].HostIP != tt.want || got[0].HostPort != 26379 || got[0].ContainerPort != 6379 {
				t.Fatalf("bindings %+v, want host ip %q", got, tt.want)
			}
		})
	}
}
