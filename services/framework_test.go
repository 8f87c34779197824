package services

import (
	"slices"
	"testing"
)

// PythonString gives a literal ast.literal_eval reads back as the same string; the
// end-to-end test runs the real literal_eval over what devstack prints.
func TestPythonString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgresql+psycopg2://u:p@127.0.0.1:5632/db", `'postgresql+psycopg2://u:p@127.0.0.1:5632/db'`},
		{"12345", `'12345'`}, // bare, literal_eval would make it an int
		{"None", `'None'`},
		{"it's", `'it\'s'`},
		{`back\slash`, `'back\\slash'`},
		{"two\nlines\r\t", `'two\nlines\r\t'`},
		{"nul\x00bel\x07del\x7f", `'nul\x00bel\x07del\x7f'`},
		{"café ☕", `'café ☕'`},
		{"line\u2028sep", `'line\u2028sep'`},
		{"", `''`},
	}
	for _, tt := range tests {
		if got := PythonString(tt.in); got != tt.want {
			t.Errorf("PythonString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
	if got := PythonList("http://[::1]:9400", "a'b"); got != `['http://[::1]:9400', 'a\'b']` {
		t.Errorf("PythonList = %s", got)
	}
}

func TestFrameworkRegistry(t *testing.T) {
	if env := FrameworkNames(true); !slices.Equal(env, []string{"celery", "invenio"}) {
		t.Errorf("environment frameworks %v", env)
	}
	if files := FrameworkNames(false); !slices.Equal(files, []string{"frappe"}) {
		t.Errorf("file frameworks %v", files)
	}
	// That every framework names built-in services only is tested in services/builtin,
	// where the built-ins written as data are in the catalog.
	if _, ok := LookupFramework("django"); ok {
		t.Error("django found")
	}
}

// No password, no user in the URL: a Redis without requirepass refuses AUTH.
func TestRedisDBURL(t *testing.T) {
	ep := Endpoint{Host: "::1", Ports: map[string]int{"redis": 6579}, Env: map[string]string{}}
	if got := redisDBURL(ep, 3); got != "redis://[::1]:6579/3" {
		t.Errorf("got %s", got)
	}
	ep.Env["REDIS_PASSWORD"] = "p@ss/word"
	if got := redisDBURL(ep, 0); got != "redis://default:p%40ss%2Fword@[::1]:6579/0" {
		t.Errorf("got %s", got)
	}
}
