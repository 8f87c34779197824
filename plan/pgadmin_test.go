package plan

import (
	"strconv"
	"testing"

	"github.com/devstack-dev/devstack/internal/configtest"
)

// pgAdmin's entrypoint binds PGADMIN_LISTEN_PORT (80 when unset, 8080 when the container
// may not bind a privileged port): the container spec must publish exactly the port it
// sets, or the published port answers nothing.
func TestPGAdminListensOnItsPublishedPort(t *testing.T) {
	for _, yaml := range []string{
		"project: my-app\nservices:\n  pgadmin:\n",
		"project: my-app\noffset: 7\nservices:\n  pgadmin: {ports: {http: 6000}}\n",
	} {
		pl, err := New(configtest.Load(t, yaml), fixedSecrets{})
		if err != nil {
			t.Fatal(err)
		}
		u, ok := pl.Unit("pgadmin")
		if !ok {
			t.Fatal("no pgadmin unit")
		}
		listen, err := strconv.Atoi(u.Spec.Env["PGADMIN_LISTEN_PORT"])
		if err != nil {
			t.Fatalf("PGADMIN_LISTEN_PORT %q is not set to a port: the image picks 80 or 8080 by itself", u.Spec.Env["PGADMIN_LISTEN_PORT"])
		}
		if len(u.Spec.Ports) != 1 || u.Spec.Ports[0].ContainerPort != listen {
			t.Errorf("%q: publishes %+v, pgAdmin listens on %d", yaml, u.Spec.Ports, listen)
		}
		if listen < 1024 {
			t.Errorf("listens on %d: a privileged port fails where the engine drops CAP_NET_BIND_SERVICE", listen)
		}
	}
}
