//go:build !e2e

package main

import (
	"os"
	"testing"
)

// TestEndToEndCompiledIn: the end-to-end tests (*_e2e_test.go) are compiled only with
// -tags e2e, as make test builds them. Where they are required (DEVSTACK_E2E=required, as
// .ci/run sets), a run without them would pass having tested nothing against an engine.
func TestEndToEndCompiledIn(t *testing.T) {
	if os.Getenv("DEVSTACK_E2E") == "required" {
		t.Fatal("DEVSTACK_E2E=required, but the end-to-end tests were not compiled in: run make test, or go test -tags e2e")
	}
	t.Log("end-to-end tests not compiled in: make test-unit runs unit tests only; make test runs both")
}
