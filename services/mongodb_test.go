package services

import (
	"path/filepath"
	"strings"
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

func TestMongoDBFixtureFiles(t *testing.T) {
	tests := []struct {
		file string
		docs int
		err  string
	}{
		{"records.json", 2, ""},
		{"people.ndjson", 2, ""},
		{"broken.ndjson", 0, "broken.ndjson:4: not a JSON document"},
	}
	for _, tt := range tests {
		docs, err := readDocuments(FixtureFile{Rel: tt.file, Path: filepath.Join("testdata", "mongodb", tt.file)})
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%s: err %v, want %q", tt.file, err, tt.err)
		case tt.err == "" && (err != nil || len(docs) != tt.docs):
			t.Errorf("%s: %d documents, %v; want %d", tt.file, len(docs), err, tt.docs)
		}
	}
	// Extended JSON keeps a date a date.
	docs, _ := readDocuments(FixtureFile{Rel: "records.json", Path: filepath.Join("testdata", "mongodb", "records.json")})
	if len(docs) == 2 {
		if _, isString := docs[1][1].Value.(string); isString {
			t.Errorf("$date read as a string: %v", docs[1])
		}
	}
}
