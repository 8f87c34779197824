package kube

import (
	"context"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

// fakeObjects is Objects over client-go's fake clientset's object tracker: what the
// typed fake clients read and write, without the typed clients in devstack's binary.
type fakeObjects struct{ t k8stesting.ObjectTracker }

func newFake() (*fake.Clientset, fakeObjects) {
	cs := fake.NewClientset()
	return cs, fakeObjects{cs.Tracker()}
}

func (f fakeObjects) Get(_ context.Context, r Resource, ns, name string, into runtime.Object) error {
	o, err := f.t.Get(r, ns, name)
	if err != nil {
		return err
	}
	return scheme.Convert(o, into, nil)
}

func (f fakeObjects) Create(_ context.Context, r Resource, ns string, obj runtime.Object) error {
	return f.t.Create(r, obj.DeepCopyObject(), ns)
}

func (f fakeObjects) Update(_ context.Context, r Resource, ns string, obj runtime.Object) error {
	return f.t.Update(r, obj.DeepCopyObject(), ns)
}

func (f fakeObjects) Delete(_ context.Context, r Resource, ns, name string) error {
	return f.t.Delete(r, ns, name)
}
