// Package bootstrap is the whole onboarding in one command: doctor, ports, up, the
// application's .env, and fixtures; and init, which starts a devstack.yaml.
package bootstrap

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"

	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/stack"
	"github.com/devstack-dev/devstack/userfile"
)

// envHeader precedes the keys devstack adds to a .env file.
const envHeader = "# Written by devstack (devstack env); it updates these keys in place."

const bom = "\uFEFF"

// MergeEnv writes devstack's settings into the dotenv file at path (relative to root
// unless absolute, and confined to it): every line of a key it owns is updated where it
// stands, missing keys are added at the end, and every other byte (foreign keys and
// their multi-line values, comments, blank lines, `export`, a BOM, CRLF line endings)
// stays as it was. A new file is private (0600); an existing one keeps its mode and
// owner. It reports whether the file changed.
func MergeEnv(root, path string, settings []services.Setting) (bool, error) {
	old, err := userfile.Read(root, path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	data, err := mergeEnv(old, settings)
	if err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	if bytes.Equal(data, old) {
		return false, nil
	}
	return true, userfile.Write(root, path, data, userfile.Options{Mode: 0o600})
}

// mergeEnv is MergeEnv on the bytes of the file.
func mergeEnv(old []byte, settings []services.Setting) ([]byte, error) {
	want := map[string]string{}
	var order []string
	for _, s := range settings {
		v, err := stack.DotenvValue(s.Key, s.Value)
		if err != nil {
			return nil, err
		}
		if _, dup := want[s.Key]; !dup {
			order = append(order, s.Key)
		}
		want[s.Key] = v
	}
	text, head := string(old), ""
	if strings.HasPrefix(text, bom) {
		text, head = text[len(bom):], bom
	}
	eol := lineEnding(text)
	var b strings.Builder
	b.WriteString(head)
	seen := map[string]bool{}
	entries := scanEnv(text)
	for _, e := range entries {
		v, ours := want[e.key]
		if e.key == "" || !ours {
			b.WriteString(text[e.start:e.end])
			continue
		}
		// Every occurrence: dotenv readers take the last one, so a stale later line
		// would win over the one updated.
		seen[e.key] = true
		b.WriteString(text[e.start:e.keyStart])
		b.WriteString(e.key + "=" + v)
		if tail := text[e.valEnd:e.bodyEnd]; commentTail.MatchString(tail) {
			// "KEY=#…" holds an empty value and a comment; after a value, a # is only a
			// comment behind a space, or it would become the value's last byte.
			if strings.HasPrefix(tail, "#") {
				b.WriteByte(' ')
			}
			b.WriteString(tail)
		}
		b.WriteString(text[e.bodyEnd:e.end])
	}
	var added []string
	for _, k := range order {
		if !seen[k] {
			added = append(added, k+"="+want[k])
		}
	}
	if err := refuseUnclosed(text, entries, b.String()[len(head):], len(added) > 0); err != nil {
		return nil, err
	}
	if len(added) == 0 {
		return []byte(b.String()), nil
	}
	body := b.String()[len(head):]
	if body != "" && !strings.HasSuffix(body, "\n") {
		b.WriteString(eol)
		body += eol
	}
	// Under devstack's header when the file has it, else under a new one.
	if !strings.Contains(text, envHeader) {
		if body != "" && !strings.HasSuffix(body, "\n\n") && !strings.HasSuffix(body, "\n\r\n") {
			b.WriteString(eol)
		}
		b.WriteString(envHeader + eol)
	}
	for _, line := range added {
		b.WriteString(line + eol)
	}
	return []byte(b.String()), nil
}

// UnclosedQuoteError is a .env value whose quote is never closed. Readers then take
// everything up to the next such quote as its value, devstack's own lines included.
type UnclosedQuoteError struct {
	Line int
	Key  string
}

func (e *UnclosedQuoteError) Error() string {
	return fmt.Sprintf("line %d: the value of %s opens a quote that is never closed", e.Line, e.Key)
}

// Hint says how to fix the file.
func (e *UnclosedQuoteError) Hint() string {
	return "close the quote on that line of the .env file (docker compose refuses the file as it is; other readers swallow the lines after it)"
}

// refuseUnclosed stops a merge that would change a file holding an unclosed quote: the
// quote could then close on a line devstack writes, and the keys between be read as
// part of a foreign value.
func refuseUnclosed(text string, entries []envEntry, merged string, adding bool) error {
	if !adding && merged == text {
		return nil
	}
	for _, e := range entries {
		if e.unclosed {
			return &UnclosedQuoteError{Line: 1 + strings.Count(text[:e.start], "\n"), Key: e.key}
		}
	}
	return nil
}

// lineEnding is the file's own: CRLF when most of its lines end so.
func lineEnding(text string) string {
	crlf := strings.Count(text, "\r\n")
	if crlf > 0 && crlf >= strings.Count(text, "\n")-crlf {
		return "\r\n"
	}
	return "\n"
}

// assignment is the start of a dotenv line that sets a key, with or without `export`,
// up to where its value begins.
var assignment = regexp.MustCompile(`^([ \t]*(?:export[ \t]+)?)([A-Za-z0-9_.-]+)[ \t]*=[ \t]*`)

// commentTail is what may follow a value on its line and is kept when the value changes.
var commentTail = regexp.MustCompile(`^[ \t]*(?:#.*)?$`)

// envEntry is one logical line of a dotenv file: a whole line, or an assignment whose
// quoted value spans several lines. The spans index the text the entry was scanned from.
type envEntry struct {
	key              string // "" for anything but an assignment
	unclosed         bool   // its value opens a quote that nothing closes
	start, end       int    // the entry, its line ending included
	keyStart         int    // after the indentation and `export `
	valStart, valEnd int    // the value as written, quotes included
	bodyEnd          int    // before the line ending
}

// scanEnv splits a dotenv file into entries. It is no full dotenv parser (each reader has
// its own rules, and none keeps byte offsets, which the merge needs): it only finds where
// each entry ends, reading a quoted value up to its closing quote as python-dotenv, node's
// dotenv and docker compose do, so that a line inside a multi-line value is never taken
// for a key of its own.
func scanEnv(text string) []envEntry {
	var out []envEntry
	for pos := 0; pos < len(text); {
		e := envEntry{start: pos}
		lineEnd := endOfLine(text, pos)
		if m := assignment.FindStringSubmatchIndex(text[pos:lineEnd]); m != nil {
			e.key, e.keyStart, e.valStart = text[pos+m[4]:pos+m[5]], pos+m[4], pos+m[1]
			e.valEnd = unquotedEnd(text, e.valStart, lineEnd)
			if e.valStart < len(text) && strings.IndexByte(`'"`+"`", text[e.valStart]) >= 0 {
				if c := closingQuote(text, e.valStart); c >= 0 {
					e.valEnd = c + 1
					lineEnd = endOfLine(text, c)
				} else {
					e.unclosed = true
				}
			}
		}
		e.bodyEnd, e.end = lineEnd, lineEnd
		if lineEnd < len(text) {
			e.end = lineEnd + 1
			if lineEnd > pos && text[lineEnd-1] == '\r' && e.bodyEnd-1 >= e.valEnd {
				e.bodyEnd--
			}
		}
		out = append(out, e)
		pos = e.end
	}
	return out
}

// endOfLine is the index of the '\n' ending the line at pos, or len(text).
func endOfLine(text string, pos int) int {
	if i := strings.IndexByte(text[pos:], '\n'); i >= 0 {
		return pos + i
	}
	return len(text)
}

// unquotedEnd is where an unquoted value ends: before a comment (# after a space) and the
// spaces before it or the end of the line.
func unquotedEnd(text string, start, lineEnd int) int {
	end := lineEnd
	for i := start; i < lineEnd; i++ {
		if text[i] == '#' && (i == start || text[i-1] == ' ' || text[i-1] == '\t') {
			end = i
			break
		}
	}
	for end > start && strings.IndexByte(" \t\r", text[end-1]) >= 0 {
		end--
	}
	return end
}

// closingQuote finds the quote that closes the one at open, past backslash-escaped ones,
// or -1 when the value is never closed (then it is read as one line, as the readers that
// accept it do).
func closingQuote(text string, open int) int {
	q := text[open]
	for i := open + 1; i < len(text); i++ {
		switch text[i] {
		case '\\':
			i++
		case q:
			return i
		}
	}
	return -1
}
