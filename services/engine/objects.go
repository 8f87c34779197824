package engine

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
)

// ForeignError is a network or volume with the name devstack would give the project's,
// which devstack did not make: it is neither used nor removed.
type ForeignError struct {
	Kind, Name, Project string
}

func (e *ForeignError) Error() string {
	return fmt.Sprintf("a %s named %s exists but was not made by devstack for project %s; devstack neither uses nor removes it", e.Kind, e.Name, e.Project)
}

// Hint says how to get out of the way of it.
func (e *ForeignError) Hint() string {
	return fmt.Sprintf("remove or rename it if nothing needs it (docker %s rm %s), or give this project another name with project: in devstack.yaml", e.Kind, e.Name)
}

// named lists the networks whose name is exactly name: the engine's name filter matches
// substrings, and an engine may hold two networks of one name.
func (c *Client) named(ctx context.Context, name string) ([]network.Summary, error) {
	list, err := c.api.NetworkList(ctx, network.ListOptions{Filters: filters.NewArgs(filters.Arg("name", name))})
	if err != nil {
		return nil, fmt.Errorf("list networks named %s: %w", name, c.wrap(err))
	}
	var out []network.Summary
	for _, n := range list {
		if n.Name == name {
			out = append(out, n)
		}
	}
	return out, nil
}

// EnsureNetwork creates the project's network unless it exists. A network of that name
// without the project's label is refused, never joined. Callers hold the project's lock:
// the engine does not refuse a second network of the same name.
func (c *Client) EnsureNetwork(ctx context.Context, name string, labels map[string]string) error {
	have, err := c.named(ctx, name)
	if err != nil {
		return err
	}
	for _, n := range have {
		if n.Labels[LabelProject] != labels[LabelProject] {
			return &ForeignError{Kind: "network", Name: name, Project: labels[LabelProject]}
		}
	}
	if len(have) > 0 {
		return nil
	}
	_, err = c.api.NetworkCreate(ctx, name, network.CreateOptions{Driver: "bridge", Labels: labels})
	if err != nil && !cerrdefs.IsConflict(err) {
		return fmt.Errorf("create network %s: %w", name, c.wrap(err))
	}
	return nil
}

// HasNetwork reports whether the project has a network of that name.
func (c *Client) HasNetwork(ctx context.Context, name, project string) (bool, error) {
	have, err := c.named(ctx, name)
	if err != nil {
		return false, err
	}
	for _, n := range have {
		if n.Labels[LabelProject] == project {
			return true, nil
		}
	}
	return false, nil
}

// RemoveNetwork removes the project's networks of that name, found by label (every one,
// should an older devstack have left two), and reports a same-named network that is not
// the project's, which it leaves alone.
func (c *Client) RemoveNetwork(ctx context.Context, name, project string) (removed bool, foreign error, err error) {
	have, err := c.named(ctx, name)
	if err != nil {
		return false, nil, err
	}
	for _, n := range have {
		if n.Labels[LabelProject] != project {
			foreign = &ForeignError{Kind: "network", Name: name, Project: project}
			continue
		}
		if err := c.api.NetworkRemove(ctx, n.ID); err != nil && !cerrdefs.IsNotFound(err) {
			return removed, foreign, fmt.Errorf("remove network %s: %w", name, c.wrap(err))
		}
		removed = true
	}
	return removed, foreign, nil
}

// EnsureVolume creates a named volume unless the project's exists; a same-named volume
// that is not the project's is refused: its data would be taken for the service's.
func (c *Client) EnsureVolume(ctx context.Context, name string, labels map[string]string) error {
	v, err := c.api.VolumeInspect(ctx, name)
	switch {
	case err == nil:
		if v.Labels[LabelProject] != labels[LabelProject] || v.Labels[LabelService] != labels[LabelService] {
			return &ForeignError{Kind: "volume", Name: name, Project: labels[LabelProject]}
		}
		return nil
	case !cerrdefs.IsNotFound(err):
		return fmt.Errorf("inspect volume %s: %w", name, c.wrap(err))
	}
	if _, err := c.api.VolumeCreate(ctx, volume.CreateOptions{Name: name, Labels: WithVolumeID(labels)}); err != nil {
		return fmt.Errorf("create volume %s: %w", name, c.wrap(err))
	}
	return nil
}

