package kube

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/output"
)

// Target is the cluster and namespace the user chose: never the repository's (see
// docs/kubernetes.md, "Safety").
type Target struct {
	Context   string // --kube-context; "" for the kubeconfig's current context
	Namespace string // --kube-namespace; "" for one per checkout identity (Namespace)
	// Kubeconfig is KUBECONFIG as kubectl reads it ("" for ~/.kube/config).
	Kubeconfig string
}

// Cluster is a connection to one namespace of one cluster, for one checkout.
type Cluster struct {
	objs      Objects
	core      rest.Interface // nil in unit tests: no forward, exec or logs stream
	rest      *rest.Config
	Identity  config.Identity
	Namespace string
	Context   string // the context in use, as the kubeconfig names it
	Server    string
	// ownNamespace says devstack made (and labels) the namespace: one per identity.
	ownNamespace bool
}

// Connect reads the kubeconfig kubectl would, picks the context, and returns the cluster
// the checkout id acts on. Nothing is created.
func Connect(t Target, id config.Identity) (*Cluster, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	if t.Kubeconfig != "" {
		rules.ExplicitPath = ""
		rules.Precedence = filepathList(t.Kubeconfig)
	}
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: t.Context})
	raw, err := cc.RawConfig()
	if err != nil {
		return nil, output.WithHint(fmt.Errorf("read the kubeconfig: %w", err), "check KUBECONFIG, or the file kubectl uses (~/.kube/config)")
	}
	name := t.Context
	if name == "" {
		name = raw.CurrentContext
	}
	if name == "" {
		return nil, output.WithHint(errors.New("the kubeconfig names no current context"),
			"name the cluster: devstack --engine kubernetes --kube-context NAME (kubectl config get-contexts lists them)")
	}
	if _, ok := raw.Contexts[name]; !ok {
		return nil, output.WithHint(fmt.Errorf("the kubeconfig has no context %q", name), "kubectl config get-contexts lists the contexts; pick one with --kube-context")
	}
	rc, err := cc.ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("kube context %s: %w", name, err)
	}
	rc.UserAgent = "devstack"
	objs, err := newRESTObjects(rc)
	if err != nil {
		return nil, fmt.Errorf("kube context %s: %w", name, err)
	}
	c := &Cluster{objs: objs, core: objs.core, rest: rc, Identity: id, Context: name, Server: rc.Host}
	c.setNamespace(t.Namespace)
	return c, nil
}

// NewFor is a cluster over objs, as the unit tests make it with a fake clientset.
func NewFor(objs Objects, id config.Identity, namespace string) *Cluster {
	c := &Cluster{objs: objs, Identity: id, Context: "fake"}
	c.setNamespace(namespace)
	return c
}

func (c *Cluster) setNamespace(named string) {
	c.Namespace, c.ownNamespace = named, false
	if named == "" {
		c.Namespace, c.ownNamespace = Namespace(c.Identity), true
	}
}

// String says where devstack acts, as printed before anything is created.
func (c *Cluster) String() string {
	return fmt.Sprintf("kubernetes context %s (%s), namespace %s", c.Context, c.Server, c.Namespace)
}

// EnsureNamespace makes the checkout's own namespace when devstack names it; a namespace
// the user named must exist already (making one needs cluster-scoped rights). A
// namespace of devstack's name that another checkout labelled is refused.
func (c *Cluster) EnsureNamespace(ctx context.Context, labels map[string]string) error {
	ns := &corev1.Namespace{}
	err := c.objs.Get(ctx, Namespaces, "", c.Namespace, ns)
	switch {
	case err == nil:
		if c.ownNamespace && ns.Labels[LabelProject] != Selector(c.Identity)[LabelProject] {
			return output.WithHint(fmt.Errorf("namespace %s exists and is not this checkout's (its %s label is %q)", c.Namespace, LabelProject, ns.Labels[LabelProject]),
				"name another namespace with --kube-namespace, or delete that one if it holds nothing you need")
		}
		return nil
	case apierrors.IsForbidden(err) && !c.ownNamespace:
		return nil // reading namespaces is cluster-scoped; a user-named one is used as it is
	case !apierrors.IsNotFound(err):
		return c.wrap(err, "read namespace "+c.Namespace)
	case !c.ownNamespace:
		return output.WithHint(fmt.Errorf("namespace %s does not exist", c.Namespace),
			"ask for it to be made (kubectl create namespace "+c.Namespace+"), or leave out --kube-namespace and devstack makes its own (needs the right to create namespaces)")
	}
	l := Selector(c.Identity)
	for k, v := range labels {
		l[k] = v
	}
	err = c.objs.Create(ctx, Namespaces, "", &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: c.Namespace, Labels: l,
		Annotations: map[string]string{AnnotCheckout: c.Identity.Checkout}}})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	if err != nil {
		return c.wrap(err, "create namespace "+c.Namespace)
	}
	c.waitDefaultAccount(ctx)
	return nil
}

// waitDefaultAccount waits, up to a few seconds, for the controller to make a new
// namespace's default ServiceAccount: until it exists, the API refuses pods, and the
// StatefulSet controller retries with a growing back-off that cost up seconds. Without the
// right to read ServiceAccounts, it does not wait.
func (c *Cluster) waitDefaultAccount(ctx context.Context) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		err := c.objs.Get(ctx, ServiceAccounts, c.Namespace, "default", &corev1.ServiceAccount{})
		if err == nil || !apierrors.IsNotFound(err) {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// OwnNamespace says the namespace is devstack's own, made for this checkout.
func (c *Cluster) OwnNamespace() bool { return c.ownNamespace }

// client-go reports a forwarded connection the pod refused (every probe before the
// server listens) through klog, on stderr: devstack's own probe result says it better,
// and stderr is devstack's printer's.
func init() { klog.SetLogger(logr.Discard()) }
