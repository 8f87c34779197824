package services

import (
	"strings"
	"testing"
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
