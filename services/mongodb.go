package services

import (
	"net/url"
)

// mongodb's definition is data (services/builtin/mongodb.yaml); the drivers connect
// with this URL, the one its MONGODB_URL setting holds.

// MongoDBURL names the project's database as the default one, and admin as where the
// user is defined.
func MongoDBURL(ep Endpoint) string {
	u := url.URL{
		Scheme:   "mongodb",
		User:     url.UserPassword(ep.Env["MONGO_INITDB_ROOT_USERNAME"], ep.Env["MONGO_INITDB_ROOT_PASSWORD"]),
		Host:     ep.Addr("mongodb"),
		Path:     "/" + ep.Env["DEVSTACK_MONGODB_DATABASE"],
		RawQuery: "authSource=admin",
	}
	return u.String()
}
