package main

import (
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/output"
)

func TestIntersperse(t *testing.T) {
	s, _, _ := output.Test()
	app := newApp(&env{streams: s, printer: output.NewPrinter(s, output.Options{})})
	tests := []struct{ in, want string }{
		{"devstack logs redis --tail 3", "devstack logs --tail 3 redis"},
		{"devstack logs redis -f", "devstack logs -f redis"},
		{"devstack --output json up redis postgres --timeout 5s --no-wait", "devstack --output json up --timeout 5s --no-wait redis postgres"},
		{"devstack -c x.yaml up redis", "devstack -c x.yaml up redis"},
		{"devstack up --bind=::1 redis", "devstack up --bind=::1 redis"},
		{"devstack logs -- -odd-name", "devstack logs -- -odd-name"},
		{"devstack doctor", "devstack doctor"},
		{"devstack", "devstack"},
	}
	for _, tt := range tests {
		got := strings.Join(intersperse(app, strings.Fields(tt.in)), " ")
		if got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.in, got, tt.want)
		}
	}
}
