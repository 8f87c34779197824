// Package archivetest writes fixture archives for tests, hostile ones included.
package archivetest

import (
	"archive/tar"
	"compress/gzip"
	"os"
	"sort"
	"strings"
)

// WriteTarGz writes a tar.gz at path holding entries, name → content. A content written
// "->TARGET" makes the entry a symlink to TARGET.
func WriteTarGz(path string, entries map[string]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	sort.Strings(names) // the same entries always make the same bytes, and checksum
	for _, name := range names {
		body := entries[name]
		if target, ok := strings.CutPrefix(body, "->"); ok {
			err = tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeSymlink, Linkname: target, Mode: 0o777})
		} else if err = tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Size: int64(len(body)), Mode: 0o644}); err == nil {
			_, err = tw.Write([]byte(body))
		}
		if err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	return f.Close()
}
