package kube

import (
	"context"
	"fmt"
	"strings"
	"sync"

	authv1 "k8s.io/api/authorization/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/rest"
)

// right is one thing devstack does in its namespace.
type right struct{ verb, group, resource, sub string }

func (r right) String() string {
	res := r.resource
	if r.sub != "" {
		res += "/" + r.sub
	}
	if r.group != "" {
		res = r.group + "/" + res
	}
	return r.verb + " " + res
}

// needed are the rights up, status, logs, forward and down use; docs/kubernetes.md's Role
// grants exactly these.
var needed = func() []right {
	var out []right
	for _, res := range []struct{ group, resource string }{{"", "secrets"}, {"", "services"}, {"", "persistentvolumeclaims"}, {"apps", "statefulsets"}} {
		for _, v := range []string{"get", "create", "update", "delete"} {
			out = append(out, right{v, res.group, res.resource, ""})
		}
	}
	return append(out, right{"get", "", "pods", ""}, right{"delete", "", "pods", ""}, right{"get", "", "pods", "log"},
		right{"create", "", "pods", "portforward"}, right{"create", "", "pods", "exec"})
}()

// MissingRightsError names the rights the user's credentials lack in the namespace.
type MissingRightsError struct {
	Namespace string
	Missing   []string
}

func (e *MissingRightsError) Error() string {
	return fmt.Sprintf("your credentials lack rights devstack needs in namespace %s: %s", e.Namespace, strings.Join(e.Missing, ", "))
}

func (e *MissingRightsError) Hint() string {
	return "ask your cluster's administrator for a Role with these rights in " + e.Namespace + " (docs/kubernetes.md has it): " + strings.Join(Rights, "; ")
}

// CheckAccess asks the cluster, before anything is made, whether the user may do all
// that devstack does in the namespace (SelfSubjectAccessReview, which every
// authenticated user may create), and refuses with the list of what is missing: a
// refusal half-way through up would leave half a stack.
func (c *Cluster) CheckAccess(ctx context.Context) error {
	if c.rest == nil {
		return nil
	}
	auth, err := restFor(c.rest, schema.GroupVersion{Group: authv1.GroupName, Version: "v1"}, "/apis")
	if err != nil {
		return err
	}
	// One review per right, all at once: asked in turn they cost up a second.
	allowed, errs := make([]bool, len(needed)), make([]error, len(needed))
	var wg sync.WaitGroup
	for i, r := range needed {
		wg.Go(func() { allowed[i], errs[i] = c.allowed(ctx, auth, r) })
	}
	wg.Wait()
	var missing []string
	for i, r := range needed {
		if errs[i] != nil {
			return c.wrap(errs[i], "ask the cluster what your credentials may do")
		}
		if !allowed[i] {
			missing = append(missing, r.String())
		}
	}
	if len(missing) > 0 {
		return &MissingRightsError{Namespace: c.Namespace, Missing: missing}
	}
	return nil
}

func (c *Cluster) allowed(ctx context.Context, auth rest.Interface, r right) (bool, error) {
	review := &authv1.SelfSubjectAccessReview{Spec: authv1.SelfSubjectAccessReviewSpec{ResourceAttributes: &authv1.ResourceAttributes{
		Namespace: c.Namespace, Verb: r.verb, Group: r.group, Resource: r.resource, Subresource: r.sub}}}
	if err := auth.Post().Resource("selfsubjectaccessreviews").Body(review).Do(ctx).Into(review); err != nil {
		return false, err
	}
	return review.Status.Allowed, nil
}
