package stack

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/devstack-dev/devstack/services"
)

// UnsafeValueError is a value that cannot be written so that every common reader of a
// .env file reads it back exactly and runs nothing. It names the key, never the value.
type UnsafeValueError struct {
	Key    string
	Reason string
}

func (e *UnsafeValueError) Error() string {
	return fmt.Sprintf("the value of %s cannot be written safely to a .env file: it %s", e.Key, e.Reason)
}

// Hint says what to change.
func (e *UnsafeValueError) Hint() string {
	return "choose a value without it (in devstack.yaml, or the environment variable that sets it); " +
		"bash, docker compose, python-dotenv and node's dotenv would not all read it the same way"
}

// plain values need no quotes in any reader: no shell, interpolation or comment syntax.
var plain = regexp.MustCompile(`^[A-Za-z0-9_./:@,+=%-]+$`)

// DotenvValue encodes a value for a .env line, KEY=<here>, so that bash (set -a; . .env),
// docker compose (env_file), python-dotenv and node's dotenv all read back exactly the
// value and none of them expands or runs anything in it.
//
// Single quotes are the one form all four read literally, newlines included; within them
// python-dotenv still decodes \\ and \', node, compose and python-dotenv end the value only
// at a ' not preceded by a backslash, and python-dotenv expands ${…} whatever the quotes.
// A value with a ' but none of $ ` " \ or a newline is safe in double quotes. Anything
// else is refused: a carriage return (every reader but bash folds it into a newline), a
// NUL or other control character, invalid UTF-8, ${, a ' with one of those, or \\ or a
// trailing \.
func DotenvValue(key, value string) (string, error) {
	refuse := func(reason string) (string, error) { return "", &UnsafeValueError{Key: key, Reason: reason} }
	if !utf8.ValidString(value) {
		return refuse("is not valid UTF-8")
	}
	for _, r := range value {
		switch {
		case r == '\r':
			return refuse("contains a carriage return")
		case r == 0:
			return refuse("contains a NUL byte")
		case r != '\n' && r != '\t' && (r < 0x20 || r == 0x7f):
			return refuse(fmt.Sprintf("contains the control character %U", r))
		}
	}
	if strings.Contains(value, "${") {
		return refuse("contains ${, which python-dotenv expands even in quotes")
	}
	if plain.MatchString(value) {
		return value, nil
	}
	if !strings.Contains(value, "'") {
		if strings.Contains(value, `\\`) || strings.HasSuffix(value, `\`) {
			return refuse(`contains \\ or ends in \, which python-dotenv, node and compose read differently`)
		}
		return "'" + value + "'", nil
	}
	if strings.ContainsAny(value, "$`\"\\\n") {
		return refuse("contains a single quote together with one of $ ` \" \\ or a newline")
	}
	return `"` + value + `"`, nil
}

// ShellValue encodes a value for `export KEY=<here>` lines a POSIX shell evaluates: in
// single quotes, a quote inside closed, escaped and reopened. Only a NUL cannot be held by
// a shell variable.
func ShellValue(key, value string) (string, error) {
	if strings.ContainsRune(value, 0) {
		return "", &UnsafeValueError{Key: key, Reason: "contains a NUL byte, which no shell variable can hold"}
	}
	return "'" + strings.ReplaceAll(value, "'", `'\''`) + "'", nil
}

// NewEnvReport encodes the settings in the form asked for (dotenv, shell, json, or a
// framework's file such as frappe's), refusing at once any value that form cannot carry
// safely. JSON carries every value.
func NewEnvReport(format string, settings []services.Setting) (*EnvReport, error) {
	r := &EnvReport{Format: format, Settings: settings}
	if f, ok := services.LookupFramework(format); ok && !f.Env {
		r.numbers = map[string]bool{}
		for _, k := range f.Integers {
			r.numbers[k] = true
		}
		return r, nil
	}
	if format == "json" {
		return r, nil
	}
	for _, s := range settings {
		var v string
		var err error
		if format == "shell" {
			v, err = ShellValue(s.Key, s.Value)
			v = "export " + s.Key + "=" + v
		} else {
			v, err = DotenvValue(s.Key, s.Value)
			v = s.Key + "=" + v
		}
		if err != nil {
			return nil, err
		}
		r.lines = append(r.lines, v)
	}
	return r, nil
}
