package probe

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// HTTP is ready when GET Path on Port answers Status (200 when 0), and Body, when set,
// accepts the body.
type HTTP struct {
	Port           string // port name; "" is the service's first port
	Path           string // "/" when empty
	Status         int
	User, Password string // basic auth when User is set; templates
	// Contains, when set, must appear in the body (devstack.yaml's `contains:`).
	Contains string
	// Body, when set, judges the body (OpenSearch's cluster status).
	Body func(body []byte) error
}

var _ Strategy = HTTP{}

// client is for probes: short timeouts, and no connection kept between attempts (a new
// container may have replaced the one behind the port).
var client = &http.Client{
	Timeout:   attemptTimeout,
	Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil},
}

func (h HTTP) Check(ctx context.Context, t Target) error {
	addr, err := Addr(t, h.Port)
	if err != nil {
		return err
	}
	if err := expandAll(t, &h.User, &h.Password); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+h.path(), nil)
	if err != nil {
		return err
	}
	if h.User != "" {
		req.SetBasicAuth(h.User, h.Password)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return fmt.Errorf("%s: %w", h.path(), err)
	}
	if resp.StatusCode != h.status() {
		return fmt.Errorf("%s answered HTTP %d, not %d", h.path(), resp.StatusCode, h.status())
	}
	if h.Contains != "" && !strings.Contains(string(body), h.Contains) {
		return fmt.Errorf("%s answered without %q", h.path(), h.Contains)
	}
	if h.Body != nil {
		if err := h.Body(body); err != nil {
			return fmt.Errorf("%s: %w", h.path(), err)
		}
	}
	return nil
}

func (h HTTP) String() string { return fmt.Sprintf("http GET %s = %d", h.path(), h.status()) }

func (h HTTP) path() string {
	if h.Path == "" {
		return "/"
	}
	return h.Path
}

func (h HTTP) status() int {
	if h.Status == 0 {
		return http.StatusOK
	}
	return h.Status
}
