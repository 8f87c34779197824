package services

import "testing"

func TestMailpitSettings(t *testing.T) {
	s, _ := Lookup("mailpit")
	got := settings(s, endpoint(s, "127.0.0.1", s.Env(Params{Project: "p", Secret: secret})))
	want := map[string]string{"SMTP_HOST": "127.0.0.1", "SMTP_PORT": "1225", "MAIL_URL": "smtp://127.0.0.1:1225", "MAILPIT_URL": "http://127.0.0.1:8225"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}
