package stack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/services/engine"
)

func portsText(ps []engine.PortBinding) string {
	var parts []string
	for _, p := range ps {
		parts = append(parts, fmt.Sprintf("%s:%d", hostForText(p.HostIP), p.HostPort))
	}
	return strings.Join(parts, " ")
}

func hostForText(ip string) string {
	if strings.Contains(ip, ":") {
		return "[" + ip + "]"
	}
	return ip
}

// WriteText writes one line per service: what up did, and how long it took to answer.
func (r *UpReport) WriteText(w *output.TextWriter) {
	nameW := 0
	for _, s := range r.Services {
		nameW = max(nameW, len(s.Name))
	}
	interrupted := false
	var published []string
	for _, s := range r.Services {
		if r.Live && s.Ready && s.Error == "" {
			// Its live line said ready, and its warnings were printed as they came; only
			// where it listens is new.
			if p := portsText(s.Ports); p != "" {
				published = append(published, s.Name+" "+p)
			}
			continue
		}
		st, what := output.OK, fmt.Sprintf("ready in %.2fs", s.Seconds)
		switch {
		case s.Interrupted:
			st, what, interrupted = output.Skip, "interrupted", true
		case s.Error != "":
			st, what = output.Fail, "failed"
		case !r.Waited:
			what = "started (not waited on)"
		}
		line := fmt.Sprintf("%-*s  %s", nameW, s.Name, what)
		if s.Action != "" {
			line += " (" + s.Action + ")"
		}
		if p := portsText(s.Ports); p != "" && s.Error == "" {
			line += "  " + p
		}
		w.Item(st, line)
		for _, warning := range s.Warnings {
			if !r.Live {
				w.Detail("warning", warning)
			}
		}
		if s.Error != "" {
			w.Detail("why", s.Error)
			if s.Fix != "" {
				w.Detail("fix", s.Fix)
			}
			if len(s.Logs) > 0 {
				w.Detail("last log lines", "\n"+strings.Join(sanitizeLines(s.Logs), "\n"))
			}
		}
	}
	if len(published) > 0 {
		w.Line("ports: " + strings.Join(published, ", "))
	}
	w.Line("")
	switch {
	case r.OK:
		w.Line(w.Paint(output.OK, fmt.Sprintf("%s is up on %s; connection settings: devstack env", r.Project, r.Bind)))
	case interrupted:
		w.Line(w.Paint(output.Warn, "interrupted before every service was ready; the others stay up. Run devstack up again to carry on"))
	default:
		w.Line(w.Paint(output.Fail, "some services are not ready; the others stay up. Read a log with devstack logs SERVICE"))
	}
}

// WriteText lists what down removed.
func (r *DownReport) WriteText(w *output.TextWriter) {
	for _, c := range r.Containers {
		w.Item(output.OK, "removed container "+c)
	}
	for _, v := range r.Volumes {
		w.Item(output.OK, "removed volume "+v)
	}
	for _, l := range r.Left {
		w.Item(output.Fail, "still there: "+l)
	}
	for _, f := range r.Foreign {
		w.Item(output.Warn, f)
	}
	if len(r.Containers) == 0 && len(r.Left) == 0 {
		w.Line(r.Project + ": no containers to remove")
	}
	if !r.volumesAsked {
		w.Line("volumes kept; devstack down --volumes deletes the data too")
	}
}

// WriteText writes one line per service: state, readiness, ports and uptime.
func (r *StatusReport) WriteText(w *output.TextWriter) {
	if r.Engine != nil {
		w.Line("engine: " + r.Engine.String())
	}
	nameW := 0
	for _, s := range r.Services {
		nameW = max(nameW, len(s.Name))
	}
	for _, s := range r.Services {
		st, what := output.OK, "ready"
		if !s.Ready {
			st, what = output.Fail, s.State
		}
		line := fmt.Sprintf("%-*s  %-8s", nameW, s.Name, what)
		if p := portsText(s.Ports); p != "" {
			line += "  " + p
		}
		if s.UptimeSeconds > 0 {
			line += "  up " + (time.Duration(s.UptimeSeconds) * time.Second).String()
		}
		w.Item(st, line)
		if s.Message != "" {
			w.Detail("why", s.Message)
		}
	}
}

// EnvFormats are the forms devstack env writes: three for the environment, and one per
// framework that reads a file of its own instead (frappe: common_site_config.json).
var EnvFormats = append([]string{"dotenv", "shell", "json"}, services.FrameworkNames(false)...)

// EnvReport is the connection settings, in the form asked for.
type EnvReport struct {
	Format   string
	Settings []services.Setting
	lines    []string        // encoded by NewEnvReport
	numbers  map[string]bool // keys the format's file holds as numbers
}

// WriteText writes KEY=value lines (dotenv), export lines a shell can eval, or one JSON
// object (json, and a framework's file).
func (r *EnvReport) WriteText(w *output.TextWriter) {
	if r.Format == "json" || r.numbers != nil {
		data, _ := r.MarshalJSON()
		var buf bytes.Buffer
		_ = json.Indent(&buf, data, "", "  ")
		w.Line(buf.String())
		return
	}
	for _, line := range r.lines {
		w.Line(line)
	}
}

// MarshalJSON writes one object, keys in the order the settings come.
func (r *EnvReport) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, s := range r.Settings {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(s.Key)
		v, _ := json.Marshal(s.Value)
		if n, err := strconv.Atoi(s.Value); err == nil && r.numbers[s.Key] {
			v, _ = json.Marshal(n)
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// sanitizeLines makes a container's log lines safe to show: each stays one line.
func sanitizeLines(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = output.Sanitize(l)
	}
	return out
}
