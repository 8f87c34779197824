package services

import (
	"strings"
)

// influxdb's definition is data (services/builtin/influxdb.yaml); its database name is
// this rule, ${project:influxdb} there.
func init() { RegisterNameRule("influxdb", influxDatabase) }

// influxDatabase is the database name the image creates. influxdata-docker's
// influxdb/1.11/init-influxdb.sh (read at d457cb9, 2026-08) sends
// CREATE_DB_QUERY="CREATE DATABASE $INFLUXDB_DB" unquoted, so the name must be what
// InfluxQL's scanner reads as one bare identifier (influxdata/influxql scanner.go:
// isIdentFirstChar is an ASCII letter or '_', isIdentChar adds digits) that is not a
// keyword (token.go). A name that already is one stays as it was, so existing volumes
// keep their database; otherwise a leading digit gets "db_" before it, a keyword "_db"
// after it, and the name is cut to 63 characters like the other services' names.
func influxDatabase(project string) string {
	name := identifier(strings.ToLower(project), '_')
	if name == "" {
		name = "devstack"
	}
	if name[0] >= '0' && name[0] <= '9' {
		name = "db_" + name
	}
	if len(name) > 60 {
		name = name[:60]
	}
	if influxqlKeywords[name] {
		name += "_db"
	}
	return name
}

// influxqlKeywords are the words InfluxQL's scanner returns as keywords, never as an
// identifier: every token between keywordBeg and keywordEnd in influxdata/influxql's
// token.go (read at 8c3e70e, 2025-03), plus and, or, true and false, which its init()
// adds. InfluxDB 1.x parses with that package.
var influxqlKeywords = map[string]bool{
	"all": true, "alter": true, "analyze": true, "any": true, "as": true, "asc": true,
	"begin": true, "by": true, "cardinality": true, "create": true, "continuous": true,
	"database": true, "databases": true, "default": true, "delete": true, "desc": true,
	"destinations": true, "diagnostics": true, "distinct": true, "drop": true,
	"duration": true, "end": true, "every": true, "exact": true, "explain": true,
	"field": true, "for": true, "from": true, "future": true, "grant": true,
	"grants": true, "group": true, "groups": true, "in": true, "inf": true,
	"insert": true, "into": true, "key": true, "keys": true, "kill": true,
	"limit": true, "measurement": true, "measurements": true, "name": true,
	"offset": true, "on": true, "order": true, "password": true, "past": true,
	"policy": true, "policies": true, "privileges": true, "queries": true,
	"query": true, "read": true, "replication": true, "resample": true,
	"retention": true, "revoke": true, "select": true, "series": true, "set": true,
	"show": true, "shard": true, "shards": true, "slimit": true, "soffset": true,
	"stats": true, "subscription": true, "subscriptions": true, "tag": true,
	"to": true, "user": true, "users": true, "values": true, "verbose": true,
	"where": true, "with": true, "write": true,
	"and": true, "or": true, "true": true, "false": true,
}
