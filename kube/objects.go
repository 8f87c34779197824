package kube

import (
	"context"

	appsv1 "k8s.io/api/apps/v1"
	authv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/rest"
)

// devstack talks to the cluster through REST clients over a scheme of core/v1 and
// apps/v1 alone: client-go's typed clientset registers every API group Kubernetes has,
// which doubled the binary (52 MB against 23 MB). Objects is the little of a clientset
// devstack needs; restObjects is it on a cluster, and the unit tests use client-go's fake
// clientset's object tracker.
type Objects interface {
	Get(ctx context.Context, r Resource, namespace, name string, into runtime.Object) error
	Create(ctx context.Context, r Resource, namespace string, obj runtime.Object) error
	Update(ctx context.Context, r Resource, namespace string, obj runtime.Object) error
	Delete(ctx context.Context, r Resource, namespace, name string) error
}

// Resource is one kind of object devstack makes or reads.
type Resource = schema.GroupVersionResource

var (
	Namespaces = corev1.SchemeGroupVersion.WithResource("namespaces")
	Secrets    = corev1.SchemeGroupVersion.WithResource("secrets")
	ServicesR  = corev1.SchemeGroupVersion.WithResource("services")
	Claims     = corev1.SchemeGroupVersion.WithResource("persistentvolumeclaims")
	Pods       = corev1.SchemeGroupVersion.WithResource("pods")
	// ServiceAccounts is read only to wait for a new namespace's default one.
	ServiceAccounts = corev1.SchemeGroupVersion.WithResource("serviceaccounts")
	StatefulSet     = appsv1.SchemeGroupVersion.WithResource("statefulsets")
)

var (
	scheme = func() *runtime.Scheme {
		s := runtime.NewScheme()
		_ = corev1.AddToScheme(s) // adding known types never fails
		_ = appsv1.AddToScheme(s)
		_ = authv1.AddToScheme(s)
		metav1.AddToGroupVersion(s, schema.GroupVersion{Version: "v1"})
		return s
	}()
	codecs      = serializer.NewCodecFactory(scheme)
	paramCodec  = runtime.NewParameterCodec(scheme)
	foreground  = metav1.DeletePropagationForeground
	deleteOpts  = metav1.DeleteOptions{PropagationPolicy: &foreground}
	emptyGetOpt = metav1.GetOptions{}
)

// restObjects is Objects over one REST client per API group.
type restObjects struct{ core, apps rest.Interface }

func newRESTObjects(rc *rest.Config) (*restObjects, error) {
	core, err := restFor(rc, corev1.SchemeGroupVersion, "/api")
	if err != nil {
		return nil, err
	}
	apps, err := restFor(rc, appsv1.SchemeGroupVersion, "/apis")
	if err != nil {
		return nil, err
	}
	return &restObjects{core: core, apps: apps}, nil
}

func restFor(rc *rest.Config, gv schema.GroupVersion, apiPath string) (rest.Interface, error) {
	c := rest.CopyConfig(rc)
	c.GroupVersion, c.APIPath = &gv, apiPath
	c.NegotiatedSerializer = codecs.WithoutConversion()
	return rest.RESTClientFor(c)
}

func (o *restObjects) client(r Resource) rest.Interface {
	if r.Group == appsv1.GroupName {
		return o.apps
	}
	return o.core
}

// req is a request for r in namespace ns ("" for a cluster-scoped resource, which must not
// name one).
func (o *restObjects) req(verb func(rest.Interface) *rest.Request, r Resource, ns string) *rest.Request {
	q := verb(o.client(r))
	if ns != "" {
		q = q.Namespace(ns)
	}
	return q.Resource(r.Resource)
}

func get(c rest.Interface) *rest.Request  { return c.Get() }
func post(c rest.Interface) *rest.Request { return c.Post() }
func put(c rest.Interface) *rest.Request  { return c.Put() }
func del(c rest.Interface) *rest.Request  { return c.Delete() }

func (o *restObjects) Get(ctx context.Context, r Resource, ns, name string, into runtime.Object) error {
	return o.req(get, r, ns).Name(name).VersionedParams(&emptyGetOpt, paramCodec).Do(ctx).Into(into)
}

func (o *restObjects) Create(ctx context.Context, r Resource, ns string, obj runtime.Object) error {
	return o.req(post, r, ns).Body(obj).Do(ctx).Into(obj)
}

func (o *restObjects) Update(ctx context.Context, r Resource, ns string, obj runtime.Object) error {
	name := obj.(metav1.Object).GetName()
	return o.req(put, r, ns).Name(name).Body(obj).Do(ctx).Into(obj)
}

func (o *restObjects) Delete(ctx context.Context, r Resource, ns, name string) error {
	return o.req(del, r, ns).Name(name).Body(&deleteOpts).Do(ctx).Error()
}
