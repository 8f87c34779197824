package checks

import (
	"fmt"
	"strings"

	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/ports"
)

// PortsResult sums up the port plan as one doctor check.
func PortsResult(r *ports.Report, err error) Result {
	res := Result{Name: "ports", Kind: kindSystem, Required: true}
	if err != nil {
		res.Status, res.Message, res.Fix = output.Fail, err.Error(), output.HintOf(err)
		return res
	}
	res.Path = r.Bind
	var held []string
	for _, s := range r.Ports {
		if s.State == ports.Held {
			held = append(held, fmt.Sprintf("%d (%s) held by %s", s.Host, s.Service, s.Holder))
		}
	}
	if len(held) == 0 {
		res.Status = output.OK
		res.Message = fmt.Sprintf("all %d planned ports free on %s", len(r.Ports), r.Bind)
		if r.Warning != "" { // free, but open to the network
			res.Status, res.Message, res.Fix = output.Warn, res.Message+"; "+r.Warning, "bind 127.0.0.1 (the default) unless you mean to share these services"
		}
		return res
	}
	res.Status = output.Fail
	res.Message = strings.Join(held, "; ")
	res.Fix = "stop what holds them, or find a free offset: devstack ports --suggest"
	return res
}
