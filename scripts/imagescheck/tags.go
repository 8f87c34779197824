package main

import (
	"regexp"
	"strconv"
	"strings"
)

// A tag's family is the shape of its name: which prefix, how many numbers, which suffix.
// Tags of one family are releases of the same line, so their numbers compare:
//
//	redis:7                      major               "" [7] ""
//	mongo:8.0                    major.minor         "" [8 0] ""
//	postgres:17.2                major.minor.patch   "" [17 2] "" (two numbers)
//	rabbitmq:4.2-management      suffixed            "" [4 2] "-management"
//	prom/prometheus:v3.5.0       prefixed            "v" [3 5 0] ""
//	minio:RELEASE.2025-09-07T16-13-09Z  dated         "RELEASE." [2025 9 7 16 13 9] "Z"
//
// A tag of another shape (7.4 beside 7, 4.2 beside 4.2-management, 7-alpine beside 7)
// is another family and never compared.
type family struct {
	prefix string
	n      int
	suffix string
}

// tag is one parsed tag.
type tag struct {
	raw  string
	fam  family
	nums []int
}

// Version tags: an optional v, dot-separated numbers, an optional -suffix. Dated tags:
// MinIO's RELEASE.YYYY-MM-DDTHH-MM-SSZ, with what follows it (-cpuv1, .fips) as suffix.
var (
	versionTag = regexp.MustCompile(`^(v?)(\d+(?:\.\d+)*)((?:[-_+].*)?)$`)
	datedTag   = regexp.MustCompile(`^(RELEASE\.)(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})Z(.*)$`)
)

// parseTag reads a tag's family and numbers; false for a tag of no known shape
// ("latest", "alpine", a digest-like name).
func parseTag(raw string) (tag, bool) {
	if m := datedTag.FindStringSubmatch(raw); m != nil {
		nums := make([]int, 0, 6)
		for _, s := range m[2:8] {
			n, _ := strconv.Atoi(s)
			nums = append(nums, n)
		}
		return tag{raw: raw, fam: family{prefix: m[1], n: len(nums), suffix: "Z" + m[8]}, nums: nums}, true
	}
	m := versionTag.FindStringSubmatch(raw)
	if m == nil {
		return tag{}, false
	}
	parts := strings.Split(m[2], ".")
	nums := make([]int, 0, len(parts))
	for _, s := range parts {
		n, err := strconv.Atoi(s)
		if err != nil || len(s) > 9 {
			return tag{}, false // too long to be a version: a build number or a date blob
		}
		nums = append(nums, n)
	}
	return tag{raw: raw, fam: family{prefix: m[1], n: len(nums), suffix: m[3]}, nums: nums}, true
}

// unstable are the words that mark a pre-release anywhere in a tag's suffix: release
// candidates, betas, alphas, milestones (Redis's 8.0-m01), previews, nightlies and
// development builds are never "the newest stable".
var unstable = regexp.MustCompile(`(?i)(^|[^a-z])(rc|beta|alpha|pre|preview|dev|devel|nightly|snapshot|canary|edge|unstable|experimental|test|m)[0-9.]*([^a-z]|$)`)

// stable says whether a tag is a release: no pre-release word in its suffix.
func (t tag) stable() bool { return !unstable.MatchString(t.fam.suffix) }

// less orders tags of one family by their numbers.
func (t tag) less(u tag) bool {
	for i := range t.nums {
		if t.nums[i] != u.nums[i] {
			return t.nums[i] < u.nums[i]
		}
	}
	return false
}

// newest is the highest stable tag of pinned's family among tags (all), and the highest
// of its line (line): the tags that differ from pinned in the last number only, when
// pinned names a patch release (three numbers or more: v3.5.0's line is v3.5.*), or any
// of its family for a dated tag, where every release is the next build. A pin of one or
// two numbers (7, 8.0) follows its patches by itself: its line is the pin alone.
// ok is false when pinned has no known shape.
func newest(pinned string, tags []string) (all, line tag, ok bool) {
	pin, ok := parseTag(pinned)
	if !ok {
		return tag{}, tag{}, false
	}
	all, line = pin, pin
	for _, raw := range tags {
		t, ok := parseTag(raw)
		if !ok || t.fam != pin.fam || !t.stable() {
			continue
		}
		if all.less(t) {
			all = t
		}
		if pin.sameLine(t) && line.less(t) {
			line = t
		}
	}
	return all, line, true
}

// sameLine says whether t is a later build of pin's own release line (see newest).
func (pin tag) sameLine(t tag) bool {
	if pin.fam.prefix == "RELEASE." {
		return true
	}
	if pin.fam.n < 3 {
		return false
	}
	for i := 0; i < pin.fam.n-1; i++ {
		if t.nums[i] != pin.nums[i] {
			return false
		}
	}
	return true
}
