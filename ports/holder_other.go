//go:build !linux

package ports

import "net"

// findHolders asks lsof, where there is no /proc to read.
func findHolders(bind net.IP, ports []int) map[int]*Holder {
	return lsofHolders(bind, ports)
}
