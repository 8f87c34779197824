package main

import (
	"context"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/output"
)

// The engine and the cluster are the user's choice, said clearly: a wrong engine, or a
// cluster flag without the Kubernetes engine, is a usage error (exit 2) before anything
// is read or reached; forward is the Kubernetes engine's alone.
func TestEngineFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"up", "--engine", "podman"}, `--engine takes docker or kubernetes, not "podman"`},
		{[]string{"status", "--kube-context", "prod"}, "need --engine kubernetes"},
		{[]string{"down", "--kube-namespace", "team"}, "need --engine kubernetes"},
		{[]string{"forward"}, "devstack forward is for the Kubernetes engine"},
		{[]string{"export", "helm"}, "devstack export kubernetes [--dir DIR]"},
		{[]string{"export", "compose", "--dir", "k"}, "--dir is for export kubernetes"},
		{[]string{"export", "kubernetes", "--file", "f"}, "--file is for export compose"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			streams, _, errb := output.Test()
			e := newEnv(streams, func(string) string { return "" })
			code := runArgs(context.Background(), append([]string{"devstack"}, tc.args...), e)
			if code != 2 || !strings.Contains(errb.String(), tc.want) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", code, errb.String(), tc.want)
			}
		})
	}
}
