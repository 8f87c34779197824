package drivers

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/services"
)

func TestLineAt(t *testing.T) {
	sql := "CREATE TABLE a (x int);\nINSERT INTO a VALUES (1);\nINSERT INTO nope VALUES (2);\n"
	pos := strings.Index(sql, "nope") + 1
	if got := lineAt(sql, pos); got != 3 {
		t.Fatalf("line %d", got)
	}
}

func TestBulkErrorsNamesEveryFailedItem(t *testing.T) {
	resp := `{"errors": true, "items": [{"index": {"status": 201}}, {"index": {"status": 400, "error": {"type": "mapper_parsing_exception", "reason": "failed to parse field [year]"}}}]}`
	err := bulkErrors("records.ndjson", []byte(resp))
	if err == nil || !strings.Contains(err.Error(), "1 of 2 bulk items failed: item 2 (index): mapper_parsing_exception: failed to parse field [year]") {
		t.Fatalf("err = %v", err)
	}
	if err := bulkErrors("ok.ndjson", []byte(`{"errors": false, "items": []}`)); err != nil {
		t.Fatal(err)
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
		docs, err := readDocuments(services.FixtureFile{Rel: tt.file, Path: filepath.Join("testdata", "mongodb", tt.file)})
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%s: err %v, want %q", tt.file, err, tt.err)
		case tt.err == "" && (err != nil || len(docs) != tt.docs):
			t.Errorf("%s: %d documents, %v; want %d", tt.file, len(docs), err, tt.docs)
		}
	}
	// Extended JSON keeps a date a date.
	docs, _ := readDocuments(services.FixtureFile{Rel: "records.json", Path: filepath.Join("testdata", "mongodb", "records.json")})
	if len(docs) == 2 {
		if _, isString := docs[1][1].Value.(string); isString {
			t.Errorf("$date read as a string: %v", docs[1])
		}
	}
}
