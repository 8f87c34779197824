//go:build e2e

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

// The memcached service, defined only in devstack.yaml and written exactly as
// the issue writes it (its exec probe, its connection template), comes up ready, shows in
// status, and its setting from devstack env reaches a real memcached.
const customMemcached = `services:
  cache:
    image: memcached:1.6
    ports:
      - name: memcached
        container: 11211
        host: 11411
    probe:
      exec: ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/11211 && printf 'version\\r\\n' >&3 && head -c 7 <&3 | grep -q VERSION"]
    connection:
      CACHE_URL: "memcached://{host}:{port:memcached}"
`

func TestCustomServiceFromDevstackYAML(t *testing.T) {
	// No registry answers here: the offline stand-in replaces memcached:1.6 the way a
	// user would, through DEVSTACK_IMAGE_<SERVICE>.
	if img := os.Getenv("DEVSTACK_IMAGE_MEMCACHED"); img != "" {
		t.Setenv("DEVSTACK_IMAGE_CACHE", img)
	}
	p := newStackProject(t, customMemcached)
	u := p.up()
	if len(u.Services) != 1 || u.Services[0].Name != "cache" || !u.Services[0].Ready {
		t.Fatalf("up: %+v", u)
	}

	r := p.run("status", "-o", "json")
	var st struct {
		OK       bool `json:"ok"`
		Services []struct {
			Name  string `json:"name"`
			Ready bool   `json:"ready"`
		} `json:"services"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || r.code != 0 || !st.OK || len(st.Services) != 1 || !st.Services[0].Ready {
		t.Fatalf("status: exit %d %v\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}

	cacheURL := p.env()["CACHE_URL"]
	target, err := url.Parse(cacheURL)
	if err != nil || target.Scheme != "memcached" {
		t.Fatalf("CACHE_URL %q: %v", cacheURL, err)
	}
	conn, err := net.DialTimeout("tcp", target.Host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	rd := bufio.NewReader(conn)
	fmt.Fprint(conn, "set greeting 0 0 5\r\nhello\r\n")
	if line, _ := rd.ReadString('\n'); strings.TrimSpace(line) != "STORED" {
		t.Fatalf("set answered %q", line)
	}
	fmt.Fprint(conn, "get greeting\r\n")
	var got []string
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatalf("get: %v after %q", err, got)
		}
		if line = strings.TrimSpace(line); line == "END" {
			break
		}
		got = append(got, line)
	}
	if len(got) != 2 || got[1] != "hello" {
		t.Fatalf("get answered %q", got)
	}
}
