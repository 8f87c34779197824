package config

import (
	"fmt"
	"strings"
)

// checkDepends holds each custom service's depends_on: to the project's services: each
// name is one the project runs, not the service itself, and no chain of them comes back
// to where it started (up would wait forever).
func checkDepends(path string, set []serviceEntry, planned []Service) error {
	names := make([]string, 0, len(planned))
	deps := map[string][]string{}
	for _, s := range planned {
		names = append(names, s.Name)
		deps[s.Name] = s.DependsOn
	}
	fix := "name one of the project's services (" + strings.Join(names, ", ") + "), or add it under services:"
	for _, e := range set {
		for _, d := range e.depends {
			switch _, ok := deps[d.value]; {
			case d.value == e.name:
				return &Error{File: path, Line: d.line, Col: d.col, Key: d.key,
					Msg: "names the service itself", Fix: "name the services it needs, not itself"}
			case !ok:
				return &Error{File: path, Line: d.line, Col: d.col, Key: d.key,
					Msg: fmt.Sprintf("%s is not a service of the project", quote("service", d.value)), Fix: fix}
			}
		}
	}
	for _, e := range set {
		for _, d := range e.depends {
			if c := cycle(deps, d.value, e.name, []string{e.name, d.value}, map[string]bool{}); c != nil {
				return &Error{File: path, Line: d.line, Col: d.col, Key: d.key,
					Msg: "makes a cycle: " + strings.Join(c, " → "),
					Fix: "drop one of these dependencies: up starts a service only once those it depends on answer"}
			}
		}
	}
	return nil
}

// cycle is the chain from `from` through deps back to `to`, nil when there is none.
func cycle(deps map[string][]string, from, to string, chain []string, seen map[string]bool) []string {
	if seen[from] {
		return nil
	}
	seen[from] = true
	for _, next := range deps[from] {
		if _, planned := deps[next]; !planned {
			continue // a built-in's dependency the project does not run
		}
		if next == to {
			return append(chain, next)
		}
		if c := cycle(deps, next, to, append(chain[:len(chain):len(chain)], next), seen); c != nil {
			return c
		}
	}
	return nil
}
