package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"time"
)

// trace merges a devstack run's progress lines (already stamped from its exec) with the
// engine's events for the project in the same span, read with docker events: what the
// engine did and when, seen from outside devstack. A gap before the first event is
// devstack's own preflight (config, secrets, ports, image and volume checks).
func trace(r Run, progress []byte) []string {
	type line struct {
		at   float64
		text string
	}
	var lines []line
	sc := bufio.NewScanner(bytes.NewReader(progress))
	for sc.Scan() {
		f := strings.TrimSpace(sc.Text())
		at, rest, ok := strings.Cut(f, "s  ")
		if v, err := strconv.ParseFloat(at, 64); ok && err == nil {
			lines = append(lines, line{v, "devstack: " + rest})
		}
	}
	until := r.end.Add(time.Second)
	out, err := exec.Command("docker", "events", "--since", strconv.FormatInt(r.start.Add(-time.Second).Unix(), 10),
		"--until", strconv.FormatInt(until.Unix()+1, 10), "--format", "{{json .}}").Output()
	if err != nil {
		lines = append(lines, line{0, "docker events: " + err.Error()})
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var ev struct {
			Type, Action string
			Actor        struct {
				ID         string
				Attributes map[string]string
			}
			TimeNano int64 `json:"timeNano"`
		}
		if err := dec.Decode(&ev); err == io.EOF || err != nil {
			break
		}
		name := ev.Actor.Attributes["name"]
		if ev.Type == "volume" || name == "" {
			name = ev.Actor.ID
		}
		if ev.Type == "network" && ev.Actor.Attributes["container"] != "" {
			continue // connect/disconnect: the container's own events say it
		}
		// By name, or by devstack's labels: helper containers (reading a volume's files)
		// have random names.
		ours := strings.Contains(name, "benchpeer")
		for _, v := range ev.Actor.Attributes {
			ours = ours || v == "benchpeer"
		}
		if !ours || strings.HasPrefix(ev.Action, "exec_") {
			continue
		}
		at := time.Unix(0, ev.TimeNano).Sub(r.start).Seconds()
		if at < 0 || at > r.All {
			continue
		}
		lines = append(lines, line{at, fmt.Sprintf("engine:   %s %s %s", ev.Type, ev.Action, name)})
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].at < lines[j].at })
	var s []string
	for _, l := range lines {
		s = append(s, fmt.Sprintf("%+8.3fs  %s", l.at, l.text))
	}
	return s
}

func (r *Result) writeTraces(w io.Writer) {
	for _, round := range r.Rounds {
		for _, run := range round.Runs {
			if len(run.Trace) == 0 {
				continue
			}
			fmt.Fprintf(w, "\nround %d, %s: %.2fs\n", round.N, run.Side, run.All)
			for _, l := range run.Trace {
				fmt.Fprintln(w, "  "+l)
			}
		}
	}
}
