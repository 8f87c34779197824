package gitrepo

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Tracked says whether rel, a slash-separated path relative to the work tree at top, is
// in git's index (tracked: ignoring it changes nothing, git keeps committing it). A
// repository with no index yet tracks nothing.
func Tracked(top, rel string) (bool, error) {
	gd, err := GitDir(top)
	if err != nil {
		return false, err
	}
	f, err := os.Open(filepath.Join(gd, "index"))
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	want := strings.Trim(filepath.ToSlash(rel), "/")
	found := false
	err = readIndex(bufio.NewReaderSize(f, 64<<10), hashSize(gd), func(name string) bool {
		found = name == want
		return !found
	})
	if err != nil {
		return false, fmt.Errorf("read git's index %s: %w", filepath.Join(gd, "index"), err)
	}
	return found, nil
}

// hashSize is the length of an object name in the repository: 32 bytes for one made with
// --object-format=sha256 (extensions.objectformat in its config), else SHA-1's 20.
func hashSize(gitDir string) int {
	data, err := readSmall(filepath.Join(gitDir, "config"))
	if err != nil {
		return 20
	}
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(strings.ToLower(strings.TrimSpace(line)), "=")
		if ok && strings.TrimSpace(k) == "objectformat" && strings.TrimSpace(v) == "sha256" {
			return 32
		}
	}
	return 20
}

// The index's limits, past which it is refused rather than read: git's own name length
// field holds 12 bits (longer names are read to their NUL), and no work tree has more
// entries than this.
const (
	maxIndexEntries = 50_000_000
	maxIndexName    = 64 << 10
)

// readIndex reads the entries of a git index (format versions 2, 3 and 4, see
// gitformat-index(5)) and calls each with the entry's path until each returns false.
// Extensions after the entries are not read.
func readIndex(r *bufio.Reader, hashLen int, each func(name string) bool) error {
	var hdr [12]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return fmt.Errorf("header: %w", err)
	}
	if string(hdr[:4]) != "DIRC" {
		return errors.New("not a git index (no DIRC signature)")
	}
	version := binary.BigEndian.Uint32(hdr[4:8])
	if version < 2 || version > 4 {
		return fmt.Errorf("index format version %d is not one devstack reads", version)
	}
	count := binary.BigEndian.Uint32(hdr[8:12])
	if count > maxIndexEntries {
		return fmt.Errorf("%d entries", count)
	}
	fixed := 40 + hashLen + 2 // stat data, object name, flags
	entry := make([]byte, fixed+2)
	var prev []byte
	for i := uint32(0); i < count; i++ {
		if _, err := io.ReadFull(r, entry[:fixed]); err != nil {
			return fmt.Errorf("entry %d: %w", i, err)
		}
		flags := binary.BigEndian.Uint16(entry[fixed-2 : fixed])
		n := fixed
		if flags&0x4000 != 0 { // extended: two more bytes of flags (version 3 and later)
			if version < 3 {
				return fmt.Errorf("entry %d: extended flags in a version %d index", i, version)
			}
			if _, err := io.ReadFull(r, entry[fixed:fixed+2]); err != nil {
				return fmt.Errorf("entry %d: %w", i, err)
			}
			n += 2
		}
		var name []byte
		if version == 4 {
			strip, err := readOffset(r)
			if err != nil {
				return fmt.Errorf("entry %d: %w", i, err)
			}
			if strip > uint64(len(prev)) {
				return fmt.Errorf("entry %d: strips %d bytes of a %d-byte name", i, strip, len(prev))
			}
			suffix, err := readName(r)
			if err != nil {
				return fmt.Errorf("entry %d: %w", i, err)
			}
			name = append(append([]byte{}, prev[:len(prev)-int(strip)]...), suffix...)
			if len(name) > maxIndexName {
				return fmt.Errorf("entry %d: a name longer than %d bytes", i, maxIndexName)
			}
		} else {
			var err error
			if name, err = readName(r); err != nil {
				return fmt.Errorf("entry %d: %w", i, err)
			}
			// 1 to 8 NULs end the entry at a multiple of 8 bytes; readName took the first.
			pad := 8 - (n+len(name))%8
			if _, err := r.Discard(pad - 1); err != nil {
				return fmt.Errorf("entry %d: %w", i, err)
			}
		}
		prev = name
		if !each(string(name)) {
			return nil
		}
	}
	return nil
}

// readName reads a NUL-terminated path.
func readName(r *bufio.Reader) ([]byte, error) {
	var b bytes.Buffer
	for {
		c, err := r.ReadByte()
		if err != nil {
			return nil, err
		}
		if c == 0 {
			return b.Bytes(), nil
		}
		if b.Len() >= maxIndexName {
			return nil, fmt.Errorf("a name longer than %d bytes", maxIndexName)
		}
		b.WriteByte(c)
	}
}

// readOffset reads version 4's variable-length number: seven bits a byte, high bit set
// while more follow, each continuation adding one (git's varint.c).
func readOffset(r *bufio.Reader) (uint64, error) {
	c, err := r.ReadByte()
	if err != nil {
		return 0, err
	}
	val := uint64(c & 0x7f)
	for c&0x80 != 0 {
		if val > 1<<50 {
			return 0, errors.New("a prefix length out of range")
		}
		if c, err = r.ReadByte(); err != nil {
			return 0, err
		}
		val = ((val + 1) << 7) | uint64(c&0x7f)
	}
	return val, nil
}
