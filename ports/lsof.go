package ports

import (
	"context"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// lsofHolders names listeners with `lsof -F`, whose field output is meant for programs:
// p<pid>, c<command>, n<address:port> lines.
func lsofHolders(bind net.IP, ports []int) map[int]*Holder {
	out := map[int]*Holder{}
	unknown := "run as root to see"
	if os.Geteuid() == 0 {
		unknown = "held by a process lsof cannot see"
	}
	for _, p := range ports {
		out[p] = &Holder{Unknown: unknown}
	}
	path, err := exec.LookPath("lsof")
	if err != nil {
		for _, p := range ports {
			out[p].Unknown = "install lsof to see who"
		}
		return out
	}
	args := []string{"-nP", "-sTCP:LISTEN", "-Fpcn"}
	for _, p := range ports {
		args = append(args, "-iTCP:"+strconv.Itoa(p))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// lsof exits 1 when it finds nothing, which is an answer, not a failure.
	text, _ := exec.CommandContext(ctx, path, args...).Output()
	for port, h := range parseLsof(string(text), bind) {
		if _, ok := out[port]; ok {
			out[port] = h
		}
	}
	return out
}

// blocks reports whether a listener on local keeps a bind on bind from succeeding.
func blocks(local, bind net.IP) bool {
	return local.Equal(bind) || local.IsUnspecified() || bind == nil || bind.IsUnspecified()
}

func parseLsof(text string, bind net.IP) map[int]*Holder {
	out := map[int]*Holder{}
	var pid int
	var command string
	for _, line := range strings.Split(text, "\n") {
		if line == "" {
			continue
		}
		field, value := line[0], line[1:]
		switch field {
		case 'p':
			pid, _ = strconv.Atoi(value)
			command = ""
		case 'c':
			command = value
		case 'n':
			host, portText, err := net.SplitHostPort(value)
			if err != nil {
				continue
			}
			port, err := strconv.Atoi(portText)
			if err != nil {
				continue
			}
			local := net.ParseIP(strings.Trim(host, "[]"))
			if host == "*" {
				local = net.IPv4zero
			}
			if local != nil && blocks(local, bind) && out[port] == nil {
				out[port] = &Holder{PID: pid, Command: command}
			}
		}
	}
	return out
}
