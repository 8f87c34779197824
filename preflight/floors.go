package preflight

import (
	"fmt"
	"slices"
	"strings"

	"github.com/distribution/reference"
)

// Floor is what one image family, from one version on, needs of the CPU on one
// architecture: without it the server dies at start ("Illegal instruction", exit 132)
// and a readiness wait would only time out.
type Floor struct {
	Family string   // the software, for messages
	Repos  []string // the images, as normalised repository names
	// VersionEnv is the variable the image sets to its version (MONGO_VERSION); it wins
	// over the tag when the image is at hand.
	VersionEnv string
	Since      string // the first version the floor applies to ("5.0", "4.4.19")
	Before     string // the first version it no longer applies to; "" for none
	// Tags, when set, decides from the image's tag instead of Since and Before, for
	// families whose tags are not version numbers (MinIO's RELEASE.…).
	Tags  func(tag string) bool
	Arch  string   // the architecture of the image's build: "amd64", "arm64"
	AnyOf []string // cpuinfo flags, any one of which shows the CPU is new enough
	AllOf []string // cpuinfo flags the CPU must all have
	Need  string   // what the CPU needs, in words
	// EmulationLacks says that emulators do not provide what the floor needs (AVX: QEMU
	// user mode before 7.2, Rosetta): an emulated build is refused. Without it an emulated
	// build cannot be judged, and is only warned about.
	EmulationLacks bool
	Fix            string // what to do instead: an older pin, another machine
	Source         string // where the floor is documented
}

// mongoRepos are the MongoDB server images built from MongoDB's own binaries.
var mongoRepos = []string{
	"docker.io/library/mongo",
	"docker.io/mongodb/mongodb-community-server",
	"docker.io/mongodb/mongodb-enterprise-server",
}

// mongoARMv82 are the cpuinfo features docker-library's mongo entrypoint takes as signs
// of ARMv8.2-A (fphp, dcpop, sha3, sm3, sm4, asimddp, sha512, sve): ARMv8.1's atomics
// and asimdrdm are not enough.
var mongoARMv82 = []string{"fphp", "dcpop", "sha3", "sm3", "sm4", "asimddp", "sha512", "sve"}

// mongoARMSource is where the arm64 floor is documented.
const mongoARMSource = "MongoDB production notes (ARM64: ARMv8.2-A); SERVER-55178, SERVER-71772; " +
	"the check in docker-library/mongo's docker-entrypoint.sh (\"applies to all versions ≥5.0, any of 4.4 ≥4.4.19, and any of 4.2 ≥4.2.19\")"

// mongoARMFix is the way out on an ARMv8.0/8.1 machine (Raspberry Pi 4, ThunderX2).
const mongoARMFix = "pin mongo:4.4.18 (the last 4.4 that runs before ARMv8.2-A), or run the engine on a machine " +
	"with an ARMv8.2-A CPU (Raspberry Pi 5, AWS Graviton 2 or later, Apple silicon)"

// x86-64-v2 is the baseline RHEL 9's glibc is built for: without it every dynamically
// linked program of a UBI 9 image stops with "Fatal glibc error: CPU does not support
// x86-64-v2" (exit 127). These are the cpuinfo names of its features (x86-64 psABI).
var x8664v2 = []string{"cx16", "lahf_lm", "popcnt", "sse4_1", "sse4_2", "ssse3"}

// minioUBI9 says whether a MinIO tag is built on UBI 9 (ubi9-micro): the releases from
// November 2023 on, except the -cpuv1 builds MinIO published for older CPUs
// (minio/minio#18365; the first -cpuv1 tag is RELEASE.2023-11-01T01-57-10Z-cpuv1).
func minioUBI9(tag string) bool {
	switch {
	case tag == "" || tag == "latest":
		return true
	case strings.HasSuffix(tag, "-cpuv1"):
		return false
	}
	return strings.HasPrefix(tag, "RELEASE.") && tag >= "RELEASE.2023-11-01T01-57-10Z"
}

