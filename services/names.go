package services

import "github.com/devstack-dev/devstack/internal/registry"

// A name rule derives a name a server creates (a database, a bucket) from the project's
// name by that server's own grammar; a built-in written as data names one in its env as
// ${project:RULE}. The rules are code: each follows a server's scanner or keyword table.
var nameRules = registry.New[func(project string) string]("services: name rule")

// RegisterNameRule makes fn the rule named rule; a service's file calls it from init.
func RegisterNameRule(rule string, fn func(project string) string) { nameRules.Add(rule, fn) }

// NameFor is the name rule makes of project, or false when there is no such rule.
func NameFor(rule, project string) (string, bool) {
	fn, ok := nameRules.Get(rule)
	if !ok {
		return "", false
	}
	return fn(project), true
}

// NameRules lists the rules, for messages.
func NameRules() []string { return nameRules.Names() }

// Hooks are what a built-in written as data names where the answer is code: where its
// data lives for a major version (mount_for), and where an old volume keeps the major
// that made it (upgrade.version_files). A service's file registers them from init.
var (
	mountHooks        = registry.New[func(major int) string]("services: mount hook")
	versionFilesHooks = registry.New[func(imageMajor int) []string]("services: version files hook")
)

// RegisterMountHook makes fn the mount hook named name.
func RegisterMountHook(name string, fn func(major int) string) { mountHooks.Add(name, fn) }

// MountHook is the mount hook named name.
func MountHook(name string) (func(major int) string, bool) { return mountHooks.Get(name) }

// RegisterVersionFilesHook makes fn the version files hook named name.
func RegisterVersionFilesHook(name string, fn func(imageMajor int) []string) {
	versionFilesHooks.Add(name, fn)
}

// VersionFilesHook is the version files hook named name.
func VersionFilesHook(name string) (func(imageMajor int) []string, bool) {
	return versionFilesHooks.Get(name)
}

// The database rule is the project's name with every character but a-z and 0-9 made '_':
// a name PostgreSQL, MariaDB and MongoDB take as it is (${project:database}).
func init() {
	RegisterNameRule("database", func(project string) string { return identifier(project, '_') })
}
