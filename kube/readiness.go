package kube

import (
	"regexp"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/devstack-dev/devstack/probe/spec"
	"github.com/devstack-dev/devstack/services/engine"
)

// Readiness is a readiness probe equivalent to devstack's own probe s, for the exported
// manifests (kubectl rollout status waits on it): the same protocol where the image has a
// client for it (redis-cli PING, psql SELECT 1, an HTTP GET of the same path), credentials
// read from the container's environment (the Secret), never written into the probe. A
// protocol without such a client falls back to a TCP check, said in Fallback.
func Readiness(s spec.Spec, ports []engine.PortBinding, portNames map[string]int) (p *corev1.Probe, fallback bool) {
	if s.Kind == "all" {
		// The first check that translates in full stands for the rest; else an HTTP one
		// (RabbitMQ's management API comes up after its AMQP listener), else the first.
		if len(s.All) == 0 {
			return nil, true
		}
		for _, one := range s.All {
			if p, fb := Readiness(one, ports, portNames); !fb {
				return p, false
			}
		}
		for _, one := range s.All {
			if p, _ := Readiness(one, ports, portNames); p != nil && p.HTTPGet != nil {
				return p, true
			}
		}
		return Readiness(s.All[0], ports, portNames)
	}
	port := containerPort(s.Port, ports, portNames)
	var h corev1.ProbeHandler
	switch s.Kind {
	case "":
		return nil, false
	case "http":
		path := s.Path
		if path == "" {
			path = "/"
		}
		if s.User != "" || s.Contains != "" || s.Body != "" && s.Body != "cluster-health" {
			// Credentials cannot be written into an httpGet probe, nor a body judged: the
			// server's own root answering stands for it.
			path, fallback = "/", true
		}
		h.HTTPGet = &corev1.HTTPGetAction{Path: path, Port: intstr.FromInt32(int32(port))}
	case "redis":
		cmd := "redis-cli -p " + itoa(port)
		if s.Password != "" {
			cmd = "REDISCLI_AUTH=\"" + shellRef(s.Password) + "\" " + cmd
		}
		h.Exec = &corev1.ExecAction{Command: []string{"sh", "-c", cmd + " ping | grep -q PONG"}}
	case "postgres":
		h.Exec = &corev1.ExecAction{Command: []string{"sh", "-c",
			"PGPASSWORD=\"" + shellRef(s.Password) + "\" psql -h 127.0.0.1 -p " + itoa(port) +
				" -U \"" + shellRef(s.User) + "\" -d \"" + shellRef(s.Database) + "\" -tAc 'SELECT 1' | grep -q 1"}}
	case "exec":
		h.Exec = &corev1.ExecAction{Command: s.Cmd}
	default:
		h.TCPSocket = &corev1.TCPSocketAction{Port: intstr.FromInt32(int32(port))}
		fallback = true
	}
	return &corev1.Probe{ProbeHandler: h, PeriodSeconds: 2, TimeoutSeconds: 2, FailureThreshold: 3}, fallback
}

func containerPort(name string, ports []engine.PortBinding, names map[string]int) int {
	if p, ok := names[name]; ok {
		return p
	}
	if len(ports) > 0 {
		return ports[0].ContainerPort
	}
	return 0
}

var envRef = regexp.MustCompile(`\{env:([A-Za-z_][A-Za-z0-9_]*)\}`)

// shellRef turns a probe template's {env:KEY} into the shell's $KEY, so that a credential
// is read from the container's environment where the probe runs. Any other character
// that the shell would read inside double quotes is escaped.
func shellRef(t string) string {
	var b strings.Builder
	last := 0
	for _, m := range envRef.FindAllStringSubmatchIndex(t, -1) {
		b.WriteString(escapeDQ(t[last:m[0]]))
		b.WriteString("${" + t[m[2]:m[3]] + "}")
		last = m[1]
	}
	b.WriteString(escapeDQ(t[last:]))
	return b.String()
}

func escapeDQ(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`")
	return r.Replace(s)
}
