package kube

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// Rights are what devstack needs in its namespace: the Role docs/kubernetes.md shows.
var Rights = []string{
	"secrets, services, persistentvolumeclaims: get create update delete",
	"apps/statefulsets: get create update delete",
	"pods: get delete; pods/log: get; pods/portforward: create; pods/exec: create",
	"(without --kube-namespace) namespaces: get create — cluster-scoped, in a ClusterRole",
}

// ForbiddenError is the cluster refusing devstack a right it needs.
type ForbiddenError struct {
	Doing, Namespace string
	Err              error
}

func (e *ForbiddenError) Error() string {
	return fmt.Sprintf("%s: the cluster refused: %v", e.Doing, e.Err)
}
func (e *ForbiddenError) Unwrap() error { return e.Err }

// Hint lists every right, not only the one refused: the next refusal would follow.
func (e *ForbiddenError) Hint() string {
	return "devstack needs these rights in namespace " + e.Namespace + ": " + strings.Join(Rights, "; ") +
		" (docs/kubernetes.md has the Role and RoleBinding to apply)"
}

// wrap says what was being done, and turns a refusal into ForbiddenError.
func (c *Cluster) wrap(err error, doing string) error {
	if err == nil {
		return nil
	}
	if apierrors.IsForbidden(err) || apierrors.IsUnauthorized(err) {
		return &ForbiddenError{Doing: doing, Namespace: c.Namespace, Err: err}
	}
	return fmt.Errorf("%s: %w", doing, err)
}

// IsForbidden says err is a missing right.
func IsForbidden(err error) bool { return errors.As(err, new(*ForbiddenError)) }

func filepathList(v string) []string { return filepath.SplitList(v) }
