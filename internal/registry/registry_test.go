package registry

import (
	"slices"
	"testing"
)

func TestRegistry(t *testing.T) {
	r := New[int]("test kind")
	r.Add("b", 2)
	r.Add("a", 1)
	if v, ok := r.Get("a"); !ok || v != 1 {
		t.Errorf("Get(a) = %d, %v; want 1, true", v, ok)
	}
	if _, ok := r.Get("c"); ok {
		t.Error("Get(c) found a value never added")
	}
	if got := r.Names(); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("Names() = %v, want [a b]", got)
	}
	defer func() {
		if p := recover(); p != "test kind a registered twice" {
			t.Errorf("adding a twice: panic %v, want the duplicate named", p)
		}
	}()
	r.Add("a", 3)
}
