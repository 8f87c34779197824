package grammar

import "strings"

// ProbePathFix says what an HTTP probe path looks like.
const ProbePathFix = "write the path on the service's own port, starting with '/', such as /health or /api/status?full=1"

// pathChars are RFC 3986's pchar, '/' and '?' (path and query) without '@' and '#'.
const pathChars = lower + upper + digits + "-._~" + "!$&'()*+,;=" + ":" + "/?" + "%"

// ProbePath is the path of an HTTP probe, appended to http://HOST:PORT. It must start with
// '/', so that nothing before it can become a user or a host: `@other-host/…` turned
// http://127.0.0.1:8080 into a request to other-host (issue 18, row 9). Then: no '//' (a
// scheme-relative reference to another host once a client resolves it), no '@', '\'
// (read as '/' by some parsers) or '#', no spaces or control characters, and '%' only
// as an escape of two hex digits. At most 2048 bytes. The probe also checks that the URL
// it built keeps the service's host and port (probe/http.go).
func ProbePath(p string) error {
	switch {
	case p == "":
		return nil // the probe asks for /
	case !strings.HasPrefix(p, "/"):
		return refuse("must start with '/'", ProbePathFix)
	case len(p) > 2048:
		return refuse("is longer than 2048 bytes", ProbePathFix)
	case strings.Contains(p, "//"):
		return refuse("must not hold '//'", ProbePathFix)
	case !onlyOf(p, pathChars):
		return refuse("may hold only letters, digits and - . _ ~ ! $ & ' ( ) * + , ; = : / ? % (no @, \\, #, spaces or control characters)", ProbePathFix)
	}
	for i := 0; i < len(p); i++ {
		if p[i] == '%' && (i+2 >= len(p) || !isHex(p[i+1]) || !isHex(p[i+2])) {
			return refuse("'%' must start an escape of two hex digits", ProbePathFix)
		}
	}
	return nil
}

func isHex(c byte) bool { return onlyOf(string(c), digits+"abcdefABCDEF") }
