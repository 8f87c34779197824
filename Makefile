GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
PREFIX   ?= /usr/local

.PHONY: build test lint install bench

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
