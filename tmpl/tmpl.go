// Package tmpl expands the small templates devstack.yaml writes connection settings and
// probe parameters in: "memcached://{host}:{port:memcached}". A reference is {KIND} or
// {KIND:ARG}; what each kind means is the caller's (a Lookup), so probes, connection
// settings and the config's validation share one syntax and one parser.
package tmpl

import (
	"fmt"
	"regexp"
	"strings"
)

// Ref is one {kind:arg} reference in a template.
type Ref struct {
	Kind, Arg string
}

func (r Ref) String() string {
	if r.Arg == "" {
		return "{" + r.Kind + "}"
	}
	return "{" + r.Kind + ":" + r.Arg + "}"
}

// Lookup gives a reference's value, or an error saying why it has none.
type Lookup func(r Ref) (string, error)

// refRE is a reference: a lower-case kind and an optional argument. Braces that do not
// form one (a JSON value in an environment variable) are left as they are.
var refRE = regexp.MustCompile(`\{([a-z][a-z-]*)(?::([^{}]*))?\}`)

// Refs lists the references in s, in order.
func Refs(s string) []Ref {
	var out []Ref
	for _, m := range refRE.FindAllStringSubmatch(s, -1) {
		out = append(out, Ref{Kind: m[1], Arg: m[2]})
	}
	return out
}

// Expand replaces every reference in s with what look gives for it.
func Expand(s string, look Lookup) (string, error) {
	var b strings.Builder
	last := 0
	for _, loc := range refRE.FindAllStringSubmatchIndex(s, -1) {
		r := Ref{Kind: s[loc[2]:loc[3]]}
		if loc[4] >= 0 {
			r.Arg = s[loc[4]:loc[5]]
		}
		v, err := look(r)
		if err != nil {
			return "", fmt.Errorf("%s: %w", r, err)
		}
		b.WriteString(s[last:loc[0]])
		b.WriteString(v)
		last = loc[1]
	}
	b.WriteString(s[last:])
	return b.String(), nil
}
