package engine

import (
	"context"
	"fmt"
	"regexp"

	"github.com/docker/docker/api"
)

// APIVersionError is the engine refusing the API version the client speaks: Docker 29
// raised its minimum to 1.44 (later releases can lower it again), and a client pinned with
// DOCKER_API_VERSION skips negotiation altogether.
type APIVersionError struct {
	Client string // the version the client spoke
	Limit  string // the engine's minimum (TooOld) or maximum
	TooOld bool
	Err    error
}

func (e *APIVersionError) Error() string {
	if e.TooOld {
		return fmt.Sprintf("the Docker engine refuses API version %s: its minimum is %s", e.Client, e.Limit)
	}
	return fmt.Sprintf("the Docker engine refuses API version %s: its maximum is %s", e.Client, e.Limit)
}
func (e *APIVersionError) Unwrap() error { return e.Err }

// Hint names the fixes in the order a user would try them.
func (e *APIVersionError) Hint() string {
	return fmt.Sprintf("unset DOCKER_API_VERSION if it is set (it turns off version negotiation); otherwise upgrade devstack "+
		"(its Docker client speaks up to API %s), or, on Docker 29 or later, let the daemon accept older clients with "+
		"DOCKER_MIN_API_VERSION=%s in the daemon's environment", maxClientAPI, e.Client)
}

// maxClientAPI is the newest API version this build's client speaks.
const maxClientAPI = api.DefaultVersion

// The engine says so only in words: "client version 1.41 is too old. Minimum supported API
// version is 1.44, please upgrade your client to a newer version" (and "too new. Maximum").
var apiVersionRE = regexp.MustCompile(`client version ([0-9.]+) is too (old|new)\. (?:Minimum|Maximum) supported API version is ([0-9.]+)`)

func asAPIVersionError(err error) *APIVersionError {
	m := apiVersionRE.FindStringSubmatch(err.Error())
	if m == nil {
		return nil
	}
	return &APIVersionError{Client: m[1], TooOld: m[2] == "old", Limit: m[3], Err: err}
}

// Negotiate settles the API version with the engine now, rather than on the first request
// that happens to need it, so that a refusal surfaces as one clear error.
func (c *Client) Negotiate(ctx context.Context) error {
	ping, err := c.api.Ping(ctx)
	if err != nil {
		return c.wrap(err)
	}
	c.api.NegotiateAPIVersionPing(ping)
	return nil
}

// Platform is the engine's own OS and architecture: what images must be built for to
// run without emulation (on Docker Desktop, the VM's, not the Mac's).
func (c *Client) Platform(ctx context.Context) (Platform, error) {
	v, err := c.api.ServerVersion(ctx)
	if err != nil {
		return Platform{}, fmt.Errorf("ask the engine its platform: %w", c.wrap(err))
	}
	return Platform{OS: v.Os, Architecture: v.Arch}, nil
}
