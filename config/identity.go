package config

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
)

// Identity is whose stack a command acts on. The project name in devstack.yaml is shared
// by every clone of a repository, so it cannot be: two clones named alike would share
// containers, volumes and data, and one's down --volumes would delete the other's. The
// identity is the name plus a short hash of the checkout's real root path (links
// resolved): every clone, worktree or copy has its own, and a repository's content cannot
// choose it. It names and labels every engine object devstack makes (dev.devstack.project).
type Identity struct {
	ID       string // what objects are named after and labelled with: NAME-HASH, or NAME (Legacy)
	Name     string // the project name, for people
	Checkout string // the checkout's real root path
	// Legacy says this checkout adopted a stack an earlier devstack made under the bare
	// name (its volumes cannot be renamed), after its credentials proved it the owner.
	Legacy bool
}

// DeriveIdentity is the identity of the checkout whose real root path is checkout: the
// name, a dash and 8 hex digits of the path's SHA-256. The name keeps engine object names
// readable; 32 bits keep the checkouts of one user apart (a collision needs tens of
// thousands of checkouts of one name).
func DeriveIdentity(name, checkout string) Identity {
	sum := sha256.Sum256([]byte(checkout))
	return Identity{ID: name + "-" + hex.EncodeToString(sum[:4]), Name: name, Checkout: checkout}
}

// LegacyIdentity is the identity an earlier devstack gave every checkout of name: the
// bare name. Only a checkout that proved the stack its own uses it.
func LegacyIdentity(name, checkout string) Identity {
	return Identity{ID: name, Name: name, Checkout: checkout, Legacy: true}
}

// checkoutOf is root's real path, links resolved, so that a checkout reached through a
// link is the same checkout.
func checkoutOf(root string) (string, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return "", fmt.Errorf("find the project's path: %w", err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if errors.Is(err, fs.ErrNotExist) {
		return abs, nil // nothing there yet to act on: no link to resolve either
	}
	if err != nil {
		return "", fmt.Errorf("find the project's real path: %w", err)
	}
	return real, nil
}

// StackIdentity is the identity the configuration acts as: the one Load derived (or
// adoption chose), or, for a configuration made by hand without one (down --project, and
// tests), its bare name.
func (c *Config) StackIdentity() Identity {
	if c.Identity.ID != "" {
		return c.Identity
	}
	return Identity{ID: c.Project, Name: c.Project}
}

// String names the stack for people: the name, and the identity when it differs.
func (id Identity) String() string {
	if id.ID == id.Name || id.ID == "" {
		return id.Name
	}
	return id.Name + " (" + id.ID + ")"
}
