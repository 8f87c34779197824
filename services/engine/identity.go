package engine

import (
	"context"
	"fmt"
)

// Identity is the engine's own ID (from /info, stable across its restarts) and its
// version: what devstack keys its memory of an engine by.
func (c *Client) Identity(ctx context.Context) (id, version string, err error) {
	info, err := c.api.Info(ctx)
	if err != nil {
		return "", "", fmt.Errorf("ask the engine its ID: %w", c.wrap(err))
	}
	return info.ID, info.ServerVersion, nil
}
