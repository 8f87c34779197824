package main

import "testing"

func TestTagFamilies(t *testing.T) {
	tests := []struct {
		name, pinned string
		tags         []string
		newest, line string
	}{
		{"a major", "7", []string{"6", "7", "7.4", "7.4.5", "8", "8.2", "8-alpine", "9-rc1", "latest"}, "8", "7"},
		{"a major.minor", "8.0", []string{"7.0", "8.0", "8.0.15", "8.2", "8.2.1", "8.3-rc0", "9.0-rc1", "8.2-noble"}, "8.2", "8.0"},
		{"major.minor.patch", "2.19.6", []string{"2.19.5", "2.19.6", "2.19.7", "3.0.0", "3.3.2", "3.4.0-alpha1", "3.4.0-beta1", "2.19.8-rc1"}, "3.3.2", "2.19.7"},
		{"a patch line is major.minor", "3.5.0", []string{"3.5.0", "3.6.1", "3.5.4", "4.0.0", "3.5.10"}, "4.0.0", "3.5.10"},
		{"suffixed", "4.2-management", []string{"4.1-management", "4.2", "4.3", "4.2-management", "4.3-management", "4.3-rc.1-management", "4.3-management-alpine", "5.0.0-beta.2-management"}, "4.3-management", "4.2-management"},
		{"prefixed", "v3.5.0", []string{"v3.4.2", "v3.5.0", "v3.5.1", "v3.6.0-rc.0", "3.9.9", "main", "v4.0.0"}, "v4.0.0", "v3.5.1"},
		{"dated", "RELEASE.2025-09-07T16-13-09Z", []string{
			"RELEASE.2025-07-23T15-54-02Z", "RELEASE.2025-09-07T16-13-09Z", "RELEASE.2025-09-07T16-13-09Z-cpuv1",
			"RELEASE.2025-10-15T17-29-55Z.fips", "RELEASE.2024-12-18T13-15-44Z", "latest",
		}, "RELEASE.2025-09-07T16-13-09Z", "RELEASE.2025-09-07T16-13-09Z"},
		{"dated, a later release", "RELEASE.2025-04-22T22-12-26Z", []string{"RELEASE.2025-04-22T22-12-26Z", "RELEASE.2025-09-07T16-13-09Z"},
			"RELEASE.2025-09-07T16-13-09Z", "RELEASE.2025-09-07T16-13-09Z"},
		{"numbers compare as numbers", "1.9.9", []string{"1.9.10", "1.10.0", "1.9.9", "1.9.11-rc1"}, "1.10.0", "1.9.10"},
		{"milestones are not releases", "7", []string{"7", "8.0-m01", "8-m02"}, "7", "7"},
		{"the pin alone", "1.6", nil, "1.6", "1.6"},
	}
	for _, tt := range tests {
		all, same, ok := newest(tt.pinned, tt.tags)
		if !ok || all.raw != tt.newest || same.raw != tt.line {
			t.Errorf("%s: newest(%s) = %q, %q, %v; want %q, %q", tt.name, tt.pinned, all.raw, same.raw, ok, tt.newest, tt.line)
		}
	}
	for _, pinned := range []string{"latest", "alpine", "main", "sha-1234abc"} {
		if _, _, ok := newest(pinned, []string{"1", "2"}); ok {
			t.Errorf("%s has no version shape, but was compared", pinned)
		}
	}
}

func TestStable(t *testing.T) {
	for raw, want := range map[string]bool{
		"7": true, "4.2-management": true, "7-alpine": true, "8.2-noble": true, "12-bookworm": true,
		"8.0-rc1": false, "3.4.0-alpha1": false, "3.4.0-beta.2": false, "8.0-m01": false, "4.3-rc.1-management": false,
		"1.0-preview": false, "2.0-nightly": false, "2.0-dev": false, "1-SNAPSHOT": false, "v1-pre": false,
	} {
		tg, ok := parseTag(raw)
		if !ok || tg.stable() != want {
			t.Errorf("%s: stable %v (parsed %v), want %v", raw, tg.stable(), ok, want)
		}
	}
}
