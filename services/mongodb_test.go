package services

import (
	"testing"
)

func TestMongoDBSettings(t *testing.T) {
	s, _ := Lookup("mongodb")
	got := settings(s, endpoint(s, "127.0.0.1", s.Env(Params{Project: "my-app", Secret: secret})))
	if want := "mongodb://devstack:pw-mongo_initdb_root_password@127.0.0.1:27217/my_app?authSource=admin"; got["MONGODB_URL"] != want {
		t.Errorf("MONGODB_URL = %q, want %q", got["MONGODB_URL"], want)
	}
	if got["MONGODB_DATABASE"] != "my_app" {
		t.Errorf("MONGODB_DATABASE = %q", got["MONGODB_DATABASE"])
	}
}
