package output

import (
	"fmt"
	"io"
	"strings"
	"unicode"
)

// Sanitize makes a string from outside devstack (a process's command line, a container's
// log line, a tool's output) safe to show on one line of a terminal: every control
// character, escape sequence introducer and bidirectional override is shown as a visible
// escape instead of acting on the terminal or forging another line of output.
func Sanitize(s string) string {
	if !needsEscape(s, true) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		b.WriteString(escapeRune(r, true))
	}
	return b.String()
}

func needsEscape(s string, newlines bool) bool {
	for _, r := range s {
		if escapeRune(r, newlines) != string(r) {
			return true
		}
	}
	return false
}

// escapeRune returns r as is when it is harmless on a terminal, else a visible escape.
// newlines says whether a line break is escaped too (for one-line fields).
func escapeRune(r rune, newlines bool) string {
	switch {
	case r == '\t':
		return "\t"
	case r == '\n' && !newlines:
		return "\n"
	case r == unicode.ReplacementChar:
		return string(r)
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return fmt.Sprintf(`\x%02x`, r)
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f:
		// Bidirectional overrides reorder what the terminal shows: "evil‮txt.exe".
		return fmt.Sprintf(`\u%04x`, r)
	}
	return string(r)
}

// TerminalSafe is w, with control sequences escaped when w is a terminal: a stream of
// text from outside (a container's log) may say anything, but must not drive the terminal.
// A pipe gets the bytes as they are: there they are data (`devstack env --format shell`
// must carry a carriage return in a value exactly).
func TerminalSafe(w io.Writer, tty bool) io.Writer {
	if !tty {
		return w
	}
	return terminalWriter{w}
}

// terminalWriter escapes every control sequence written through it except the colour
// codes devstack's own printer emits, so that text from outside that reached a report
// unsanitised still cannot move the cursor, set the window title or write the clipboard.
type terminalWriter struct{ w io.Writer }

func (t terminalWriter) Write(p []byte) (int, error) {
	s := string(p)
	if !needsEscape(s, false) {
		return t.w.Write(p)
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if n := ownColour(s[i:]); n > 0 {
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		r, size := rune(s[i]), 1
		if s[i] >= 0x80 {
			r, size = decodeRune(s[i:])
		}
		b.WriteString(escapeRune(r, false))
		i += size
	}
	if _, err := io.WriteString(t.w, b.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}

func decodeRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return unicode.ReplacementChar, 1
}

// ownColour reports the length of a colour sequence of the kind fatih/color writes for
// devstack's statuses (ESC [ digits;… m with only the plain colour attributes), or 0.
// Attributes that hide text (8: concealed) or blank it are not among them.
func ownColour(s string) int {
	if !strings.HasPrefix(s, "\x1b[") {
		return 0
	}
	end := strings.IndexByte(s, 'm')
	if end < 0 || end > 16 {
		return 0
	}
	for _, code := range strings.Split(s[2:end], ";") {
		switch code {
		case "0", "1", "22", "31", "32", "33", "39", "90":
		default:
			return 0
		}
	}
	return end + 1
}
