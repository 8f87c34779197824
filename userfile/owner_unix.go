//go:build unix

package userfile

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

func owner(st fs.FileInfo) (uid, gid int) {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return int(s.Uid), int(s.Gid)
	}
	return -1, -1
}

// keepOwner gives the new file the old one's owner. Run as root, the temporary file is
// root's; without this a user's .env would become root's. Run as a user who may not give
// the file away, it is refused rather than silently changing hands.
func keepOwner(f *os.File, uid, gid int) error {
	if uid < 0 {
		return nil
	}
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if u, g := owner(st); u == uid && g == gid {
		return nil
	}
	if err := f.Chown(uid, gid); err != nil {
		return fmt.Errorf("keep its owner (uid %d, gid %d): %w; run devstack as that user", uid, gid, err)
	}
	return nil
}

// syncDir makes the rename durable; a failure only weakens durability, not atomicity.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
