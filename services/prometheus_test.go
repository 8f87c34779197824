package services

import "testing"

func TestPrometheusSettings(t *testing.T) {
	s, _ := Lookup("prometheus")
	if got := settings(s, endpoint(s, "::1", s.Env(Params{Project: "p", Secret: secret}))); got["PROMETHEUS_URL"] != "http://[::1]:9290" {
		t.Errorf("PROMETHEUS_URL = %q", got["PROMETHEUS_URL"])
	}
}
