package config

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// yamlLine is the "line N: " that go.yaml.in/yaml/v3 puts before a syntax message.
var yamlLine = regexp.MustCompile(`^line (\d+): `)

// The prefix search below parses a prefix once per line: a file past these bounds (an
// untrusted file may be up to 1 MiB) keeps the parser's own line, so that the search stays
// within a few tens of megabytes of parsing. devstack.yaml files are tens of lines.
const (
	maxLocateLines = 1000
	maxLocateBytes = 64 << 10
)

// syntaxError reports a YAML syntax error on the line a person would fix.
//
// go.yaml.in/yaml/v3 gives no column, and its line is the parser's "context mark" when it
// has one: the start of the mapping or flow collection the parser was in, not where it
// failed. A key indented one space too little on line 7 is reported on line 6 (where the
// enclosing mapping began), an unclosed `[` on line 2 on line 1. The line to fix is the
// first at which the document stops parsing: the shortest prefix of lines that fails with
// the same message as the whole file (another message means the cut itself broke it, such
// as a flow list that goes on over several lines).
func syntaxError(path string, data []byte, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		msg = msg[len(m[0]):]
		line, _ = strconv.Atoi(m[1])
	}
	col := 0
	if l := firstFailingLine(data, msg); l > 0 {
		line = l
		col = column(lineAt(data, l), msg)
	}
	return &Error{File: path, Line: line, Col: col, Msg: "not valid YAML: " + prefixText(msg),
		Fix: "fix the syntax at that line; devstack.yaml is YAML, indented with spaces (never tabs)"}
}

// firstFailingLine is the 1-based number of the first line whose prefix of the document
// fails to parse with message msg, or 0.
func firstFailingLine(data []byte, msg string) int {
	lines := bytes.SplitAfter(data, []byte("\n"))
	if len(lines) > maxLocateLines || len(data) > maxLocateBytes {
		return 0
	}
	var prefix []byte
	for i, l := range lines {
		prefix = append(prefix, l...)
		if perr := parseAll(prefix); perr != nil {
			m := yamlLine.ReplaceAllString(strings.TrimPrefix(perr.Error(), "yaml: "), "")
			if m == msg {
				return i + 1
			}
		}
	}
	return 0
}

// parseAll parses every document in data, as decode does.
func parseAll(data []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

func lineAt(data []byte, n int) string {
	lines := strings.Split(string(data), "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return strings.TrimSuffix(lines[n-1], "\r")
}

// column points into the failing line: at the bracket or quote left open when the message
// is about one, else at the line's first character that is not a space (a tab, or the key
// indented wrongly).
func column(line, msg string) int {
	switch {
	case strings.Contains(msg, "expected ',' or ']'"):
		if c := unclosed(line, '[', ']'); c > 0 {
			return c
		}
	case strings.Contains(msg, "expected ',' or '}'"):
		if c := unclosed(line, '{', '}'); c > 0 {
			return c
		}
	case strings.Contains(msg, "end of stream"), strings.Contains(msg, "quoted scalar"):
		if c := unclosedQuote(line); c > 0 {
			return c
		}
	}
	for i, r := range []rune(line) {
		if r != ' ' {
			return i + 1
		}
	}
	return 1
}

// unclosed is the 1-based column (in runes) of the last opening bracket in line that the
// line does not close, or 0.
func unclosed(line string, open, close rune) int {
	var stack []int
	for i, r := range []rune(line) {
		switch r {
		case open:
			stack = append(stack, i+1)
		case close:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	if len(stack) == 0 {
		return 0
	}
	return stack[len(stack)-1]
}

// unclosedQuote is the 1-based column of a quote the line opens and does not close, or 0.
func unclosedQuote(line string) int {
	var quote rune
	at := 0
	for i, r := range []rune(line) {
		switch {
		case quote == 0 && (r == '"' || r == '\''):
			quote, at = r, i+1
		case quote != 0 && r == quote:
			quote = 0
		}
	}
	if quote == 0 {
		return 0
	}
	return at
}