// Volumes lists the names of the project's volumes.
func (c *Client) Volumes(ctx context.Context, project string) ([]string, error) {
	resp, err := c.api.VolumeList(ctx, volume.ListOptions{Filters: filters.NewArgs(filters.Arg("label", LabelProject+"="+project))})
	if err != nil {
		return nil, fmt.Errorf("list %s's volumes: %w", project, c.wrap(err))
	}
	var out []string
	for _, v := range resp.Volumes {
		out = append(out, v.Name)
	}
	return out, nil
}

// RemoveVolume deletes a volume and the data in it.
func (c *Client) RemoveVolume(ctx context.Context, name string) error {
	if err := c.api.VolumeRemove(ctx, name, false); err != nil && !cerrdefs.IsNotFound(err) {
		return fmt.Errorf("remove volume %s: %w", name, c.wrap(err))
	}
	return nil
}

// Volume is what devstack reads back about a volume.
type Volume struct {
	Name      string
	Labels    map[string]string
	CreatedAt string // as the engine reports it
}

// Instance tells this volume from another made under the same name: the id devstack
// gave it, or, for a volume made before devstack gave ids, the engine's CreatedAt
// (which records of that time were kept against).
func (v *Volume) Instance() string {
	if id := v.Labels[LabelVolumeID]; id != "" {
		return "id:" + id
	}
	return v.CreatedAt
}

// WithVolumeID is a new volume's labels: a copy of labels with a fresh LabelVolumeID.
func WithVolumeID(labels map[string]string) map[string]string {
	out := maps.Clone(labels)
	if out == nil {
		out = map[string]string{}
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	out[LabelVolumeID] = hex.EncodeToString(b)
	return out
}

// Volume inspects a volume; an absent one is ErrNotFound.
func (c *Client) Volume(ctx context.Context, name string) (*Volume, error) {
	v, err := c.api.VolumeInspect(ctx, name)
	if cerrdefs.IsNotFound(err) {
		return nil, fmt.Errorf("volume %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("inspect volume %s: %w", name, c.wrap(err))
	}
	return &Volume{Name: v.Name, Labels: v.Labels, CreatedAt: v.CreatedAt}, nil
}

// Object is a container, volume or network devstack made, as a listing shows it.
type Object struct {
	Kind   string // container, volume or network
	Name   string
	Labels map[string]string
}

// Labelled lists the containers (in any state), volumes and networks that carry the label
// with that value: how devstack finds every stack of a project's name, or a checkout's.
func (c *Client) Labelled(ctx context.Context, label, value string) ([]Object, error) {
	args := filters.NewArgs(filters.Arg("label", label+"="+value))
	ctrs, err := c.api.ContainerList(ctx, container.ListOptions{All: true, Filters: args})
	if err != nil {
		return nil, fmt.Errorf("list containers labelled %s: %w", label, c.wrap(err))
	}
	var out []Object
	for _, ctr := range ctrs {
		name := ""
		if len(ctr.Names) > 0 {
			name = strings.TrimPrefix(ctr.Names[0], "/")
		}
		out = append(out, Object{Kind: "container", Name: name, Labels: ctr.Labels})
	}
	vols, err := c.api.VolumeList(ctx, volume.ListOptions{Filters: args})
	if err != nil {
		return nil, fmt.Errorf("list volumes labelled %s: %w", label, c.wrap(err))
	}
	for _, v := range vols.Volumes {
		out = append(out, Object{Kind: "volume", Name: v.Name, Labels: v.Labels})
	}
	nets, err := c.api.NetworkList(ctx, network.ListOptions{Filters: args})
	if err != nil {
		return nil, fmt.Errorf("list networks labelled %s: %w", label, c.wrap(err))
	}
	for _, n := range nets {
		out = append(out, Object{Kind: "network", Name: n.Name, Labels: n.Labels})
	}
	return out, nil
}
