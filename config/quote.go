package config

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// quoteMax is how much of an offending value an error quotes: enough to find it in the
// file, too little to carry a secret out of a file passed by mistake (`--config .env`).
const quoteMax = 24

// secretKeyRE matches key names whose values are credentials.
var secretKeyRE = regexp.MustCompile(`(?i)pass|secret|token|key|credential|auth|private|signature|cookie|session|salt|cert`)

// secretTextRE finds an assignment of a secret-looking name inside a scalar, as a whole
// .env file read as YAML becomes one long scalar.
var secretTextRE = regexp.MustCompile(`(?i)(pass|secret|token|key|credential|auth|private|signature|cookie|session)\w*\s*[=:]`)

// LooksSecret reports whether a key name suggests its value is a credential.
func LooksSecret(key string) bool { return secretKeyRE.MatchString(key) }

// quote shows an offending value in an error: never the value of a secret-looking key,
// never a scalar that holds an assignment of one, and at most a short prefix of anything
// else, with control characters escaped by %q.
func quote(key, value string) string {
	if LooksSecret(lastKey(key)) || secretTextRE.MatchString(value) {
		return "a value (not shown: it may be a secret)"
	}
	return fmt.Sprintf("%q", prefix(value))
}

// prefix cuts a value to quoteMax runes, marking the cut.
func prefix(s string) string {
	if utf8.RuneCountInString(s) <= quoteMax {
		return s
	}
	r := []rune(s)
	return string(r[:quoteMax]) + "…"
}

// lastKey is the last part of a dotted key path: "services.minio.env.MINIO_ROOT_PASSWORD"
// is judged by MINIO_ROOT_PASSWORD, not by "services".
func lastKey(key string) string {
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		return key[i+1:]
	}
	return key
}
