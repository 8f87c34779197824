package preflight

import (
	"regexp"
	"slices"
	"strings"
)

// Advisory is a known vulnerability of pinned images of one family, with what to do
// about it. A new one is a row in Advisories, with its source.
type Advisory struct {
	ID      string   // the CVE id, which a project may acknowledge
	Family  string   // the software, for messages
	Repos   []string // the images, as normalised repository names
	Summary string
	// Affected says whether an image tag carries the flaw.
	Affected func(tag string) bool
	Advice   string
	Source   string
}

// minioFixed is the first MinIO release with the fix for CVE-2025-62506. MinIO published
// it as source only: the last community image is RELEASE.2025-09-07T16-13-09Z.
const minioFixed = "RELEASE.2025-10-15T17-29-55Z"

// minioRelease is MinIO's tag scheme; its timestamps sort as text.
var minioRelease = regexp.MustCompile(`^RELEASE\.\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z`)

// Advisories are the known-vulnerable pins devstack warns about.
var Advisories = []Advisory{
	{
		ID: "CVE-2025-62506", Family: "MinIO",
		Repos:   []string{"quay.io/minio/minio", "docker.io/minio/minio"},
		Summary: "privilege escalation in MinIO's IAM (a session policy is not enforced on service accounts and STS credentials)",
		Affected: func(tag string) bool {
			// latest (or no tag) is the last community image, which lacks the fix.
			if tag == "" || tag == "latest" {
				return true
			}
			return minioRelease.MatchString(tag) && tag < minioFixed
		},
		Advice: "no fixed community image exists (the fix, " + minioFixed + ", was published as source only): " +
			"keep MinIO on 127.0.0.1 with devstack's generated credentials and no other users, " +
			"or build an image from a fixed release, or use another S3-compatible server; " +
			"then record that the project knows with acknowledge: [CVE-2025-62506] under the service in devstack.yaml",
		Source: "MinIO's security advisory for CVE-2025-62506 (github.com/minio/minio/security/advisories), " +
			"fixed in " + minioFixed + "; design.md, Real-world image facts",
	},
}

// AdvisoriesFor are the known vulnerabilities of an image reference.
func AdvisoriesFor(ref string) []Advisory {
	repo, t := Repo(ref), tag(ref)
	var out []Advisory
	for _, a := range Advisories {
		if slices.Contains(a.Repos, repo) && a.Affected(t) {
			out = append(out, a)
		}
	}
	return out
}

// KnownAdvisory says whether id names an advisory devstack knows (case-insensitively:
// CVE ids are written both ways); it returns the id as the table spells it.
func KnownAdvisory(id string) (string, bool) {
	for _, a := range Advisories {
		if strings.EqualFold(a.ID, strings.TrimSpace(id)) {
			return a.ID, true
		}
	}
	return "", false
}

// AdvisoryIDs lists the ids devstack knows, for messages.
func AdvisoryIDs() []string {
	var ids []string
	for _, a := range Advisories {
		ids = append(ids, a.ID)
	}
	return ids
}
