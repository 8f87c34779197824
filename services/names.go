package services

import (
	"sort"
	"sync"
)

// A name rule derives a name a server creates (a database, a bucket) from the project's
// name by that server's own grammar; a built-in written as data names one in its env as
// ${project:RULE}. The rules are code: each follows a server's scanner or keyword table.
var (
	namesMu   sync.RWMutex
	nameRules = map[string]func(project string) string{}
)

// RegisterNameRule makes fn the rule named rule; a service's file calls it from init.
func RegisterNameRule(rule string, fn func(project string) string) {
	namesMu.Lock()
	defer namesMu.Unlock()
	if _, dup := nameRules[rule]; dup {
		panic("services: name rule " + rule + " registered twice")
	}
	nameRules[rule] = fn
}

// NameFor is the name rule makes of project, or false when there is no such rule.
func NameFor(rule, project string) (string, bool) {
	namesMu.RLock()
	defer namesMu.RUnlock()
	fn, ok := nameRules[rule]
	if !ok {
		return "", false
	}
	return fn(project), true
}

// NameRules lists the rules, for messages.
func NameRules() []string {
	namesMu.RLock()
	defer namesMu.RUnlock()
	out := make([]string, 0, len(nameRules))
	for r := range nameRules {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// Hooks are what a built-in written as data names where the answer is code: where its
// data lives for a major version (mount_for), and where an old volume keeps the major
// that made it (upgrade.version_files). A service's file registers them from init.
var (
	mountHooks        = map[string]func(major int) string{}
	versionFilesHooks = map[string]func(imageMajor int) []string{}
)

// RegisterMountHook makes fn the mount hook named name.
func RegisterMountHook(name string, fn func(major int) string) {
	namesMu.Lock()
	defer namesMu.Unlock()
	if _, dup := mountHooks[name]; dup {
		panic("services: mount hook " + name + " registered twice")
	}
	mountHooks[name] = fn
}

// MountHook is the mount hook named name.
func MountHook(name string) (func(major int) string, bool) {
	namesMu.RLock()
	defer namesMu.RUnlock()
	fn, ok := mountHooks[name]
	return fn, ok
}

// RegisterVersionFilesHook makes fn the version files hook named name.
func RegisterVersionFilesHook(name string, fn func(imageMajor int) []string) {
	namesMu.Lock()
	defer namesMu.Unlock()
	if _, dup := versionFilesHooks[name]; dup {
		panic("services: version files hook " + name + " registered twice")
	}
	versionFilesHooks[name] = fn
}

// VersionFilesHook is the version files hook named name.
func VersionFilesHook(name string) (func(imageMajor int) []string, bool) {
	namesMu.RLock()
	defer namesMu.RUnlock()
	fn, ok := versionFilesHooks[name]
	return fn, ok
}

// The database rule is the project's name with every character but a-z and 0-9 made '_':
// a name PostgreSQL, MariaDB and MongoDB take as it is (${project:database}).
func init() {
	RegisterNameRule("database", func(project string) string { return identifier(project, '_') })
}
