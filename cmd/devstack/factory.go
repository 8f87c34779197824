package main

import (
	"context"

	"github.com/urfave/cli/v2"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/stack"
)

// Engine is what the commands ask of the container engine: what stack needs, and who
// and where the engine is. *engine.Client is the real one; internal/enginetest's Fake
// stands in for it in the commands' unit tests.
type Engine interface {
	stack.Engine
	Info(ctx context.Context) (engine.Info, error)
	Endpoint() engine.Endpoint
	HeldPorts(ctx context.Context, bind string, ports []int) (map[int]bool, error)
	// Identity names the engine, so what it refused is remembered for it alone.
	Identity(ctx context.Context) (id, version string, err error)
	Close() error
}

var _ Engine = (*engine.Client)(nil)

// newEnv builds the factory for the system: its engine, found as the docker CLI finds it.
func newEnv(streams *output.Streams, getenv func(string) string) *env {
	return &env{streams: streams, getenv: getenv,
		connect:  func(ctx context.Context) (Engine, error) { return connectSystem(ctx, getenv) },
		discover: func() (engine.Endpoint, error) { return engine.SystemDiscovery(getenv).Find() },
	}
}

// connectSystem connects to the system's engine and settles the API version now, so
// that an engine refusing it says so once, clearly.
func connectSystem(ctx context.Context, getenv func(string) string) (Engine, error) {
	c, err := engine.Connect(getenv)
	if err != nil {
		return nil, err
	}
	if err := c.Negotiate(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// planValues are --bind and --offset as typed; nil where they were not.
type planValues struct {
	bind   *string
	offset *int
}

// planFrom reads --bind and --offset from a command that has planFlags.
func planFrom(c *cli.Context) planValues {
	var pv planValues
	if c.IsSet("bind") {
		b := c.String("bind")
		pv.bind = &b
	}
	if c.IsSet("offset") {
		n := c.Int("offset")
		pv.offset = &n
	}
	return pv
}

// apply passes what the user typed for the plan to the configuration, which applies it
// over the environment and the file (config.Load keeps the precedence).
func (pv planValues) apply(opts *config.Options) {
	opts.Bind, opts.Offset = pv.bind, pv.offset
}
