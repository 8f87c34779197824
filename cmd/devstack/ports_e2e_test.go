//go:build e2e

package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type portsJSON struct {
	Bind   string `json:"bind"`
	Offset int    `json:"offset"`
	OK     bool   `json:"ok"`
	Ports  []struct {
		Service string `json:"service"`
		Name    string `json:"name"`
		Host    int    `json:"host_port"`
		State   string `json:"state"`
		Holder  *struct {
			PID     int    `json:"pid"`
			Command string `json:"command"`
		} `json:"holder"`
	} `json:"ports"`
	Suggestion *struct {
		Offset int    `json:"offset"`
		Flag   string `json:"flag"`
	} `json:"suggestion"`
}

// projectWithPort writes a devstack.yaml planning only redis, on a port nothing holds.
func projectWithPort(t *testing.T) (string, int) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	dir := t.TempDir()
	yaml := fmt.Sprintf("project: e2e-ports\nservices:\n  redis: {ports: {redis: %d}}\n", port)
	if err := os.WriteFile(filepath.Join(dir, "devstack.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, port
}

func TestPortsCommand(t *testing.T) {
	dir, port := projectWithPort(t)
	inv := invocation{dir: dir}

	r := inv.run(t, "ports", "-o", "json")
	var rep portsJSON
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || r.code != 0 || !rep.OK || rep.Ports[0].State != "free" {
		t.Fatalf("free: exit %d %v %s %s", r.code, err, r.stdout, r.stderr)
	}

	l, err := net.Listen("tcp", fmt.Sprintf("0.0.0.0:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	r = inv.run(t, "ports", "-o", "json", "--suggest")
	rep = portsJSON{}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	p := rep.Ports[0]
	if r.code != 1 || rep.OK || p.State != "held" || p.Holder == nil || p.Holder.PID != os.Getpid() {
		t.Fatalf("held: exit %d %s", r.code, r.stdout)
	}
	if rep.Suggestion == nil || rep.Suggestion.Offset == 0 || rep.Suggestion.Flag != fmt.Sprintf("--offset %d", rep.Suggestion.Offset) {
		t.Fatalf("suggestion: %+v", rep.Suggestion)
	}

	// Text: the holder's PID is named, and the way out is given.
	r = inv.run(t, "ports")
	if r.code != 1 || !strings.Contains(r.stdout, fmt.Sprintf("held by pid %d", os.Getpid())) || !strings.Contains(r.stdout, "devstack ports --suggest") {
		t.Fatalf("text: %s", r.stdout)
	}

	// doctor includes the same verdict as one check.
	r = inv.run(t, "doctor", "-o", "json")
	var doc doctorJSON
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range doc.Checks {
		if c.Name == "ports" {
			found = true
			if c.Status != "fail" || !strings.Contains(c.Message, fmt.Sprintf("%d (redis) held by pid %d", port, os.Getpid())) {
				t.Fatalf("doctor ports check: %+v", c)
			}
		}
	}
	if !found || r.code != 1 {
		t.Fatalf("doctor: exit %d, ports check found %v", r.code, found)
	}
}

func TestPortsBadInputExitsTwo(t *testing.T) {
	dir, _ := projectWithPort(t)
	collide := t.TempDir()
	if err := os.WriteFile(filepath.Join(collide, "devstack.yaml"), []byte("services:\n  redis: {ports: {redis: 5632}}\n  postgres:\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		dir  string
		args []string
		want string
	}{
		{dir, []string{"ports", "--bind", "localhost"}, `bind address "localhost" is not an IP address`},
		{dir, []string{"ports", "--bind", "192.0.2.7"}, "not an address of this machine"},
		{dir, []string{"ports", "--offset", "-3"}, "offset -3 is out of range"},
		{dir, []string{"ports", "--offset", "many"}, `--offset "many" is not a whole number`},
		{collide, []string{"ports"}, "redis and postgres are both planned on host port 5632"},
	}
	for _, tt := range tests {
		r := invocation{dir: tt.dir}.run(t, tt.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%v: exit %d stderr %q; want 2 and %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
}

func TestPortsFlagBeatsEnvironmentBeatsFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "devstack.yaml"), []byte("offset: 100\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		env    []string
		args   []string
		offset int
		bind   string
	}{
		{nil, nil, 100, "127.0.0.1"},
		{[]string{"DEVSTACK_OFFSET=200", "DEVSTACK_BIND=::1"}, nil, 200, "::1"},
		{[]string{"DEVSTACK_OFFSET=200"}, []string{"--offset", "300", "--bind", "127.0.0.1"}, 300, "127.0.0.1"},
	}
	for _, tt := range tests {
		r := invocation{dir: dir, extraEnv: tt.env}.run(t, append([]string{"ports", "-o", "json"}, tt.args...)...)
		var rep portsJSON
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatalf("%v: %v %s %s", tt.args, err, r.stdout, r.stderr)
		}
		if rep.Offset != tt.offset || rep.Bind != tt.bind || rep.Ports[0].Host != 6579+tt.offset {
			t.Errorf("env %v args %v: offset %d bind %s redis %d", tt.env, tt.args, rep.Offset, rep.Bind, rep.Ports[0].Host)
		}
	}
}
