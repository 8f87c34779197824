// Package engine is devstack's driver for the Docker Engine API. It exposes only what
// devstack needs, so that pure logic can be tested against a fake and everything else
// runs on the real engine.
package engine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"syscall"

	"github.com/docker/docker/client"
)

// Client talks to one Docker Engine.
type Client struct {
	api      *client.Client
	host     string
	endpoint Endpoint
}

// Info is what devstack reads about the engine.
type Info struct {
	Host          string `json:"host"`
	ServerVersion string `json:"server_version"`
	APIVersion    string `json:"api_version"`
	OS            string `json:"os"`
	DockerRootDir string `json:"docker_root_dir"`
	MemTotal      int64  `json:"mem_total"`
	Kind          string `json:"kind"`     // KindDocker, KindPodman, …
	FoundBy       string `json:"found_by"` // how Discovery chose the engine
	Remote        bool   `json:"remote"`   // it runs on another machine
}

// Connect builds a client for the engine that Discovery finds (DOCKER_HOST, the docker
// context, Docker's default socket, then Podman's). The API version is negotiated down to
// what the engine speaks.
func Connect(getenv func(string) string) (*Client, error) {
	ep, err := SystemDiscovery(getenv).Find()
	if err != nil {
		return nil, err
	}
	opts, err := clientOpts(ep)
	if err != nil {
		return nil, err
	}
	api, err := client.NewClientWithOpts(opts...)
	if err != nil {
		return nil, fmt.Errorf("docker client: %w", err)
	}
	return &Client{api: api, host: ep.Host, endpoint: ep}, nil
}

// Host is the engine address in use.
func (c *Client) Host() string { return c.host }

// Close releases the client's connections.
func (c *Client) Close() error { return c.api.Close() }

// Info asks the engine who it is. One request: /info carries the server version, and
// dockerd spends real CPU on each /info, which doctor shares with the probes it runs.
// The API version comes from the negotiation that precedes it.
func (c *Client) Info(ctx context.Context) (Info, error) {
	info, err := c.api.Info(ctx)
	if err != nil {
		if ve := asAPIVersionError(err); ve != nil {
			return Info{}, ve
		}
		return Info{}, c.unreachable(err)
	}
	return Info{
		Host:          c.host,
		ServerVersion: info.ServerVersion,
		APIVersion:    c.api.ClientVersion(),
		OS:            info.OSType,
		DockerRootDir: info.DockerRootDir,
		MemTotal:      info.MemTotal,
		Kind:          c.kind(ctx, info),
		FoundBy:       c.endpoint.FoundBy,
		Remote:        c.endpoint.Remote(),
	}, nil
}

// UnreachableError says which engine did not answer, how devstack came to ask that one
// (DOCKER_HOST, a docker context), and how to fix that.
type UnreachableError struct {
	Host    string
	FoundBy string // Endpoint.FoundBy; "" when not known
	Err     error
}

func (e *UnreachableError) Error() string {
	from := ""
	switch {
	case e.FoundBy == FoundByEnv:
		from = " (from DOCKER_HOST)"
	case strings.HasPrefix(e.FoundBy, FoundByContext+" "):
		from = " (from docker " + e.FoundBy + ")"
	}
	return fmt.Sprintf("the Docker engine at %s%s does not answer: %v", e.Host, from, e.Err)
}
func (e *UnreachableError) Unwrap() error { return e.Err }

// Hint is the fix for the most common causes, and how to point devstack at another engine
// when the address itself is what is wrong.
func (e *UnreachableError) Hint() string {
	if errors.Is(e.Err, fs.ErrPermission) || errors.Is(e.Err, syscall.EACCES) || strings.Contains(e.Err.Error(), "permission denied") {
		return "let your user reach the socket: sudo usermod -aG docker $USER, then log out and in again"
	}
	hint := remoteHint(e.Host)
	if hint == "" {
		hint = "start Docker: sudo systemctl start docker (Linux), or open Docker Desktop (macOS, Windows); " +
			"or Podman's API: sudo systemctl start podman.socket (rootless: systemctl --user start podman.socket)"
	}
	switch {
	case e.FoundBy == FoundByEnv:
		return hint + "; or, if the engine runs elsewhere, set DOCKER_HOST to its address " +
			"(unset DOCKER_HOST to use the current docker context or the default socket; `docker context ls` lists them)"
	case strings.HasPrefix(e.FoundBy, FoundByContext+" "):
		return hint + "; or switch to the engine's context: `docker context ls`, then `docker context use NAME` " +
			"(or DOCKER_HOST=ADDRESS for one command)"
	}
	return hint + "; check DOCKER_HOST and `docker context ls` if it runs elsewhere"
}

func (c *Client) unreachable(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err // the caller stopped waiting; the engine did answer, or may yet
	}
	return &UnreachableError{Host: c.host, FoundBy: c.endpoint.FoundBy, Err: err}
}
