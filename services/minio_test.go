package services

import (
	"strings"
	"testing"

	"github.com/minio/minio-go/v7/pkg/s3utils"
)

// Every project name config.ProjectName can produce must give a bucket MinIO accepts.
func TestBucketNameIsValidForEveryProjectName(t *testing.T) {
	tests := map[string]string{
		"app-":                         "app",
		"app_":                         "app",
		"app.":                         "app",
		"a.":                           "a-0",
		"_":                            "devstack",
		"x-.-_":                        "x-0",
		"my_app.v2":                    "my-app-v2",
		strings.Repeat("x", 62) + "-y": strings.Repeat("x", 62),
		"0":                            "0-0",
	}
	for in, want := range tests {
		got := bucketName(in)
		if got != want {
			t.Errorf("bucketName(%q) = %q, want %q", in, got, want)
		}
		if err := s3utils.CheckValidBucketNameStrict(got); err != nil {
			t.Errorf("bucketName(%q) = %q, which MinIO refuses: %v", in, got, err)
		}
	}
}

func FuzzBucketName(f *testing.F) {
	for _, s := range []string{"app-", "a", "my_app.v2", strings.Repeat("-", 70)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, project string) {
		if got := bucketName(project); s3utils.CheckValidBucketNameStrict(got) != nil {
			t.Fatalf("bucketName(%q) = %q, which MinIO refuses", project, got)
		}
	})
}
