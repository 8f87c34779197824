// Package preflight knows what an image needs of the machine it runs on (a CPU floor),
// and which pinned images are known to be vulnerable, as data; it judges a CPU described
// by /proc/cpuinfo against them. It reads nothing itself: callers hand it the cpuinfo of
// the engine's host and the image's reference, version and architecture.
package preflight

import (
	"bufio"
	"bytes"
	"strings"
)

// CPU is what /proc/cpuinfo says about the processors of a Linux machine.
type CPU struct {
	// Arch is the architecture in OCI's words: "amd64" (x86 "flags" lines), "arm64"
	// ("Features" with CPU architecture 8), or "" when the text says neither.
	Arch string
	// Flags every processor has: x86 "flags", arm64 "Features". A process may be
	// scheduled on any core, so a feature only some cores have (big.LITTLE) counts as
	// missing.
	Flags map[string]bool
}

// ParseCPUInfo reads /proc/cpuinfo's text. It never fails: text it cannot read gives a
// CPU with no Arch, which callers treat as "cannot tell", never as "no".
func ParseCPUInfo(data []byte) CPU {
	var cpu CPU
	var x86, arm bool
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20) // one flags line of a modern x86 is ~1.5 KB
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(key) {
		case "flags":
			x86 = true
			cpu.Flags = intersect(cpu.Flags, strings.Fields(value))
		case "Features":
			arm = true
			cpu.Flags = intersect(cpu.Flags, strings.Fields(value))
		case "CPU architecture":
			// 8 is AArch64 (also a 32-bit kernel on an ARMv8 core, which devstack's
			// images do not target); 7 and below are 32-bit ARM.
			if strings.TrimSpace(value) != "8" {
				arm = false
				cpu.Flags = nil
				return cpu
			}
		}
	}
	switch {
	case x86 && !arm:
		cpu.Arch = "amd64"
	case arm && !x86:
		cpu.Arch = "arm64"
	default:
		cpu.Flags = nil
	}
	return cpu
}

// intersect keeps the flags both have; the first processor's list starts the set.
func intersect(have map[string]bool, fields []string) map[string]bool {
	next := make(map[string]bool, len(fields))
	for _, f := range fields {
		if have == nil || have[f] {
			next[f] = true
		}
	}
	return next
}
