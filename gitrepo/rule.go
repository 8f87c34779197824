package gitrepo

import (
	"regexp"
	"strings"
)

// rule is one line of an ignore file, as gitignore(5) reads it.
type rule struct {
	base     string // the directory of the ignore file, relative to the top; "" for the top
	negate   bool   // !pattern: matched paths are not ignored
	dirOnly  bool   // pattern/: matches directories only
	anchored bool   // a slash before the end: matched against the path from base, else the name
	re       *regexp.Regexp
}

// parseRule reads one line; ok is false for blank lines, comments and bad patterns.
func parseRule(line, base string) (rule, bool) {
	line = strings.TrimSuffix(line, "\r")
	line = trimTrailingSpaces(line)
	if line == "" || strings.HasPrefix(line, "#") {
		return rule{}, false
	}
	r := rule{base: base}
	if strings.HasPrefix(line, "!") {
		r.negate, line = true, line[1:]
	} else if strings.HasPrefix(line, `\!`) || strings.HasPrefix(line, `\#`) {
		line = line[1:]
	}
	if strings.HasSuffix(line, "/") && !strings.HasSuffix(line, `\/`) {
		r.dirOnly, line = true, strings.TrimSuffix(line, "/")
	}
	if line == "" {
		return rule{}, false
	}
	r.anchored = strings.Contains(line, "/")
	line = strings.TrimPrefix(line, "/")
	re, err := regexp.Compile("^" + globRegexp(line) + "$")
	if err != nil {
		return rule{}, false
	}
	r.re = re
	return r, true
}

// trimTrailingSpaces drops trailing spaces unless the last is escaped with a backslash.
func trimTrailingSpaces(s string) string {
	for strings.HasSuffix(s, " ") && !strings.HasSuffix(s, `\ `) {
		s = s[:len(s)-1]
	}
	return s
}

// matches says whether the rule matches path (slash-separated, relative to the top).
func (r rule) matches(path string, isDir bool) bool {
	if r.dirOnly && !isDir {
		return false
	}
	rel := path
	if r.base != "" {
		var ok bool
		if rel, ok = strings.CutPrefix(path, r.base+"/"); !ok {
			return false
		}
	}
	if !r.anchored {
		rel = rel[strings.LastIndex(rel, "/")+1:]
	}
	return r.re.MatchString(rel)
}

// globRegexp translates a gitignore glob into a regular expression: * and ? stop at a
// slash, [...] is a class ([!...] negated), a leading **/ is any directories, a /**/
// zero or more, a trailing /** everything inside, and a backslash escapes.
func globRegexp(glob string) string {
	var b strings.Builder
	for i := 0; i < len(glob); i++ {
		c := glob[i]
		switch {
		case strings.HasPrefix(glob[i:], "**/") && (i == 0 || glob[i-1] == '/'):
			b.WriteString("(?:.*/)?")
			i += 2
		case glob[i:] == "**" && (i == 0 || glob[i-1] == '/'):
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '[':
			end := strings.IndexByte(glob[i+1:], ']')
			if end < 0 {
				b.WriteString(`\[`)
				continue
			}
			class := glob[i+1 : i+1+end]
			if end == 0 { // "[]...]": a ] first is part of the class
				if e2 := strings.IndexByte(glob[i+2:], ']'); e2 >= 0 {
					class, end = glob[i+1:i+2+e2], e2+1
				}
			}
			neg := strings.HasPrefix(class, "!") || strings.HasPrefix(class, "^")
			if neg {
				class = class[1:]
			}
			b.WriteString("[")
			if neg {
				b.WriteString("^/")
			}
			b.WriteString(strings.NewReplacer(`\`, `\\`, "[", `\[`).Replace(class))
			b.WriteString("]")
			i += end + 1
		case c == '\\' && i+1 < len(glob):
			i++
			b.WriteString(regexp.QuoteMeta(string(glob[i])))
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return b.String()
}

// Escape writes name as a gitignore pattern that matches exactly that path, from the
// ignore file's directory: anchored with a leading slash, special characters escaped.
func Escape(rel string) string {
	var b strings.Builder
	b.WriteString("/")
	for _, c := range strings.Trim(rel, "/") {
		if strings.ContainsRune(`*?[]\!# `, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}
