package kube

import (
	"context"
	"fmt"
	"io"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/devstack-dev/devstack/stack"
)

// PodName is the one pod of a service's StatefulSet.
func PodName(service string) string { return ObjectName(service) + "-0" }

// Observe reads the service's pod: running, pending (scheduled, pulling, starting) or
// failed, with the reason Kubernetes gives for a container that does not run.
func (c *Cluster) Observe(ctx context.Context, service string) (stack.ServiceState, error) {
	name := PodName(service)
	st := stack.ServiceState{State: stack.Missing, Where: c.Namespace + "/" + name}
	pod := &corev1.Pod{}
	err := c.objs.Get(ctx, Pods, c.Namespace, name, pod)
	if apierrors.IsNotFound(err) {
		return st, nil
	}
	if err != nil {
		return st, c.wrap(err, "read pod "+name)
	}
	if !Owned(pod.Labels, c.Identity, service) {
		return st, &ForeignError{"Pod", name, c.Namespace}
	}
	// A pod of an older template is on its way out: what it does says nothing of the
	// service as applied.
	sts := &appsv1.StatefulSet{}
	if err := c.objs.Get(ctx, StatefulSet, c.Namespace, ObjectName(service), sts); err == nil &&
		pod.Annotations[AnnotSpec] != sts.Spec.Template.Annotations[AnnotSpec] {
		st.State, st.Reason = "pending", "its pod is being replaced with one of the current spec"
		return st, nil
	}
	return podState(pod, st), nil
}

// podState is the pod as devstack reports it.
func podState(pod *corev1.Pod, st stack.ServiceState) stack.ServiceState {
	st.State = "pending"
	if pod.DeletionTimestamp != nil {
		st.State, st.Reason = "pending", "terminating"
		return st
	}
	switch pod.Status.Phase {
	case corev1.PodFailed, corev1.PodSucceeded:
		st.State, st.Reason = "failed", pod.Status.Reason
	}
	for _, cs := range pod.Status.ContainerStatuses {
		st.Restarts += int(cs.RestartCount)
		switch {
		case cs.State.Running != nil:
			st.State, st.Started = "running", cs.State.Running.StartedAt.Unix()
		case cs.State.Waiting != nil:
			st.Reason = cs.State.Waiting.Reason
			if cs.State.Waiting.Message != "" {
				st.Reason += ": " + cs.State.Waiting.Message
			}
			switch cs.State.Waiting.Reason {
			case "ImagePullBackOff", "ErrImagePull", "ErrImageNeverPull", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError":
				st.State = "failed"
			case "CrashLoopBackOff":
				st.State = "failed"
			}
		case cs.State.Terminated != nil:
			st.State = "failed"
			st.Reason = fmt.Sprintf("container exited with code %d (%s)", cs.State.Terminated.ExitCode, cs.State.Terminated.Reason)
		}
	}
	if st.State == "pending" && st.Reason == "" {
		for _, cond := range pod.Status.Conditions {
			if cond.Type == corev1.PodScheduled && cond.Status != corev1.ConditionTrue {
				st.Reason = "not scheduled: " + cond.Message
			}
		}
	}
	return st
}

// Logs copies the service's container log. Kubernetes has one stream: everything goes to
// stdout.
func (c *Cluster) Logs(ctx context.Context, service, tail string, follow bool, stdout, _ io.Writer) error {
	opts := &corev1.PodLogOptions{Follow: follow}
	if tail != "all" && tail != "" {
		n, err := strconv.ParseInt(tail, 10, 64)
		if err != nil {
			return fmt.Errorf("tail %q: not a number of lines", tail)
		}
		opts.TailLines = &n
	}
	name := PodName(service)
	if c.core == nil {
		return errNoREST
	}
	rc, err := c.core.Get().Namespace(c.Namespace).Resource("pods").Name(name).SubResource("log").VersionedParams(opts, paramCodec).Stream(ctx)
	if err != nil {
		return c.wrap(err, "read the log of pod "+c.Namespace+"/"+name)
	}
	defer rc.Close()
	_, err = io.Copy(stdout, rc)
	if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}
