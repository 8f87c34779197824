package services

import "strings"

// invenio is what an Invenio instance reads. invenio-config loads the environment last
// (invenio_config/utils.py, create_config_loader, over invenio.cfg): every INVENIO_NAME
// variable becomes the config value NAME, through ast.literal_eval when that parses it
// and as the raw string when it raises SyntaxError or ValueError
// (invenio_config/env.py, InvenioConfigEnvironment.init_app; inveniosoftware/
// invenio-config at 2f4086ce2038). A bare URL fails to parse and so stays a string, but
// a bare value that is a literal does not: an access key of digits becomes an int, a
// password "None" None. So every string is printed as a Python string literal, which
// literal_eval turns into exactly that string, and SEARCH_HOSTS as a list literal.
//
// Names and Redis databases follow invenio-app-rdm's config.py (4e2fc9bd11e3):
// CACHE_REDIS_URL /0, ACCOUNTS_SESSION_REDIS_URL /1, CELERY_RESULT_BACKEND /2,
// RATELIMIT_STORAGE_URI /3, SQLALCHEMY_DATABASE_URI as postgresql+psycopg2, SEARCH_HOSTS a
// list; and cookiecutter-invenio-rdm's docker-services.yml (03c5ba2783d7):
// COMMUNITIES_IDENTITIES_CACHE_REDIS_URL /4, and BROKER_URL with CELERY_BROKER_URL, both,
// since config.py sets CELERY_BROKER_URL = BROKER_URL when it is read and an override of
// one leaves the other. The S3 names are invenio-s3's (the template's invenio.cfg).
var invenio = &Framework{
	Name:  "invenio",
	About: "InvenioRDM and Invenio framework instances (invenio-config's INVENIO_* variables)",
	Env:   true,
	For: map[string]FrameworkSettings{
		"postgres": func(ep Endpoint, _ func(string) bool) []Setting {
			// The driver Invenio installs and names; SQLAlchemy's bare postgresql:// means it too.
			uri := "postgresql+psycopg2" + strings.TrimPrefix(PostgresURL(ep), "postgresql")
			return []Setting{{Key: "INVENIO_SQLALCHEMY_DATABASE_URI", Value: PythonString(uri), Secret: true}}
		},
		"redis": func(ep Endpoint, planned func(string) bool) []Setting {
			db := func(key string, n int) Setting {
				return Setting{Key: key, Value: PythonString(redisDBURL(ep, n)), Secret: true}
			}
			out := []Setting{
				db("INVENIO_CACHE_REDIS_URL", redisCache),
				db("INVENIO_ACCOUNTS_SESSION_REDIS_URL", redisSessions),
				db("INVENIO_CELERY_RESULT_BACKEND", redisResults),
				db("INVENIO_RATELIMIT_STORAGE_URI", redisRateLimit),
				db("INVENIO_COMMUNITIES_IDENTITIES_CACHE_REDIS_URL", redisIdentity),
			}
			if !planned("rabbitmq") { // kombu takes Redis as a broker too
				out = append(out, db("INVENIO_BROKER_URL", redisBroker), db("INVENIO_CELERY_BROKER_URL", redisBroker))
			}
			return out
		},
		"rabbitmq": func(ep Endpoint, _ func(string) bool) []Setting {
			broker := PythonString(AMQPURL(ep))
			return []Setting{
				{Key: "INVENIO_BROKER_URL", Value: broker, Secret: true},
				{Key: "INVENIO_CELERY_BROKER_URL", Value: broker, Secret: true},
			}
		},
		// opensearch-py takes each host as a URL; plain http, as the security plugin is off.
		"opensearch": func(ep Endpoint, _ func(string) bool) []Setting {
			return []Setting{{Key: "INVENIO_SEARCH_HOSTS", Value: PythonList(OpenSearchURL(ep))}}
		},
		"minio": func(ep Endpoint, _ func(string) bool) []Setting {
			return []Setting{
				{Key: "INVENIO_S3_ENDPOINT_URL", Value: PythonString("http://" + ep.Addr("api"))},
				{Key: "INVENIO_S3_ACCESS_KEY_ID", Value: PythonString(ep.Env["MINIO_ROOT_USER"])},
				{Key: "INVENIO_S3_SECRET_ACCESS_KEY", Value: PythonString(ep.Env["MINIO_ROOT_PASSWORD"]), Secret: true},
			}
		},
	},
}
