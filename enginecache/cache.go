// Package enginecache remembers, per Docker engine, what that engine refused, so that
// devstack does not ask it again on every run: a container the engine cannot start as
// asked would otherwise be created, refused, removed and created again each time.
//
// It is a cache: a file that is missing, unreadable or from another version reads as
// "nothing known", and losing it costs one refused attempt, never a wrong result.
package enginecache

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/devstack-dev/devstack/userfile"
)

// FileName is the cache's name in devstack's directory of the user's cache dir.
const FileName = "engines.json"

// Identify names the engine: its ID (/info's, kept across restarts of the engine) and
// its version. An entry from another version is not trusted: an upgrade may allow what
// the old engine refused.
type Identify func(ctx context.Context) (id, version string, err error)

// Cache is the memory of one engine, in one file shared by every engine the user has.
type Cache struct {
	path     string
	identify Identify

	once    sync.Once
	id, ver string
	idErr   error
}

// DefaultPath is $XDG_CACHE_HOME/devstack/engines.json (or the OS's cache dir).
func DefaultPath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the user's cache directory: %w", err)
	}
	return filepath.Join(dir, "devstack", FileName), nil
}

// New remembers in the file at path, for the engine that identify names.
func New(path string, identify Identify) *Cache {
	return &Cache{path: path, identify: identify}
}

type file struct {
	Engines map[string]entry `json:"engines"`
}

type entry struct {
	Version        string    `json:"version"`
	UlimitsRefused bool      `json:"ulimits_refused,omitempty"`
	Learned        time.Time `json:"learned"`
}

// engine asks the engine who it is, once.
func (c *Cache) engine(ctx context.Context) (string, string, error) {
	c.once.Do(func() {
		c.id, c.ver, c.idErr = c.identify(ctx)
		if c.idErr == nil && c.id == "" {
			c.idErr = errors.New("the engine gave no ID")
		}
	})
	return c.id, c.ver, c.idErr
}

// UlimitsRefused reports whether this engine refused raised ulimits before. Anything
// that keeps the answer from being known (no ID, no file) reads as false: try them.
func (c *Cache) UlimitsRefused(ctx context.Context) bool {
	id, ver, err := c.engine(ctx)
	if err != nil {
		return false
	}
	e, ok := c.read().Engines[id]
	return ok && e.Version == ver && e.UlimitsRefused
}

// RememberUlimitsRefused records that this engine refused raised ulimits.
func (c *Cache) RememberUlimitsRefused(ctx context.Context) error {
	id, ver, err := c.engine(ctx)
	if err != nil {
		return fmt.Errorf("remember the engine's refusal: %w", err)
	}
	f := c.read()
	f.Engines[id] = entry{Version: ver, UlimitsRefused: true, Learned: time.Now().UTC()}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("remember the engine's refusal: %w", err)
	}
	dir := filepath.Dir(c.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("remember the engine's refusal: %w", err)
	}
	// Written whole and renamed into place: another devstack reading it at the same time
	// sees the old file or the new. Two writing at once may lose one entry, which costs
	// that engine one refused attempt more.
	return userfile.Write(dir, c.path, data, userfile.Options{Mode: 0o600})
}

// read returns what the file holds; a missing or damaged file holds nothing.
func (c *Cache) read() file {
	f := file{}
	if data, err := os.ReadFile(c.path); err == nil {
		if json.Unmarshal(data, &f) != nil {
			f = file{} // damaged: start over; the next write replaces it
		}
	}
	if f.Engines == nil {
		f.Engines = map[string]entry{}
	}
	return f
}
