package stack

import (
	"context"
	"io"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/services/engine"
)

// ServiceEngine is the service-level engine: what an engine that runs whole services
// (Kubernetes) does for one planned service, where Engine above is container-shaped
// (create, start, networks, published ports). Every method takes the service's name;
// the engine keeps its own objects for it (a StatefulSet, a Service, a claim, a
// Secret), labelled with the checkout's identity, and acts only on those.
//
// Docker fits the same shape — Apply is reconcile (create/recreate/start), Observe is
// Inspect, Forward is the published ports that already exist, Delete is Remove plus
// RemoveVolume — but Docker keeps its richer Engine path (placement, image checks,
// refusals) unchanged; UpServices, StatusServices and DownServices drive a
// ServiceEngine.
type ServiceEngine interface {
	// Apply makes the service's objects match spec, and says what it did (Created,
	// Recreated, Unchanged). Objects of that name without the checkout's labels are
	// refused, never changed.
	Apply(ctx context.Context, spec ServiceSpec) (action string, err error)
	// Observe reports the service's workload as it is now; State is Missing when the
	// engine has none.
	Observe(ctx context.Context, service string) (ServiceState, error)
	// Forward makes each port's ContainerPort reachable on the local HostIP:HostPort
	// until ctx ends or the returned forward is closed.
	Forward(ctx context.Context, service string, ports []engine.PortBinding) (Forwarding, error)
	Logs(ctx context.Context, service, tail string, follow bool, stdout, stderr io.Writer) error
	// Exec runs cmd in the service's running container and returns its exit code and
	// output.
	Exec(ctx context.Context, service string, cmd []string) (int, []byte, error)
	// Delete removes the service's objects that carry the checkout's labels (with
	// volumes, its data claim too) and names what it removed.
	Delete(ctx context.Context, service string, volumes bool) (removed []string, err error)
}

// ServiceSpec is one planned service as a service-level engine receives it: the same
// container spec Docker gets (image pin, environment, command, ports, mount), the
// service's name and the checkout it belongs to.
type ServiceSpec struct {
	Service   string
	Identity  config.Identity
	Container engine.ContainerSpec
}

// ServiceState is a service's workload as an engine reports it.
type ServiceState struct {
	State    string // running, pending, failed, or Missing
	Where    string // the engine's name for what runs it (namespace/pod)
	Restarts int
	// Reason says why it is not running (ImagePullBackOff, CrashLoopBackOff, …), or "".
	Reason  string
	Started int64 // unix seconds when its container started; 0 when not running
}

// Forwarding is an open forward; Done is closed when it stops (the pod went away). Ports
// are where it listens: a HostPort of 0 asked for, and got, any free port.
type Forwarding interface {
	Close()
	Done() <-chan struct{}
	Ports() []engine.PortBinding
}
