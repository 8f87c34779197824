package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/client"
	"github.com/docker/docker/pkg/stdcopy"
	"github.com/docker/go-connections/nat"
	"github.com/docker/go-units"
)

// PortBinding is a container port published on a host address.
type PortBinding struct {
	Name          string `json:"name,omitempty"` // the plan's name for it (redis, management, …); reports only
	HostIP        string `json:"host_ip"`
	HostPort      int    `json:"host_port"`
	ContainerPort int    `json:"container_port"`
}

// Ulimit is one resource limit.
type Ulimit struct {
	Name       string `json:"name"`
	Soft, Hard int64
}

// ContainerSpec is everything devstack decides about a container. Its hash, stored as a
// label, tells a later up whether the container still matches what is wanted.
type ContainerSpec struct {
	Name     string            `json:"name"`
	Image    string            `json:"image"`
	Hostname string            `json:"hostname"`
	Env      map[string]string `json:"env"`
	Cmd      []string          `json:"cmd,omitempty"`
	Labels   map[string]string `json:"labels"`
	Ports    []PortBinding     `json:"ports"`
	Volume   string            `json:"volume,omitempty"`
	Mount    string            `json:"mount,omitempty"`
	Ulimits  []Ulimit          `json:"ulimits,omitempty"`
	Network  string            `json:"network"`
	Alias    string            `json:"alias"`
}

// Hash identifies the spec; maps are encoded with sorted keys, so it is stable. The
// spec label itself is left out: it holds the hash.
func (s ContainerSpec) Hash() string {
	labels := map[string]string{}
	for k, v := range s.Labels {
		// Offset and bind are in the ports already: a container made before they were
		// labelled is not re-created for the label alone.
		if k != LabelSpec && k != LabelDegraded && k != LabelFields && k != LabelOffset && k != LabelBind {
			labels[k] = v
		}
	}
	s.Labels = labels
	data, _ := json.Marshal(s) // a struct of strings, ints and maps always encodes
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:12])
}

// Container is what devstack reads back about a container.
type Container struct {
	ID           string            `json:"id"`
	Name         string            `json:"name"`
	Image        string            `json:"image"`
	Labels       map[string]string `json:"-"`
	State        string            `json:"state"` // created, running, restarting, exited, paused, dead
	ExitCode     int               `json:"exit_code"`
	OOMKilled    bool              `json:"oom_killed"`
	RestartCount int               `json:"restart_count"`
	StartedAt    time.Time         `json:"started_at"`
	Ports        []PortBinding     `json:"ports"`
}

// ErrNotFound means the engine has no such object.
var ErrNotFound = errors.New("not found")

// Inspect reads a container by name or ID.
func (c *Client) Inspect(ctx context.Context, name string) (*Container, error) {
	info, err := c.api.ContainerInspect(ctx, name)
	if cerrdefs.IsNotFound(err) {
		return nil, fmt.Errorf("container %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("inspect container %s: %w", name, c.wrap(err))
	}
	out := &Container{ID: info.ID, Name: strings.TrimPrefix(info.Name, "/"), Image: info.Config.Image,
		Labels: info.Config.Labels, RestartCount: info.RestartCount}
	if st := info.State; st != nil {
		out.State, out.ExitCode, out.OOMKilled = dockerState(st.Status), st.ExitCode, st.OOMKilled
		out.StartedAt, _ = time.Parse(time.RFC3339Nano, st.StartedAt)
	}
	if info.NetworkSettings != nil {
		out.Ports = bindings(info.NetworkSettings.Ports)
	}
	return out, nil
}

// bindings reads a container's published ports. No host address is Podman's word for
// every address (see hostIPFor), reported as 0.0.0.0 the way its CLI shows it.
func bindings(pm nat.PortMap) []PortBinding {
	var out []PortBinding
	for port, bs := range pm {
		for _, b := range bs {
			hp, _ := strconv.Atoi(b.HostPort)
			ip := b.HostIP
			if ip == "" {
				ip = ipv4Any
			}
			out = append(out, PortBinding{HostIP: ip, HostPort: hp, ContainerPort: port.Int()})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].HostPort < out[j].HostPort || out[i].HostIP < out[j].HostIP })
	return out
}

// List returns the project's containers, running or not.
func (c *Client) List(ctx context.Context, project string) ([]Container, error) {
	list, err := c.api.ContainerList(ctx, container.ListOptions{All: true,
		Filters: filters.NewArgs(filters.Arg("label", LabelProject+"="+project))})
	if err != nil {
		return nil, fmt.Errorf("list %s's containers: %w", project, c.wrap(err))
	}
	out := make([]Container, 0, len(list))
	for _, ctr := range list {
		name := ""
		if len(ctr.Names) > 0 {
			name = strings.TrimPrefix(ctr.Names[0], "/")
		}
		out = append(out, Container{ID: ctr.ID, Name: name, Image: ctr.Image, Labels: ctr.Labels, State: ctr.State})
	}
	return out, nil
}

