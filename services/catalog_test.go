package services

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/devstack-dev/devstack/grammar"
	"github.com/devstack-dev/devstack/internal/listentest"
	"github.com/devstack-dev/devstack/probe"
)

func endpoint(s *Service, host string, env map[string]string) Endpoint {
	ep := Endpoint{Host: host, Ports: map[string]int{}, Env: env}
	for _, p := range s.Ports {
		ep.Ports[p.Name] = p.Host
	}
	return ep
}

func secret(key string) string { return "pw-" + strings.ToLower(key) }

// Every entry has what up, status and env rely on.
func TestCatalogEntriesAreComplete(t *testing.T) {
	seen := map[int]string{}
	for _, s := range All() {
		if s.Image == "" || len(s.Ports) == 0 || s.Probe.IsZero() || s.Connection == nil || s.Env == nil || s.Timeout <= 0 {
			t.Errorf("%s is missing a field: %+v", s.Name, s)
		}
		for _, p := range s.Ports {
			if other, dup := seen[p.Host]; dup {
				t.Errorf("%s and %s share default host port %d", s.Name, other, p.Host)
			}
			seen[p.Host] = s.Name
		}
	}
	// The defaults (Invenio's stack, in its order) are tested in services/builtin, where
	// the built-ins written as data are in the catalog.
	orders := map[int]string{}
	for _, s := range All() {
		if other, dup := orders[s.Order]; dup {
			t.Errorf("%s and %s share Order %d: listings would not be stable", s.Name, other, s.Order)
		}
		orders[s.Order] = s.Name
	}
}

// Any two services can run together: no connection setting is written by two of them.
func TestConnectionSettingNamesNeverCollide(t *testing.T) {
	owner := map[string]string{}
	for _, s := range All() {
		ep := endpoint(s, "127.0.0.1", s.Env(Params{Project: "p", Secret: secret}))
		for _, st := range s.Connection(ep) {
			if other, dup := owner[st.Key]; dup {
				t.Errorf("%s and %s both write %s", s.Name, other, st.Key)
			}
			owner[st.Key] = s.Name
		}
	}
}

// Every key a built-in emits fits the setting-key grammar that devstack.yaml's own keys
// are held to (grammar.SettingKey): a shell may eval them all.
func TestConnectionSettingKeysFitTheGrammar(t *testing.T) {
	for _, s := range All() {
		ep := endpoint(s, "127.0.0.1", s.Env(Params{Project: "p", Secret: secret}))
		for _, st := range s.Connection(ep) {
			if err := grammar.SettingKey(st.Key); err != nil {
				t.Errorf("%s writes %s: %v", s.Name, st.Key, err)
			}
		}
	}
}

func TestBucketName(t *testing.T) {
	for in, want := range map[string]string{"my_app.v2": "my-app-v2", "ab": "ab-0", strings.Repeat("x", 70): strings.Repeat("x", 63)} {
		if got := bucketName(in); got != want {
			t.Errorf("bucketName(%q) = %q, want %q", in, got, want)
		}
	}
}

// A TCP connect is never readiness: every probe must fail against an accepting proxy.
func TestProbesRefuseAnAcceptingProxy(t *testing.T) {
	port := listentest.ProxyLike(t)
	for _, s := range All() {
		t.Run(s.Name, func(t *testing.T) {
			ep := Endpoint{Host: "127.0.0.1", Ports: map[string]int{}, Env: s.Env(Params{Project: "p", Secret: secret})}
			for _, p := range s.Ports {
				ep.Ports[p.Name] = port
			}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			start := time.Now()
			st, err := probe.Build(s.Probe)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.Check(ctx, NewTarget(s, ep, nil)); err == nil {
				t.Fatal("probe called an accept-and-close listener ready")
			}
			if took := time.Since(start); took > 2500*time.Millisecond {
				t.Fatalf("probe took %s to fail", took)
			}
		})
	}
}
