package services

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// probeClient is for readiness probes: short timeouts, no keep-alive between attempts
// (a new container may have replaced the one behind the port).
var probeClient = &http.Client{
	Timeout:   2 * time.Second,
	Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil},
}

// httpGet fetches url and returns the status and up to 64 KiB of the body.
func httpGet(ctx context.Context, url, user, password string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, nil, err
	}
	if user != "" {
		req.SetBasicAuth(user, password)
	}
	resp, err := probeClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, body, err
}

// errStatus says what an HTTP probe got instead of what it wanted.
func errStatus(what string, got int) error {
	return fmt.Errorf("%s answered HTTP %d", what, got)
}
