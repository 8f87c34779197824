// Package snapshot saves every stateful service's data of a project at one consistent
// point into one capsule (package capsule), lists and removes them, and restores one into
// new volumes behind a pointer in .devstack (state.DataSets); a journal in .devstack
// (state.Journal) lets the next command converge after a kill. See docs/snapshots.md.
package snapshot

import (
	"context"
	"io"

	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/stack"
)

// Engine is what snapshot needs of the engine: stack's, and the archive API.
type Engine interface {
	stack.Engine
	Info(ctx context.Context) (engine.Info, error)
	Stop(ctx context.Context, id string, timeout int) error
	ExportVolume(ctx context.Context, image, volume string, labels map[string]string, read func(io.Reader) error) error
	ImportVolume(ctx context.Context, image, volume string, labels map[string]string, r io.Reader) error
}

var _ Engine = (*engine.Client)(nil)

// MethodStop is how every built-in is copied consistently: its server is stopped (SIGTERM,
// then the engine's grace), which each of them answers with a clean shutdown that leaves
// its files complete on disk — PostgreSQL a shutdown checkpoint, MariaDB/InnoDB a clean
// shutdown with its redo log applied, Redis an AOF fsync (and RDB save), RabbitMQ
// its Mnesia/Khepri and message stores closed, InfluxDB its TSM and WAL flushed,
// Prometheus its head block and WAL closed, MinIO and Mailpit their files (and Mailpit's
// SQLite) closed, FerretDB's backing store closed. Pausing freezes a server with writes
// half in its page cache and its WAL ahead of its files; no server here offers a
// whole-data-directory snapshot that is also consistent with the other services. Stop is
// the one mechanism that is consistent across all of them: every stateful service is
// stopped before any is copied.
const MethodStop = "stop"

// stopTimeout is each server's grace to shut down cleanly before the engine kills it:
// InnoDB and RabbitMQ take seconds on a busy data set.
const stopTimeout = 60

// Item is one service's data to copy: the service, its volume and the image that reads it.
type Item struct {
	Unit   plan.Unit
	Volume string
	Mount  string
	Method string
}

// Plan is what a snapshot of pl copies: every planned service that keeps a named volume,
// in plan order. A service without one (Memcached) holds nothing that survives a restart.
func Plan(pl *plan.Plan) []Item {
	var out []Item
	for _, u := range pl.Units {
		if u.Spec.Volume == "" {
			continue
		}
		out = append(out, Item{Unit: u, Volume: u.Spec.Volume, Mount: u.Spec.Mount, Method: MethodStop})
	}
	return out
}

// helperLabels mark the containers and volumes snapshot makes as the service's, so
// that down and the identity checks treat them as the project's own.
func helperLabels(pl *plan.Plan, service string) map[string]string {
	l := plan.Labels(pl.Identity, service)
	l[helperLabel] = "snapshot"
	return l
}

// helperLabel marks snapshot's short-lived helper containers, for recovery to find.
const helperLabel = "dev.devstack.helper"
