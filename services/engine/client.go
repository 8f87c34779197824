// Package engine is devstack's driver for the Docker Engine API. It exposes only what
// devstack needs, so that pure logic can be tested against a fake and everything else
// runs on the real engine.
package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/docker/docker/client"
)

// Client talks to one Docker Engine.
type Client struct {
	api  *client.Client
	host string
}

// Info is what devstack reads about the engine.
type Info struct {
	Host          string `json:"host"`
	ServerVersion string `json:"server_version"`
	APIVersion    string `json:"api_version"`
	OS            string `json:"os"`
	DockerRootDir string `json:"docker_root_dir"`
	MemTotal      int64  `json:"mem_total"`
}

// Connect builds a client the way the docker CLI would choose its engine: DOCKER_HOST,
// then DOCKER_CONTEXT or the current context in ~/.docker/config.json, then the default
// socket. The API version is negotiated down to what the engine speaks.
func Connect(getenv func(string) string) (*Client, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	opts := []client.Opt{client.FromEnv, client.WithAPIVersionNegotiation()}
	host := getenv("DOCKER_HOST")
	if host == "" {
		h, err := contextHost(getenv)
		if err != nil {
			return nil, err
		}
		host = h
	}
	if host != "" {
		// Explicit, so the host chosen here is the one used, whatever the process's own
		// environment says.
		opts = append(opts, client.WithHost(host))
	}
	api, err := client.NewClientWithOpts(opts...)
	if err != nil {
		return nil, fmt.Errorf("docker client: %w", err)
	}
	return &Client{api: api, host: api.DaemonHost()}, nil
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
	}, nil
}

// UnreachableError says which engine did not answer and how to fix that.
type UnreachableError struct {
	Host string
	Err  error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("the Docker engine at %s does not answer: %v", e.Host, e.Err)
}
func (e *UnreachableError) Unwrap() error { return e.Err }

// Hint is the fix for the most common causes.
func (e *UnreachableError) Hint() string {
	if errors.Is(e.Err, fs.ErrPermission) || errors.Is(e.Err, syscall.EACCES) || strings.Contains(e.Err.Error(), "permission denied") {
		return "let your user reach the socket: sudo usermod -aG docker $USER, then log out and in again"
	}
	return "start Docker: sudo systemctl start docker (Linux), or open Docker Desktop (macOS, Windows); " +
		"check DOCKER_HOST and `docker context ls` if it runs elsewhere"
}

func (c *Client) unreachable(err error) error {
	return &UnreachableError{Host: c.host, Err: err}
}

// contextHost reads the docker CLI's current context, as `docker context use` left it.
func contextHost(getenv func(string) string) (string, error) {
	dir := getenv("DOCKER_CONFIG")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", nil
		}
		dir = filepath.Join(home, ".docker")
	}
	name := getenv("DOCKER_CONTEXT")
	if name == "" {
		data, err := os.ReadFile(filepath.Join(dir, "config.json"))
		if err != nil {
			return "", nil // no CLI config: the default engine
		}
		var cfg struct {
			CurrentContext string `json:"currentContext"`
		}
		if err := json.Unmarshal(data, &cfg); err != nil {
			return "", fmt.Errorf("read docker CLI config %s: %w", filepath.Join(dir, "config.json"), err)
		}
		name = cfg.CurrentContext
	}
	if name == "" || name == "default" {
		return "", nil
	}
	sum := sha256.Sum256([]byte(name))
	meta := filepath.Join(dir, "contexts", "meta", hex.EncodeToString(sum[:]), "meta.json")
	data, err := os.ReadFile(meta)
	if err != nil {
		return "", fmt.Errorf("docker context %q: %w (list contexts with `docker context ls`)", name, err)
	}
	var m struct {
		Endpoints map[string]struct {
			Host string `json:"Host"`
		} `json:"Endpoints"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return "", fmt.Errorf("docker context %q: read %s: %w", name, meta, err)
	}
	return m.Endpoints["docker"].Host, nil
}
