package services

import "strconv"

// frappe is what bench keeps in sites/common_site_config.json, printed by
// devstack env --format frappe and never written there: the bench lies outside the
// project. Frappe reads db_host and db_port (as a number: frappe_docker sets it with
// bench set-config -gp), redis_cache and redis_queue (frappe/__init__.py's site config,
// which defaults them to 127.0.0.1:13311 and :11311), and redis_socketio where its
// version still does (Frappe 14 and older; frappe/frappe#21317, in 15, merged it into
// redis_queue): it is set to the queue's URL, as frappe_docker's compose.yaml does, and
// Frappe 15 and later ignore it. bench new-site creates each site's database and user as MariaDB's
// root: root_login and root_password are where it looks before prompting
// (frappe/database/mariadb/setup_db.py, get_root_connection).
var frappe = &Framework{
	Name:     "frappe",
	About:    "Frappe and ERPNext benches (common_site_config.json: devstack env --format frappe)",
	Integers: []string{"db_port"},
	For: map[string]FrameworkSettings{
		"mariadb": func(ep Endpoint, _ func(string) bool) []Setting {
			return []Setting{
				{Key: "db_host", Value: ep.Host},
				{Key: "db_port", Value: strconv.Itoa(ep.Ports["mariadb"])},
				{Key: "root_login", Value: "root"},
				{Key: "root_password", Value: ep.Env["MARIADB_ROOT_PASSWORD"], Secret: true},
			}
		},
		"redis": func(ep Endpoint, _ func(string) bool) []Setting {
			queue := redisDBURL(ep, redisQueue)
			return []Setting{
				{Key: "redis_cache", Value: redisDBURL(ep, redisCache), Secret: true},
				{Key: "redis_queue", Value: queue, Secret: true},
				{Key: "redis_socketio", Value: queue, Secret: true},
			}
		},
	},
}
