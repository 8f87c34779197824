//go:build kube

package kubee2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A non-admin user: a ServiceAccount's token in a kubeconfig of its own, as a developer
// on a shared cluster has it (the test cluster's own kubeconfig is an administrator's).
// Without rights, up is refused before anything is made, with the list of what is
// missing; with docs/kubernetes.md's Role bound, the same up comes up; and an object of
// devstack's name that this checkout did not make is refused by up and left by down.
func TestKubeNonAdminAndForeignObjects(t *testing.T) {
	needCluster(t)
	ns := fmt.Sprintf("devstack-e2e-rbac-%d", time.Now().UnixNano()%100000)
	mustKubectl(t, "create", "namespace", ns)
	t.Cleanup(func() { _, _ = kubectl(t, "delete", "namespace", ns, "--wait=false") })
	mustKubectl(t, "label", "namespace", ns, "pod-security.kubernetes.io/enforce=baseline")
	mustKubectl(t, "-n", ns, "create", "serviceaccount", "dev")
	token := strings.TrimSpace(mustKubectl(t, "-n", ns, "create", "token", "dev", "--duration=1h"))
	server := mustKubectl(t, "config", "view", "--raw", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}")
	ca := mustKubectl(t, "config", "view", "--raw", "--minify", "-o", "jsonpath={.clusters[0].cluster.certificate-authority-data}")
	kubeconfig := filepath.Join(t.TempDir(), "dev.kubeconfig")
	cfg := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters: [{name: shared, cluster: {server: %q, certificate-authority-data: %q}}]
users: [{name: dev, user: {token: %q}}]
contexts: [{name: dev@shared, context: {cluster: shared, user: dev, namespace: %s}}]
current-context: dev@shared
`, server, ca, token, ns)
	if err := os.WriteFile(kubeconfig, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	p := newProject(t, "project: kubee2e-rbac\noffset: 7100\nservices:\n  redis: {}\n")
	p.env = append(p.env, "KUBECONFIG="+kubeconfig)
	args := []string{"up", "--engine", "kubernetes", "--kube-namespace", ns}

	r := p.run(args...)
	if r.code != 1 || !strings.Contains(r.stderr, "lack rights") || !strings.Contains(r.stderr, "create pods/portforward") ||
		!strings.Contains(r.stderr, "pods/exec") || !strings.Contains(r.stderr, "pods/log") {
		t.Fatalf("up without rights: exit %d, want 1 with the missing rights listed\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stderr, token) || strings.Contains(r.stdout, token) {
		t.Fatalf("the token is in devstack's output")
	}
	if out := mustKubectl(t, "-n", ns, "get", "statefulsets,secrets,services,pvc", "-o", "name"); strings.Contains(out, "redis") {
		t.Fatalf("up without rights made objects: %s", out)
	}

	// The documented Role is enough.
	mustKubectl(t, "-n", ns, "apply", "-f", "testdata/role.yaml")
	mustKubectl(t, "-n", ns, "create", "rolebinding", "dev-devstack", "--role=devstack-user", "--serviceaccount="+ns+":dev")
	waitFor(t, 30*time.Second, func() bool {
		out, _ := kubectl(t, "auth", "can-i", "create", "pods", "--subresource=portforward", "-n", ns, "--as=system:serviceaccount:"+ns+":dev")
		return strings.TrimSpace(out) == "yes"
	}, "the RoleBinding did not take effect")
	p.must(args...)
	p.must("status", "--engine", "kubernetes", "--kube-namespace", ns)

	// Another checkout's postgres Service, or anyone's, under the name devstack would use.
	mustKubectl(t, "-n", ns, "create", "service", "clusterip", "postgres", "--tcp=5432:5432")
	q := newProject(t, "project: kubee2e-rbac\noffset: 7100\nservices:\n  postgres: {}\n")
	q.env = p.env
	r = q.run("up", "--engine", "kubernetes", "--kube-namespace", ns)
	if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "not made by devstack for this checkout") {
		t.Fatalf("up over a foreign Service: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = q.run("down", "--engine", "kubernetes", "--kube-namespace", ns, "--volumes")
	if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "leaves it alone") {
		t.Fatalf("down over a foreign Service: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if _, err := kubectl(t, "-n", ns, "get", "service", "postgres"); err != nil {
		t.Fatalf("down deleted a Service it did not make: %v", err)
	}
	// This checkout's redis is untouched by the other one's down, and goes with its own.
	if _, err := kubectl(t, "-n", ns, "get", "statefulset", "redis"); err != nil {
		t.Fatalf("another checkout's down removed redis: %v", err)
	}
	p.must("down", "--engine", "kubernetes", "--kube-namespace", ns, "--volumes")
}

// export writes manifests that the API server accepts as they are (kubectl apply -k
// --dry-run=server), readiness probes included.
func TestKubeExportAcceptedByServer(t *testing.T) {
	needCluster(t)
	p := newProject(t, "project: kubee2e-export\nservices:\n  redis: {}\n  postgres: {}\n  rabbitmq: {}\n  opensearch: {}\n  minio: {}\n")
	dir := filepath.Join(p.dir, "k8s")
	p.must("export", "kubernetes", "--dir", dir)
	ns := fmt.Sprintf("devstack-e2e-export-%d", time.Now().UnixNano()%100000)
	mustKubectl(t, "create", "namespace", ns)
	t.Cleanup(func() { _, _ = kubectl(t, "delete", "namespace", ns, "--wait=false") })
	out := mustKubectl(t, "apply", "-k", dir, "-n", ns, "--dry-run=server")
	for _, want := range []string{"statefulset.apps/postgres", "service/redis", "persistentvolumeclaim/minio-data", "secret/postgres-env-"} {
		if !strings.Contains(out, want) {
			t.Errorf("kubectl apply --dry-run=server did not accept %s:\n%s", want, out)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "postgres.yaml"))
	if err != nil || !strings.Contains(string(data), "readinessProbe") {
		t.Fatalf("postgres.yaml: no readiness probe (%v)", err)
	}
	env, err := os.ReadFile(filepath.Join(dir, "postgres-env.env"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(env), "\n") {
		if k, v, _ := strings.Cut(l, "="); strings.HasSuffix(k, "PASSWORD") && (v == "" || strings.Contains(string(data), v)) {
			t.Fatalf("%s is empty, or written into postgres.yaml", k)
		}
	}
}
