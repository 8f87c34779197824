package grammar

import "strings"

// The database servers' names a repository gives: in a built-in's env: (POSTGRES_DB,
// MARIADB_DATABASE, INFLUXDB_DB…) and in a fixture's database:/collection: options. The
// images' entrypoints put them into SQL, InfluxQL or JavaScript (influxdb:1.x sends
// CREATE DATABASE $INFLUXDB_DB unquoted), devstack's loaders into URLs, and reset drops
// what a fixture names: each is an identifier no server needs quoted.

// DatabaseFix says what a database name looks like.
const DatabaseFix = "name the database with letters, digits and '_', starting with a letter, such as myapp"

// PostgresName is a PostgreSQL database name: what an unquoted identifier may be and
// stays as written (lower case: unquoted names fold to it), at most 63 bytes (NAMEDATALEN-1).
func PostgresName(name string) error {
	return identifier(name, lower, lower+digits+"_", 63, "database", DatabaseFix)
}

// MariaDBName is a MariaDB database name: a letter, then letters, digits and '_', at most
// 64 bytes (MariaDB's identifier limit; '$' and the quoted forms are left out).
func MariaDBName(name string) error {
	return identifier(name, lower+upper, lower+upper+digits+"_", 64, "database", DatabaseFix)
}

// InfluxDBName is an InfluxDB 1.x database name: an InfluxQL identifier that needs no
// quotes, at most 64 bytes; never _internal (a leading '_' is refused).
func InfluxDBName(name string) error {
	return identifier(name, lower+upper, lower+upper+digits+"_", 64, "database", DatabaseFix)
}

// MongoDatabase is a MongoDB database name: letters, digits, '_' and '-', starting with a
// letter, at most 63 bytes (MongoDB refuses / \ . " $ * < > : | ? and NUL; the allowlist
// is narrower), and never admin, local or config: the server's own, which a fixture's
// reset would drop.
func MongoDatabase(name string) error {
	if err := identifier(name, lower+upper, lower+upper+digits+"_-", 63, "database", DatabaseFix); err != nil {
		return err
	}
	switch strings.ToLower(name) {
	case "admin", "local", "config":
		return refuse("is a database MongoDB keeps for itself", "admin, local and config are MongoDB's own: "+DatabaseFix)
	}
	return nil
}

// MongoLoginDatabase is a database a client logs in against (a probe's database): what
// MongoDatabase takes, and MongoDB's own admin, where users usually live. Nothing is
// dropped there.
func MongoLoginDatabase(name string) error {
	if name == "admin" {
		return nil
	}
	return MongoDatabase(name)
}

// CollectionFix says what a collection name looks like.
const CollectionFix = "name the collection with letters, digits and . _ -, starting with a letter or '_', such as records"

// MongoCollection is a MongoDB collection name: a letter or '_', then letters, digits and
// . _ -, at most 120 bytes, not in the system. namespace.
func MongoCollection(name string) error {
	if err := identifier(name, lower+upper+"_", lower+upper+digits+"._-", 120, "collection", CollectionFix); err != nil {
		return err
	}
	if strings.HasPrefix(name, "system.") {
		return refuse("collections starting with system. are MongoDB's own", CollectionFix)
	}
	return nil
}

// UserFix says what a user name looks like.
const UserFix = "name the user with letters, digits and '_', starting with a letter, such as myapp"

// UserName is a user a repository names for a server (POSTGRES_USER, MARIADB_USER,
// MONGO_INITDB_ROOT_USERNAME, INFLUXDB_ADMIN_USER, RABBITMQ_DEFAULT_USER,
// MINIO_ROOT_USER): a letter, then letters, digits and '_', at most 32 bytes, which every
// one of these servers takes unquoted and every URL takes unescaped.
func UserName(name string) error {
	return identifier(name, lower+upper, lower+upper+digits+"_", 32, "user", UserFix)
}

func identifier(name, first, rest string, maxLen int, what, fix string) error {
	switch {
	case name == "":
		return refuse(what+" name is empty", fix)
	case len(name) > maxLen:
		return refuse(what+" name is longer than the server allows", fix)
	case !onlyOf(name[:1], first) || !onlyOf(name, rest):
		return refuse(what+" name holds characters the server would need quoted, or starts with one", fix)
	}
	return nil
}
