// Package kube is devstack's Kubernetes engine: it turns each planned service into what a
// careful person would write by hand (a Secret for its environment, a PersistentVolumeClaim
// for its data, a StatefulSet and a Service), applies them in one namespace, watches the
// pod, forwards its ports to 127.0.0.1 with client-go's port-forwarding, reads its logs,
// runs commands in it and deletes only what carries the checkout's labels. It implements
// stack.ServiceEngine.
package kube

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"sort"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/stack"
)

// Labels every object devstack makes carries. Kubernetes label values cannot hold a path,
// so the checkout is a hash in the label (what down selects on) and the real path in an
// annotation, for people.
const (
	LabelManagedBy   = "app.kubernetes.io/managed-by"
	LabelProject     = "dev.devstack/project"  // the checkout's identity (config.Identity.ID)
	LabelName        = "dev.devstack/name"     // the project's name, shared by every clone
	LabelCheckout    = "dev.devstack/checkout" // a hash of the checkout's real path
	LabelService     = "dev.devstack/service"
	AnnotCheckout    = "dev.devstack/checkout-path"
	AnnotSpec        = "dev.devstack/spec" // hash of the container spec, to notice changes
	ManagedBy        = "devstack"
	dataClaimSuffix  = "-data"
	envSecretSuffix  = "-env"
	dataSubPath      = "data"
	defaultClaimSize = "1Gi"
)

// Docker-only settings and what the Kubernetes engine does with each; docs/kubernetes.md
// repeats this table.
var DockerOnly = map[string]string{
	"ulimits":          "not settable per pod in Kubernetes; the node's limits apply (OpenSearch's memlock is only needed for bootstrap.memory_lock, which devstack does not set)",
	"published ports":  "no hostPort (Pod Security baseline forbids it); devstack forwards 127.0.0.1 ports with port-forwarding instead",
	"network alias":    "the Service of the same name: services reach each other by name inside the namespace",
	"container name":   "the StatefulSet's name is the service's name; the namespace keeps checkouts apart",
	"hostname":         "a StatefulSet's pod keeps its name (SERVICE-0) across restarts, which RabbitMQ's node name needs",
	"named volume":     "a PersistentVolumeClaim, mounted through a subdirectory so that a real volume's lost+found never sits in a data directory",
	"sysctls, devices": "never set by devstack's services",
}

// Manifests are one service's objects, in the order they are applied.
type Manifests struct {
	Secret      *corev1.Secret
	Claim       *corev1.PersistentVolumeClaim // nil when the service keeps no data
	Service     *corev1.Service
	StatefulSet *appsv1.StatefulSet
}

// Options are what the manifests depend on besides the service.
type Options struct {
	Namespace string
	// Readiness adds readiness probes: the exported manifests carry them for
	// kubectl rollout status; up waits on devstack's own probes through a forward.
	Readiness *corev1.Probe
}

var nonName = regexp.MustCompile(`[^a-z0-9-]+`)

// ObjectName is a service's name as a DNS-1123 label.
func ObjectName(service string) string {
	n := strings.Trim(nonName.ReplaceAllString(strings.ToLower(service), "-"), "-")
	if n == "" || len(n) > 50 {
		return shorten(n, service, 50)
	}
	return n
}

// Namespace is the namespace devstack makes for a checkout: one per identity.
func Namespace(id config.Identity) string {
	n := strings.Trim(nonName.ReplaceAllString(strings.ToLower("devstack-"+id.ID), "-"), "-")
	return shorten(n, id.ID, 63)
}

// shorten keeps n when it fits in max, else cuts it and ends it with a hash of whole, so
// that two long names never meet.
func shorten(n, whole string, max int) string {
	if n != "" && len(n) <= max {
		return n
	}
	sum := sha256.Sum256([]byte(whole))
	h := hex.EncodeToString(sum[:4])
	keep := max - len(h) - 1
	if len(n) > keep {
		n = strings.TrimRight(n[:keep], "-")
	}
	if n == "" {
		return "s-" + h
	}
	return n + "-" + h
}

var labelValue = regexp.MustCompile(`^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$`)

func asLabel(v string) string {
	if len(v) <= 63 && labelValue.MatchString(v) {
		return v
	}
	return shorten(strings.Trim(nonName.ReplaceAllString(strings.ToLower(v), "-"), "-"), v, 63)
}

// CheckoutHash is the label value that says which checkout an object is of.
func CheckoutHash(checkout string) string {
	sum := sha256.Sum256([]byte(checkout))
	return hex.EncodeToString(sum[:8])
}

// Selector selects every object of the checkout: what down and status look for.
func Selector(id config.Identity) map[string]string {
	return map[string]string{LabelManagedBy: ManagedBy, LabelProject: asLabel(id.ID), LabelCheckout: CheckoutHash(id.Checkout)}
}

// Labels are an object's labels for service of the checkout id.
func Labels(id config.Identity, service string) map[string]string {
	l := Selector(id)
	if id.Name != "" {
		l[LabelName] = asLabel(id.Name)
	}
	if service != "" {
		l[LabelService] = asLabel(service)
	}
	return l
}

// Owned says whether an object's labels are the checkout's, for that service.
func Owned(labels map[string]string, id config.Identity, service string) bool {
	for k, v := range Selector(id) {
		if labels[k] != v {
			return false
		}
	}
	return labels[LabelService] == asLabel(service)
}

