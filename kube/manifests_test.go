package kube

import (
	"context"
	"errors"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/probe/spec"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/stack"
)

var testID = config.Identity{ID: "shop-1a2b3c4d", Name: "shop", Checkout: "/home/ann/src/shop"}

func postgresSpec(id config.Identity) stack.ServiceSpec {
	return stack.ServiceSpec{Service: "postgres", Identity: id, Container: engine.ContainerSpec{
		Image: "postgres:17", Env: map[string]string{"POSTGRES_USER": "devstack", "POSTGRES_PASSWORD": "s3cret-value"},
		Ports:  []engine.PortBinding{{Name: "postgres", HostIP: "127.0.0.1", HostPort: 5632, ContainerPort: 5432}},
		Volume: "shop-1a2b3c4d-postgres-data", Mount: "/var/lib/postgresql/data",
	}}
}

// The manifests are what a careful person writes: the pod meets Pod Security's baseline
// (no host ports, namespaces or privilege), images are pinned and pulled only when
// missing, credentials live in a Secret, data in a claim through a subdirectory.
func TestBuildPostgres(t *testing.T) {
	m := Build(postgresSpec(testID), Options{Namespace: "ns"})
	pod := m.StatefulSet.Spec.Template.Spec
	c := pod.Containers[0]
	checks := []struct {
		what string
		ok   bool
	}{
		{"image pinned as planned", c.Image == "postgres:17"},
		{"imagePullPolicy IfNotPresent", c.ImagePullPolicy == corev1.PullIfNotPresent},
		{"no inline environment", len(c.Env) == 0},
		{"environment from the Secret", len(c.EnvFrom) == 1 && c.EnvFrom[0].SecretRef.Name == m.Secret.Name},
		{"Secret holds the password", m.Secret.StringData["POSTGRES_PASSWORD"] == "s3cret-value"},
		{"no host port", c.Ports[0].HostPort == 0 && c.Ports[0].ContainerPort == 5432},
		{"port named as planned", c.Ports[0].Name == "postgres"},
		{"data through a subdirectory", len(c.VolumeMounts) == 1 && c.VolumeMounts[0].SubPath == "data" && c.VolumeMounts[0].MountPath == "/var/lib/postgresql/data"},
		{"claim referenced", pod.Volumes[0].PersistentVolumeClaim.ClaimName == m.Claim.Name},
		{"requests set", !c.Resources.Requests.Cpu().IsZero() && !c.Resources.Requests.Memory().IsZero()},
		{"not privileged", c.SecurityContext.Privileged == nil && !pod.HostNetwork && !pod.HostPID && !pod.HostIPC},
		{"no service account token", pod.AutomountServiceAccountToken != nil && !*pod.AutomountServiceAccountToken},
		{"one replica", *m.StatefulSet.Spec.Replicas == 1},
		{"Service selects the pod", m.Service.Spec.Selector[LabelService] == "postgres" && m.Service.Spec.Ports[0].Port == 5432},
		{"checkout path only in an annotation", m.StatefulSet.Annotations[AnnotCheckout] == testID.Checkout},
		{"namespace set", m.StatefulSet.Namespace == "ns" && m.Secret.Namespace == "ns" && m.Claim.Namespace == "ns"},
	}
	for _, ch := range checks {
		if !ch.ok {
			t.Errorf("%s: no", ch.what)
		}
	}
	for _, l := range []map[string]string{m.Secret.Labels, m.Claim.Labels, m.Service.Labels, m.StatefulSet.Labels, m.StatefulSet.Spec.Template.Labels} {
		if !Owned(l, testID, "postgres") {
			t.Errorf("labels %v are not the checkout's", l)
		}
	}
	for _, v := range m.StatefulSet.Spec.Template.Labels {
		if strings.Contains(v, "/") {
			t.Errorf("label value %q holds a path", v)
		}
	}
}

func TestBuildWithoutVolume(t *testing.T) {
	s := postgresSpec(testID)
	s.Container.Volume, s.Container.Mount = "", ""
	m := Build(s, Options{})
	if m.Claim != nil || len(m.StatefulSet.Spec.Template.Spec.Volumes) != 0 {
		t.Fatalf("a service without data got a claim")
	}
}