// Floors are the known CPU floors. A new one is a row here, with its source.
var Floors = []Floor{
	{
		Family: "MinIO", Repos: []string{"quay.io/minio/minio", "docker.io/minio/minio"}, Tags: minioUBI9, Arch: "amd64",
		AllOf: x8664v2, Need: "an x86-64-v2 CPU (SSE4.2, POPCNT, CX16)",
		Fix: "pin a -cpuv1 build, which MinIO published beside many releases for older CPUs " +
			"(such as quay.io/minio/minio:RELEASE.2025-01-20T14-49-07Z-cpuv1; check the registry for the release you want), " +
			"or run the engine on a machine whose CPU is x86-64-v2 (in a VM: a CPU type other than kvm64/qemu64, e.g. Proxmox x86-64-v2-AES or host)",
		Source: "minio/minio#18365 (images on ubi9-micro since RELEASE.2023-11; -cpuv1 tags for older CPUs); RHEL 9's x86-64-v2 baseline",
	},
	{
		Family: "MongoDB", Repos: mongoRepos, VersionEnv: "MONGO_VERSION", Since: "5.0", Arch: "amd64",
		AnyOf: []string{"avx"}, Need: "a CPU with AVX", EmulationLacks: true,
		Fix: "pin mongo:4.4 (the last major that runs without AVX; end of life since February 2024), " +
			"or run the engine on a machine whose CPU has AVX (in a VM: pass the host CPU through, e.g. Proxmox cpu type host)",
		Source: "MongoDB production notes (x86_64: AVX from 5.0); SERVER-54407; the check in docker-library/mongo's docker-entrypoint.sh",
	},
	{Family: "MongoDB", Repos: mongoRepos, VersionEnv: "MONGO_VERSION", Since: "5.0", Arch: "arm64",
		AnyOf: mongoARMv82, Need: "an ARMv8.2-A CPU", EmulationLacks: true, Fix: mongoARMFix, Source: mongoARMSource},
	{Family: "MongoDB", Repos: mongoRepos, VersionEnv: "MONGO_VERSION", Since: "4.4.19", Before: "4.5", Arch: "arm64",
		AnyOf: mongoARMv82, Need: "an ARMv8.2-A CPU", EmulationLacks: true, Fix: mongoARMFix, Source: mongoARMSource},
	{Family: "MongoDB", Repos: mongoRepos, VersionEnv: "MONGO_VERSION", Since: "4.2.19", Before: "4.3", Arch: "arm64",
		AnyOf: mongoARMv82, Need: "an ARMv8.2-A CPU", EmulationLacks: true, Source: mongoARMSource,
		Fix: "pin mongo:4.2.18 (the last 4.2 that runs before ARMv8.2-A), or run the engine on a machine " +
			"with an ARMv8.2-A CPU (Raspberry Pi 5, AWS Graviton 2 or later, Apple silicon)"},
}

// Repo is an image reference's repository, normalised as the engine reads it
// ("mongo:8.0" is docker.io/library/mongo); "" when the reference does not parse.
func Repo(ref string) string {
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return ""
	}
	return named.Name()
}

// tag is the reference's tag, "" when it has none.
func tag(ref string) string {
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return ""
	}
	if t, ok := named.(reference.Tagged); ok {
		return t.Tag()
	}
	return ""
}

// FloorsFor are the floors an image is subject to, on any architecture. The version is
// the image's VersionEnv when env (the image's, when it is at hand) sets it, else its tag.
func FloorsFor(ref string, env map[string]string) []Floor {
	repo := Repo(ref)
	var out []Floor
	for _, f := range Floors {
		if !slices.Contains(f.Repos, repo) {
			continue
		}
		if f.Tags != nil {
			if f.Tags(tag(ref)) {
				out = append(out, f)
			}
			continue
		}
		v := env[f.VersionEnv]
		if v == "" {
			v = tag(ref)
		}
		if inRange(v, f.Since, f.Before) {
			out = append(out, f)
		}
	}
	return out
}

// inRange says whether version v lies in [since, before). A version is read as its
// leading dotted numbers ("8.0-noble" is 8.0); missing parts are the newest there is,
// as a floating tag is ("4.4" is the newest 4.4.x); no number at all ("latest", "noble",
// a digest) is the newest release.
func inRange(v, since, before string) bool {
	nums := leadingNumbers(v)
	if len(nums) == 0 {
		return before == ""
	}
	if compare(nums, leadingNumbers(since)) < 0 {
		return false
	}
	return before == "" || compare(nums, leadingNumbers(before)) < 0
}

