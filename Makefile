GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
PREFIX   ?= /usr/local
FUZZTIME ?= 30s

.PHONY: build test lint install bench bench-peer bench-down fuzz

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/devstack ./cmd/devstack

# End-to-end tests use the Docker engine when one answers; DEVSTACK_E2E=required makes
# its absence a failure (CI sets it). -count=1: their results depend on the engine, which
# Go's test cache cannot see.
test:
	$(GO) test -race -count=1 -timeout 30m ./...

lint:
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted"; exit 1; fi
	$(GO) vet ./...

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
