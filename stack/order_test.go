package stack

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/internal/configtest"
	"github.com/devstack-dev/devstack/internal/enginetest"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services"
)

func unitsTaking(timeouts ...time.Duration) []plan.Unit {
	var units []plan.Unit
	for i, d := range timeouts {
		name := string(rune('a' + i))
		units = append(units, plan.Unit{Service: &config.Service{Service: &services.Service{Name: name}}, Timeout: d})
	}
	return units
}

func TestSlowest(t *testing.T) {
	tests := []struct {
		name     string
		timeouts []time.Duration
		want     int
	}{
		{"none", nil, -1},
		{"one: nobody to go before", []time.Duration{time.Minute}, -1},
		{"all alike: nobody waits", []time.Duration{time.Minute, time.Minute}, -1},
		{"longest timeout leads", []time.Duration{30 * time.Second, 3 * time.Minute, time.Minute}, 1},
		{"first among equals", []time.Duration{30 * time.Second, 2 * time.Minute, 2 * time.Minute}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := slowest(unitsTaking(tt.timeouts...)); got != tt.want {
				t.Fatalf("slowest = %d, want %d", got, tt.want)
			}
		})
	}
}

// The slowest service's container is created and started before any other's, whatever
// its place in the plan; the others follow.
func TestUpStartsTheSlowestFirst(t *testing.T) {
	cfg := configtest.Load(t, "project: p\noffset: 10000\nservices:\n  redis:\n  postgres:\n  opensearch:\n  minio:\n")
	pl := planFor(t, cfg)
	f := enginetest.New()
	for _, u := range pl.Units {
		f.LocalImage(u.Spec.Image, nil)
	}
	report, err := Up(context.Background(), f, pl, fixedSecrets{}, UpOptions{NoWait: true})
	if err != nil || !report.OK {
		t.Fatalf("up: %v %+v", err, report)
	}
	var containerCalls []string
	for _, c := range strings.Split(f.CallLog(), "; ") {
		if strings.HasPrefix(c, "create ") || strings.HasPrefix(c, "start ") {
			containerCalls = append(containerCalls, c)
		}
	}
	if len(containerCalls) != 8 || !slices.Equal(containerCalls[:2], []string{"create p-opensearch", "start p-opensearch"}) {
		t.Fatalf("container calls %q; want opensearch's create and start first", containerCalls)
	}
}

// Polling backs off from pollFirst to at most 100 ms, and gets there.
func TestPollBackoffIsCapped(t *testing.T) {
	wait, reached := pollFirst, false
	for range 50 {
		next := nextPoll(wait)
		if next > 100*time.Millisecond || next < wait {
			t.Fatalf("after %s: %s", wait, next)
		}
		reached = reached || next == 100*time.Millisecond
		wait = next
	}
	if !reached {
		t.Fatalf("never reached the cap; ended at %s", wait)
	}
}
