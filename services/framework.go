package services

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

// Framework is an application framework that reads the services under names of its own:
// Invenio its INVENIO_* variables, Celery CELERY_BROKER_URL, Frappe the keys of bench's
// common_site_config.json. devstack prints them beside the generic settings (REDIS_URL,
// DATABASE_URL…), which stay, with values in the form the framework's own loader parses.
type Framework struct {
	Name  string
	About string
	// Env is set when the settings are environment variables: devstack.yaml lists the
	// framework under frameworks:, and devstack env and bootstrap's .env add them to each
	// service's own. Otherwise they are a file's keys, printed on their own by
	// devstack env --format NAME.
	Env bool
	// For gives the framework's settings for a built-in service, by the service's name;
	// a service the framework does not use is absent.
	For map[string]FrameworkSettings
	// Integers are the keys whose values the framework's file holds as numbers.
	Integers []string
}

// FrameworkSettings are a framework's settings for one service at ep; planned says
// whether another service runs beside it (Celery's broker is RabbitMQ when it runs).
type FrameworkSettings func(ep Endpoint, planned func(service string) bool) []Setting

// Frameworks lists every framework devstack knows, by name.
func Frameworks() []*Framework { return []*Framework{celery, frappe, invenio} }

// LookupFramework finds a framework by name.
func LookupFramework(name string) (*Framework, bool) {
	for _, f := range Frameworks() {
		if f.Name == name {
			return f, true
		}
	}
	return nil, false
}

// FrameworkNames lists the frameworks whose settings are environment variables (those
// devstack.yaml's frameworks: takes), or the others.
func FrameworkNames(env bool) []string {
	var names []string
	for _, f := range Frameworks() {
		if f.Env == env {
			names = append(names, f.Name)
		}
	}
	return names
}

// Redis databases, one per use, so that flushing or expiring one never touches another.
// 0 to 4 are invenio-app-rdm's own defaults (see framework_invenio.go); Celery's results
// share Invenio's number so that a project naming both gets one place for them.
const (
	redisCache     = 0 // REDIS_URL, Invenio's cache, Frappe's cache
	redisSessions  = 1 // Invenio's sessions
	redisResults   = 2 // Celery's results, Invenio's and a plain Celery application's
	redisRateLimit = 3 // Invenio's rate limiter
	redisIdentity  = 4 // Invenio's communities identities cache
	redisBroker    = 5 // Celery's broker when no RabbitMQ is planned
	redisQueue     = 1 // Frappe's RQ queue (Frappe uses no sessions database)
)

// redisDBURL is the service's Redis URL on database db. The user is named: redis-cli 7
// refuses redis://:PASS@host, and every client reads redis://default:PASS@host.
func redisDBURL(ep Endpoint, db int) string {
	u := url.URL{Scheme: "redis", Host: ep.Addr("redis"), Path: "/" + strconv.Itoa(db)}
	if pw := ep.Env["REDIS_PASSWORD"]; pw != "" {
		u.User = url.UserPassword("default", pw)
	}
	return u.String()
}

// PythonString is s as a Python string literal that ast.literal_eval reads back as
// exactly s: in single quotes, with the backslash, the quote and every character Python
// would not print as itself escaped.
func PythonString(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\'':
			b.WriteString(`\'`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && !unicode.IsPrint(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case !unicode.IsPrint(r) && r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		case !unicode.IsPrint(r):
			fmt.Fprintf(&b, `\U%08x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// PythonList is a Python list literal of the strings.
func PythonList(items ...string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = PythonString(s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
