package engine

import (
	"slices"
	"strings"
	"testing"
)

func TestChangedFields(t *testing.T) {
	base := ContainerSpec{Name: "p-postgres", Image: "postgres:16", Env: map[string]string{"POSTGRES_PASSWORD": "s3cret", "PGDATA": "/d"},
		Ports: []PortBinding{{HostIP: "127.0.0.1", HostPort: 5632, ContainerPort: 5432}}, Labels: map[string]string{LabelProject: "p"}}
	edit := func(f func(s *ContainerSpec)) ContainerSpec {
		s := base
		s.Env = map[string]string{}
		for k, v := range base.Env {
			s.Env[k] = v
		}
		s.Ports = slices.Clone(base.Ports)
		f(&s)
		return s
	}
	tests := []struct {
		name    string
		label   string
		want    ContainerSpec
		changed []string
	}{
		{name: "same spec", label: base.FieldsLabel(), want: base},
		{name: "image", label: base.FieldsLabel(), want: edit(func(s *ContainerSpec) { s.Image = "postgres:17" }), changed: []string{"image"}},
		{name: "an env value, named by its key", label: base.FieldsLabel(),
			want: edit(func(s *ContainerSpec) { s.Env["POSTGRES_PASSWORD"] = "other" }), changed: []string{"env POSTGRES_PASSWORD"}},
		{name: "an env key added and a port", label: base.FieldsLabel(),
			want: edit(func(s *ContainerSpec) { s.Env["NEW"] = "1"; s.Ports[0].HostPort = 5633 }), changed: []string{"ports", "env NEW"}},
		{name: "an env key removed", label: base.FieldsLabel(),
			want: edit(func(s *ContainerSpec) { delete(s.Env, "PGDATA") }), changed: []string{"env PGDATA"}},
		{name: "a container without the label: nothing to say", label: "", want: edit(func(s *ContainerSpec) { s.Image = "x" })},
		{name: "a label that is not ours: nothing to say", label: "{not json", want: edit(func(s *ContainerSpec) { s.Image = "x" })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ChangedFields(tt.label, tt.want); !slices.Equal(got, tt.changed) {
				t.Fatalf("changed %q, want %q", got, tt.changed)
			}
		})
	}
	if strings.Contains(base.FieldsLabel(), "s3cret") {
		t.Fatal("the label carries a value")
	}
}
