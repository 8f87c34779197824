package config

import (
	"errors"
	"strings"
	"testing"
)

// The class: any key of kubernetes: that would pick where the stack runs is refused with
// where it is written, why, and the user's own flag; what only describes the stack loads.
func TestKubernetesKeyRefusesTheCluster(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		key, fix   string // "" when the file loads
	}{
		{"supported only", "kubernetes: {supported: true}\n", "", ""},
		{"context", "kubernetes:\n  context: prod-admin\n", "kubernetes.context", "--kube-context"},
		{"namespace", "kubernetes:\n  namespace: default\n", "kubernetes.namespace", "--kube-namespace"},
		{"engine", "kubernetes:\n  engine: kubernetes\n", "kubernetes.engine", "--engine kubernetes"},
		{"context with supported", "kubernetes:\n  supported: true\n  context: x\n", "kubernetes.context", "DEVSTACK_KUBE_CONTEXT"},
		{"unknown key", "kubernetes:\n  cluster: x\n", "kubernetes.cluster", "known keys here"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadText(t, tc.text)
			if tc.key == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want a config error", err)
			}
			if ce.Key != tc.key || ce.Line == 0 || !strings.Contains(ce.Fix, tc.fix) {
				t.Fatalf("error %+v: want key %s, a line, and a fix naming %s", ce, tc.key, tc.fix)
			}
		})
	}
}
