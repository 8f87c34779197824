package kube

import (
	"context"
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/stack"
)

// ForeignError is an object with devstack's name for a service that does not carry this
// checkout's labels: devstack leaves it alone.
type ForeignError struct{ Kind, Name, Namespace string }

func (e *ForeignError) Error() string {
	return fmt.Sprintf("%s %s in namespace %s exists and was not made by devstack for this checkout; devstack leaves it alone", e.Kind, e.Name, e.Namespace)
}
func (e *ForeignError) Hint() string {
	return "use another namespace (--kube-namespace NAME, or leave it out for this checkout's own), or remove that object if it holds nothing you need"
}

var _ stack.ServiceEngine = (*Cluster)(nil)

// Apply makes the service's Secret, claim, Service and StatefulSet match spec. A claim is
// made once and never changed: it holds the data. A changed spec rolls the pod.
func (c *Cluster) Apply(ctx context.Context, spec stack.ServiceSpec) (string, error) {
	m := Build(spec, Options{Namespace: c.Namespace})
	sec := &corev1.Secret{}
	err := c.ensure(ctx, Secrets, spec.Service, m.Secret, sec, func() {
		sec.StringData, sec.Data, sec.Labels = m.Secret.StringData, nil, m.Secret.Labels
	})
	if err != nil {
		return "", err
	}
	if m.Claim != nil {
		// Never updated: its size and class are the cluster's business once bound.
		if err := c.ensure(ctx, Claims, spec.Service, m.Claim, &corev1.PersistentVolumeClaim{}, nil); err != nil {
			return "", err
		}
	}
	svc := &corev1.Service{}
	err = c.ensure(ctx, ServicesR, spec.Service, m.Service, svc, func() {
		svc.Spec.Ports, svc.Spec.Selector, svc.Labels = m.Service.Spec.Ports, m.Service.Spec.Selector, m.Service.Labels
	})
	if err != nil {
		return "", err
	}
	sts := &appsv1.StatefulSet{}
	err = c.getLive(ctx, StatefulSet, m.StatefulSet.Name, sts)
	switch {
	case apierrors.IsNotFound(err):
		return stack.Created, c.wrap(c.objs.Create(ctx, StatefulSet, c.Namespace, m.StatefulSet), "create statefulset "+m.StatefulSet.Name)
	case err != nil:
		return "", c.wrap(err, "read statefulset "+m.StatefulSet.Name)
	case !Owned(sts.Labels, c.Identity, spec.Service):
		return "", &ForeignError{"StatefulSet", sts.Name, c.Namespace}
	case sts.Annotations[AnnotSpec] == m.StatefulSet.Annotations[AnnotSpec] && sts.Spec.Replicas != nil && *sts.Spec.Replicas == 1:
		return stack.Unchanged, c.replaceFailed(ctx, spec.Service, false)
	}
	sts.Spec.Template, sts.Spec.Replicas = m.StatefulSet.Spec.Template, m.StatefulSet.Spec.Replicas
	sts.Annotations, sts.Labels = m.StatefulSet.Annotations, m.StatefulSet.Labels
	if err := c.objs.Update(ctx, StatefulSet, c.Namespace, sts); err != nil {
		return "", c.wrap(err, "update statefulset "+sts.Name)
	}
	return stack.Recreated, c.replaceFailed(ctx, spec.Service, true)
}

// replaceFailed deletes the service's pod when it is failed (an image it could not
// pull, a crash loop), or with changed when it is not ready: the StatefulSet controller
// never replaces a pod that is not Running and Ready with one of a new template (it
// waits for it forever), and a kubelet's back-off would make the next up wait minutes.
// The controller makes the pod again at once, from the current template.
func (c *Cluster) replaceFailed(ctx context.Context, service string, changed bool) error {
	pod := &corev1.Pod{}
	err := c.objs.Get(ctx, Pods, c.Namespace, PodName(service), pod)
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return c.wrap(err, "read pod "+PodName(service))
	}
	if !Owned(pod.Labels, c.Identity, service) || pod.DeletionTimestamp != nil {
		return nil
	}
	st := podState(pod, stack.ServiceState{})
	if st.State != "failed" && !(changed && !podReady(pod)) {
		return nil
	}
	err = c.objs.Delete(ctx, Pods, c.Namespace, pod.Name)
	if apierrors.IsNotFound(err) {
		return nil
	}
	return c.wrap(err, "replace pod "+pod.Name)
}