func TestNames(t *testing.T) {
	long := strings.Repeat("a", 80)
	for _, tc := range []struct{ in, want string }{
		{"redis", "redis"},
		{"My_Service", "my-service"},
		{"opensearch-dashboards", "opensearch-dashboards"},
	} {
		if got := ObjectName(tc.in); got != tc.want {
			t.Errorf("ObjectName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, id := range []config.Identity{testID, {ID: long + "-1a2b3c4d"}, {ID: "UPPER.case_x-00"}, {ID: long + "-ffffffff"}} {
		n := Namespace(id)
		if len(n) > 63 || nonName.MatchString(n) || strings.HasPrefix(n, "-") || strings.HasSuffix(n, "-") {
			t.Errorf("Namespace(%q) = %q: not a DNS label", id.ID, n)
		}
	}
	if Namespace(config.Identity{ID: long + "-1a2b3c4d"}) == Namespace(config.Identity{ID: long + "-ffffffff"}) {
		t.Errorf("two long identities share a namespace")
	}
	if v := asLabel(long + "/x"); len(v) > 63 || !labelValue.MatchString(v) {
		t.Errorf("asLabel made %q", v)
	}
}

// Apply makes the objects once, leaves them when nothing changed, rolls the pod when the
// spec changed, and refuses an object of its name that another checkout made.
func TestApplyOnFakeCluster(t *testing.T) {
	ctx := context.Background()
	cs, objs := newFake()
	c := NewFor(objs, testID, "ns")
	s := postgresSpec(testID)
	for _, want := range []string{stack.Created, stack.Unchanged} {
		got, err := c.Apply(ctx, s)
		if err != nil || got != want {
			t.Fatalf("Apply = %q, %v; want %q", got, err, want)
		}
	}
	s.Container.Image = "postgres:17.1"
	if got, err := c.Apply(ctx, s); err != nil || got != stack.Recreated {
		t.Fatalf("Apply of a changed image = %q, %v; want recreated", got, err)
	}
	sts, _ := cs.AppsV1().StatefulSets("ns").Get(ctx, "postgres", metav1.GetOptions{})
	if img := sts.Spec.Template.Spec.Containers[0].Image; img != "postgres:17.1" {
		t.Fatalf("image after re-apply = %s", img)
	}
	other := config.Identity{ID: "shop-99999999", Name: "shop", Checkout: "/home/bob/shop"}
	_, err := NewFor(objs, other, "ns").Apply(ctx, postgresSpec(other))
	var fe *ForeignError
	if !errors.As(err, &fe) {
		t.Fatalf("another checkout's apply in the same namespace: %v, want ForeignError", err)
	}
}

// Down deletes only what carries the checkout's labels; the claim only with volumes.
func TestDeleteOnlyOwned(t *testing.T) {
	ctx := context.Background()
	cs, objs := newFake()
	c := NewFor(objs, testID, "ns")
	if _, err := c.Apply(ctx, postgresSpec(testID)); err != nil {
		t.Fatal(err)
	}
	removed, err := c.Delete(ctx, "postgres", false)
	if err != nil || len(removed) != 3 {
		t.Fatalf("Delete = %v, %v; want statefulset, service, secret", removed, err)
	}
	if _, err := cs.CoreV1().PersistentVolumeClaims("ns").Get(ctx, "postgres-data", metav1.GetOptions{}); err != nil {
		t.Fatalf("the claim went without --volumes: %v", err)
	}
	if removed, err := c.Delete(ctx, "postgres", true); err != nil || len(removed) != 1 || !strings.HasPrefix(removed[0], "persistentvolumeclaim") {
		t.Fatalf("Delete with volumes = %v, %v; want the claim", removed, err)
	}
	// Someone else's redis in the namespace: down of this checkout names it and leaves it.
	if _, err := cs.CoreV1().Services("ns").Create(ctx, &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "redis", Namespace: "ns",
		Labels: map[string]string{"app": "redis"}}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Delete(ctx, "redis", true)
	var fe *ForeignError
	if !errors.As(err, &fe) {
		t.Fatalf("Delete of a foreign service: %v, want ForeignError", err)
	}
	if _, err := cs.CoreV1().Services("ns").Get(ctx, "redis", metav1.GetOptions{}); err != nil {
		t.Fatalf("the foreign service was deleted: %v", err)
	}
}

func TestReadiness(t *testing.T) {
	ports := []engine.PortBinding{{ContainerPort: 5672}, {ContainerPort: 15672}}
	names := map[string]int{"amqp": 5672, "management": 15672}
	for _, tc := range []struct {
		name     string
		s        spec.Spec
		want     string
		fallback bool
	}{
		{"redis with password", spec.Spec{Kind: "redis", Password: "{env:REDIS_PASSWORD}"}, `REDISCLI_AUTH="${REDIS_PASSWORD}" redis-cli -p 5672 ping`, false},
		{"postgres", spec.Spec{Kind: "postgres", User: "{env:U}", Password: "{env:P}", Database: "d$b"}, `-U "${U}" -d "d\$b"`, false},
		{"http", spec.Spec{Kind: "http", Port: "management", Path: "/ready"}, "GET /ready:15672", false},
		{"http with credentials", spec.Spec{Kind: "http", Port: "management", Path: "/api/overview", User: "u"}, "GET /:15672", true},
		{"rabbitmq: amqp, then the management API with credentials", spec.Spec{Kind: "all", All: []spec.Spec{{Kind: "amqp", Port: "amqp"}, {Kind: "http", Port: "management", Path: "/api/overview", User: "u"}}}, "GET /:15672", true},
		{"amqp", spec.Spec{Kind: "amqp", Port: "amqp"}, "tcp 5672", true},
		{"all takes the first full one", spec.Spec{Kind: "all", All: []spec.Spec{{Kind: "amqp"}, {Kind: "http", Port: "management", Path: "/x"}}}, "GET /x:15672", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, fb := Readiness(tc.s, ports, names)
			var got string
			switch {
			case p.Exec != nil:
				got = strings.Join(p.Exec.Command, " ")
			case p.HTTPGet != nil:
				got = "GET " + p.HTTPGet.Path + ":" + p.HTTPGet.Port.String()
			case p.TCPSocket != nil:
				got = "tcp " + p.TCPSocket.Port.String()
			}
			if !strings.Contains(got, tc.want) || fb != tc.fallback {
				t.Errorf("Readiness = %q (fallback %v), want %q (fallback %v)", got, fb, tc.want, tc.fallback)
			}
		})
	}
}

// A probe template's literal parts cannot break out of the shell's double quotes.
func TestShellRef(t *testing.T) {
	for in, want := range map[string]string{
		"{env:A}":        "${A}",
		`a"b`:            `a\"b`,
		"$(rm -rf /)":    `\$(rm -rf /)`,
		"`id`{env:B}x\\": "\\`id\\`${B}x\\\\",
	} {
		if got := shellRef(in); got != want {
			t.Errorf("shellRef(%q) = %q, want %q", in, got, want)
		}
	}
}