// compare orders versions; a part that a is missing counts as greater than any of b's.
func compare(a, b []int) int {
	for i := range b {
		if i >= len(a) {
			return 1
		}
		if a[i] != b[i] {
			return a[i] - b[i]
		}
	}
	return 0
}

func leadingNumbers(v string) []int {
	v = strings.TrimPrefix(v, "v")
	var out []int
	for part := range strings.SplitSeq(v, ".") {
		n, digits := 0, 0
		for digits < len(part) && part[digits] >= '0' && part[digits] <= '9' && digits < 9 {
			n = n*10 + int(part[digits]-'0')
			digits++
		}
		if digits == 0 {
			break
		}
		out = append(out, n)
		if digits < len(part) {
			break // "0-noble": the rest is a suffix
		}
	}
	return out
}

// Verdict is one image judged against the CPU of the machine that would run it.
type Verdict struct {
	Image  string
	Need   string // "" when no floor applies
	Status string // Pass, Refuse or Unknown
	Reason string
	Fix    string
	Source string
}

// Verdicts.
const (
	Pass    = "pass"
	Refuse  = "refuse"
	Unknown = "unknown" // the cpuinfo says nothing devstack can read: up goes on
)

// Judge weighs an image's floors (FloorsFor) against the CPU of the engine's host. arch
// is the architecture of the image build the engine would run; "" means the host's own.
// A build of another architecture than the host's runs under emulation (an amd64 image
// on an arm64 Mac or Graviton): the flags it sees are the emulator's, and neither QEMU's
// user mode before 7.2 nor Rosetta offers AVX, so a floor on that architecture refuses.
func Judge(image string, floors []Floor, arch string, cpu CPU) Verdict {
	v := Verdict{Image: image, Status: Pass}
	if len(floors) == 0 {
		return v
	}
	if cpu.Arch == "" {
		v.Status, v.Need, v.Source = Unknown, floors[0].Need, floors[0].Source
		v.Reason = "cannot tell the CPU from /proc/cpuinfo of the engine's host"
		return v
	}
	if arch == "" {
		arch = cpu.Arch
	}
	var f *Floor
	for i := range floors {
		if floors[i].Arch == arch {
			f = &floors[i]
			break
		}
	}
	if f == nil {
		return v // no floor for this architecture (s390x, ppc64le…)
	}
	v.Need, v.Source = f.Need, f.Source
	switch {
	case cpu.Arch != arch && !f.EmulationLacks:
		v.Status = Unknown
		v.Reason = fmt.Sprintf("the image is built for %s and the engine's host is %s: it would run under emulation, "+
			"whose CPU devstack cannot see", arch, cpu.Arch)
	case cpu.Arch != arch:
		v.Status = Refuse
		v.Reason = fmt.Sprintf("%s %s needs %s; the image is built for %s and the engine's host is %s, "+
			"so it would run under emulation, which does not provide that", f.Family, image, f.Need, arch, cpu.Arch)
		v.Fix = fmt.Sprintf("use a build of the image for %s (the official image has one: drop any platform pin), or: %s", cpu.Arch, f.Fix)
	case len(f.AnyOf) > 0 && !slices.ContainsFunc(f.AnyOf, func(flag string) bool { return cpu.Flags[flag] }):
		v.Status = Refuse
		v.Reason = fmt.Sprintf("%s %s needs %s, and the CPU of the engine's host has none of %s: "+
			"the server would die at start with \"Illegal instruction\"", f.Family, image, f.Need, strings.Join(f.AnyOf, ", "))
		v.Fix = f.Fix
	case len(missing(f.AllOf, cpu)) > 0:
		v.Status = Refuse
		v.Reason = fmt.Sprintf("%s %s needs %s, and the CPU of the engine's host lacks %s: "+
			"the container would stop at once", f.Family, image, f.Need, strings.Join(missing(f.AllOf, cpu), ", "))
		v.Fix = f.Fix
	default:
		v.Reason = fmt.Sprintf("%s %s needs %s: the CPU of the engine's host has it", f.Family, image, f.Need)
	}
	return v
}

// missing are the flags of want the CPU does not have.
func missing(want []string, cpu CPU) []string {
	var out []string
	for _, f := range want {
		if !cpu.Flags[f] {
			out = append(out, f)
		}
	}
	return out
}
