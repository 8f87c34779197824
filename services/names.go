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
