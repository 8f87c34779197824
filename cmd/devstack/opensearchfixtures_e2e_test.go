//go:build e2e

package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// fixtures --reset of an OpenSearch fixture, on the OpenSearch STAND-IN (a small HTTP
// server answering index create/delete, _bulk, _doc and _count like OpenSearch; not the
// product): the indices the bulk file names are deleted and loaded again, so a document
// added by hand goes; an index the fixture does not name keeps its documents.
func TestOpenSearchFixtureResetInPlaceOnStandIn(t *testing.T) {
	p := newStackProject(t, "services:\n  opensearch:\n")
	copyDir(t, filepath.Join("testdata", "bootstrap-project", "search"), filepath.Join(p.dir, "fixtures", "search"))
	p.base += "fixtures:\n  - {name: search, service: opensearch, source: ./fixtures/search}\n"
	p.write("services:\n  opensearch:\n")
	p.up()
	base := p.env()["OPENSEARCH_URL"]
	call := func(method, path, body string) int {
		t.Helper()
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			t.Fatalf("%s %s: HTTP %d", method, path, resp.StatusCode)
		}
		if !strings.HasSuffix(path, "/_count") {
			return 0
		}
		var c struct{ Count int }
		if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return c.Count
	}
	fixtures := func(args ...string) {
		t.Helper()
		r := p.run(append([]string{"fixtures", "-o", "json"}, args...)...)
		var f fixturesJSON
		if err := json.Unmarshal([]byte(r.stdout), &f); err != nil || r.code != 0 || !f.OK {
			t.Fatalf("fixtures %v: exit %d %v\n%s\n%s", args, r.code, err, r.stdout, r.stderr)
		}
	}

	fixtures()
	call(http.MethodPut, "/records/_doc/by-hand", `{"title": "added by hand"}`)
	call(http.MethodPut, "/notes/_doc/1", `{"title": "the application's own index"}`)
	if n := call(http.MethodGet, "/records/_count", ""); n != 3 {
		t.Fatalf("records holds %d documents before the reset, want the fixture's 2 and one by hand", n)
	}
	fixtures("--reset", "search")
	for index, want := range map[string]int{"records": 2, "notes": 1} {
		if n := call(http.MethodGet, "/"+index+"/_count", ""); n != want {
			t.Errorf("%s holds %d documents after the reset, want %d", index, n, want)
		}
	}
}
