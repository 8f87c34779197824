package ports

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/services/engine"
)

// State is the verdict on one planned port.
type State string

const (
	Free State = "free" // devstack could bind it itself
	Held State = "held" // someone else holds it
	Ours State = "ours" // this project's own container for the same service holds it
)

// Holder is who holds a port, as far as this machine lets devstack see.
type Holder struct {
	PID     int    `json:"pid,omitempty"`
	Command string `json:"command,omitempty"`
	Service string `json:"service,omitempty"` // set when a devstack container holds it
	Project string `json:"project,omitempty"` // that container's stack (its identity), when another one's
	// Checkout is the real path of the checkout whose stack it is, when labelled: another
	// clone of the same repository is told apart from this one by it.
	Checkout string `json:"checkout,omitempty"`
	Unknown  string `json:"unknown,omitempty"` // why the holder could not be named
}

func (h *Holder) String() string {
	switch {
	case h == nil:
		return ""
	case h.Project != "" && h.Checkout != "":
		return fmt.Sprintf("devstack project %s of the checkout %s (its %s)", h.Project, h.Checkout, h.Service)
	case h.Project != "":
		return fmt.Sprintf("devstack project %s (its %s)", h.Project, h.Service)
	case h.Service != "":
		return "devstack: " + h.Service
	case h.PID != 0:
		// A command line is anyone's to write: it must not act on the terminal it is shown on.
		return fmt.Sprintf("pid %d: %s", h.PID, output.Sanitize(h.Command))
	}
	return "unknown (" + h.Unknown + ")"
}

// Status is one port of the plan and its verdict.
type Status struct {
	Port
	Bind   string  `json:"bind"`
	State  State   `json:"state"`
	Holder *Holder `json:"holder,omitempty"`
}

// BindError means the bind address cannot be used on this machine at all.
type BindError struct {
	Bind string
	Err  error
}

func (e *BindError) Error() string {
	return fmt.Sprintf("cannot bind to %s: %v", e.Bind, e.Err)
}
func (e *BindError) Unwrap() error { return e.Err }
func (e *BindError) Hint() string {
	return "use an address of this machine: 127.0.0.1 (the default), ::1, or 0.0.0.0; `ip addr` lists them"
}

// Owner is the devstack project and service whose container publishes a port.
type Owner = engine.PortOwner

// Owned reports the host ports that devstack's containers publish, with the project and
// service of each. It is nil when no engine is at hand.
type Owned func(ctx context.Context) (map[int]Owner, error)

// probe decides by binding the port itself: a connect can be fooled by security software
// and by Docker's proxy, which accepts before anything listens behind it. On Linux a
// listener on the wildcard address makes this bind fail too, as it should.
func probe(bind string, port int) (bool, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(bind, fmt.Sprint(port)))
	if err == nil {
		return true, l.Close()
	}
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return false, nil
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return false, &BindError{Bind: bind, Err: errors.New("not an address of this machine")}
	case errors.Is(err, syscall.EACCES):
		return false, &BindError{Bind: bind, Err: fmt.Errorf("port %d needs privileges devstack does not have", port)}
	}
	return false, fmt.Errorf("bind %s:%d: %w", bind, port, err)
}

// Check probes every port of the plan and names the holder of each held one.
func Check(ctx context.Context, plan *Plan, owned Owned) ([]Status, error) {
	c, err := check(ctx, plan, owned)
	return c.statuses, err
}

// checked is what check found: every port's status, and why the engine could not say
// which held ports are devstack's own containers' (nil when it did, or none is held).
type checked struct {
	statuses  []Status
	engineErr error
}

func check(ctx context.Context, plan *Plan, owned Owned) (checked, error) {
	out := make([]Status, len(plan.Ports))
	var held []int
	remote, err := plan.remoteHeld(ctx, plan.Ports)
	if err != nil {
		return checked{}, err
	}
	for i, p := range plan.Ports {
		free := !remote[p.Host]
		if plan.Remote == nil {
			if free, err = probe(plan.Bind, p.Host); err != nil {
				return checked{}, err
			}
		}
		out[i] = Status{Port: p, Bind: plan.Bind, State: Free}
		if !free {
			out[i].State = Held
			held = append(held, p.Host)
		}
	}
	if len(held) == 0 {
		return checked{statuses: out}, nil
	}
	ours := map[int]Owner{}
	var engineErr error
	c := checked{}
	if owned != nil {
		// Without an engine nothing is ours; the holder is then shown as docker-proxy,
		// and the report says the engine is why.
		if o, err := owned(ctx); err == nil {
			ours = o
		} else {
			engineErr = err
		}
	}
	holders := plan.holders(held)
	for i := range out {
		if out[i].State != Held {
			continue
		}
		if o, ok := ours[out[i].Host]; ok {
			out[i].Holder = &Holder{Service: o.Service}
			if o.Project != plan.Project {
				out[i].Holder.Project, out[i].Holder.Checkout = o.Project, o.Checkout
			} else if o.Service == out[i].Service {
				out[i].State = Ours
			}
			continue
		}
		out[i].Holder = holders[out[i].Host]
		if out[i].Holder == nil {
			out[i].Holder = &Holder{Unknown: "no listening socket found for it"}
		}
		if engineErr != nil && mayBeContainer(out[i].Holder) {
			c.engineErr = engineErr
		}
	}
	c.statuses = out
	return c, nil
}

// containerForwarders are the processes that hold a container's published port on the
// host: Docker's proxy, Podman's conmon and rootless port forwarders, and the VMs of
// Docker Desktop, Colima and Podman machine.
var containerForwarders = []string{"docker-proxy", "conmon", "rootlessport", "slirp4netns", "pasta",
	"vpnkit", "com.docker.backend", "gvproxy", "limactl", "ssh"}

// mayBeContainer says whether a port's holder may be a container's forwarder (or could
// not be seen), so that an engine that does not answer is why it cannot be named.
func mayBeContainer(h *Holder) bool {
	if h == nil || h.Unknown != "" || h.Command == "" {
		return true
	}
	fields := strings.Fields(h.Command)
	base := filepath.Base(fields[0])
	for _, f := range containerForwarders {
		if base == f || strings.HasPrefix(base, f) {
			return true
		}
	}
	return false
}
