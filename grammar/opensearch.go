package grammar

import "strings"

// IndexFix says what an OpenSearch index name looks like.
const IndexFix = "name one index in lower-case letters, digits and . _ -, starting with a letter or digit, such as myapp-records-v1"

// IndexName is an OpenSearch index (or index template) name a fixture gives: its `index:`
// option, indices/NAME.json, templates/NAME.json, and every _index of its bulk files.
// devstack deletes these on reset, so the name must name one index and only one:
// `index: "*"` would have deleted every index of the cluster (issue 18). OpenSearch's
// own rule (lower case, not starting with _ - +, no \ / * ? " < > | space , # :, at most
// 255 bytes) still lets through names an API reads as many: wildcards, comma lists,
// _all, date math <name-{now/d}>, and hidden or system indices starting with '.'. The
// allowlist is: a lower-case letter or digit, then lower-case letters, digits and . _ -,
// at most 255 bytes; not . or ..
func IndexName(name string) error {
	switch {
	case name == "":
		return refuse("index name is empty", IndexFix)
	case len(name) > 255:
		return refuse("index name is longer than 255 bytes", IndexFix)
	case !onlyOf(name[:1], lower+digits):
		return refuse("index name must start with a lower-case letter or digit (., _, -, + start system indices and API names)", IndexFix)
	case !onlyOf(name, lower+digits+"._-"):
		return refuse("index name may hold only lower-case letters, digits and . _ - (no wildcards, commas or date math)", IndexFix)
	case strings.Contains(name, ".."):
		return refuse("index name must not hold '..'", IndexFix)
	}
	return nil
}