func podReady(pod *corev1.Pod) bool {
	for _, cond := range pod.Status.Conditions {
		if cond.Type == corev1.PodReady {
			return cond.Status == corev1.ConditionTrue
		}
	}
	return false
}

// ensure creates want when no object of its name exists; when one does, refuses it
// unless it is the service's, and updates it with change (nil: leaves it as it is).
// have receives the existing object.
func (c *Cluster) ensure(ctx context.Context, r Resource, service string, want, have metaObject, change func()) error {
	name := want.GetName()
	err := c.getLive(ctx, r, name, have)
	switch {
	case apierrors.IsNotFound(err):
		return c.wrap(c.objs.Create(ctx, r, c.Namespace, want), "create "+r.Resource+" "+name)
	case err != nil:
		return c.wrap(err, "read "+r.Resource+" "+name)
	case !Owned(have.GetLabels(), c.Identity, service):
		return &ForeignError{r.Resource, name, c.Namespace}
	case change == nil:
		return nil
	}
	change()
	return c.wrap(c.objs.Update(ctx, r, c.Namespace, have), "update "+r.Resource+" "+name)
}

// getLive reads the object name into into; one being deleted (a down just before) is
// waited for until it is gone, and reads as not found: it is made again, not updated.
func (c *Cluster) getLive(ctx context.Context, r Resource, name string, into metaObject) error {
	for {
		err := c.objs.Get(ctx, r, c.Namespace, name, into)
		if err != nil || into.GetDeletionTimestamp() == nil {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// metaObject is a Kubernetes object with its metadata.
type metaObject interface {
	runtime.Object
	metav1.Object
}

// Delete removes the service's objects that carry this checkout's labels; with volumes its
// claim too (and with it the data). An object of the name without them is named in the
// error and left.
func (c *Cluster) Delete(ctx context.Context, service string, volumes bool) ([]string, error) {
	name := ObjectName(service)
	type one struct {
		r    Resource
		name string
		obj  metaObject
	}
	list := []one{{StatefulSet, name, &appsv1.StatefulSet{}}, {ServicesR, name, &corev1.Service{}}, {Secrets, name + envSecretSuffix, &corev1.Secret{}}}
	if volumes {
		list = append(list, one{Claims, name + dataClaimSuffix, &corev1.PersistentVolumeClaim{}})
	}
	var removed []string
	for _, o := range list {
		err := c.objs.Get(ctx, o.r, c.Namespace, o.name, o.obj)
		switch {
		case apierrors.IsNotFound(err):
			continue
		case err != nil:
			return removed, c.wrap(err, "read "+o.r.Resource+" "+o.name)
		case !Owned(o.obj.GetLabels(), c.Identity, service):
			return removed, output.WithHint(&ForeignError{o.r.Resource, o.name, c.Namespace}, "down removes only what carries this checkout's labels")
		case o.obj.GetDeletionTimestamp() != nil:
			continue // an earlier down's, still going
		}
		if err := c.objs.Delete(ctx, o.r, c.Namespace, o.name); err != nil && !apierrors.IsNotFound(err) {
			return removed, c.wrap(err, "delete "+o.r.Resource+" "+o.name)
		}
		removed = append(removed, kindOf(o.r)+" "+c.Namespace+"/"+o.name)
	}
	return removed, nil
}

// kindOf is how down names a resource: statefulset, service, secret, persistentvolumeclaim.
func kindOf(r Resource) string {
	switch r {
	case Claims:
		return "persistentvolumeclaim"
	case ServicesR:
		return "service"
	case Secrets:
		return "secret"
	}
	return "statefulset"
}