// Create makes a container from spec, labelled with the spec's hash unless the spec
// already carries one (a degraded container keeps the hash of the spec it stands for).
func (c *Client) Create(ctx context.Context, spec ContainerSpec) (string, error) {
	// The kind is asked only when Podman would need the spec asked differently.
	podman := (publishesOnEvery(spec.Ports) || publishesIPv6(spec.Ports) || len(spec.Ulimits) > 0 && len(spec.Ports) > 0) && c.isPodman(ctx)
	if podman && publishesIPv6(spec.Ports) {
		return "", &IPv6OnPodmanError{Container: spec.Name}
	}
	if podman && len(spec.Ulimits) > 0 && len(spec.Ports) > 0 {
		if err := c.probeUlimits(ctx, spec); err != nil {
			return "", fmt.Errorf("create container %s: %w", spec.Name, err)
		}
	}
	labels := map[string]string{LabelSpec: spec.Hash(), LabelFields: spec.FieldsLabel()}
	for k, v := range spec.Labels {
		labels[k] = v
	}
	cfg := &container.Config{
		Image: spec.Image, Hostname: spec.Hostname, Labels: labels, Cmd: spec.Cmd,
		ExposedPorts: nat.PortSet{},
	}
	keys := make([]string, 0, len(spec.Env))
	for k := range spec.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		cfg.Env = append(cfg.Env, k+"="+spec.Env[k])
	}
	host := &container.HostConfig{PortBindings: nat.PortMap{}}
	for _, p := range spec.Ports {
		port := nat.Port(strconv.Itoa(p.ContainerPort) + "/tcp")
		cfg.ExposedPorts[port] = struct{}{}
		host.PortBindings[port] = append(host.PortBindings[port], nat.PortBinding{HostIP: hostIPFor(p.HostIP, podman), HostPort: strconv.Itoa(p.HostPort)})
	}
	if spec.Volume != "" {
		host.Mounts = []mount.Mount{{Type: mount.TypeVolume, Source: spec.Volume, Target: spec.Mount}}
	}
	for _, u := range spec.Ulimits {
		host.Ulimits = append(host.Ulimits, &units.Ulimit{Name: u.Name, Soft: u.Soft, Hard: u.Hard})
	}
	netCfg := &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{
		spec.Network: {Aliases: []string{spec.Alias}},
	}}
	resp, err := c.api.ContainerCreate(ctx, cfg, host, netCfg, nil, spec.Name)
	if err != nil {
		return "", fmt.Errorf("create container %s: %w", spec.Name, c.wrap(err))
	}
	return resp.ID, nil
}

// ErrUlimits means the engine may not raise the resource limits the container asks for:
// rootless Docker, or a host that withholds CAP_SYS_RESOURCE.
var ErrUlimits = errors.New("the engine cannot set the requested resource limits")

// Start starts a container; a port another holds comes back as a *PortConflictError.
// Unpause lets a paused container run again.
func (c *Client) Unpause(ctx context.Context, id string) error {
	if err := c.api.ContainerUnpause(ctx, id); err != nil {
		return fmt.Errorf("unpause container %s: %w", id, c.wrap(err))
	}
	return nil
}

func (c *Client) Start(ctx context.Context, id string) error {
	if err := c.api.ContainerStart(ctx, id, container.StartOptions{}); err != nil {
		if conflict := asPortConflict(err); conflict != nil {
			return conflict
		}
		if ue := c.asUlimits(ctx, err); ue != nil {
			return fmt.Errorf("start container %s: %w", id, ue)
		}
		return fmt.Errorf("start container %s: %w", id, c.wrap(err))
	}
	return nil
}

// Remove stops and removes a container with its anonymous volumes (an image's VOLUME
// paths devstack does not mount); its named volume stays.
func (c *Client) Remove(ctx context.Context, id string) error {
	timeout := 10
	if err := c.api.ContainerStop(ctx, id, container.StopOptions{Timeout: &timeout}); err != nil && !cerrdefs.IsNotFound(err) {
		return fmt.Errorf("stop container %s: %w", id, c.wrap(err))
	}
	err := c.api.ContainerRemove(ctx, id, container.RemoveOptions{Force: true, RemoveVolumes: true})
	if err != nil && !cerrdefs.IsNotFound(err) {
		return fmt.Errorf("remove container %s: %w", id, c.wrap(err))
	}
	return nil
}

// Logs copies a container's logs to stdout and stderr; tail is a line count or "all".
func (c *Client) Logs(ctx context.Context, id, tail string, follow bool, stdout, stderr io.Writer) error {
	rc, err := c.api.ContainerLogs(ctx, id, container.LogsOptions{ShowStdout: true, ShowStderr: true, Tail: tail, Follow: follow})
	if err != nil {
		return fmt.Errorf("logs of %s: %w", id, c.wrap(err))
	}
	defer rc.Close()
	if _, err := stdcopy.StdCopy(stdout, stderr, rc); err != nil && ctx.Err() == nil {
		return fmt.Errorf("logs of %s: %w", id, err)
	}
	return nil
}

// wrap marks a failure to reach the engine as such, and leaves the engine's own answers
// (conflicts, bad requests) as they are.
func (c *Client) wrap(err error) error {
	if ve := asAPIVersionError(err); ve != nil {
		return ve
	}
	if client.IsErrConnectionFailed(err) || cerrdefs.IsUnavailable(err) {
		return c.unreachable(err)
	}
	return err
}
