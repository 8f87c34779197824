package engine

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/docker/go-connections/nat"
)

const (
	podmanComponents = `[{"Name":"Podman Engine","Version":"4.3.1"}]`
	dockerComponents = `[{"Name":"Engine","Version":"28.2.2"}]`
	rlimitRefusal    = `{"message":"runc: runc create failed: unable to start container process: error during container init: error setting rlimits for ready process: error setting rlimit type 7: operation not permitted: OCI permission denied"}`
	missingCommand   = `{"message":"crun: executable file '/devstack-ulimits-probe-does-not-exist' not found in $PATH: No such file or directory: OCI runtime attempted to invoke a command that was not found"}`
)

// fakeEngine stands in for an engine of one kind: it answers /version with that kind's
// components, records each create (its name and port bindings) and each removal, and
// answers every start with startBody (a 500 when set).
type fakeEngine struct {
	mu      sync.Mutex
	created []fakeCreated
	removed int
}

type fakeCreated struct {
	name     string
	bindings nat.PortMap
}

func newFakeEngine(t *testing.T, components, startBody string) (*Client, *fakeEngine) {
	t.Helper()
	f := &fakeEngine{}
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
			f.mu.Lock()
			f.created = append(f.created, fakeCreated{r.URL.Query().Get("name"), body.HostConfig.PortBindings})
			f.mu.Unlock()
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte(`{"Id":"abc"}`))
		case strings.HasSuffix(r.URL.Path, "/start"):
			if startBody == "" {
				w.WriteHeader(http.StatusNoContent)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte(startBody))
		case strings.HasSuffix(r.URL.Path, "/containers/json"):
			// As Podman 4.3's API does: a status filter it does not know is a 500.
			if strings.Contains(r.URL.Query().Get("filters"), "restarting") {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusInternalServerError)
				w.Write([]byte(`{"cause":"invalid argument","message":"unknown container state: restarting: invalid argument","response":500}`))
				return
			}
			w.Write([]byte(listedContainers))
		case r.Method == http.MethodDelete:
			f.mu.Lock()
			f.removed++
			f.mu.Unlock()
			w.WriteHeader(http.StatusNoContent)
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
	return c, f
}

func (f *fakeEngine) record() ([]fakeCreated, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeCreated(nil), f.created...), f.removed
}

func redisSpec(bind string) ContainerSpec {
	return ContainerSpec{Name: "p-redis", Image: "redis", Network: "p-devstack", Alias: "redis",
		Ports: []PortBinding{{HostIP: bind, HostPort: 26379, ContainerPort: 6379}}}
}

// A port on every IPv4 address reaches Podman as no address (netavark before 1.6 forwards
// a literal 0.0.0.0 to nothing); Docker gets 0.0.0.0 as asked, and a specific address
// goes to either engine unchanged.
func TestCreateWildcardHostIP(t *testing.T) {
	tests := []struct {
		name, components, bind, want string
	}{
		{"podman every address", podmanComponents, "0.0.0.0", ""},
		{"podman loopback", podmanComponents, "127.0.0.1", "127.0.0.1"},
		{"podman one address", podmanComponents, "192.0.2.2", "192.0.2.2"},
		{"docker every address", dockerComponents, "0.0.0.0", "0.0.0.0"},
		{"docker loopback", dockerComponents, "127.0.0.1", "127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := newFakeEngine(t, tt.components, "")
			if _, err := c.Create(context.Background(), redisSpec(tt.bind)); err != nil {
				t.Fatal(err)
			}
			created, _ := f.record()
			if len(created) != 1 {
				t.Fatalf("created %+v, want the one container", created)
			}
			b := created[0].bindings["6379/tcp"]
			if len(b) != 1 || b[0].HostIP != tt.want || b[0].HostPort != "26379" {
				t.Fatalf("bindings %+v, want host ip %q", b, tt.want)
			}
		})
	}
}

