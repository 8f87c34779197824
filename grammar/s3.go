package grammar

import (
	"net"
	"strings"
)

// BucketFix says what a bucket name looks like.
const BucketFix = "name the bucket in lower-case letters, digits, '.' and '-', 3 to 63 long, starting and ending with a letter or digit, such as myapp-files"

// BucketName is an S3 bucket name as AWS's general purpose bucket naming rules give it
// (MinIO applies the same): 3 to 63 bytes of lower-case letters, digits, '.' and '-',
// starting and ending with a letter or digit; no '..', '.-' or '-.'; not an IPv4 address;
// not the reserved prefixes xn--, sthree-, amzn-s3-demo- or suffixes -s3alias, --ol-s3,
// .mrap, --x-s3, --table-s3. devstack empties the bucket a fixture names on reset, and
// the name reaches the URL path of every request.
func BucketName(name string) error {
	switch {
	case len(name) < 3 || len(name) > 63:
		return refuse("bucket name must be 3 to 63 characters", BucketFix)
	case !onlyOf(name, lower+digits+".-"):
		return refuse("bucket name may hold only lower-case letters, digits, '.' and '-'", BucketFix)
	case !onlyOf(name[:1], lower+digits) || !onlyOf(name[len(name)-1:], lower+digits):
		return refuse("bucket name must start and end with a letter or digit", BucketFix)
	case strings.Contains(name, ".."), strings.Contains(name, ".-"), strings.Contains(name, "-."):
		return refuse("bucket name must not hold '..', '.-' or '-.'", BucketFix)
	case net.ParseIP(name) != nil:
		return refuse("bucket name must not be an IP address", BucketFix)
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return refuse("bucket name must not start with "+p+" (reserved)", BucketFix)
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, s) {
			return refuse("bucket name must not end with "+s+" (reserved)", BucketFix)
		}
	}
	return nil
}
