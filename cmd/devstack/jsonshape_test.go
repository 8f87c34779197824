package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/internal/enginetest"
	"github.com/devstack-dev/devstack/output"
)

// TestJSONGoldenCLI pins the --output json of the commands run through their flags, in
// testdata/unit/json-golden (UPDATE_GOLDEN=1 rewrites them). doctor, ports and
// bootstrap report on this machine (disk, memory, which ports are free), so for them
// the SHAPE is pinned: every value becomes its type, and the elements of an array are
// merged into one object holding every key any element has. The inputs that decide
// which keys appear are fixed: fake tools are the whole PATH (pipenv missing, so a
// failing check with its fix is always there), DOCKER_HOST names no engine, the
// ports are moved by a high offset, and the stack runs on the fake engine.
func TestJSONGoldenCLI(t *testing.T) {
	tests := []struct {
		golden string
		args   []string
		shape  bool
		inRoot bool // run in the project's directory (init writes there)
	}{
		{"doctor.shape.json", []string{"doctor"}, true, false},
		{"ports.shape.json", []string{"ports", "--offset", "17000"}, true, false},
		{"bootstrap.shape.json", []string{"bootstrap", "--skip-doctor", "--offset", "17000"}, true, false},
		{"fixtures.json", []string{"fixtures"}, false, false},
		{"fixtures-unknown.json", []string{"fixtures", "nosuch"}, false, false},
		{"init-list-presets.json", []string{"init", "--list-presets"}, false, true},
		{"init.json", []string{"init", "--preset", "invenio", "--force"}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			t.Setenv("PATH", fakeTools(t, with(healthy, map[string]string{"pipenv": ""})))
			f := enginetest.New()
			f.LocalImage("memcached:1.6", nil)
			u := newUnit(t, "cache", f, output.JSON)
			u.e.getenv = func(k string) string {
				if k == "DOCKER_HOST" {
					return "unix://" + filepath.Join(u.root, "no-engine.sock")
				}
				return ""
			}
			path, err := filepath.Abs(filepath.Join("testdata", "unit", "json-golden", tt.golden))
			if err != nil {
				t.Fatal(err)
			}
			args := append([]string{"devstack"}, tt.args...)
			args = append(args, "-o", "json")
			if tt.inRoot {
				t.Chdir(u.root)
			} else {
				args = append(args, "--config", filepath.Join(u.root, "devstack.yaml"))
			}
			runArgs(context.Background(), args, u.e)
			got := normaliseJSON(t, u.out.String(), u.root)
			if tt.shape {
				got = shapeJSON(t, got)
			}
			matchJSONGolden(t, path, got, u.errb.String())
		})
	}
}

// shapeJSON replaces every value of each JSON document by its shape.
func shapeJSON(t *testing.T, docs string) string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(docs))
	var b strings.Builder
	for dec.More() {
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		data, _ := json.MarshalIndent(shape(v), "", "  ")
		b.Write(data)
		b.WriteString("\n")
	}
	return b.String()
}

// shape is a value's type ("string", "number", "bool", "null"), an object's keys with
// their shapes, or an array as one element: the union of its elements' shapes.
func shape(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, val := range x {
			out[k] = shape(val)
		}
		return out
	case []any:
		if len(x) == 0 {
			return []any{}
		}
		var merged any
		for _, el := range x {
			merged = union(merged, shape(el))
		}
		return []any{merged}
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	}
	return "null"
}

func union(a, b any) any {
	if a == nil {
		return b
	}
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		for k, v := range bm {
			am[k] = union(am[k], v)
		}
		return am
	}
	as, aok := a.([]any)
	bs, bok := b.([]any)
	if aok && bok {
		if len(as) == 0 {
			return bs
		}
		if len(bs) == 0 {
			return as
		}
		return []any{union(as[0], bs[0])}
	}
	sa, _ := json.Marshal(a)
	sb, _ := json.Marshal(b)
	if string(sa) == string(sb) {
		return a
	}
	kinds := strings.Split(strings.Trim(string(sa), `"`)+"|"+strings.Trim(string(sb), `"`), "|")
	sort.Strings(kinds)
	return strings.Join(compact(kinds), "|")
}

func compact(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
