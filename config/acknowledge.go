package config

import (
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/devstack-dev/devstack/preflight"
)

// cveRE is the CVE id grammar: CVE-year-sequence, the sequence four digits or more.
var cveRE = regexp.MustCompile(`(?i)^CVE-\d{4}-\d{4,}$`)

// acknowledge reads a service's acknowledge: list, the advisory ids the project knows
// its image carries. Each must be an id devstack knows: a typo would otherwise silence
// nothing and look as if it did.
func (d decoder) acknowledge(n *yaml.Node, at string, out *[]Acknowledgement) error {
	known := strings.Join(preflight.AdvisoryIDs(), ", ")
	if n.Kind != yaml.SequenceNode {
		return d.errf(n, at, "write a list, such as acknowledge: [CVE-2025-62506]", "must be a list of CVE ids, not %s", kind(n, at))
	}
	for i, item := range n.Content {
		key := fmt.Sprintf("%s[%d]", at, i)
		var s scalar[string]
		if err := d.str(item, key, &s); err != nil {
			return err
		}
		if !cveRE.MatchString(s.value) {
			return d.errf(item, key, "write a CVE id such as CVE-2025-62506; ids devstack warns about: "+known,
				"%s is not a CVE id", quote("acknowledge", s.value))
		}
		id, ok := preflight.KnownAdvisory(s.value)
		if !ok {
			return d.errf(item, key, "acknowledge only what devstack warns about ("+known+"); remove the others",
				"%s is not a vulnerability devstack knows of", quote("acknowledge", s.value))
		}
		*out = append(*out, Acknowledgement{ID: id, Where: fmt.Sprintf("%s:%d:%d", relative(d.path), item.Line, item.Column)})
	}
	return nil
}
