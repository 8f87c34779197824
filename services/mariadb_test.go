package services

import "testing"

func TestMariaDBSettings(t *testing.T) {
	s, _ := Lookup("mariadb")
	env := s.Env(Params{Project: "my-app", Secret: secret})
	got := settings(s, endpoint(s, "127.0.0.1", env))
	want := map[string]string{
		"MARIADB_URL":      "mysql://devstack:pw-mariadb_password@127.0.0.1:3506/my_app",
		"MARIADB_HOST":     "127.0.0.1",
		"MARIADB_PORT":     "3506",
		"MARIADB_DATABASE": "my_app",
		"MARIADB_USER":     "devstack",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

// The server options reach mariadbd only as arguments starting with '-' (the image's
// entrypoint runs any other first argument as a command), and they are the ones Frappe
// checks before bench new-site.
func TestMariaDBServerOptionsForFrappe(t *testing.T) {
	s, _ := Lookup("mariadb")
	cmd := s.Cmd(s.Env(Params{Project: "my-app", Secret: secret}))
	want := map[string]bool{"--character-set-server=utf8mb4": true, "--collation-server=utf8mb4_unicode_ci": true}
	for _, arg := range cmd {
		if arg == "" || arg[0] != '-' {
			t.Errorf("argument %q does not start with '-': the entrypoint would run it as the command", arg)
		}
		delete(want, arg)
	}
	for missing := range want {
		t.Errorf("%s is not passed to the server (cmd %q)", missing, cmd)
	}
}
