package config

import (
	"regexp"
)

// secretParamRE matches query parameters that carry credentials: go-getter's sshkey,
// OAuth tokens, presigned S3/GCS/Azure URLs' signatures.
var secretParamRE = regexp.MustCompile(`(?i)^(sshkey|token|access_token|refresh_token|id_token|key|api_key|apikey|password|passwd|pass|pwd|secret|client_secret|signature|sig|credential|credentials|auth|authorization|session|x-amz-.*|x-goog-.*|.*_token|.*secret.*|.*password.*|.*_key)$`)

var (
	userinfoRE = regexp.MustCompile(`(://)[^/?#@\s'"]*@`)
	paramRE    = regexp.MustCompile(`([?&])([^=&?#\s'"]+)=([^&#\s'"]*)`)
)

// Redact removes credentials from a source, a URL, or a message that quotes one, before
// it is shown anywhere (progress, errors, JSON): the user:password part, and the values
// of secret-looking query parameters. It works on the text, so a URL url.Parse refuses,
// or one inside go-getter's or git's message, is redacted too.
func Redact(s string) string {
	s = userinfoRE.ReplaceAllString(s, "${1}REDACTED@")
	return paramRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := paramRE.FindStringSubmatch(m)
		if !secretParamRE.MatchString(sub[2]) {
			return m
		}
		return sub[1] + sub[2] + "=REDACTED"
	})
}
