package services

import (
	"strings"
	"testing"

	"github.com/influxdata/influxql"
)

// Every project name gives a database name InfluxQL's own parser (the package InfluxDB
// 1.x parses with) reads bare in the image's unquoted CREATE DATABASE; the names that
// already worked are unchanged, so existing volumes keep their database.
func TestInfluxDBDatabaseNameParsesBare(t *testing.T) {
	tests := []struct{ project, want string }{
		{"realmocean", "realmocean"},
		{"my-ocean", "my_ocean"},
		{"my.app", "my_app"},
		{"1ocean", "db_1ocean"},
		{"2024", "db_2024"},
		{"select", "select_db"},
		{"series", "series_db"},
		{"user", "user_db"},
		{"true", "true_db"},
		{"and", "and_db"},
		{"café", "caf_"},
		{"日本", "__"},
		{"_lead", "_lead"},
		{"", "devstack"},
		{"Upper", "upper"},
		{strings.Repeat("9", 80), "db_" + strings.Repeat("9", 57)},
		{strings.Repeat("x", 80), strings.Repeat("x", 60)},
	}
	for _, tt := range tests {
		got := influxDatabase(tt.project)
		if got != tt.want {
			t.Errorf("%q: %q, want %q", tt.project, got, tt.want)
		}
		stmt, err := influxql.ParseStatement("CREATE DATABASE " + got)
		if err != nil {
			t.Errorf("%q: CREATE DATABASE %s: %v", tt.project, got, err)
			continue
		}
		if c, ok := stmt.(*influxql.CreateDatabaseStatement); !ok || c.Name != got {
			t.Errorf("%q: parsed as %#v", tt.project, stmt)
		}
	}
	// Every keyword of the parser, as a project name; and the control: the names the old
	// derivation gave are refused by the same parser.
	for kw := range influxqlKeywords {
		if _, err := influxql.ParseStatement("CREATE DATABASE " + influxDatabase(kw)); err != nil {
			t.Errorf("%q: %v", kw, err)
		}
	}
	// The list is the parser's own: every token whose name it reads back as a keyword.
	for tok := influxql.Token(0); tok < 256; tok++ {
		word := strings.ToLower(tok.String())
		if word != "" && influxql.Lookup(word) == tok && tok != influxql.IDENT && !influxqlKeywords[word] {
			t.Errorf("InfluxQL keyword %q is missing from influxqlKeywords", word)
		}
	}
	for _, old := range []string{"1ocean", "select", "series"} {
		if _, err := influxql.ParseStatement("CREATE DATABASE " + identifier(old, '_')); err == nil {
			t.Errorf("the parser took CREATE DATABASE %s: the control proves nothing", old)
		}
	}
}
