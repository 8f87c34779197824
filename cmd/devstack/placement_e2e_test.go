//go:build e2e

package main

import (
	"encoding/json"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
)

// On a fresh project, `up redis --offset N` publishes redis at N; env, status and ports,
// run afterwards without the flag, report the port the engine publishes, not the file's
// (they printed the file's offset, where nothing listened).
func TestPartialUpAtAnOffsetIsWhereEveryCommandLooks(t *testing.T) {
	const services = "services: {redis: {}, postgres: {}}\n"
	p := newStackProject(t, services)
	offset := freeOffset(t, services)
	p.base = fmt.Sprintf("project: %s\noffset: %d\n", p.name, offset+7) // the file's offset: never published
	p.write(services)
	everyCommandSees(t, p, offset)
}

// The issue's own case, on the numbers it names: a fresh project with no offset of its
// own, `up redis --offset 900`; the engine publishes redis on 7479, and env, status
// --json and ports --json, run without the flag, all say 7479.
func TestPlacementUpRedisOffset900(t *testing.T) {
	const services = "services: {redis: {}, postgres: {}}\n"
	p := newStackProject(t, services)
	if l, err := net.Listen("tcp", "127.0.0.1:7479"); err != nil {
		t.Skipf("127.0.0.1:7479 is held here (%v): the case needs that very port", err)
	} else {
		l.Close()
	}
	p.base = fmt.Sprintf("project: %s\n", p.name) // no offset: the default's, 0
	p.write(services)
	if published := everyCommandSees(t, p, 900); published != 7479 {
		t.Errorf("published %d, want 7479", published)
	}
}

// everyCommandSees brings up redis alone at --offset offset, and checks that env, status
// and ports, run after it without the flag, report the port the engine publishes, which
// it returns.
func everyCommandSees(t *testing.T, p *stackProject, offset int) int {
	t.Helper()
	u := p.up("redis", "--offset", strconv.Itoa(offset))
	if len(u.Services) != 1 || len(u.Services[0].Ports) != 1 {
		t.Fatalf("up redis: want one service with one port, got %+v", u.Services)
	}
	published := u.Services[0].Ports[0].HostPort
	if published != 6579+offset {
		t.Fatalf("up published redis on %d, want %d", published, 6579+offset)
	}
	if url := p.env()["REDIS_URL"]; !strings.Contains(url, fmt.Sprintf(":%d/", published)) {
		t.Errorf("env: REDIS_URL=%q does not point at the published port %d", url, published)
	}
	var statusPorts []int
	for _, s := range p.status().Services {
		if s.Name == "redis" {
			if !s.Ready {
				t.Errorf("status: redis not ready: %s", s.Message)
			}
			for _, pt := range s.Ports {
				statusPorts = append(statusPorts, pt.HostPort)
			}
		}
	}
	if len(statusPorts) != 1 || statusPorts[0] != published {
		t.Errorf("status: redis ports %v, want [%d]", statusPorts, published)
	}
	r := p.run("ports", "-o", "json")
	var pr portsJSON
	if err := json.Unmarshal([]byte(r.stdout), &pr); err != nil {
		t.Fatalf("ports: exit %d, not JSON (%v): %s %s", r.code, err, r.stdout, r.stderr)
	}
	if pr.Offset != offset {
		t.Errorf("ports: offset %d, want %d", pr.Offset, offset)
	}
	for _, pt := range pr.Ports {
		if pt.Service == "redis" && pt.Host != published {
			t.Errorf("ports: redis on %d, want %d", pt.Host, published)
		}
	}
	return published
}