// Build is the service's manifests: its environment in a Secret (it holds the
// credentials, which never stand inline in a spec), its data in a claim mounted through a
// subdirectory, a StatefulSet of one pod and a Service for its ports.
func Build(spec stack.ServiceSpec, opts Options) Manifests {
	c := spec.Container
	name := ObjectName(spec.Service)
	labels := Labels(spec.Identity, spec.Service)
	annotations := map[string]string{AnnotCheckout: spec.Identity.Checkout}
	meta := func(n string) metav1.ObjectMeta {
		return metav1.ObjectMeta{Name: n, Namespace: opts.Namespace, Labels: labels, Annotations: annotations}
	}
	m := Manifests{}
	m.Secret = &corev1.Secret{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Secret"},
		ObjectMeta: meta(name + envSecretSuffix),
		Type:       corev1.SecretTypeOpaque,
		StringData: maps(c.Env),
	}
	container := corev1.Container{
		Name:            name,
		Image:           c.Image,
		ImagePullPolicy: corev1.PullIfNotPresent,
		Args:            c.Cmd, // the image's entrypoint stays, as docker run CMD keeps it
		EnvFrom: []corev1.EnvFromSource{{SecretRef: &corev1.SecretEnvSource{
			LocalObjectReference: corev1.LocalObjectReference{Name: name + envSecretSuffix}}}},
		Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{
			corev1.ResourceCPU:    resource.MustParse("50m"),
			corev1.ResourceMemory: resource.MustParse("128Mi"),
		}},
		SecurityContext: &corev1.SecurityContext{AllowPrivilegeEscalation: ptr(false)},
		ReadinessProbe:  opts.Readiness,
	}
	svc := &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: meta(name),
		Spec:       corev1.ServiceSpec{Selector: Labels(spec.Identity, spec.Service)},
	}
	for _, p := range c.Ports {
		pn := portName(p.Name, p.ContainerPort)
		container.Ports = append(container.Ports, corev1.ContainerPort{Name: pn, ContainerPort: int32(p.ContainerPort), Protocol: corev1.ProtocolTCP})
		svc.Spec.Ports = append(svc.Spec.Ports, corev1.ServicePort{Name: pn, Port: int32(p.ContainerPort),
			TargetPort: intstr.FromString(pn), Protocol: corev1.ProtocolTCP})
	}
	m.Service = svc
	pod := corev1.PodSpec{
		Containers:                    []corev1.Container{container},
		TerminationGracePeriodSeconds: ptr(int64(10)),
		EnableServiceLinks:            ptr(false), // REDIS_PORT=tcp://… would shadow the images' own settings
		AutomountServiceAccountToken:  ptr(false),
	}
	if c.Volume != "" && c.Mount != "" {
		m.Claim = &corev1.PersistentVolumeClaim{
			TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"},
			ObjectMeta: meta(name + dataClaimSuffix),
			Spec: corev1.PersistentVolumeClaimSpec{
				AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
				Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{
					corev1.ResourceStorage: resource.MustParse(defaultClaimSize)}},
			},
		}
		pod.Volumes = []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{
			PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: m.Claim.Name}}}}
		// A real volume's root holds lost+found: PostgreSQL (and MariaDB) refuse a data
		// directory that is not empty, so the data lives in a subdirectory of the claim.
		pod.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "data", MountPath: c.Mount, SubPath: dataSubPath}}
	}
	selector := map[string]string{LabelProject: labels[LabelProject], LabelCheckout: labels[LabelCheckout], LabelService: labels[LabelService]}
	m.StatefulSet = &appsv1.StatefulSet{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "StatefulSet"},
		ObjectMeta: meta(name),
		Spec: appsv1.StatefulSetSpec{
			Replicas:    ptr(int32(1)),
			ServiceName: name,
			Selector:    &metav1.LabelSelector{MatchLabels: selector},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels, Annotations: map[string]string{AnnotSpec: SpecHash(spec)}},
				Spec:       pod,
			},
		},
	}
	m.StatefulSet.Annotations = map[string]string{AnnotCheckout: spec.Identity.Checkout, AnnotSpec: SpecHash(spec)}
	return m
}

// SpecHash identifies what the service runs: a changed image, environment, command or
// ports re-creates its pod, as a changed container spec does on Docker.
func SpecHash(spec stack.ServiceSpec) string {
	c := spec.Container
	data, _ := json.Marshal(struct {
		Image, Mount string
		Env          map[string]string
		Cmd          []string
		Ports        []int
	}{c.Image, c.Mount, c.Env, c.Cmd, containerPorts(c.Ports)})
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:12])
}

func containerPorts(ps []engine.PortBinding) []int {
	var out []int
	for _, p := range ps {
		out = append(out, p.ContainerPort)
	}
	sort.Ints(out)
	return out
}

// portName is a port's name as Kubernetes allows it (at most 15 characters, a letter in
// it), or p-NUMBER.
func portName(name string, port int) string {
	n := strings.Trim(nonName.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if n == "" || len(n) > 15 || !strings.ContainsAny(n, "abcdefghijklmnopqrstuvwxyz") {
		return "p-" + itoa(port)
	}
	return n
}

func maps(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func ptr[T any](v T) *T { return &v }
