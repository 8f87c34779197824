package drivers

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/devstack-dev/devstack/services"
)

// fakeAPI answers each "METHOD URI" from answers (200 with no body when absent) and
// records every call in order, with the URI as sent, escapes included.
type fakeAPI struct {
	mu    sync.Mutex
	calls []string
	users []string
}

func (f *fakeAPI) serve(t *testing.T, answers map[string]reply) services.Endpoint {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		call := r.Method + " " + r.RequestURI
		user, _, _ := r.BasicAuth()
		f.mu.Lock()
		f.calls = append(f.calls, call)
		f.users = append(f.users, user)
		f.mu.Unlock()
		a, ok := answers[call]
		if !ok {
			a = reply{code: http.StatusOK}
		}
		w.WriteHeader(a.code)
		_, _ = w.Write([]byte(a.body))
	}))
	t.Cleanup(srv.Close)
	host, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	p, _ := strconv.Atoi(port)
	return services.Endpoint{Host: host, Ports: map[string]int{"http": p, "management": p},
		Env: map[string]string{"RABBITMQ_DEFAULT_USER": "devstack", "RABBITMQ_DEFAULT_PASS": "secret"}}
}

type reply struct {
	code int
	body string
}

func resetFiles(dir string, rels ...string) []services.FixtureFile {
	var files []services.FixtureFile
	for _, rel := range rels {
		files = append(files, services.FixtureFile{Rel: rel, Path: filepath.Join("testdata", "reset", dir, filepath.FromSlash(rel))})
	}
	return files
}

