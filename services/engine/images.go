package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/image"
)

// Image is what devstack reads about an image the engine has.
type Image struct {
	ID           string            `json:"id"`
	Env          map[string]string `json:"-"`
	Labels       map[string]string `json:"-"`
	OS           string            `json:"os"`
	Architecture string            `json:"architecture"`
}

// Platform is an operating system and CPU architecture, in Go's and OCI's words
// (linux, amd64/arm64).
type Platform struct {
	OS           string `json:"os"`
	Architecture string `json:"architecture"`
}

func (p Platform) String() string { return p.OS + "/" + p.Architecture }

// Distribution is what a registry says about an image without pulling it.
type Distribution struct {
	Digest    string     `json:"digest"`
	Platforms []Platform `json:"platforms"`
}

// Registry answers, as devstack names them to the user.
const (
	AnswerNotFound    = "not found"
	AnswerDenied      = "denied"
	AnswerUnreachable = "unreachable"
	AnswerError       = "error"
)

// RegistryError is a registry's refusal to give an image, classified so that the user
// reads "not found" rather than a wall of HTTP.
type RegistryError struct {
	Image  string
	Answer string // one of the Answer constants
	Err    error
}

func (e *RegistryError) Error() string {
	return fmt.Sprintf("image %s: the registry answered %s: %v", e.Image, e.Answer, e.Err)
}
func (e *RegistryError) Unwrap() error { return e.Err }

// Image inspects a local image; an absent one is ErrNotFound.
func (c *Client) Image(ctx context.Context, ref string) (*Image, error) {
	info, err := c.api.ImageInspect(ctx, ref)
	if cerrdefs.IsNotFound(err) {
		return nil, fmt.Errorf("image %s: %w", ref, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("inspect image %s: %w", ref, c.wrap(err))
	}
	out := &Image{ID: info.ID, OS: info.Os, Architecture: info.Architecture, Env: map[string]string{}, Labels: map[string]string{}}
	if info.Config != nil {
		for _, kv := range info.Config.Env {
			k, v, _ := strings.Cut(kv, "=")
			out.Env[k] = v
		}
		for k, v := range info.Config.Labels {
			out.Labels[k] = v
		}
	}
	return out, nil
}

// Distribution asks the image's registry, through the engine (so the engine's own
// credentials and mirrors apply), whether the image exists and for which platforms.
func (c *Client) Distribution(ctx context.Context, ref string) (*Distribution, error) {
	d, err := c.api.DistributionInspect(ctx, ref, "")
	if err != nil {
		return nil, c.registryError(ref, err)
	}
	out := &Distribution{Digest: string(d.Descriptor.Digest)}
	for _, p := range d.Platforms {
		out.Platforms = append(out.Platforms, Platform{OS: p.OS, Architecture: p.Architecture})
	}
	return out, nil
}

// PullProgress is where one pull stands: layers and bytes done out of those known so far
// (a registry announces layers as the pull goes, so totals can grow).
type PullProgress struct {
	Layers     int   `json:"layers"`
	LayersDone int   `json:"layers_done"`
	Current    int64 `json:"bytes"`
	Total      int64 `json:"bytes_total"`
}

// Pull pulls ref, calling progress after each message from the engine that changes it.
func (c *Client) Pull(ctx context.Context, ref string, progress func(PullProgress)) error {
	rc, err := c.api.ImagePull(ctx, ref, image.PullOptions{})
	if err != nil {
		return c.registryError(ref, err)
	}
	defer rc.Close()
	var t pullTracker
	dec := json.NewDecoder(rc)
	for {
		var msg pullMessage
		if err := dec.Decode(&msg); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("pull %s: read the engine's answer: %w", ref, err)
		}
		if msg.Error != "" {
			return c.registryError(ref, errors.New(msg.Error))
		}
		if t.apply(msg) && progress != nil {
			progress(t.progress())
		}
	}
}

// pullMessage is one line of the engine's pull stream.
type pullMessage struct {
	ID             string `json:"id"`
	Status         string `json:"status"`
	ProgressDetail struct {
		Current int64 `json:"current"`
		Total   int64 `json:"total"`
	} `json:"progressDetail"`
	Error string `json:"error"`
}

type layer struct {
	current, total int64
	done           bool
}

// pullTracker sums the engine's per-layer messages into one line's worth of progress.
type pullTracker struct {
	order  []string
	layers map[string]*layer
}

// apply records msg and reports whether the progress changed.
func (t *pullTracker) apply(msg pullMessage) bool {
	if msg.ID == "" || strings.HasPrefix(msg.Status, "Pulling from") {
		return false // the image's own lines: "Pulling from library/redis", "Digest: …"
	}
	if t.layers == nil {
		t.layers = map[string]*layer{}
	}
	l := t.layers[msg.ID]
	if l == nil {
		l = &layer{}
		t.layers[msg.ID] = l
		t.order = append(t.order, msg.ID)
	}
	switch {
	case msg.Status == "Downloading":
		l.current, l.total = msg.ProgressDetail.Current, msg.ProgressDetail.Total
	case msg.Status == "Download complete" || msg.Status == "Verifying Checksum":
		l.current = l.total
	case msg.Status == "Pull complete" || msg.Status == "Already exists":
		l.current, l.done = l.total, true
	}
	return true
}

func (t *pullTracker) progress() PullProgress {
	var p PullProgress
	for _, id := range t.order {
		l := t.layers[id]
		p.Layers++
		if l.done {
			p.LayersDone++
		}
		p.Current += l.current
		p.Total += l.total
	}
	return p
}

// registryError classifies a failed inspect or pull. The engine relays most registry
// answers as plain text (its status codes differ across versions and registries), so the
// typed checks come first and the words the registries use are the fallback.
func (c *Client) registryError(ref string, err error) error {
	var ue *UnreachableError
	if werr := c.wrap(err); errors.As(werr, &ue) {
		return werr // the engine itself did not answer: not the registry's fault
	} else if ve := (*APIVersionError)(nil); errors.As(werr, &ve) {
		return werr
	}
	msg := strings.ToLower(err.Error())
	answer := AnswerError
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		return err
	case cerrdefs.IsNotFound(err) || strings.Contains(msg, "manifest unknown") || strings.Contains(msg, "not found") ||
		strings.Contains(msg, "does not exist"):
		answer = AnswerNotFound
		if strings.Contains(msg, "pull access denied") || strings.Contains(msg, "may require 'docker login'") {
			// Docker Hub's answer for both a missing and a private repository.
			answer = AnswerDenied
		}
	case cerrdefs.IsUnauthorized(err) || cerrdefs.IsPermissionDenied(err) || strings.Contains(msg, "denied") ||
		strings.Contains(msg, "unauthorized") || strings.Contains(msg, "authentication required"):
		answer = AnswerDenied
	case cerrdefs.IsUnavailable(err) || cerrdefs.IsDeadlineExceeded(err) || strings.Contains(msg, "no such host") ||
		strings.Contains(msg, "dial tcp") || strings.Contains(msg, "i/o timeout") || strings.Contains(msg, "connection refused") ||
		strings.Contains(msg, "tls handshake timeout") || strings.Contains(msg, "network is unreachable"):
		answer = AnswerUnreachable
	}
	return &RegistryError{Image: ref, Answer: answer, Err: err}
}
