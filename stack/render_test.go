package stack

import (
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/services"
)

func TestUpTextSaysInterruptedNotFailed(t *testing.T) {
	tests := []struct {
		name     string
		services []ServiceResult
		want     []string
		notWant  []string
	}{
		{name: "an interrupted wait",
			services: []ServiceResult{{Name: "redis", Ready: true}, {Name: "postgres", Interrupted: true, Error: "interrupted before it was ready; devstack up picks it up from here"}},
			want:     []string{"skip postgres  interrupted", "interrupted before every service was ready", "devstack up again"},
			notWant:  []string{"failed", "Read a log"}},
		{name: "a failed service",
			services: []ServiceResult{{Name: "postgres", Error: "not ready after 1s"}},
			want:     []string{"fail postgres  failed", "Read a log"},
			notWant:  []string{"interrupted"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, out, _ := output.Test()
			if err := output.NewPrinter(s, output.Options{}).Print(&UpReport{Project: "p", Bind: "127.0.0.1", Waited: true, Services: tt.services}); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out.String(), w) {
					t.Errorf("has %q:\n%s", w, out)
				}
			}
		})
	}
}

// A framework's file keeps its numbers as numbers (Frappe's db_port), and only those:
// a password of digits stays a string. The dotenv form of the same settings is unchanged.
func TestEnvReportFrameworkFile(t *testing.T) {
	settings := []services.Setting{
		{Key: "db_host", Value: "127.0.0.1"},
		{Key: "db_port", Value: "3506"},
		{Key: "root_password", Value: "123456", Secret: true},
	}
	tests := []struct{ format, want string }{
		{"frappe", `{"db_host":"127.0.0.1","db_port":3506,"root_password":"123456"}`},
		{"json", `{"db_host":"127.0.0.1","db_port":"3506","root_password":"123456"}`},
	}
	for _, tt := range tests {
		r, err := NewEnvReport(tt.format, settings)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := r.MarshalJSON()
		if string(got) != tt.want {
			t.Errorf("%s: %s, want %s", tt.format, got, tt.want)
		}
	}
}
