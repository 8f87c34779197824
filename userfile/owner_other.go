//go:build !unix

package userfile

import (
	"io/fs"
	"os"
)

// Files have no uid/gid to keep here; the new file inherits the directory's ACL.
func owner(fs.FileInfo) (uid, gid int) { return -1, -1 }

func keepOwner(*os.File, int, int) error { return nil }

func syncDir(string) {}
