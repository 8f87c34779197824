package services

import (
	"strings"
)

// minio's definition is data (services/builtin/minio.yaml); its bucket's name is this
// rule, ${project:bucket} there.
func init() { RegisterNameRule("bucket", bucketName) }

// bucketName follows S3's rules: 3 to 63 lower-case letters, digits and hyphens,
// starting and ending with a letter or digit (a project named app- or app_ or app. would
// otherwise make a bucket MinIO refuses).
func bucketName(project string) string {
	b := strings.Trim(identifier(project, '-'), "-")
	if len(b) > 63 {
		b = strings.TrimRight(b[:63], "-")
	}
	if b == "" {
		b = "devstack"
	}
	for len(b) < 3 {
		b += "-0"
	}
	return b
}
