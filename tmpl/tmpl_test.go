package tmpl

import (
	"errors"
	"testing"
)

func TestExpand(t *testing.T) {
	look := func(r Ref) (string, error) {
		switch r {
		case Ref{"host", ""}:
			return "127.0.0.1", nil
		case Ref{"port", "memcached"}:
			return "11411", nil
		}
		return "", errors.New("unknown")
	}
	tests := []struct {
		in, want string
		fails    bool
	}{
		{"memcached://{host}:{port:memcached}", "memcached://127.0.0.1:11411", false},
		{"plain", "plain", false},
		{`["http://opensearch:9200"]`, `["http://opensearch:9200"]`, false},
		{"{ not a ref }", "{ not a ref }", false},
		{"{port:other}", "", true},
	}
	for _, tt := range tests {
		got, err := Expand(tt.in, look)
		if (err != nil) != tt.fails || got != tt.want {
			t.Errorf("Expand(%q) = %q, %v; want %q (fails %v)", tt.in, got, err, tt.want, tt.fails)
		}
	}
	if refs := Refs("{a}{b:c}"); len(refs) != 2 || refs[1] != (Ref{"b", "c"}) {
		t.Errorf("Refs = %v", refs)
	}
}
