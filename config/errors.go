package config

import (
	"fmt"
	"path/filepath"
)

// Error is a configuration mistake, located as precisely as the source allows.
type Error struct {
	File string // the file, or "environment"
	Line int    // 0 when unknown
	Col  int    // 0 when unknown; a YAML node's column, 1-based
	Key  string // dotted path of the key, such as "tools.python"
	Msg  string
	Fix  string
}

func (e *Error) Error() string {
	where := e.File
	if where == CommandLine && e.Key != "" {
		return fmt.Sprintf("%s: %s", e.Key, e.Msg) // "--bind: …" reads as the flag typed
	}
	if where == "" {
		where = FileName
	} else if where != "environment" {
		where = relative(where)
	}
	if e.Line > 0 {
		where = fmt.Sprintf("%s:%d", where, e.Line)
		if e.Col > 0 {
			where = fmt.Sprintf("%s:%d", where, e.Col)
		}
	}
	if e.Key != "" {
		return fmt.Sprintf("%s: %s: %s", where, e.Key, e.Msg)
	}
	return fmt.Sprintf("%s: %s", where, e.Msg)
}

// Hint is the fix shown under the error.
func (e *Error) Hint() string { return e.Fix }

// relative shortens an absolute path to one relative to the working directory when that
// is shorter, as people read it.
func relative(path string) string {
	if !filepath.IsAbs(path) {
		return path
	}
	wd, err := filepath.Abs(".")
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(wd, path); err == nil && len(rel) < len(path) {
		return rel
	}
	return path
}
