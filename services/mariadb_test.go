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

func TestSQLWhereFindsTheSyntaxError(t *testing.T) {
	text := "CREATE TABLE a (x int);\nINSERT INTO a VALUES (1);\nINSERT INTO a VALUS (2);\n"
	tests := []struct{ msg, want string }{
		{"You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near 'VALUS (2)' at line 1", "seed.sql:3"},
		{"Table 'app.nope' doesn't exist", "seed.sql"},
		{"syntax to use near 'not in the file' at line 1", "seed.sql"},
	}
	for _, tt := range tests {
		if got := sqlWhere("seed.sql", text, tt.msg); got != tt.want {
			t.Errorf("sqlWhere(%q) = %q, want %q", tt.msg, got, tt.want)
		}
	}
}
