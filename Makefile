GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
PREFIX   ?= /usr/local
FUZZTIME ?= 30s
# staticcheck is pinned, and installed by make lint into Go's bin directory.
STATICCHECK_VERSION ?= v0.8.2
STATICCHECK := $(shell $(GO) env GOPATH)/bin/staticcheck

.PHONY: build test test-unit test-kube lint install bench bench-peer bench-down fuzz size release-snapshot packages package-test images-check

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/devstack ./cmd/devstack

# Unit and end-to-end tests (-tags e2e). End-to-end tests use the Docker engine when one
# answers; DEVSTACK_E2E=required makes its absence a failure (CI sets it). -count=1: their results depend on the engine, which
# Go's test cache cannot see.
test:
	$(GO) test -race -count=1 -tags e2e -timeout 30m ./...
	cd scripts/imagescheck && $(GO) test -race -count=1 ./...

# Unit tests only (no engine, no built binary): the end-to-end files carry the e2e tag.
test-unit:
	$(GO) test -race ./...

# The end-to-end suite on a real Kubernetes cluster (build tag kube; docs/kubernetes.md): the
# cluster KUBECONFIG names, with the devstack-offline images in it and DEVSTACK_IMAGE_* set.
# Serialised with other users of the test cluster.
test-kube:
	flock /tmp/devstack-k8s.lock $(GO) test -count=1 -tags kube -timeout 20m -v ./kube/e2e/

lint:
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags e2e ./cmd/devstack/
	$(GO) vet -tags kube ./kube/e2e/
	@$(STATICCHECK) -version 2>/dev/null | grep -q '($(STATICCHECK_VERSION:v%=%))' || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	$(STATICCHECK) -tags e2e ./...
	$(STATICCHECK) -tags kube ./kube/e2e/

install: build
	install -m 0755 bin/devstack $(PREFIX)/bin/devstack

bench:
	$(GO) test -run '^$$' -bench . -benchtime 20x ./checks/
	$(GO) test -run '^$$' -bench . ./ports/

# Side by side with its peers, on this machine's engine (not part of make test; see
# docs/benchmarks.md). bench/peer is its own module: testcontainers-go stays out of
# devstack's. ROUNDS rounds; PEERFLAGS adds flags (-json, -trace).
ROUNDS ?= 3
bench-peer: build
	cd bench/peer && $(GO) run . -devstack ../../bin/devstack -rounds $(ROUNDS) $(PEERFLAGS)

bench-down: build
	cd bench/peer && $(GO) run . -devstack ../../bin/devstack -mode down -rounds $(ROUNDS) $(PEERFLAGS)

# Every Go fuzz target of the project, each for FUZZTIME (scripts/fuzz.sh says how a
# Go 1.26 fuzz-deadline race is told from a finding).
fuzz:
	GO=$(GO) FUZZTIME=$(FUZZTIME) ./scripts/fuzz.sh

# The release binary's size and its top contributors by module and package, and whether it
# is within its budget (SIZE_BUDGET bytes; scripts/size.sh says how the bytes are counted).
size:
	GO=$(GO) ./scripts/size.sh

# A release built here without publishing (issue 21): archives for linux, macOS and Windows
# on amd64 and arm64, checksums, completions and the Homebrew cask (.goreleaser.yaml), then
# the Python wheels and npm packages, all into dist/. goreleaser is pinned in its own module,
# tools/release, so devstack's go.mod stays free of it; its first build takes minutes.
GORELEASER = $(GO) tool -modfile=tools/release/go.mod goreleaser
PYTHON ?= python3
release-snapshot:
	DEVSTACK_COMMIT=$$(git rev-parse --short HEAD) $(GORELEASER) release --snapshot --clean --skip=publish,sign
	$(MAKE) packages

# The wheels and npm packages from the binaries in dist/ (scripts/package.py).
packages:
	$(PYTHON) scripts/package.py --dist dist

# The host's binary, wheel and npm packages, installed offline and run (CI runs this).
# PACKAGES=dist tests what make release-snapshot made instead.
package-test:
	GO=$(GO) ./scripts/package-test.sh $(PACKAGES)

# For each image devstack pins, the newest stable tag of the pin's family in its registry
# (docs/images.md): exit 1 on a stale pin, 2 when a registry cannot be asked. Its own
# module, so devstack's binary never links go-containerregistry. IMAGESFLAGS: -json, -timeout.
images-check:
	cd scripts/imagescheck && $(GO) run . $(IMAGESFLAGS)