func TestOpenSearchResetDeletesWhatItsFilesDefine(t *testing.T) {
	tests := []struct {
		name    string
		files   []services.FixtureFile
		options map[string]string
		answers map[string]reply
		want    []string
		wantErr string
	}{
		{
			name:    "indices, templates, the index option and bulk _index, gone ones too",
			files:   resetFiles("opensearch", "templates/logs.json", "indices/records.json", "records.ndjson"),
			options: map[string]string{"index": "extra"},
			answers: map[string]reply{"DELETE /logs-2024": {code: 404, body: `{"error":{"type":"index_not_found_exception"}}`}},
			want: []string{
				"DELETE /extra", "DELETE /logs-2024", "DELETE /old-records", "DELETE /records",
				"DELETE /_index_template/logs",
			},
		},
		{
			name:    "a refused delete stops the reset and says what",
			files:   resetFiles("opensearch", "indices/records.json", "templates/logs.json"),
			answers: map[string]reply{"DELETE /records": {code: 500, body: "disk on fire\nmore"}},
			want:    []string{"DELETE /records"},
			wantErr: "delete index records: HTTP 500: disk on fire",
		},
		// The index row of issue 18: a name that would match more than one index is
		// refused before anything is deleted, whether the option, a file or a bulk
		// action gives it.
		{
			name:    "a wildcard in a bulk action deletes nothing",
			files:   resetFiles("opensearch", "indices/records.json", "wildcard.ndjson"),
			wantErr: "index name must start with a lower-case letter or digit",
		},
		{
			name:    "_all in a bulk action deletes nothing",
			files:   resetFiles("opensearch", "indices/records.json", "all.ndjson"),
			wantErr: "nothing was deleted",
		},
		{
			name:    "a comma list in the index option deletes nothing",
			files:   resetFiles("opensearch", "indices/records.json"),
			options: map[string]string{"index": "records,logs-*"},
			wantErr: "index name may hold only",
		},
		{
			name:    "an unreadable bulk file is named before anything is deleted",
			files:   resetFiles("opensearch", "indices/records.json", "broken.ndjson"),
			wantErr: "broken.ndjson: the document after action 1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := &fakeAPI{}
			ep := api.serve(t, tt.answers)
			err := opensearchLoader{}.Reset(context.Background(), services.FixtureTarget{Endpoint: ep, Options: tt.options}, tt.files)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if !slices.Equal(api.calls, tt.want) {
				t.Fatalf("calls:\n%s\nwant:\n%s", strings.Join(api.calls, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestRabbitMQResetDeletesWhatItsDefinitionsDeclare(t *testing.T) {
	bindings := map[string]reply{
		"GET /api/bindings/%2F/e/amq.topic/e/amq.fanout": {code: 200, body: `[
			{"routing_key": "other", "arguments": {}, "properties_key": "other"},
			{"routing_key": "audit", "arguments": {}, "properties_key": "audit"}]`},
		"GET /api/bindings/jobs/e/amq.direct/q/archive": {code: 200, body: `[
			{"routing_key": "k", "arguments": {}, "properties_key": "k"},
			{"routing_key": "k", "arguments": {"x-match": "all"}, "properties_key": "k~Xy1"}]`},
	}
	with := func(extra map[string]reply) map[string]reply {
		m := map[string]reply{}
		for k, v := range bindings {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name    string
		answers map[string]reply
		want    []string
		wantErr string
	}{
		{
			// events→orders goes with its ends; amq.* exchanges are the broker's and stay,
			// so the bindings between them are deleted one by one; mail is already gone.
			name:    "queues, exchanges and the bindings that outlive them",
			answers: with(map[string]reply{"DELETE /api/queues/jobs/mail": {code: 404, body: `{"error":"Object Not Found"}`}}),
			want: []string{
				"GET /api/bindings/%2F/e/amq.topic/e/amq.fanout",
				"DELETE /api/bindings/%2F/e/amq.topic/e/amq.fanout/audit",
				"GET /api/bindings/jobs/e/amq.direct/q/archive",
				"DELETE /api/bindings/jobs/e/amq.direct/q/archive/k~Xy1",
				"DELETE /api/queues/%2F/orders",
				"DELETE /api/queues/jobs/mail",
				"DELETE /api/exchanges/%2F/events",
			},
		},
		{
			name:    "a binding whose end is gone is gone too",
			answers: with(map[string]reply{"GET /api/bindings/%2F/e/amq.topic/e/amq.fanout": {code: 404}}),
			want: []string{
				"GET /api/bindings/%2F/e/amq.topic/e/amq.fanout",
				"GET /api/bindings/jobs/e/amq.direct/q/archive",
				"DELETE /api/bindings/jobs/e/amq.direct/q/archive/k~Xy1",
				"DELETE /api/queues/%2F/orders",
				"DELETE /api/queues/jobs/mail",
				"DELETE /api/exchanges/%2F/events",
			},
		},
		{
			name:    "a refused delete stops the reset and says what",
			answers: with(map[string]reply{"DELETE /api/queues/%2F/orders": {code: 401, body: `{"error":"not_authorised"}`}}),
			want: []string{
				"GET /api/bindings/%2F/e/amq.topic/e/amq.fanout",
				"DELETE /api/bindings/%2F/e/amq.topic/e/amq.fanout/audit",
				"GET /api/bindings/jobs/e/amq.direct/q/archive",
				"DELETE /api/bindings/jobs/e/amq.direct/q/archive/k~Xy1",
				"DELETE /api/queues/%2F/orders",
			},
			wantErr: `delete queue orders: the management API answered HTTP 401: {"error":"not_authorised"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := &fakeAPI{}
			ep := api.serve(t, tt.answers)
			err := rabbitmqLoader{}.Reset(context.Background(), services.FixtureTarget{Endpoint: ep}, resetFiles("rabbitmq", "definitions.json"))
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if !slices.Equal(api.calls, tt.want) {
				t.Fatalf("calls:\n%s\nwant:\n%s", strings.Join(api.calls, "\n"), strings.Join(tt.want, "\n"))
			}
			for i, u := range api.users {
				if u != "devstack" {
					t.Fatalf("call %d as %q, not the broker's default user", i+1, u)
				}
			}
		})
	}
}
