package probe

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/devstack-dev/devstack/probe/spec"
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

func init() {
	Register("http", func(s spec.Spec) (Strategy, error) {
		judge, err := body(s.Body)
		if err != nil {
			return nil, err
		}
		return HTTP{Port: s.Port, Path: s.Path, Status: s.Status, User: s.User, Password: s.Password, Contains: s.Contains, Body: judge}, nil
	})
}

var _ Strategy = HTTP{}

// client is for probes: short timeouts, and no connection kept between attempts (a new
// container may have replaced the one behind the port).
//
// It never follows a redirect, to another host or its own: a probe asks one URL of the
// service and judges that answer. Followed, a redirect sent the probe, and its basic
// auth, wherever the service pointed (issue 18, row 9); on the service's own host it
// would prove only that some other path answers. A 3xx is the answer, compared with
// the status wanted (status: 302 checks a redirecting service).
var client = &http.Client{
	Timeout:       attemptTimeout,
	Transport:     &http.Transport{DisableKeepAlives: true, Proxy: nil},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
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
	// config checks the path's grammar at load (grammar.ProbePath); a built-in's or a
	// test's path did not pass there, so the URL must still be the service's own.
	if req.URL.Host != addr || req.URL.User != nil {
		return fmt.Errorf("probe path %q would leave the service's address %s", h.path(), addr)
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
