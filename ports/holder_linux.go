package ports

import (
	"net"
	"os"
	"strconv"
	"strings"

	"github.com/prometheus/procfs"
)

const tcpListen = 0x0A // the state column of /proc/net/tcp for a listening socket

// findHolders names who listens on each port, on bind or on a wildcard address, from
// /proc/net/tcp{,6} (socket inodes) and /proc/*/fd (which process holds each inode).
// procfs marks its /proc/net/tcp readers deprecated in favour of netlink sock_diag; the
// files remain the kernel's stable interface, and reading them needs no hand-built
// netlink requests.
func findHolders(bind net.IP, ports []int) map[int]*Holder {
	fs, err := procfs.NewFS("/proc")
	if err != nil {
		return nil
	}
	wanted := map[int]bool{}
	for _, p := range ports {
		wanted[p] = true
	}
	inodes := map[uint64]int{}
	// procfs deprecates these for netlink's sock_diag, which would mean building inet_diag
	// requests by hand; /proc/net/tcp{,6} is the documented, stable source this reads.
	//lint:ignore SA1019 see above
	for _, read := range []func() (procfs.NetTCP, error){fs.NetTCP, fs.NetTCP6} {
		lines, err := read()
		if err != nil {
			continue // no IPv6 on this machine
		}
		for _, l := range lines {
			if l.St == tcpListen && wanted[int(l.LocalPort)] && blocks(l.LocalAddr, bind) {
				inodes[l.Inode] = int(l.LocalPort)
			}
		}
	}
	out := map[int]*Holder{}
	for _, port := range inodes {
		out[port] = &Holder{Unknown: unknownReason()}
	}
	if len(inodes) == 0 {
		return out
	}
	procs, err := fs.AllProcs()
	if err != nil {
		return out
	}
	for _, p := range procs {
		targets, err := p.FileDescriptorTargets()
		if err != nil {
			continue // another user's process: only root sees its descriptors
		}
		for _, t := range targets {
			inode, ok := socketInode(t)
			if !ok {
				continue
			}
			if port, ok := inodes[inode]; ok && out[port].PID == 0 {
				out[port] = &Holder{PID: p.PID, Command: commandOf(p)}
			}
		}
	}
	return out
}

func socketInode(target string) (uint64, bool) {
	s, ok := strings.CutPrefix(target, "socket:[")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(strings.TrimSuffix(s, "]"), 10, 64)
	return n, err == nil
}

func commandOf(p procfs.Proc) string {
	if args, err := p.CmdLine(); err == nil && len(args) > 0 {
		return holderCommand(args)
	}
	if comm, err := p.Comm(); err == nil {
		return comm
	}
	return "?"
}

func unknownReason() string {
	if os.Geteuid() != 0 {
		return "run as root to see"
	}
	return "held by a process devstack cannot see"
}
