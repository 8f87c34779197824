package bootstrap

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/stack"
)

// FuzzMergeEnv merges devstack's settings into arbitrary .env content (and one arbitrary
// value): it must never panic, never lose or alter a byte it does not own, leave every
// owned key with the value written, and change nothing when run again.
// Run: go test ./bootstrap/ -run '^$' -fuzz FuzzMergeEnv -fuzztime 30s
func FuzzMergeEnv(f *testing.F) {
	befores, _ := filepath.Glob("testdata/merge/*.env")
	for _, p := range befores {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data), "redis://:pw@127.0.0.1:6579/0")
	}
	f.Add("REDIS_URL=old\r\nX=1", "multi\nline value with `backticks` and $(cmd)")
	f.Add("\ufeffWITH_SPACE='a\nb'\n", "it's")
	f.Fuzz(func(t *testing.T, in, value string) {
		settings := []services.Setting{
			{Key: "REDIS_URL", Value: "redis://:pw@127.0.0.1:6579/0"},
			{Key: "FUZZ_VALUE", Value: value},
			{Key: "WITH_SPACE", Value: "a b"},
		}
		out, err := mergeEnv([]byte(in), settings)
		var ue *stack.UnsafeValueError
		var uq *UnclosedQuoteError
		if errors.As(err, &ue) || errors.As(err, &uq) {
			return // refused, with an error naming the key or the line
		}
		if err != nil {
			t.Fatal(err)
		}
		checkMergeInvariants(t, []byte(in), out, settings)
		again, err := mergeEnv(out, settings)
		if err != nil || string(again) != string(out) {
			t.Fatalf("not idempotent: %v\nfirst:  %q\nsecond: %q", err, out, again)
		}
	})
}

// checkMergeInvariants holds for every merge: BOM kept, every entry devstack does not
// own kept byte for byte and in order, every owned key present and every occurrence of
// it holding exactly the value (read back through its quotes). Input that names none
// of the owned keys is kept whole at the start of the output.
func checkMergeInvariants(t *testing.T, in, out []byte, settings []services.Setting) {
	t.Helper()
	owned := map[string]string{}
	for _, s := range settings {
		owned[s.Key] = s.Value
	}
	inText, outText := string(in), string(out)
	if strings.HasPrefix(inText, bom) != strings.HasPrefix(outText, bom) {
		t.Fatalf("BOM added or lost:\n%q\n%q", in, out)
	}
	inText, outText = strings.TrimPrefix(inText, bom), strings.TrimPrefix(outText, bom)
	foreign := func(text string) string {
		var b strings.Builder
		for _, e := range scanEnv(text) {
			if _, ok := owned[e.key]; !ok {
				b.WriteString(text[e.start:e.end])
			}
		}
		return b.String()
	}
	if fin, fout := foreign(inText), foreign(outText); !strings.HasPrefix(fout, fin) {
		t.Fatalf("foreign lines changed:\nbefore %q\nafter  %q", fin, fout)
	}
	found := map[string]bool{}
	for _, e := range scanEnv(outText) {
		want, ok := owned[e.key]
		if !ok {
			continue
		}
		found[e.key] = true
		if got := unquote(outText[e.valStart:e.valEnd]); got != want {
			t.Fatalf("%s reads back as %q, want %q\n%q", e.key, got, want, out)
		}
	}
	for k := range owned {
		if !found[k] {
			t.Fatalf("%s missing from %q", k, out)
		}
	}
	mentions := false
	for k := range owned {
		mentions = mentions || strings.Contains(inText, k)
	}
	if !mentions && !strings.HasPrefix(outText, inText) {
		t.Fatalf("the user's content is not kept whole:\n%q\n%q", in, out)
	}
}

// unquote reads back the forms DotenvValue writes: plain, '…' or "…" (with nothing
// escaped inside either).
func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '\'' || v[0] == '"') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}
