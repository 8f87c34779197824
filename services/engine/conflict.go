package engine

import (
	"regexp"
	"strconv"
)

// PortConflictError is a port the engine could not publish because something holds it.
type PortConflictError struct {
	Port int
	Err  error
}

func (e *PortConflictError) Error() string {
	return "port " + strconv.Itoa(e.Port) + " is already in use: " + e.Err.Error()
}
func (e *PortConflictError) Unwrap() error { return e.Err }

// The engine reports a held port only in words, and in three wordings: another container
// ("Bind for 127.0.0.1:5632 failed: port is already allocated"), a host process
// ("… bind: address already in use", older engines "Error starting userland proxy: …"),
// and Docker Desktop ("Ports are not available: …").
var conflictRE = regexp.MustCompile(`(?:Bind for |listen tcp4? |listen tcp6 |Ports are not available: exposing port TCP )\[?[0-9a-fA-F.:]*\]?:(\d+)(?: failed: port is already allocated|: bind: address already in use| -> )`)

func asPortConflict(err error) *PortConflictError {
	m := conflictRE.FindStringSubmatch(err.Error())
	if m == nil {
		return nil
	}
	port, _ := strconv.Atoi(m[1])
	return &PortConflictError{Port: port, Err: err}
}
