package main

import "testing"

func TestPackageOf(t *testing.T) {
	modules := []string{"github.com/devstack-dev/devstack", "gopkg.in/ini.v1", "go.yaml.in/yaml/v3"}
	for _, tc := range []struct{ symbol, want string }{
		{"main.main", "main"},
		{"runtime.mallocgc", "runtime"},
		{"net/http.(*Transport).roundTrip", "net/http"},
		{"github.com/jackc/pgx/v5/pgtype.initDefaultMap", "github.com/jackc/pgx/v5/pgtype"},
		{"github.com/redis/go-redis/v9.cmdable.FTCreate", "github.com/redis/go-redis/v9"},
		{"github.com/devstack-dev/devstack/stack.(*Stack).Up.func1", "github.com/devstack-dev/devstack/stack"},
		// generic instantiations are the generic function's package, not the argument's
		{"slices.SortFunc[go.shape.[]github.com/devstack-dev/devstack/plan.Service]", "slices"},
		{"sync/atomic.(*Pointer[github.com/docker/docker/client.Client]).Load", "sync/atomic"},
		// a last path element holding a dot is settled by the module list
		{"gopkg.in/ini.v1.(*File).Section", "gopkg.in/ini.v1"},
		{"go.yaml.in/yaml/v3.(*decoder).unmarshal", "go.yaml.in/yaml/v3"},
		// the linker's symbols for a type belong to the package naming the type
		{"type:*github.com/minio/minio-go/v7.Client", "github.com/minio/minio-go/v7"},
		{"type:.eq.net/http.Request", "net/http"},
		{"go:itab.*github.com/gomodule/redigo/redis.conn,github.com/gomodule/redigo/redis.Conn", "github.com/gomodule/redigo/redis"},
		{"vendor/golang.org/x/net/idna.idnaValues", "vendor/golang.org/x/net/idna"},
		{"go:func.*", metadataGroup},
		{"runtime.pclntab", metadataGroup},
		{"go:string.*", "(linker: go:string)"},
	} {
		if got := packageOf(tc.symbol, modules); got != tc.want {
			t.Errorf("packageOf(%q) = %q, want %q", tc.symbol, got, tc.want)
		}
	}
}

func TestModuleOf(t *testing.T) {
	modules := []string{"github.com/devstack-dev/devstack", "github.com/jackc/pgx/v5", "go.opentelemetry.io/otel", "go.opentelemetry.io/otel/trace"}
	for _, tc := range []struct{ pkg, want string }{
		{"github.com/jackc/pgx/v5/pgtype", "github.com/jackc/pgx/v5"},
		{"github.com/jackc/pgx/v5", "github.com/jackc/pgx/v5"},
		// the longest module path wins: otel/trace is its own module
		{"go.opentelemetry.io/otel/trace/embedded", "go.opentelemetry.io/otel/trace"},
		{"go.opentelemetry.io/otel/attribute", "go.opentelemetry.io/otel"},
		{"net/http", "std"},
		{"vendor/golang.org/x/crypto/chacha20", "std"},
		{"main", "github.com/devstack-dev/devstack"},
		{"(linker: go:string)", "(linker: go:string)"},
	} {
		if got := moduleOf(tc.pkg, modules); got != tc.want {
			t.Errorf("moduleOf(%q) = %q, want %q", tc.pkg, got, tc.want)
		}
	}
}
