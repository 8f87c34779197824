package kube

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/tools/portforward"
	"k8s.io/client-go/tools/remotecommand"
	"k8s.io/client-go/transport/spdy"

	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/stack"
)

var errNoREST = errors.New("no cluster connection (a fake clientset) to stream over")

// forward is one open port-forward to a pod.
type forward struct {
	stop  chan struct{}
	done  chan struct{}
	once  sync.Once
	ports []engine.PortBinding
}

func (f *forward) Ports() []engine.PortBinding { return f.ports }

func (f *forward) Close()                { f.once.Do(func() { close(f.stop) }) }
func (f *forward) Done() <-chan struct{} { return f.done }

// Forward listens on each port's HostIP:HostPort (127.0.0.1 when empty) and forwards it
// to the service's pod's ContainerPort, until ctx ends or Close. It returns once every
// listener is open; Done closes when the forward ends (the pod went away).
func (c *Cluster) Forward(ctx context.Context, service string, ports []engine.PortBinding) (stack.Forwarding, error) {
	if c.rest == nil {
		return nil, errNoREST
	}
	pod := PodName(service)
	transport, upgrader, err := spdy.RoundTripperFor(c.rest)
	if err != nil {
		return nil, fmt.Errorf("forward to %s: %w", pod, err)
	}
	u, err := url.Parse(c.core.Post().Resource("pods").Namespace(c.Namespace).Name(pod).SubResource("portforward").URL().String())
	if err != nil {
		return nil, err
	}
	dialer := spdy.NewDialer(upgrader, &http.Client{Transport: transport}, http.MethodPost, u)
	addrs := map[string]bool{}
	var specs []string
	for _, p := range ports {
		ip := p.HostIP
		if ip == "" || ip == "0.0.0.0" || ip == "::" {
			ip = "127.0.0.1" // a forward is for this machine only
		}
		addrs[ip] = true
		local := "" // ":REMOTE" asks for any free local port
		if p.HostPort != 0 {
			local = strconv.Itoa(p.HostPort)
		}
		specs = append(specs, local+":"+strconv.Itoa(p.ContainerPort))
	}
	var list []string
	for a := range addrs {
		list = append(list, a)
	}
	f := &forward{stop: make(chan struct{}), done: make(chan struct{})}
	ready := make(chan struct{})
	var errOut bytes.Buffer
	pf, err := portforward.NewOnAddresses(dialer, list, specs, f.stop, ready, io.Discard, &errOut)
	if err != nil {
		return nil, fmt.Errorf("forward to %s: %w", pod, err)
	}
	result := make(chan error, 1)
	go func() {
		result <- pf.ForwardPorts()
		close(f.done)
	}()
	go func() {
		select {
		case <-ctx.Done():
			f.Close()
		case <-f.done:
		}
	}()
	select {
	case <-ready:
		got, err := pf.GetPorts()
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("forward to %s: %w", pod, err)
		}
		for _, p := range got {
			f.ports = append(f.ports, engine.PortBinding{HostIP: list[0], HostPort: int(p.Local), ContainerPort: int(p.Remote)})
		}
		return f, nil
	case err := <-result:
		if err == nil {
			err = errors.New("the forward ended at once")
		}
		return nil, c.wrap(err, "forward ports to pod "+c.Namespace+"/"+pod)
	case <-ctx.Done():
		f.Close()
		return nil, ctx.Err()
	}
}

// Exec runs cmd in the service's pod and returns its exit code and its output, stdout
// and stderr together.
func (c *Cluster) Exec(ctx context.Context, service string, cmd []string) (int, []byte, error) {
	if c.rest == nil {
		return 0, nil, errNoREST
	}
	pod := PodName(service)
	req := c.core.Post().Resource("pods").Namespace(c.Namespace).Name(pod).SubResource("exec").
		VersionedParams(&corev1.PodExecOptions{Container: ObjectName(service), Command: cmd, Stdout: true, Stderr: true}, paramCodec)
	ex, err := remotecommand.NewSPDYExecutor(c.rest, http.MethodPost, req.URL())
	if err != nil {
		return 0, nil, fmt.Errorf("exec in %s: %w", pod, err)
	}
	var out syncBuffer
	err = ex.StreamWithContext(ctx, remotecommand.StreamOptions{Stdout: &out, Stderr: &out})
	var exit interface{ ExitStatus() int }
	if errors.As(err, &exit) {
		return exit.ExitStatus(), out.Bytes(), nil
	}
	if err != nil {
		return 0, out.Bytes(), c.wrap(err, "exec in pod "+c.Namespace+"/"+pod)
	}
	return 0, out.Bytes(), nil
}

// syncBuffer is one buffer two streams write to at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]byte(nil), b.buf.Bytes()...)
}
