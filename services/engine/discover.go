package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// How the engine was found, as doctor and status report it.
const (
	FoundByEnv     = "env DOCKER_HOST"
	FoundByContext = "context" // followed by the context's name
	FoundByDefault = "default socket"
	FoundByPodman  = "podman fallback"
)

// Docker's and Podman's well-known sockets.
const (
	DefaultHost      = "unix:///var/run/docker.sock"
	PodmanRootful    = "unix:///run/podman/podman.sock"
	podmanRootlessIn = "podman/podman.sock" // under $XDG_RUNTIME_DIR
)

// Endpoint is the engine address chosen, and why it was chosen.
type Endpoint struct {
	Host    string `json:"host"`
	FoundBy string `json:"found_by"`
}

// Discovery finds the engine the way the docker CLI would, then looks for Podman when no
// Docker socket answers. Its reads of the environment, the filesystem and sockets are
// fields, so that the order can be tested without an engine.
type Discovery struct {
	Getenv   func(string) string
	ReadFile func(string) ([]byte, error)
	HomeDir  func() (string, error)
	// Answers says whether something accepts connections at a unix:// address.
	Answers func(host string) bool
}

// SystemDiscovery reads this process's environment, files and sockets.
func SystemDiscovery(getenv func(string) string) Discovery {
	if getenv == nil {
		getenv = os.Getenv
	}
	return Discovery{Getenv: getenv, ReadFile: os.ReadFile, HomeDir: os.UserHomeDir, Answers: socketAnswers}
}

// Find chooses the engine: DOCKER_HOST, then DOCKER_CONTEXT or the CLI's current context,
// then Docker's default socket; when that does not answer, Podman's rootful socket, then
// its rootless one. When nothing answers it stays with Docker's default, so that the error
// names the socket most people expect.
func (d Discovery) Find() (Endpoint, error) {
	if h := d.Getenv("DOCKER_HOST"); h != "" {
		return Endpoint{Host: h, FoundBy: FoundByEnv}, nil
	}
	name, host, err := d.context()
	if err != nil {
		return Endpoint{}, err
	}
	if host != "" {
		return Endpoint{Host: host, FoundBy: FoundByContext + " " + name}, nil
	}
	if d.Answers(DefaultHost) {
		return Endpoint{Host: DefaultHost, FoundBy: FoundByDefault}, nil
	}
	candidates := []string{PodmanRootful}
	if dir := d.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		candidates = append(candidates, "unix://"+filepath.Join(dir, podmanRootlessIn))
	}
	for _, c := range candidates {
		if d.Answers(c) {
			return Endpoint{Host: c, FoundBy: FoundByPodman}, nil
		}
	}
	return Endpoint{Host: DefaultHost, FoundBy: FoundByDefault}, nil
}

// context reads the docker CLI's chosen context, as `docker context use` left it or
// DOCKER_CONTEXT names it. The default context, or none, is the empty host.
func (d Discovery) context() (name, host string, err error) {
	dir := d.Getenv("DOCKER_CONFIG")
	if dir == "" {
		home, err := d.HomeDir()
		if err != nil {
			return "", "", nil
		}
		dir = filepath.Join(home, ".docker")
	}
	name = d.Getenv("DOCKER_CONTEXT")
	if name == "" {
		data, err := d.ReadFile(filepath.Join(dir, "config.json"))
		if err != nil {
			return "", "", nil // no CLI config: the default engine
		}
		var cfg struct {
			CurrentContext string `json:"currentContext"`
		}
		if err := json.Unmarshal(data, &cfg); err != nil {
			return "", "", fmt.Errorf("read docker CLI config %s: %w", filepath.Join(dir, "config.json"), err)
		}
		name = cfg.CurrentContext
	}
	if name == "" || name == "default" {
		return name, "", nil
	}
	sum := sha256.Sum256([]byte(name))
	meta := filepath.Join(dir, "contexts", "meta", hex.EncodeToString(sum[:]), "meta.json")
	data, err := d.ReadFile(meta)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			err = errors.New("no such context")
		}
		return "", "", fmt.Errorf("docker context %q: %w (list contexts with `docker context ls`)", name, err)
	}
	var m struct {
		Endpoints map[string]struct {
			Host string `json:"Host"`
		} `json:"Endpoints"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return "", "", fmt.Errorf("docker context %q: read %s: %w", name, meta, err)
	}
	return name, m.Endpoints["docker"].Host, nil
}

// socketAnswers connects to a unix socket: a socket file left behind by a stopped engine
// refuses, and a missing one does not exist; both are "no".
func socketAnswers(host string) bool {
	path, ok := strings.CutPrefix(host, "unix://")
	if !ok {
		return false
	}
	conn, err := net.DialTimeout("unix", path, time.Second)
	if err != nil {
		return false
	}
	conn.Close()
	return true
}