// On Podman, a container that asks for ulimits and publishes ports is preceded by a probe
// that publishes none: a refusal comes back as ErrUlimits before any port is bound (Podman
// 4.3 would keep a refused container's ports), and the probe is removed either way.
// Docker, and a spec without ulimits, are created at once.
func TestCreateProbesUlimitsOnPodman(t *testing.T) {
	tests := []struct {
		name, components, start string
		ulimits                 bool
		wantUlimits             bool
		wantCreated             []string
		wantRemoved             int
	}{
		{"podman refuses", podmanComponents, rlimitRefusal, true, true, []string{"devstack-ulimits-probe-"}, 1},
		{"podman allows", podmanComponents, missingCommand, true, false, []string{"devstack-ulimits-probe-", "p-opensearch"}, 1},
		{"podman without ulimits", podmanComponents, missingCommand, false, false, []string{"p-opensearch"}, 0},
		{"docker", dockerComponents, rlimitRefusal, true, false, []string{"p-opensearch"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := newFakeEngine(t, tt.components, tt.start)
			spec := ContainerSpec{Name: "p-opensearch", Image: "opensearch", Network: "p-devstack", Alias: "opensearch",
				Ports: []PortBinding{{HostIP: "127.0.0.1", HostPort: 29200, ContainerPort: 9200}}}
			if tt.ulimits {
				spec.Ulimits = []Ulimit{{Name: "memlock", Soft: -1, Hard: -1}}
			}
			_, err := c.Create(context.Background(), spec)
			if got := errors.Is(err, ErrUlimits); got != tt.wantUlimits || (err != nil && !tt.wantUlimits) {
				t.Fatalf("create: %v; want ErrUlimits %v", err, tt.wantUlimits)
			}
			created, removed := f.record()
			if len(created) != len(tt.wantCreated) || removed != tt.wantRemoved {
				t.Fatalf("created %+v, removed %d; want %v, %d removed", created, removed, tt.wantCreated, tt.wantRemoved)
			}
			for i, prefix := range tt.wantCreated {
				if !strings.HasPrefix(created[i].name, prefix) {
					t.Errorf("container %d is %q, want %s…", i, created[i].name, prefix)
				}
				if prefix == "devstack-ulimits-probe-" && len(created[i].bindings) != 0 {
					t.Errorf("the probe publishes %v", created[i].bindings)
				}
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

// Podman forwards an IPv6 host address only to an IPv6 container network: refused before
// anything is made, with the bind that works; Docker publishes it.
func TestCreateIPv6BindOnPodman(t *testing.T) {
	for _, tt := range []struct {
		name, components, bind string
		refused                bool
	}{
		{"podman every v6 address", podmanComponents, "::", true},
		{"podman v6 loopback", podmanComponents, "::1", true},
		{"docker v6 loopback", dockerComponents, "::1", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, f := newFakeEngine(t, tt.components, "")
			_, err := c.Create(context.Background(), redisSpec(tt.bind))
			var v6 *IPv6OnPodmanError
			if errors.As(err, &v6) != tt.refused {
				t.Fatalf("err %v, refused want %v", err, tt.refused)
			}
			created, _ := f.record()
			if tt.refused && (len(created) != 0 || !strings.Contains(v6.Hint(), "127.0.0.1")) {
				t.Fatalf("refused, yet created %+v (hint %q)", created, v6.Hint())
			}
		})
	}
}

// listedContainers are devstack containers in every state a port question meets.
const listedContainers = `[
 {"Id":"1","Names":["/a-redis"],"State":"running","Labels":{"dev.devstack.project":"a","dev.devstack.service":"redis"},"Ports":[{"PublicPort":6579,"PrivatePort":6379,"Type":"tcp"}]},
 {"Id":"2","Names":["/a-postgres"],"State":"paused","Labels":{"dev.devstack.project":"a","dev.devstack.service":"postgres"},"Ports":[{"PublicPort":5632,"PrivatePort":5432,"Type":"tcp"}]},
 {"Id":"3","Names":["/b-redis"],"State":"created","Labels":{"dev.devstack.project":"b","dev.devstack.service":"redis"},"Ports":[{"PublicPort":6679,"PrivatePort":6379,"Type":"tcp"}]},
 {"Id":"4","Names":["/b-minio"],"State":"exited","Labels":{"dev.devstack.project":"b","dev.devstack.service":"minio"},"Ports":[{"PublicPort":9100,"PrivatePort":9000,"Type":"tcp"}]}
]`

// Every devstack container that may hold a port is asked about, whatever the engine
// accepts as a status filter (Podman refuses "restarting"); an exited one holds none.
func TestPublishedPortsByState(t *testing.T) {
	c, _ := newFakeEngine(t, dockerComponents, "")
	got, err := c.PublishedPorts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]PortOwner{6579: {Project: "a", Service: "redis"}, 5632: {Project: "a", Service: "postgres"}, 6679: {Project: "b", Service: "redis"}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for port, owner := range want {
		if got[port] != owner {
			t.Errorf("port %d: %+v, want %+v", port, got[port], owner)
		}
	}
}
